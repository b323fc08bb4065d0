use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags containers whose `securityContext.capabilities.drop` does not
    /// contain `ALL` (Linux pods only).
    ///
    /// ## Why is this bad?
    /// Container runtimes grant a default set of capabilities (`CHOWN`,
    /// `DAC_OVERRIDE`, `FOWNER`, `SETUID`, `NET_BIND_SERVICE` …), most of which
    /// an application never uses and an attacker can: `DAC_OVERRIDE` bypasses
    /// file permissions, `SETUID`/`SETGID` change identity.
    ///
    /// ## How to fix
    /// Drop `ALL` and add back only what is needed (usually nothing, at most
    /// `NET_BIND_SERVICE`).
    ///
    /// ## Example
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["ALL"]
    ///     add: ["NET_BIND_SERVICE"]
    /// ```
    static RULE = {
        id: "KW106",
        slug: "capabilities-not-dropped",
        title: "Capabilities not dropped",
        severity: Medium,
        layer: Container,
        owasp: K01,
        references: ["CIS Kubernetes 1.12 5.2.9", "PSS restricted: capabilities"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    if pod.is_windows() {
        return;
    }
    for c in &pod.containers {
        let caps = c.security("capabilities");
        let drop = caps.and_then(|caps| caps.field("drop"));
        let drops_all = drop
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .any(|d| d.as_str().is_some_and(|s| s.eq_ignore_ascii_case("ALL")));
        if !drops_all {
            emit.at(
                drop.or(caps).map_or_else(|| c.security_pos(), |n| n.pos),
                c.path("securityContext.capabilities.drop"),
                format!("{} does not drop ALL capabilities", c.label()),
            );
        }
    }
}
