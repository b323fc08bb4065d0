use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--kubelet-certificate-authority` is set.
    ///
    /// ## Why is this bad?
    /// Without it the API server does not verify the kubelet's serving certificate, so its
    /// connections to kubelets can be intercepted.
    ///
    /// ## How to fix
    /// Set `--kubelet-certificate-authority` to the CA that signs kubelet serving certificates
    /// (and enable `serverTLSBootstrap` on kubelets).
    static CHECK = {
        id: "1.2.5",
        slug: "apiserver-kubelet-certificate-authority",
        title: "API server verifies kubelet certificates",
        target: Master,
        automated: true,
        severity: High,
        owasp: K06,
        test: Test::Flag { component: Component::ApiServer, flag: "--kubelet-certificate-authority", default: None, expect: Expect::Present },
    };
}
