use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Where kube-proxy has a kubeconfig on the node (its `--kubeconfig`), checks it for mode
    /// 600 or stricter.
    ///
    /// ## Why is this bad?
    /// The file holds kube-proxy's credentials.
    ///
    /// ## How to fix
    /// `chmod 600` the file named by kube-proxy's `--kubeconfig`.
    static CHECK = {
        id: "4.1.3",
        slug: "proxy-kubeconfig-mode",
        title: "kube-proxy kubeconfig is mode 600 or stricter",
        target: Node,
        automated: false,
        severity: Medium,
        owasp: K09,
        test: Test::Mode { files: Files::Locate { what: "kube-proxy kubeconfig", optional: true, locate: crate::cis::files::proxy_kubeconfig }, max: 0o600 },
    };
}
