use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks `/etc/kubernetes/admin.conf` and, where present, `/etc/kubernetes/super-
    /// admin.conf` for mode 600 or stricter.
    ///
    /// ## Why is this bad?
    /// These files hold client credentials with full control of the cluster (`super-admin.conf`
    /// is in `system:masters`, beyond RBAC); any local reader becomes cluster administrator.
    ///
    /// ## How to fix
    /// `chmod 600 /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf`
    static CHECK = {
        id: "1.1.13",
        slug: "admin-kubeconfig-mode",
        title: "Administrator kubeconfigs are mode 600 or stricter",
        target: Master,
        automated: true,
        severity: Critical,
        owasp: K03,
        test: Test::Mode { files: Files::Locate { what: "administrator kubeconfig", optional: false, locate: crate::cis::files::admin_kubeconfigs }, max: 0o600 },
    };
}
