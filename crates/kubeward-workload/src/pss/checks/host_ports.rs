//! `hostPorts` (baseline, v1.0+): no container port may set a non-zero
//! `hostPort`.

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "hostPorts",
    reason: "hostPort",
    level: Level::Baseline,
    since: 0,
    replaces: None,
    run,
};

fn run(pod: &Pod<'_>, _minor: u32, out: &mut Vec<Problem>) {
    for c in &pod.containers {
        for (i, port) in c.list("ports") {
            if let Some(n) = port.field("hostPort").filter(|n| n.as_i64() != Some(0)) {
                out.push(Problem::new(
                    c.path(&format!("ports[{i}].hostPort")),
                    n.pos,
                    format!("{} uses hostPort {}", c.label(), display(n)),
                ));
            }
        }
    }
}
