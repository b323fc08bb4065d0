use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Reads the file named by `--encryption-provider-config` and checks that the first
    /// provider of every resource list is `aescbc`, `kms` or `secretbox`: the first provider
    /// encrypts new writes.
    ///
    /// ## Why is this bad?
    /// With `identity` first (or a weaker provider), new Secrets are written in plain text even
    /// though an encryption key is configured.
    ///
    /// ## How to fix
    /// Put `kms` (v2), `aescbc` or `secretbox` first in each `providers` list, keep `identity`
    /// last for reading old data, then rewrite all Secrets (`kubectl get secrets -A -o json |
    /// kubectl replace -f -`).
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
