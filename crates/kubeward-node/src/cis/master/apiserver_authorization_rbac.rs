use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--authorization-mode` includes `RBAC`.
    ///
    /// ## Why is this bad?
    /// Without RBAC there are no fine-grained, auditable permissions for users and service
    /// accounts.
    ///
    /// ## How to fix
    /// Set `--authorization-mode=Node,RBAC`.
    static CHECK = {
        id: "1.2.8",
        slug: "apiserver-authorization-rbac",
        title: "API server authorization includes RBAC",
        target: Master,
        automated: true,
        severity: High,
        owasp: K03,
        test: Test::Flag { component: Component::ApiServer, flag: "--authorization-mode", default: Some("AlwaysAllow"), expect: Expect::Includes("RBAC") },
    };
}
