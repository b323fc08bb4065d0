use super::report_missing;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags containers without `resources.requests.cpu`.
    ///
    /// ## Why is this bad?
    /// Without a CPU request the pod gets the smallest share of CPU under contention and the scheduler may pack it onto an overloaded node.
    ///
    /// ## How to fix
    /// Set a CPU request that matches the workload's normal use.
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
        id: "KW134",
        slug: "missing-cpu-request",
        title: "No CPU request",
        severity: Low,
        layer: Cluster,
        owasp: K01,
        references: [],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    report_missing(pod, emit, "requests", "cpu");
}
