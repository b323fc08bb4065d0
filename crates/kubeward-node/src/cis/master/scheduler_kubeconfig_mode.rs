use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks the scheduler's kubeconfig (its `--kubeconfig`, else
    /// `/etc/kubernetes/scheduler.conf`) for mode 600 or stricter.
    ///
    /// ## Why is this bad?
    /// The file holds the scheduler's client key; a reader can act as the scheduler and place
    /// pods on any node.
    ///
    /// ## How to fix
    /// `chmod 600 /etc/kubernetes/scheduler.conf`
    static CHECK = {
        id: "1.1.15",
        slug: "scheduler-kubeconfig-mode",
        title: "Scheduler kubeconfig is mode 600 or stricter",
        target: Master,
        automated: true,
        severity: High,
        owasp: K09,
        test: Test::Mode { files: Files::Locate { what: "scheduler kubeconfig", optional: false, locate: crate::cis::files::scheduler_kubeconfig }, max: 0o600 },
    };
}
