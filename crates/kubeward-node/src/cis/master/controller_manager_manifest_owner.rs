use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `/etc/kubernetes/manifests/kube-controller-manager.yaml` is owned by
    /// `root:root`.
    ///
    /// ## Why is this bad?
    /// A manifest owned by another account can be rewritten by that account, and the kubelet
    /// runs whatever it says.
    ///
    /// ## How to fix
    /// `chown root:root /etc/kubernetes/manifests/kube-controller-manager.yaml`
    static CHECK = {
        id: "1.1.4",
        slug: "controller-manager-manifest-owner",
        title: "Controller manager pod manifest is owned by root:root",
        target: Master,
        automated: true,
        severity: High,
        owasp: K09,
        test: Test::Owner { files: Files::Path("/etc/kubernetes/manifests/kube-controller-manager.yaml"), owner: "root:root" },
    };
}
