use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `ServiceAccount` is not among `--disable-admission-plugins`.
    ///
    /// ## Why is this bad?
    /// The plugin gives every pod a service account and enforces its token settings.
    ///
    /// ## How to fix
    /// Remove `ServiceAccount` from `--disable-admission-plugins`.
    static CHECK = {
        id: "1.2.12",
        slug: "apiserver-service-account-plugin",
        title: "API server keeps the ServiceAccount admission plugin",
        target: Master,
        automated: true,
        severity: Medium,
        owasp: K04,
        test: Test::Flag { component: Component::ApiServer, flag: "--disable-admission-plugins", default: Some(""), expect: Expect::Excludes("ServiceAccount") },
    };
}
