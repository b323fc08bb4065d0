use super::report_missing;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags containers without `resources.limits.cpu`.
    ///
    /// ## Why is this bad?
    /// Without a CPU limit a busy or hijacked container (a crypto miner, a tight loop) can use every core of its node and slow its neighbours.
    ///
    /// ## How to fix
    /// Set a CPU limit, or rely on requests with a namespace LimitRange or ResourceQuota that caps use.
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
        id: "KW132",
        slug: "missing-cpu-limit",
        title: "No CPU limit",
        severity: Low,
        layer: Cluster,
        owasp: K01,
        references: [],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    report_missing(pod, emit, "limits", "cpu");
}
