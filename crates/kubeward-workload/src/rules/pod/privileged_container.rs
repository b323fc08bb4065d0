use super::report_pss;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags containers with `securityContext.privileged: true`.
    ///
    /// ## Why is this bad?
    /// A privileged container has every capability, sees every host device,
    /// and runs without seccomp or AppArmor confinement. It is root on the node
    /// in all but name: mounting the host's disk or loading a kernel module
    /// takes one command.
    ///
    /// ## How to fix
    /// Remove `privileged: true`. Grant the one capability the workload needs
    /// instead, or move the task to a node-level agent that is reviewed as such.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   privileged: false
    ///   capabilities:
    ///     drop: ["ALL"]
    /// ```
    static RULE = {
        id: "KW104",
        slug: "privileged-container",
        title: "Container runs privileged",
        severity: Critical,
        layer: Container,
        owasp: K01,
        references: ["CIS Kubernetes 1.12 5.2.2", "PSS baseline: privileged"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    report_pss(pod, emit, "privileged", |_| true);
}
