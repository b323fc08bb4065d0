use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags containers that do not set `readOnlyRootFilesystem: true`
    /// (Linux pods only).
    ///
    /// ## Why is this bad?
    /// A writable root filesystem lets an attacker who gets code execution
    /// drop tools, replace binaries and persist in the container. A read-only
    /// root makes the image immutable at run time.
    ///
    /// ## How to fix
    /// Set `readOnlyRootFilesystem: true` and mount an `emptyDir` where the
    /// application must write (`/tmp`, caches).
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   readOnlyRootFilesystem: true
    /// volumeMounts:
    ///   - name: tmp
    ///     mountPath: /tmp
    /// ```
    static RULE = {
        id: "KW108",
        slug: "writable-root-filesystem",
        title: "Root filesystem is writable",
        severity: Medium,
        layer: Container,
        owasp: K01,
        references: [],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    if pod.is_windows() {
        return;
    }
    for c in &pod.containers {
        match c.security("readOnlyRootFilesystem") {
            Some(n) if n.is_true() => {}
            found => emit.at(
                found.map_or_else(|| c.security_pos(), |n| n.pos),
                c.path("securityContext.readOnlyRootFilesystem"),
                format!("{} does not set readOnlyRootFilesystem: true", c.label()),
            ),
        }
    }
}
