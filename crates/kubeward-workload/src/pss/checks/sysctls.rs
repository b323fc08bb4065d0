//! `sysctls` (baseline, v1.0+): pod `securityContext.sysctls` may only name
//! the namespaced, isolated sysctls of the safe set, which grows by version
//! (v1.27, v1.29, v1.32, v1.37).

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "sysctls",
    reason: "forbidden sysctls",
    level: Level::Baseline,
    since: 0,
    replaces: None,
    run,
};

/// `(name, first version)` of every allowed sysctl.
const SAFE: &[(&str, u32)] = &[
    ("kernel.shm_rmid_forced", 0),
    ("net.ipv4.ip_local_port_range", 0),
    ("net.ipv4.tcp_syncookies", 0),
    ("net.ipv4.ping_group_range", 0),
    ("net.ipv4.ip_unprivileged_port_start", 0),
    ("net.ipv4.ip_local_reserved_ports", 27),
    ("net.ipv4.tcp_keepalive_time", 29),
    ("net.ipv4.tcp_fin_timeout", 29),
    ("net.ipv4.tcp_keepalive_intvl", 29),
    ("net.ipv4.tcp_keepalive_probes", 29),
    ("net.ipv4.tcp_rmem", 32),
    ("net.ipv4.tcp_wmem", 32),
    ("net.ipv4.tcp_slow_start_after_idle", 37),
    ("net.ipv4.tcp_notsent_lowat", 37),
];

/// Whether a sysctl is in the safe set at a version.
pub(crate) fn is_safe(name: &str, minor: u32) -> bool {
    SAFE.iter()
        .any(|&(safe, since)| safe == name && since <= minor)
}

fn run(pod: &Pod<'_>, minor: u32, out: &mut Vec<Problem>) {
    let sysctls = pod.security("sysctls").map(Node::items).unwrap_or_default();
    for (i, sysctl) in sysctls.iter().enumerate() {
        let name = sysctl.field("name");
        if !is_safe(name.map(text).unwrap_or_default(), minor) {
            out.push(Problem::new(
                pod.path(&format!("securityContext.sysctls[{i}].name")),
                name.unwrap_or(sysctl).pos,
                format!(
                    "pod sets sysctl {}, outside the safe set",
                    name.map(display)
                        .unwrap_or_else(|| "without a name".to_owned())
                ),
            ));
        }
    }
}
