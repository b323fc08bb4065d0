use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags workloads placed explicitly in the `default` namespace.
    /// Manifests without a namespace are left alone: their namespace is chosen
    /// at deploy time.
    ///
    /// ## Why is this bad?
    /// `default` is shared by everything that forgot to name a namespace, so
    /// RBAC, NetworkPolicies, quotas and Pod Security labels cannot be
    /// tailored to the workload; it is also where an attacker's first pod
    /// lands.
    ///
    /// ## How to fix
    /// Give each application its own namespace.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   namespace: shop
    /// ```
    static RULE = {
        id: "KW603",
        slug: "workload-in-default-namespace",
        title: "Workload in the default namespace",
        severity: Low,
        layer: Cluster,
        owasp: K04,
        references: ["CIS Kubernetes 1.12 5.6.4"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    if let Some(ns) = pod
        .object
        .root
        .lookup(&["metadata", "namespace"])
        .filter(|n| n.as_str() == Some("default"))
    {
        emit.at(
            ns.pos,
            "metadata.namespace",
            "workload is placed in the default namespace",
        );
    }
}
