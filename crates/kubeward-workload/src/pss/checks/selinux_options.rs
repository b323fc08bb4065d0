//! `seLinuxOptions` (baseline, v1.0+): SELinux `type` may only be one of the
//! container types (`container_t`, `container_init_t`, `container_kvm_t`, and
//! from v1.31 `container_engine_t`) or empty; `user` and `role` must be unset.

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "seLinuxOptions",
    reason: "seLinuxOptions",
    level: Level::Baseline,
    since: 0,
    replaces: None,
    run,
};

fn run(pod: &Pod<'_>, minor: u32, out: &mut Vec<Problem>) {
    if let Some(opts) = pod.security("seLinuxOptions") {
        check(
            opts,
            &pod.path("securityContext.seLinuxOptions"),
            "pod",
            minor,
            out,
        );
    }
    for c in &pod.containers {
        if let Some(opts) = c.security("seLinuxOptions") {
            check(
                opts,
                &c.path("securityContext.seLinuxOptions"),
                &c.label(),
                minor,
                out,
            );
        }
    }
}

fn check(opts: &Node, path: &str, who: &str, minor: u32, out: &mut Vec<Problem>) {
    if let Some(t) = opts.field("type") {
        let allowed = matches!(
            text(t),
            "" | "container_t" | "container_init_t" | "container_kvm_t"
        ) || (minor >= 31 && text(t) == "container_engine_t");
        if !allowed {
            out.push(Problem::new(
                format!("{path}.type"),
                t.pos,
                format!("{who} sets SELinux type {}", display(t)),
            ));
        }
    }
    for key in ["user", "role"] {
        if let Some(v) = opts.field(key).filter(|v| v.as_str() != Some("")) {
            out.push(Problem::new(
                format!("{path}.{key}"),
                v.pos,
                format!("{who} sets SELinux {key} {}", display(v)),
            ));
        }
    }
}
