use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--encryption-provider-config` is set.
    ///
    /// ## Why is this bad?
    /// Without it Secrets are stored in etcd in plain text, readable from any etcd backup or
    /// data directory.
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
        test: Test::Flag { component: Component::ApiServer, flag: "--encryption-provider-config", default: None, expect: Expect::Present },
    };
}
