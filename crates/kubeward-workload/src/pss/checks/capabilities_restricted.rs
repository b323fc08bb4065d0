//! `capabilities_restricted` (restricted, v1.22+; replaces
//! `capabilities_baseline`): every container must drop `ALL` capabilities and
//! may add back only `NET_BIND_SERVICE`. From v1.25 Windows pods are exempt.

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "capabilities_restricted",
    reason: "unrestricted capabilities",
    level: Level::Restricted,
    since: 22,
    replaces: Some(("capabilities_baseline", 22)),
    run,
};

fn run(pod: &Pod<'_>, minor: u32, out: &mut Vec<Problem>) {
    if minor >= 25 && pod.is_windows() {
        return;
    }
    for c in &pod.containers {
        let caps = c.security("capabilities");
        let drop = caps.and_then(|caps| caps.field("drop"));
        if !drop
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .any(|d| text(d) == "ALL")
        {
            out.push(Problem::new(
                c.path("securityContext.capabilities.drop"),
                drop.or(caps).map_or_else(|| c.security_pos(), |n| n.pos),
                format!(
                    "{} must set securityContext.capabilities.drop=[\"ALL\"]",
                    c.label()
                ),
            ));
        }
        let add = caps
            .and_then(|caps| caps.field("add"))
            .map(Node::items)
            .unwrap_or_default();
        for (i, cap) in add.iter().enumerate() {
            if text(cap) != "NET_BIND_SERVICE" {
                out.push(Problem::new(
                    c.path(&format!("securityContext.capabilities.add[{i}]")),
                    cap.pos,
                    format!(
                        "{} adds {} (only NET_BIND_SERVICE may be added)",
                        c.label(),
                        display(cap)
                    ),
                ));
            }
        }
    }
}
