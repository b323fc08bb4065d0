use super::host_namespace;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags pods with `hostPID: true`.
    ///
    /// ## Why is this bad?
    /// The pod shares the node's process table: it can see every process on the node with its command line and environment, and with ptrace rights signal or inspect them (and reach their filesystems through /proc/PID/root).
    ///
    /// ## How to fix
    /// Remove `hostPID: true`. Node agents that truly need it belong in a
    /// dedicated namespace with its own, reviewed exception.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostPID: false
    /// ```
    static RULE = {
        id: "KW110",
        slug: "host-pid",
        title: "Pod uses the host PID namespace",
        severity: High,
        layer: Cluster,
        owasp: K01,
        references: ["CIS Kubernetes 1.12 5.2.3", "PSS baseline: hostNamespaces"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    host_namespace(pod, emit, "hostPID");
}
