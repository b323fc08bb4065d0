use super::report_pss;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags pod `sysctls` outside the set Kubernetes considers safe
    /// (namespaced and isolated per pod), as Pod Security's newest policy
    /// version defines it.
    ///
    /// ## Why is this bad?
    /// Unsafe sysctls are not isolated between pods, or can exhaust node
    /// resources: setting them affects every workload on the node, and some
    /// weaken the kernel's own protections.
    ///
    /// ## How to fix
    /// Remove the sysctl, or set it at the node level where its effect on
    /// every pod is intended and reviewed.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   sysctls:
    ///     - name: net.ipv4.ip_local_port_range
    ///       value: "32768 60999"
    /// ```
    static RULE = {
        id: "KW120",
        slug: "unsafe-sysctls",
        title: "Unsafe sysctl",
        severity: High,
        layer: Cluster,
        owasp: K01,
        references: ["PSS baseline: sysctls"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    report_pss(pod, emit, "sysctls", |_| true);
}
