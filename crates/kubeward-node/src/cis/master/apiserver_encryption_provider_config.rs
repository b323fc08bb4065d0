use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--encryption-provider-config` is set and that the configuration it names
    /// encrypts Secrets: the first `resources` entry that covers them (`secrets`, `*.` or
    /// `*.*`) starts with a provider other than `identity`.
    ///
    /// ## Why is this bad?
    /// Without it, or when no entry covers Secrets, Secrets are stored in etcd in plain text,
    /// readable from any etcd backup or data directory.
    ///
    /// ## How to fix
    /// Write an `EncryptionConfiguration` (see `kubeward scan`, rules KW901 and KW902) and set
    /// `--encryption-provider-config` to its path.
    static CHECK = {
        id: "1.2.27",
        slug: "apiserver-encryption-provider-config",
        title: "API server encrypts Secrets at rest",
        target: Master,
        automated: false,
        severity: High,
        owasp: K08,
        test: Test::Custom(crate::cis::encryption::secrets_encrypted),
    };
}
