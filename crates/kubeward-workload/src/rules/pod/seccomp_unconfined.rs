use super::report_pss;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags seccomp profiles of type `Unconfined` (or any type other than
    /// `RuntimeDefault` or `Localhost`), on the pod or a container.
    ///
    /// ## Why is this bad?
    /// `Unconfined` turns seccomp off on purpose: the container may make every
    /// system call, including `unshare`, `keyctl`, `bpf` and the others behind
    /// most container escapes.
    ///
    /// ## How to fix
    /// Use `RuntimeDefault`, or a `Localhost` profile that allows the extra
    /// calls the workload needs.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   seccompProfile:
    ///     type: RuntimeDefault
    /// ```
    static RULE = {
        id: "KW116",
        slug: "seccomp-unconfined",
        title: "Seccomp disabled (Unconfined)",
        severity: High,
        layer: Container,
        owasp: K01,
        references: ["CIS Kubernetes 1.12 5.6.2", "PSS baseline: seccompProfile"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    report_pss(pod, emit, "seccompProfile_baseline", |_| true);
}
