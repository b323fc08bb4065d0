//! `procMount` (baseline, v1.0+): containers must use the default (masked)
//! `/proc`. From v1.35 pods in a user namespace (`hostUsers: false`) are
//! exempt; at restricted `procMount_restricted` replaces this check then.

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "procMount",
    reason: "procMount",
    level: Level::Baseline,
    since: 0,
    replaces: None,
    run,
};

fn run(pod: &Pod<'_>, minor: u32, out: &mut Vec<Problem>) {
    if minor >= 35 && pod.in_user_namespace() {
        return;
    }
    unmasked_proc_mounts(pod, out);
}
