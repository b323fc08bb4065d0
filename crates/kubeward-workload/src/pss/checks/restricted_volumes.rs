//! `restrictedVolumes` (restricted, v1.0+; replaces `hostPathVolumes`):
//! volumes may only be `configMap`, `csi`, `downwardAPI`, `emptyDir`,
//! `ephemeral`, `image`, `persistentVolumeClaim`, `projected` or `secret`.
//! A volume with no source is defaulted to `emptyDir` by the API server and
//! passes; fields the API does not know are dropped before admission and are
//! ignored here too.

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "restrictedVolumes",
    reason: "restricted volume types",
    level: Level::Restricted,
    since: 0,
    replaces: Some(("hostPathVolumes", 0)),
    run,
};

const FORBIDDEN_SOURCES: [&str; 21] = [
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "portworxVolume",
    "photonPersistentDisk",
    "scaleIO",
    "storageos",
];

fn run(pod: &Pod<'_>, _minor: u32, out: &mut Vec<Problem>) {
    for (i, volume) in pod.volumes() {
        let Some(map) = volume.as_map() else {
            continue;
        };
        for entry in map.entries() {
            if FORBIDDEN_SOURCES.contains(&entry.key.as_str()) && !entry.value.is_null() {
                let name = volume.field("name").map(display).unwrap_or_default();
                out.push(Problem::new(
                    pod.path(&format!("volumes[{i}].{}", entry.key)),
                    entry.key_pos,
                    format!("volume {name} uses {}", entry.key),
                ));
            }
        }
    }
}
