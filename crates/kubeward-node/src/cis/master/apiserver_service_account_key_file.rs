use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--service-account-key-file` is set.
    ///
    /// ## Why is this bad?
    /// The public keys to verify service account tokens must be given explicitly so that keys
    /// can be rotated.
    ///
    /// ## How to fix
    /// Set `--service-account-key-file=/etc/kubernetes/pki/sa.pub`.
    static CHECK = {
        id: "1.2.22",
        slug: "apiserver-service-account-key-file",
        title: "API server has a service account key file",
        target: Master,
        automated: true,
        severity: High,
        owasp: K06,
        test: Test::Flag { component: Component::ApiServer, flag: "--service-account-key-file", default: None, expect: Expect::Present },
    };
}
