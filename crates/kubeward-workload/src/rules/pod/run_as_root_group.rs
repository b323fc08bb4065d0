use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags GID 0 (the root group) in `runAsGroup`, `fsGroup` or
    /// `supplementalGroups`.
    ///
    /// ## Why is this bad?
    /// Files on the node and in images are often writable by group root.
    /// A process in group 0 can change them even when it does not run as root,
    /// and volumes get group-root ownership with `fsGroup: 0`.
    ///
    /// ## How to fix
    /// Use a dedicated non-zero group.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   runAsGroup: 10001
    ///   fsGroup: 10001
    /// ```
    static RULE = {
        id: "KW103",
        slug: "run-as-root-group",
        title: "Runs with the root group (GID 0)",
        severity: Low,
        layer: Container,
        owasp: K01,
        references: [],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    let zero = |n: &&Node| n.as_i64() == Some(0);
    for key in ["runAsGroup", "fsGroup"] {
        if let Some(n) = pod.security(key).filter(zero) {
            emit.at(
                n.pos,
                pod.path(&format!("securityContext.{key}")),
                format!("pod sets {key}: 0 (root group)"),
            );
        }
    }
    let groups = pod
        .security("supplementalGroups")
        .map(Node::items)
        .unwrap_or_default();
    if let Some((i, n)) = groups.iter().enumerate().find(|(_, n)| zero(n)) {
        emit.at(
            n.pos,
            pod.path(&format!("securityContext.supplementalGroups[{i}]")),
            "pod adds supplemental group 0 (root group)",
        );
    }
    for c in &pod.containers {
        if let Some(n) = c.security("runAsGroup").filter(zero) {
            emit.at(
                n.pos,
                c.path("securityContext.runAsGroup"),
                format!("{} sets runAsGroup: 0 (root group)", c.label()),
            );
        }
    }
}
