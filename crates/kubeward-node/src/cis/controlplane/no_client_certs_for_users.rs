use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// A manual check: find users that authenticate with client certificates (see `kubeward pki
    /// check`).
    ///
    /// ## Why is this bad?
    /// Client certificates cannot be revoked; a leaked one works until it expires.
    ///
    /// ## How to fix
    /// Use OIDC or another revocable mechanism for people; keep certificates for components.
    static CHECK = {
        id: "3.1.1",
        slug: "no-client-certs-for-users",
        title: "Users do not authenticate with client certificates",
        target: ControlPlane,
        automated: false,
        severity: Medium,
        owasp: K06,
        test: Test::Manual,
    };
}
