use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--service-account-lookup` is `true` (its default).
    ///
    /// ## Why is this bad?
    /// Without the lookup, tokens of deleted service accounts stay valid until they expire.
    ///
    /// ## How to fix
    /// Remove `--service-account-lookup` or set it to `true`.
    static CHECK = {
        id: "1.2.21",
        slug: "apiserver-service-account-lookup",
        title: "API server looks up service account tokens",
        target: Master,
        automated: true,
        severity: High,
        owasp: K06,
        test: Test::Flag { component: Component::ApiServer, flag: "--service-account-lookup", default: Some("true"), expect: Expect::Is("true") },
    };
}
