//! `allowPrivilegeEscalation` (restricted, v1.8+): every container must set
//! `securityContext.allowPrivilegeEscalation: false`. From v1.25 Windows pods
//! are exempt.

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "allowPrivilegeEscalation",
    reason: "allowPrivilegeEscalation != false",
    level: Level::Restricted,
    since: 8,
    replaces: None,
    run,
};

fn run(pod: &Pod<'_>, minor: u32, out: &mut Vec<Problem>) {
    if minor >= 25 && pod.is_windows() {
        return;
    }
    for c in &pod.containers {
        let value = c.security("allowPrivilegeEscalation");
        if value.and_then(Node::as_bool) != Some(false) {
            out.push(container_problem(
                c,
                "allowPrivilegeEscalation",
                value,
                format!(
                    "{} must set securityContext.allowPrivilegeEscalation=false",
                    c.label()
                ),
            ));
        }
    }
}
