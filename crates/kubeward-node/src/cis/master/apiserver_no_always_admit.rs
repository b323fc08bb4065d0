use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `AlwaysAdmit` is not among `--enable-admission-plugins`.
    ///
    /// ## Why is this bad?
    /// `AlwaysAdmit` admits every request, bypassing the admission chain.
    ///
    /// ## How to fix
    /// Remove `AlwaysAdmit` from `--enable-admission-plugins`.
    static CHECK = {
        id: "1.2.10",
        slug: "apiserver-no-always-admit",
        title: "API server does not enable AlwaysAdmit",
        target: Master,
        automated: true,
        severity: High,
        owasp: K04,
        test: Test::Flag { component: Component::ApiServer, flag: "--enable-admission-plugins", default: Some(""), expect: Expect::Excludes("AlwaysAdmit") },
    };
}
