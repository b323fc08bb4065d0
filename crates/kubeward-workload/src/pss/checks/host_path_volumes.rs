//! `hostPathVolumes` (baseline, v1.0+; replaced at restricted by
//! `restrictedVolumes`): no volume may use a `hostPath` source.

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "hostPathVolumes",
    reason: "hostPath volumes",
    level: Level::Baseline,
    since: 0,
    replaces: None,
    run,
};

fn run(pod: &Pod<'_>, _minor: u32, out: &mut Vec<Problem>) {
    for (i, volume) in pod.volumes() {
        if let Some(n) = volume.field("hostPath") {
            let name = volume.field("name").map(display).unwrap_or_default();
            out.push(Problem::new(
                pod.path(&format!("volumes[{i}].hostPath")),
                n.pos,
                format!("volume {name} mounts a host path"),
            ));
        }
    }
}
