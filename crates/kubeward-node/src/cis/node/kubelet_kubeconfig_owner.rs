use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the kubelet's kubeconfig is owned by `root:root`.
    ///
    /// ## Why is this bad?
    /// The owner of the file holds the node's credentials.
    ///
    /// ## How to fix
    /// `chown root:root /etc/kubernetes/kubelet.conf`
    static CHECK = {
        id: "4.1.6",
        slug: "kubelet-kubeconfig-owner",
        title: "Kubelet kubeconfig is owned by root:root",
        target: Node,
        automated: true,
        severity: High,
        owasp: K09,
        test: Test::Owner { files: Files::Locate { what: "kubelet kubeconfig", optional: false, locate: crate::cis::files::kubelet_kubeconfig }, owner: "root:root" },
    };
}
