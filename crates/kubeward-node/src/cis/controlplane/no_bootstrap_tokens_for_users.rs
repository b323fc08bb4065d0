use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// A manual check: make sure bootstrap tokens are used only to join nodes.
    ///
    /// ## Why is this bad?
    /// Bootstrap tokens are broad and long-lived unless cleaned up.
    ///
    /// ## How to fix
    /// Delete unused bootstrap tokens (`kubeadm token list`) and give people OIDC identities.
    static CHECK = {
        id: "3.1.3",
        slug: "no-bootstrap-tokens-for-users",
        title: "Users do not authenticate with bootstrap tokens",
        target: ControlPlane,
        automated: false,
        severity: Medium,
        owasp: K06,
        test: Test::Manual,
    };
}
