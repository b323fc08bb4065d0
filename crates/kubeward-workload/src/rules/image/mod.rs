//! Rules on container image references.

use kubeward_core::Node;

use kubeward_core::image_ref::ImageRef;

use super::Emit;
use crate::pod::{Container, Pod};

pub(super) mod image_latest_tag;
pub(super) mod image_not_pinned_by_digest;
pub(super) mod image_registry_not_allowed;

/// Runs `check` on each container that names an image.
fn each_image<'a>(pod: &Pod<'a>, mut check: impl FnMut(&Container<'a>, &'a Node, ImageRef<'a>)) {
    for c in &pod.containers {
        if let Some(node) = c.image()
            && let Some(reference) = node.as_str().filter(|s| !s.is_empty())
        {
            check(c, node, ImageRef::parse(reference));
        }
    }
}

/// Reports at a container's `image` field.
fn report(emit: &mut Emit<'_>, c: &Container<'_>, node: &Node, message: String) {
    emit.at(node.pos, c.path("image"), message);
}
