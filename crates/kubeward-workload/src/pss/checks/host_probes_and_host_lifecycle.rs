//! `hostProbesAndHostLifecycle` (baseline, v1.34+): probes and lifecycle
//! handlers may not set `httpGet.host` or `tcpSocket.host`, which would make
//! the kubelet connect to an arbitrary host on the pod's behalf.

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "hostProbesAndHostLifecycle",
    reason: "probe or lifecycle host",
    level: Level::Baseline,
    since: 34,
    replaces: None,
    run,
};

const HANDLERS: [&[&str]; 5] = [
    &["livenessProbe"],
    &["readinessProbe"],
    &["startupProbe"],
    &["lifecycle", "postStart"],
    &["lifecycle", "preStop"],
];

fn run(pod: &Pod<'_>, _minor: u32, out: &mut Vec<Problem>) {
    for c in &pod.containers {
        for handler in HANDLERS {
            let Some(h) = c.node.lookup(handler) else {
                continue;
            };
            for action in ["httpGet", "tcpSocket"] {
                if let Some(host) = h
                    .lookup(&[action, "host"])
                    .filter(|n| n.as_str() != Some(""))
                {
                    out.push(Problem::new(
                        c.path(&format!("{}.{action}.host", handler.join("."))),
                        host.pos,
                        format!(
                            "{} {} sets {action}.host={}",
                            c.label(),
                            handler.join("."),
                            display(host)
                        ),
                    ));
                }
            }
        }
    }
}
