use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Reads the file named by `--encryption-provider-config`, finds the first `resources`
    /// entry that covers Secrets (`secrets`, `*.` or `*.*`; the API server uses the first
    /// match) and checks that its first provider is `aescbc`, `kms` or `secretbox`: the first
    /// provider encrypts new writes. Secrets listed in no entry fail: they are stored in plain
    /// text.
    ///
    /// ## Why is this bad?
    /// With `identity` first (or a weaker provider), new Secrets are written in plain text even
    /// though an encryption key is configured.
    ///
    /// ## How to fix
    /// List `secrets` in a `resources` entry, put `kms` (v2), `aescbc` or `secretbox` first in
    /// its `providers` list, keep `identity` last for reading old data, then rewrite all
    /// Secrets (`kubectl get secrets -A -o json | kubectl replace -f -`).
    static CHECK = {
        id: "1.2.28",
        slug: "apiserver-encryption-providers",
        title: "Encryption providers are appropriate",
        target: Master,
        automated: false,
        severity: High,
        owasp: K08,
        test: Test::Custom(crate::cis::encryption::providers),
    };
}
