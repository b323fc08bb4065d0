use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the controller manager's kubeconfig is owned by `root:root`.
    ///
    /// ## Why is this bad?
    /// The owner of the file holds the controller manager's credentials.
    ///
    /// ## How to fix
    /// `chown root:root /etc/kubernetes/controller-manager.conf`
    static CHECK = {
        id: "1.1.18",
        slug: "controller-manager-kubeconfig-owner",
        title: "Controller manager kubeconfig is owned by root:root",
        target: Master,
        automated: true,
        severity: High,
        owasp: K09,
        test: Test::Owner { files: Files::Locate { what: "controller manager kubeconfig", optional: false, locate: crate::cis::files::controller_manager_kubeconfig }, owner: "root:root" },
    };
}
