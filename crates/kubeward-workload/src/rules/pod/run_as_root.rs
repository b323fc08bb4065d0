use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags containers that may run as root: neither `runAsNonRoot: true` nor
    /// a non-zero `runAsUser` is in effect for them (set on the container, or
    /// inherited from the pod's `securityContext`).
    ///
    /// A container with an explicit `runAsUser: 0` is reported by
    /// `run-as-uid-zero` instead. Windows pods are not checked: Windows
    /// containers choose their account with `runAsUserName`.
    ///
    /// ## Why is this bad?
    /// Without these settings the container runs as whatever user its image
    /// names, which for most images is root. Root in a container is root on the
    /// node's kernel: one kernel or runtime escape, or one writable host mount,
    /// and the attacker owns the node.
    ///
    /// ## How to fix
    /// Set `runAsNonRoot: true` in the pod's `securityContext` (the kubelet
    /// then refuses to start a container whose user is root) and, ideally, a
    /// non-zero `runAsUser` for images that do not declare a user.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     runAsUser: 10001
    /// ```
    static RULE = {
        id: "KW101",
        slug: "run-as-root",
        title: "Container may run as root",
        severity: High,
        layer: Container,
        owasp: K01,
        references: ["CIS Kubernetes 1.12 5.2.7", "PSS restricted: runAsNonRoot"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    if pod.is_windows() {
        return;
    }
    for c in &pod.containers {
        let uid = pod.effective(c, "runAsUser").and_then(|s| s.node.as_i64());
        if uid.is_some() {
            // Non-zero is safe; zero is reported by run-as-uid-zero.
            continue;
        }
        match pod.effective(c, "runAsNonRoot") {
            Some(s) if s.node.is_true() => {}
            Some(s) => emit.at(
                s.node.pos,
                s.path,
                format!("{} sets runAsNonRoot: false and no runAsUser, so it runs as the image's user (often root)", c.label()),
            ),
            None => emit.at(
                c.security_pos(),
                c.path("securityContext.runAsNonRoot"),
                format!("{} sets neither runAsNonRoot: true nor a non-zero runAsUser, so it may run as root", c.label()),
            ),
        }
    }
}
