use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks the controller manager's kubeconfig (its `--kubeconfig`, else
    /// `/etc/kubernetes/controller-manager.conf`) for mode 600 or stricter.
    ///
    /// ## Why is this bad?
    /// The controller manager's credentials can create service account tokens and change most
    /// objects in the cluster.
    ///
    /// ## How to fix
    /// `chmod 600 /etc/kubernetes/controller-manager.conf`
    static CHECK = {
        id: "1.1.17",
        slug: "controller-manager-kubeconfig-mode",
        title: "Controller manager kubeconfig is mode 600 or stricter",
        target: Master,
        automated: true,
        severity: High,
        owasp: K09,
        test: Test::Mode { files: Files::Locate { what: "controller manager kubeconfig", optional: false, locate: crate::cis::files::controller_manager_kubeconfig }, max: 0o600 },
    };
}
