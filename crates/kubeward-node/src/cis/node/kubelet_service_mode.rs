use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks the kubelet's systemd file (kubeadm's `10-kubeadm.conf` drop-in first) for mode
    /// 600 or stricter.
    ///
    /// ## Why is this bad?
    /// The service file holds the kubelet's flags; whoever can change it controls the node's
    /// agent.
    ///
    /// ## How to fix
    /// `chmod 600 /etc/systemd/system/kubelet.service.d/10-kubeadm.conf`
    static CHECK = {
        id: "4.1.1",
        slug: "kubelet-service-mode",
        title: "Kubelet service file is mode 600 or stricter",
        target: Node,
        automated: true,
        severity: High,
        owasp: K09,
        test: Test::Mode { files: Files::Locate { what: "kubelet service file", optional: false, locate: crate::cis::files::kubelet_service }, max: 0o600 },
    };
}
