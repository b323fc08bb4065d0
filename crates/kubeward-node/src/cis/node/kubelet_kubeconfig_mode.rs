use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks the kubelet's kubeconfig (its `--kubeconfig`, else
    /// `/etc/kubernetes/kubelet.conf`) for mode 600 or stricter.
    ///
    /// ## Why is this bad?
    /// The file holds the node's credentials to the API server.
    ///
    /// ## How to fix
    /// `chmod 600 /etc/kubernetes/kubelet.conf`
    static CHECK = {
        id: "4.1.5",
        slug: "kubelet-kubeconfig-mode",
        title: "Kubelet kubeconfig is mode 600 or stricter",
        target: Node,
        automated: true,
        severity: High,
        owasp: K09,
        test: Test::Mode { files: Files::Locate { what: "kubelet kubeconfig", optional: false, locate: crate::cis::files::kubelet_kubeconfig }, max: 0o600 },
    };
}
