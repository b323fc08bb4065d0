use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the administrator kubeconfigs are owned by `root:root`.
    ///
    /// ## Why is this bad?
    /// The owner of an administrator kubeconfig holds cluster-admin credentials.
    ///
    /// ## How to fix
    /// `chown root:root /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf`
    static CHECK = {
        id: "1.1.14",
        slug: "admin-kubeconfig-owner",
        title: "Administrator kubeconfigs are owned by root:root",
        target: Master,
        automated: true,
        severity: Critical,
        owasp: K03,
        test: Test::Owner { files: Files::Locate { what: "administrator kubeconfig", optional: false, locate: crate::cis::files::admin_kubeconfigs }, owner: "root:root" },
    };
}
