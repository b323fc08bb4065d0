//! Rules on container resource requests and limits.

use super::Emit;
use crate::pod::{ContainerKind, Pod};

pub(super) mod missing_cpu_limit;
pub(super) mod missing_cpu_request;
pub(super) mod missing_memory_limit;
pub(super) mod missing_memory_request;

/// Reports containers (init and regular; ephemeral containers cannot set
/// resources) that leave `resources.<section>.<resource>` unset.
fn report_missing(pod: &Pod<'_>, emit: &mut Emit<'_>, section: &str, resource: &str) {
    for c in pod
        .containers
        .iter()
        .filter(|c| c.kind != ContainerKind::Ephemeral)
    {
        let resources = c.field("resources");
        let block = resources.and_then(|r| r.field(section));
        if block.and_then(|b| b.field(resource)).is_none() {
            emit.at(
                block.or(resources).unwrap_or(c.node).pos,
                c.path(&format!("resources.{section}.{resource}")),
                format!(
                    "{} sets no {resource} {}",
                    c.label(),
                    section.trim_end_matches('s')
                ),
            );
        }
    }
}
