use super::{each_image, report};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags container images referenced without a `@sha256:` digest.
    ///
    /// ## Why is this bad?
    /// Tags are mutable: the same `app:1.4.2` can be re-pushed with other
    /// content, by mistake or by an attacker with registry access. Only a
    /// digest names exactly the image that was built, scanned and signed.
    ///
    /// ## How to fix
    /// Reference images by digest (tools such as Renovate or `crane digest`
    /// keep digests up to date); keep the tag beside it for readability.
    ///
    /// ## Example
    /// ```yaml
    /// image: registry.example.com/shop/api:1.4.2@sha256:3f1c…
    /// ```
    static RULE = {
        id: "KW202",
        slug: "image-not-pinned-by-digest",
        title: "Image not pinned by digest",
        severity: Low,
        layer: Container,
        owasp: K02,
        references: [],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    each_image(pod, |c, node, image| {
        if image.digest.is_none() {
            report(
                emit,
                c,
                node,
                format!("{} image is not pinned by digest", c.label()),
            );
        }
    });
}
