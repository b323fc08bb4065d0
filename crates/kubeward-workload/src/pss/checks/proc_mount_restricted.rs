//! `procMount_restricted` (restricted, v1.35+; replaces `procMount`): containers
//! must use the default `/proc`, user namespace or not.

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "procMount_restricted",
    reason: "procMount",
    level: Level::Restricted,
    since: 35,
    replaces: Some(("procMount", 35)),
    run,
};

fn run(pod: &Pod<'_>, _minor: u32, out: &mut Vec<Problem>) {
    unmasked_proc_mounts(pod, out);
}
