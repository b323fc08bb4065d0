use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Where kube-proxy has a kubeconfig on the node, checks that it is owned by `root:root`.
    ///
    /// ## Why is this bad?
    /// The owner of the file holds kube-proxy's credentials.
    ///
    /// ## How to fix
    /// `chown root:root` the file named by kube-proxy's `--kubeconfig`.
    static CHECK = {
        id: "4.1.4",
        slug: "proxy-kubeconfig-owner",
        title: "kube-proxy kubeconfig is owned by root:root",
        target: Node,
        automated: false,
        severity: Medium,
        owasp: K09,
        test: Test::Owner { files: Files::Locate { what: "kube-proxy kubeconfig", optional: true, locate: crate::cis::files::proxy_kubeconfig }, owner: "root:root" },
    };
}
