//! `privileged` (baseline, v1.0+): no container may set
//! `securityContext.privileged: true`.

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "privileged",
    reason: "privileged",
    level: Level::Baseline,
    since: 0,
    replaces: None,
    run,
};

fn run(pod: &Pod<'_>, _minor: u32, out: &mut Vec<Problem>) {
    for c in &pod.containers {
        if let Some(n) = c.security("privileged").filter(|n| n.is_true()) {
            out.push(Problem::new(
                c.path("securityContext.privileged"),
                n.pos,
                format!("{} sets privileged=true", c.label()),
            ));
        }
    }
}
