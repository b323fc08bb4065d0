use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// A manual check: make sure people do not use service account tokens.
    ///
    /// ## Why is this bad?
    /// Service account tokens are meant for workloads and are hard to trace back to a person.
    ///
    /// ## How to fix
    /// Give people their own identities through OIDC.
    static CHECK = {
        id: "3.1.2",
        slug: "no-service-account-tokens-for-users",
        title: "Users do not authenticate with service account tokens",
        target: ControlPlane,
        automated: false,
        severity: Medium,
        owasp: K06,
        test: Test::Manual,
    };
}
