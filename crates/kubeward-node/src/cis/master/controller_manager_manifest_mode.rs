use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `/etc/kubernetes/manifests/kube-controller-manager.yaml` is mode 600 or
    /// stricter.
    ///
    /// ## Why is this bad?
    /// Whoever can write a static pod manifest chooses what the kubelet runs with control-plane
    /// privileges; other local users should not even read its flags.
    ///
    /// ## How to fix
    /// `chmod 600 /etc/kubernetes/manifests/kube-controller-manager.yaml`
    static CHECK = {
        id: "1.1.3",
        slug: "controller-manager-manifest-mode",
        title: "Controller manager pod manifest is mode 600 or stricter",
        target: Master,
        automated: true,
        severity: High,
        owasp: K09,
        test: Test::Mode { files: Files::Path("/etc/kubernetes/manifests/kube-controller-manager.yaml"), max: 0o600 },
    };
}
