use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the API server's `--profiling` is `false` (it defaults to `true`).
    ///
    /// ## Why is this bad?
    /// Profiling endpoints reveal internals and can be used to slow the server down.
    ///
    /// ## How to fix
    /// Set `--profiling=false`.
    static CHECK = {
        id: "1.2.15",
        slug: "apiserver-profiling",
        title: "API server profiling is off",
        target: Master,
        automated: true,
        severity: Medium,
        owasp: K09,
        test: Test::Flag { component: Component::ApiServer, flag: "--profiling", default: Some("true"), expect: Expect::Is("false") },
    };
}
