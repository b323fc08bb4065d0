use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the scheduler's kubeconfig is owned by `root:root`.
    ///
    /// ## Why is this bad?
    /// The owner of the file holds the scheduler's credentials.
    ///
    /// ## How to fix
    /// `chown root:root /etc/kubernetes/scheduler.conf`
    static CHECK = {
        id: "1.1.16",
        slug: "scheduler-kubeconfig-owner",
        title: "Scheduler kubeconfig is owned by root:root",
        target: Master,
        automated: true,
        severity: High,
        owasp: K09,
        test: Test::Owner { files: Files::Locate { what: "scheduler kubeconfig", optional: false, locate: crate::cis::files::scheduler_kubeconfig }, owner: "root:root" },
    };
}
