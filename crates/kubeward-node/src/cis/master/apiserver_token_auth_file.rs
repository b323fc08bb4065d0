use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the API server's `--token-auth-file` is not set.
    ///
    /// ## Why is this bad?
    /// Static tokens live in clear text on disk, never expire and cannot be revoked without
    /// restarting the API server.
    ///
    /// ## How to fix
    /// Remove `--token-auth-file` and use client certificates, OIDC or service account tokens
    /// instead.
    static CHECK = {
        id: "1.2.2",
        slug: "apiserver-token-auth-file",
        title: "API server has no static token file",
        target: Master,
        automated: true,
        severity: High,
        owasp: K06,
        test: Test::Flag { component: Component::ApiServer, flag: "--token-auth-file", default: None, expect: Expect::Absent },
    };
}
