use super::report_pss;
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags AppArmor set to `unconfined` (or any profile other than the
    /// runtime default or a `localhost/` profile): the
    /// `container.apparmor.security.beta.kubernetes.io/*` annotations and the
    /// `appArmorProfile.type` fields of the pod and its containers.
    ///
    /// ## Why is this bad?
    /// AppArmor's default profile denies writes to `/proc` and `/sys` knobs,
    /// mounts and other escape paths. Turning it off removes that layer.
    ///
    /// ## How to fix
    /// Remove the override, or use `RuntimeDefault` / a `Localhost` profile.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   appArmorProfile:
    ///     type: RuntimeDefault
    /// ```
    static RULE = {
        id: "KW117",
        slug: "apparmor-unconfined",
        title: "AppArmor disabled",
        severity: High,
        layer: Container,
        owasp: K01,
        references: ["PSS baseline: appArmorProfile"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    report_pss(pod, emit, "appArmorProfile", |_| true);
}
