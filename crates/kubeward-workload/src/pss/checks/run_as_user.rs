//! `runAsUser` (restricted, v1.23+): neither the pod nor any container may set
//! `runAsUser: 0`. From v1.35 pods in a user namespace are exempt.

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "runAsUser",
    reason: "runAsUser=0",
    level: Level::Restricted,
    since: 23,
    replaces: None,
    run,
};

fn run(pod: &Pod<'_>, minor: u32, out: &mut Vec<Problem>) {
    if minor >= 35 && pod.in_user_namespace() {
        return;
    }
    if let Some(n) = pod.security("runAsUser").filter(|n| n.as_i64() == Some(0)) {
        out.push(Problem::new(
            pod.path("securityContext.runAsUser"),
            n.pos,
            "pod sets securityContext.runAsUser=0",
        ));
    }
    for c in &pod.containers {
        if let Some(n) = c.security("runAsUser").filter(|n| n.as_i64() == Some(0)) {
            out.push(Problem::new(
                c.path("securityContext.runAsUser"),
                n.pos,
                format!("{} sets securityContext.runAsUser=0", c.label()),
            ));
        }
    }
}
