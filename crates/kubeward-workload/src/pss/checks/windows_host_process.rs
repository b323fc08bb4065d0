//! `windowsHostProcess` (baseline, v1.0+): neither the pod nor any container
//! may set `windowsOptions.hostProcess: true`, which runs on the Windows host
//! with full privilege.

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "windowsHostProcess",
    reason: "hostProcess",
    level: Level::Baseline,
    since: 0,
    replaces: None,
    run,
};

fn run(pod: &Pod<'_>, _minor: u32, out: &mut Vec<Problem>) {
    if let Some(n) = host_process(pod.security("windowsOptions")) {
        out.push(Problem::new(
            pod.path("securityContext.windowsOptions.hostProcess"),
            n.pos,
            "pod sets windowsOptions.hostProcess=true",
        ));
    }
    for c in &pod.containers {
        if let Some(n) = host_process(c.security("windowsOptions")) {
            out.push(Problem::new(
                c.path("securityContext.windowsOptions.hostProcess"),
                n.pos,
                format!("{} sets windowsOptions.hostProcess=true", c.label()),
            ));
        }
    }
}

fn host_process(windows_options: Option<&Node>) -> Option<&Node> {
    windows_options
        .and_then(|o| o.field("hostProcess"))
        .filter(|n| n.is_true())
}
