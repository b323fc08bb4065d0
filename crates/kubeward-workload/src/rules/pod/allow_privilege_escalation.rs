use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags containers that do not set `allowPrivilegeEscalation: false`
    /// (Linux pods only; the field means nothing on Windows).
    ///
    /// ## Why is this bad?
    /// Unless it is false, a process in the container can gain more privilege
    /// than its parent, through setuid binaries or file capabilities
    /// (`no_new_privs` is not set). A non-root user can become root that way.
    ///
    /// ## How to fix
    /// Set `allowPrivilegeEscalation: false` on every container.
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   allowPrivilegeEscalation: false
    /// ```
    static RULE = {
        id: "KW105",
        slug: "allow-privilege-escalation",
        title: "Privilege escalation not disabled",
        severity: Medium,
        layer: Container,
        owasp: K01,
        references: ["CIS Kubernetes 1.12 5.2.6", "PSS restricted: allowPrivilegeEscalation"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    if pod.is_windows() {
        return;
    }
    for c in &pod.containers {
        match c.security("allowPrivilegeEscalation") {
            Some(n) if n.as_bool() == Some(false) => {}
            Some(n) => emit.at(
                n.pos,
                c.path("securityContext.allowPrivilegeEscalation"),
                format!("{} sets allowPrivilegeEscalation: true", c.label()),
            ),
            None => emit.at(
                c.security_pos(),
                c.path("securityContext.allowPrivilegeEscalation"),
                format!("{} does not set allowPrivilegeEscalation: false", c.label()),
            ),
        }
    }
}
