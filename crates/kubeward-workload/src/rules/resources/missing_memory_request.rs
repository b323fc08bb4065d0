use super::report_missing;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags containers without `resources.requests.memory`.
    ///
    /// ## Why is this bad?
    /// Without a memory request the scheduler cannot place the pod sensibly, and the pod is among the first evicted under memory pressure, which helps an attacker who can cause that pressure to disrupt it.
    ///
    /// ## How to fix
    /// Set a memory request close to the workload's steady use.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   requests:
    ///     cpu: 100m
    ///     memory: 128Mi
    ///   limits:
    ///     memory: 256Mi
    ///     cpu: "1"
    /// ```
    static RULE = {
        id: "KW133",
        slug: "missing-memory-request",
        title: "No memory request",
        severity: Low,
        layer: Cluster,
        owasp: K01,
        references: [],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    report_missing(pod, emit, "requests", "memory");
}
