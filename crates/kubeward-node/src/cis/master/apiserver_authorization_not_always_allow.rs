use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--authorization-mode` does not include `AlwaysAllow` (the API server's
    /// default when unset).
    ///
    /// ## Why is this bad?
    /// `AlwaysAllow` lets every authenticated request do anything.
    ///
    /// ## How to fix
    /// Set `--authorization-mode=Node,RBAC`.
    static CHECK = {
        id: "1.2.6",
        slug: "apiserver-authorization-not-always-allow",
        title: "API server authorization is not AlwaysAllow",
        target: Master,
        automated: true,
        severity: Critical,
        owasp: K03,
        test: Test::Flag { component: Component::ApiServer, flag: "--authorization-mode", default: Some("AlwaysAllow"), expect: Expect::Excludes("AlwaysAllow") },
    };
}
