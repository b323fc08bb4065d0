use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Where the kubelet uses a configuration file (`--config`), checks it for mode 600 or
    /// stricter.
    ///
    /// ## Why is this bad?
    /// The configuration file decides the kubelet's authentication and authorization.
    ///
    /// ## How to fix
    /// `chmod 600 /var/lib/kubelet/config.yaml`
    static CHECK = {
        id: "4.1.9",
        slug: "kubelet-config-mode",
        title: "Kubelet configuration file is mode 600 or stricter",
        target: Node,
        automated: true,
        severity: High,
        owasp: K09,
        test: Test::Mode { files: Files::Locate { what: "kubelet configuration file", optional: true, locate: crate::cis::files::kubelet_config_file }, max: 0o600 },
    };
}
