use super::host_namespace;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags pods with `hostIPC: true`.
    ///
    /// ## Why is this bad?
    /// The pod shares the node's System V IPC and POSIX shared memory: it can read and corrupt shared memory segments of any process on the node.
    ///
    /// ## How to fix
    /// Remove `hostIPC: true`. Node agents that truly need it belong in a
    /// dedicated namespace with its own, reviewed exception.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostIPC: false
    /// ```
    static RULE = {
        id: "KW111",
        slug: "host-ipc",
        title: "Pod uses the host IPC namespace",
        severity: High,
        layer: Cluster,
        owasp: K01,
        references: ["CIS Kubernetes 1.12 5.2.4", "PSS baseline: hostNamespaces"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    host_namespace(pod, emit, "hostIPC");
}
