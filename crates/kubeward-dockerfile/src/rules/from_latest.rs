use kubeward_core::image_ref::ImageRef;

use crate::rule::{Hit, Lint};

rule! {
    /// ## What it does
    /// Flags `FROM` lines whose image has no tag and no digest, or the
    /// `latest` tag (build arguments substituted with their defaults;
    /// `scratch` and earlier stages are fine).
    ///
    /// ## Why is this bad?
    /// The build takes whatever was pushed last: two builds of the same
    /// commit produce different images, and a compromised or broken base
    /// image flows in unreviewed.
    ///
    /// ## How to fix
    /// Pin a version, and better a digest: `FROM python:3.12-slim@sha256:…`.
    static RULE = {
        id: "KW702",
        slug: "dockerfile-from-latest",
        title: "Base image not pinned to a version",
        severity: Medium,
        layer: Container,
        owasp: K02,
        references: ["CIS Docker 4.2", "hadolint DL3006", "hadolint DL3007"],
        check: check,
    };
}

fn check(l: &Lint<'_>, out: &mut Vec<Hit>) {
    for (s, stage) in l.df.stages.iter().enumerate() {
        let base = stage.base_expanded.trim();
        let earlier = l.df.stages[..s]
            .iter()
            .any(|p| p.name.as_deref() == Some(base.to_ascii_lowercase().as_str()));
        if base.is_empty() || base.eq_ignore_ascii_case("scratch") || earlier || base.contains('$')
        {
            continue;
        }
        if ImageRef::parse(base).floats_on_latest() {
            out.push(l.hit(
                stage.from,
                format!("`{base}` is not pinned to a version or digest"),
            ));
        }
    }
}
