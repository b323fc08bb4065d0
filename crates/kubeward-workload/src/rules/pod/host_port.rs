use super::report_pss;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags container ports with a non-zero `hostPort`.
    ///
    /// ## Why is this bad?
    /// A host port binds the container to a port on the node's own address,
    /// outside the reach of NetworkPolicies on many network plugins, and
    /// limits where the pod can be scheduled. It exposes the workload to
    /// whatever can reach the node.
    ///
    /// ## How to fix
    /// Remove `hostPort` and expose the workload through a Service.
    ///
    /// ## Example
    /// ```yaml
    /// ports:
    ///   - containerPort: 8080
    /// ```
    static RULE = {
        id: "KW112",
        slug: "host-port",
        title: "Container uses a host port",
        severity: Medium,
        layer: Cluster,
        owasp: K07,
        references: ["CIS Kubernetes 1.12 5.2.12", "PSS baseline: hostPorts"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    report_pss(pod, emit, "hostPorts", |_| true);
}
