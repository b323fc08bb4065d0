use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Where the kubelet uses a configuration file, checks that it is owned by `root:root`.
    ///
    /// ## Why is this bad?
    /// The owner of the file controls the kubelet's security settings.
    ///
    /// ## How to fix
    /// `chown root:root /var/lib/kubelet/config.yaml`
    static CHECK = {
        id: "4.1.10",
        slug: "kubelet-config-owner",
        title: "Kubelet configuration file is owned by root:root",
        target: Node,
        automated: true,
        severity: High,
        owasp: K09,
        test: Test::Owner { files: Files::Locate { what: "kubelet configuration file", optional: true, locate: crate::cis::files::kubelet_config_file }, owner: "root:root" },
    };
}
