use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the kubelet's systemd file is owned by `root:root`.
    ///
    /// ## Why is this bad?
    /// The owner of the file controls the kubelet's flags.
    ///
    /// ## How to fix
    /// `chown root:root /etc/systemd/system/kubelet.service.d/10-kubeadm.conf`
    static CHECK = {
        id: "4.1.2",
        slug: "kubelet-service-owner",
        title: "Kubelet service file is owned by root:root",
        target: Node,
        automated: true,
        severity: High,
        owasp: K09,
        test: Test::Owner { files: Files::Locate { what: "kubelet service file", optional: false, locate: crate::cis::files::kubelet_service }, owner: "root:root" },
    };
}
