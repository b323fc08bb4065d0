use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags pods and containers that set `runAsUser: 0`.
    ///
    /// ## Why is this bad?
    /// UID 0 is root. The container's processes then hold every privilege the
    /// runtime leaves them, own every root-owned file on its mounts, and are
    /// one escape away from root on the node.
    ///
    /// ## How to fix
    /// Run as a dedicated non-zero user, and set `runAsNonRoot: true` so that
    /// the kubelet enforces it.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   runAsUser: 10001
    ///   runAsNonRoot: true
    /// ```
    static RULE = {
        id: "KW102",
        slug: "run-as-uid-zero",
        title: "Runs as UID 0 (root)",
        severity: High,
        layer: Container,
        owasp: K01,
        references: ["CIS Kubernetes 1.12 5.2.7", "PSS restricted: runAsUser"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    if let Some(n) = pod.security("runAsUser").filter(|n| n.as_i64() == Some(0)) {
        emit.at(
            n.pos,
            pod.path("securityContext.runAsUser"),
            "pod sets runAsUser: 0 (root)",
        );
    }
    for c in &pod.containers {
        if let Some(n) = c.security("runAsUser").filter(|n| n.as_i64() == Some(0)) {
            emit.at(
                n.pos,
                c.path("securityContext.runAsUser"),
                format!("{} sets runAsUser: 0 (root)", c.label()),
            );
        }
    }
}
