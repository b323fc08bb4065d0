use super::report_pss;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags `seLinuxOptions` that set a `user` or `role`, or a `type` other
    /// than the container types (`container_t`, `container_init_t`,
    /// `container_kvm_t`, `container_engine_t`), such as `spc_t` or
    /// `unconfined_t`.
    ///
    /// ## Why is this bad?
    /// SELinux confines containers by their type. `spc_t` ("super privileged
    /// container") and other host types lift that confinement; a custom user
    /// or role can grant access to host files labelled for other services.
    ///
    /// ## How to fix
    /// Leave `type`, `user` and `role` unset (set `level` for MCS separation
    /// if needed), or use one of the container types.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   seLinuxOptions:
    ///     level: "s0:c123,c456"
    /// ```
    static RULE = {
        id: "KW118",
        slug: "selinux-risky-options",
        title: "Risky SELinux options",
        severity: High,
        layer: Container,
        owasp: K01,
        references: ["PSS baseline: seLinuxOptions"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    report_pss(pod, emit, "seLinuxOptions", |_| true);
}
