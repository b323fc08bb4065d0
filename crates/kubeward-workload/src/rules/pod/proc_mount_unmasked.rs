use super::report_pss;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags containers with a `procMount` other than `Default` (that is,
    /// `Unmasked`), except in pods that run in a user namespace
    /// (`hostUsers: false`).
    ///
    /// ## Why is this bad?
    /// The default proc mount masks and makes read-only the parts of `/proc`
    /// that control the host kernel (`/proc/sys`, `/proc/sysrq-trigger`,
    /// `/proc/kcore` …). Unmasked, a container can read kernel memory or
    /// change kernel settings for the whole node.
    ///
    /// ## How to fix
    /// Remove `procMount` or set it to `Default`.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   procMount: Default
    /// ```
    static RULE = {
        id: "KW119",
        slug: "proc-mount-unmasked",
        title: "Unmasked /proc",
        severity: High,
        layer: Container,
        owasp: K01,
        references: ["PSS baseline: procMount"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    report_pss(pod, emit, "procMount", |_| true);
}
