use super::{each_image, report};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags container images from a registry outside the allowlist set in
    /// `kubeward.toml` (`[images] allowed-registries`, entries are a registry
    /// host or a host/path prefix such as `ghcr.io/acme`). Images without a
    /// registry are Docker Hub's (`docker.io`). The rule does nothing while
    /// the allowlist is empty.
    ///
    /// ## Why is this bad?
    /// Images from unvetted registries bypass the organisation's build,
    /// scanning and signing pipeline, and typo-squatted public images are a
    /// known way in.
    ///
    /// ## How to fix
    /// Mirror the image into an approved registry, or add the registry to the
    /// allowlist after review.
    ///
    /// ## Example
    /// ```toml
    /// [images]
    /// allowed-registries = ["registry.example.com", "ghcr.io/acme"]
    /// ```
    static RULE = {
        id: "KW203",
        slug: "image-registry-not-allowed",
        title: "Image from a registry outside the allowlist",
        severity: High,
        layer: Container,
        owasp: K02,
        references: ["CIS Kubernetes 1.12 5.5.1"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    let allowed = &emit.settings().allowed_registries;
    if allowed.is_empty() {
        return;
    }
    each_image(pod, |c, node, image| {
        if !allowed.iter().any(|prefix| image.is_under(prefix)) {
            report(
                emit,
                c,
                node,
                format!(
                    "{} image comes from {}/{}, outside the allowed registries",
                    c.label(),
                    image.registry,
                    image.repository
                ),
            );
        }
    });
}
