use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--feature-gates` does not turn off `RotateKubeletServerCertificate`.
    ///
    /// ## Why is this bad?
    /// Without rotation, kubelet serving certificates expire or are replaced by hand.
    ///
    /// ## How to fix
    /// Remove `RotateKubeletServerCertificate=false` from `--feature-gates`.
    static CHECK = {
        id: "1.3.6",
        slug: "controller-manager-rotate-kubelet-server-cert",
        title: "Kubelet serving certificate rotation is not disabled",
        target: Master,
        automated: true,
        severity: Medium,
        owasp: K09,
        test: Test::Flag { component: Component::ControllerManager, flag: "--feature-gates", default: Some(""), expect: Expect::Excludes("RotateKubeletServerCertificate=false") },
    };
}
