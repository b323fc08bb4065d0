//! `runAsNonRoot` (restricted, v1.0+): the pod must set `runAsNonRoot: true`,
//! or every container must; nothing may set it to false. `runAsUser` does not
//! count. From v1.35 pods in a user namespace (`hostUsers: false`) are exempt.

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "runAsNonRoot",
    reason: "runAsNonRoot != true",
    level: Level::Restricted,
    since: 0,
    replaces: None,
    run,
};

fn run(pod: &Pod<'_>, minor: u32, out: &mut Vec<Problem>) {
    if minor >= 35 && pod.in_user_namespace() {
        return;
    }
    let pod_value = pod.security("runAsNonRoot");
    let pod_setting = pod_value.and_then(Node::as_bool);
    if let Some(n) = pod_value.filter(|_| pod_setting != Some(true)) {
        out.push(Problem::new(
            pod.path("securityContext.runAsNonRoot"),
            n.pos,
            "pod sets securityContext.runAsNonRoot=false",
        ));
    }
    for c in &pod.containers {
        match c.security("runAsNonRoot") {
            Some(n) if n.as_bool() != Some(true) => out.push(container_problem(
                c,
                "runAsNonRoot",
                Some(n),
                format!("{} sets securityContext.runAsNonRoot=false", c.label()),
            )),
            None if pod_setting != Some(true) => out.push(container_problem(
                c,
                "runAsNonRoot",
                None,
                format!(
                    "pod or {} must set securityContext.runAsNonRoot=true",
                    c.label()
                ),
            )),
            _ => {}
        }
    }
}
