//! `hostNamespaces` (baseline, v1.0+): `hostNetwork`, `hostPID` and `hostIPC`
//! must be unset or false, since sharing a host namespace breaks the pod's
//! isolation from the node.

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "hostNamespaces",
    reason: "host namespaces",
    level: Level::Baseline,
    since: 0,
    replaces: None,
    run,
};

fn run(pod: &Pod<'_>, _minor: u32, out: &mut Vec<Problem>) {
    for key in ["hostNetwork", "hostPID", "hostIPC"] {
        if let Some(n) = pod.field(key).filter(|n| n.is_true()) {
            out.push(Problem::new(
                pod.path(key),
                n.pos,
                format!("pod sets {key}=true"),
            ));
        }
    }
}
