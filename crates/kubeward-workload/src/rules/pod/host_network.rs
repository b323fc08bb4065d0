use super::host_namespace;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags pods with `hostNetwork: true`.
    ///
    /// ## Why is this bad?
    /// The pod shares the node's network namespace: it can sniff and spoof node traffic, reach services bound to the node's localhost (the kubelet's read-only port, cloud metadata proxies) and bypass NetworkPolicies.
    ///
    /// ## How to fix
    /// Remove `hostNetwork: true`. Node agents that truly need it belong in a
    /// dedicated namespace with its own, reviewed exception.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostNetwork: false
    /// ```
    static RULE = {
        id: "KW109",
        slug: "host-network",
        title: "Pod uses the host network",
        severity: High,
        layer: Cluster,
        owasp: K01,
        references: ["CIS Kubernetes 1.12 5.2.5", "PSS baseline: hostNamespaces"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    host_namespace(pod, emit, "hostNetwork");
}
