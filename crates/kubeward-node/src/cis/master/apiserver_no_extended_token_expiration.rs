use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--service-account-extend-token-expiration` is `false` (it defaults to
    /// `true`).
    ///
    /// ## Why is this bad?
    /// When true, projected tokens are issued for a year instead of their requested lifetime,
    /// so a stolen token stays useful much longer.
    ///
    /// ## How to fix
    /// Set `--service-account-extend-token-expiration=false`.
    static CHECK = {
        id: "1.2.30",
        slug: "apiserver-no-extended-token-expiration",
        title: "API server does not extend service account token lifetimes",
        target: Master,
        automated: true,
        severity: Medium,
        owasp: K06,
        test: Test::Flag { component: Component::ApiServer, flag: "--service-account-extend-token-expiration", default: Some("true"), expect: Expect::Is("false") },
    };
}
