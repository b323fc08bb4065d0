use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--service-account-private-key-file` is set.
    ///
    /// ## Why is this bad?
    /// An explicit signing key is what makes service account tokens verifiable and the key
    /// rotatable.
    ///
    /// ## How to fix
    /// Set `--service-account-private-key-file=/etc/kubernetes/pki/sa.key`.
    static CHECK = {
        id: "1.3.4",
        slug: "controller-manager-service-account-private-key",
        title: "Controller manager signs service account tokens with a key file",
        target: Master,
        automated: true,
        severity: High,
        owasp: K06,
        test: Test::Flag { component: Component::ControllerManager, flag: "--service-account-private-key-file", default: None, expect: Expect::Present },
    };
}
