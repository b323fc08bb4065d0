use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags pods that run as their namespace's `default` ServiceAccount
    /// (`serviceAccountName` unset or `default`).
    ///
    /// ## Why is this bad?
    /// Every pod that names no account shares `default`: permissions granted
    /// to it for one workload are given to all, and its API activity cannot
    /// be told apart in audit logs.
    ///
    /// ## How to fix
    /// Create a ServiceAccount per workload, grant it only what it needs, and
    /// name it in `serviceAccountName`.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   serviceAccountName: checkout
    /// ```
    static RULE = {
        id: "KW305",
        slug: "default-service-account",
        title: "Pod uses the default ServiceAccount",
        severity: Low,
        layer: Cluster,
        owasp: K03,
        references: ["CIS Kubernetes 1.12 5.1.5"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    let named = pod
        .field("serviceAccountName")
        .or_else(|| pod.field("serviceAccount"));
    match named.and_then(Node::as_str) {
        Some(name) if !name.is_empty() && name != "default" => {}
        _ => emit.at(
            named.unwrap_or(pod.spec).pos,
            pod.path("serviceAccountName"),
            "pod runs as the namespace's default ServiceAccount",
        ),
    }
}
