use super::report_missing;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags containers without `resources.limits.memory`.
    ///
    /// ## Why is this bad?
    /// Without a memory limit a container can use all of its node's memory: a leak or an attacker (a decompression bomb, a flood of requests) starves every other pod on the node and invites the kernel's OOM killer to pick victims outside the container.
    ///
    /// ## How to fix
    /// Set a memory limit sized to the workload's peak, and a request close to its steady use.
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
        id: "KW131",
        slug: "missing-memory-limit",
        title: "No memory limit",
        severity: Medium,
        layer: Cluster,
        owasp: K01,
        references: [],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    report_missing(pod, emit, "limits", "memory");
}
