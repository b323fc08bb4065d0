use super::{each_image, report};
use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags container images tagged `latest`, or with no tag and no digest
    /// (which means `latest`).
    ///
    /// ## Why is this bad?
    /// `latest` is whatever was pushed last: what runs is not what was
    /// reviewed or scanned, nodes may run different versions side by side,
    /// and a compromised registry account changes production silently.
    ///
    /// ## How to fix
    /// Use an immutable version tag, and better, pin the digest.
    ///
    /// ## Example
    /// ```yaml
    /// image: registry.example.com/shop/api:1.4.2@sha256:3f1c…
    /// ```
    static RULE = {
        id: "KW201",
        slug: "image-latest-tag",
        title: "Image uses the latest tag",
        severity: Medium,
        layer: Container,
        owasp: K02,
        references: [],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    each_image(pod, |c, node, image| {
        if image.floats_on_latest() {
            let message = match image.tag {
                Some(_) => format!("{} uses image tag latest", c.label()),
                None => format!("{} names no image tag (latest is implied)", c.label()),
            };
            report(emit, c, node, message);
        }
    });
}
