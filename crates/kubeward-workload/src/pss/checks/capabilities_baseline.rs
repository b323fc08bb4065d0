//! `capabilities_baseline` (baseline, v1.0+; replaced at restricted from v1.22
//! by `capabilities_restricted`): `capabilities.add` may only name capabilities
//! of the container runtimes' default set, compared exactly.

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "capabilities_baseline",
    reason: "non-default capabilities",
    level: Level::Baseline,
    since: 0,
    replaces: None,
    run,
};

const DEFAULT_SET: [&str; 13] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

fn run(pod: &Pod<'_>, _minor: u32, out: &mut Vec<Problem>) {
    for c in &pod.containers {
        let Some(add) = c.node.lookup(&["securityContext", "capabilities", "add"]) else {
            continue;
        };
        let bad: Vec<(usize, &Node)> = add
            .items()
            .iter()
            .enumerate()
            .filter(|(_, cap)| !DEFAULT_SET.contains(&text(cap)))
            .collect();
        if let Some((index, first)) = bad.first() {
            let names: Vec<String> = bad.iter().map(|(_, n)| display(n)).collect();
            out.push(Problem::new(
                c.path(&format!("securityContext.capabilities.add[{index}]")),
                first.pos,
                format!("{} adds {}", c.label(), names.join(", ")),
            ));
        }
    }
}
