use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags pods with `shareProcessNamespace: true`.
    ///
    /// ## Why is this bad?
    /// All containers of the pod then see each other's processes, can signal
    /// them, and can read their environment and files through
    /// `/proc/PID/root`: a compromised sidecar reaches the main container's
    /// secrets, and the reverse.
    ///
    /// ## How to fix
    /// Leave `shareProcessNamespace` unset unless a debugging or sidecar
    /// pattern needs it, and then document why.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   shareProcessNamespace: false
    /// ```
    static RULE = {
        id: "KW123",
        slug: "share-process-namespace",
        title: "Containers share a process namespace",
        severity: Low,
        layer: Container,
        owasp: K01,
        references: [],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    if let Some(n) = pod.field("shareProcessNamespace").filter(|n| n.is_true()) {
        emit.at(
            n.pos,
            pod.path("shareProcessNamespace"),
            "pod shares one process namespace between its containers",
        );
    }
}
