use super::ImageFinding;
use crate::scan::ScannedImage;
use kubeward_core::image_ref::ImageRef;

check! {
    /// ## What it does
    /// Flags an image referenced by `:latest` or by no tag at all (without a
    /// digest), and an image whose recorded base image
    /// (`org.opencontainers.image.base.name`) floats on `latest`.
    ///
    /// ## Why is this bad?
    /// `latest` names whatever was pushed last: the scan result describes an
    /// image that may no longer be the one deployed, and rebuilds pick up
    /// unreviewed base images.
    ///
    /// ## How to fix
    /// Tag releases with versions and deploy by digest
    /// (`registry.example.com/app@sha256:…`); pin the base image in the
    /// Dockerfile's `FROM` the same way.
    static CHECK = {
        id: "KW802",
        slug: "image-latest-tag",
        title: "Image or its base floats on the latest tag",
        severity: Medium,
        layer: Container,
        owasp: K02,
        references: ["CIS Docker 4.2"],
        check: check,
    };
}

fn check(image: &ScannedImage, out: &mut Vec<ImageFinding>) {
    // Local archives and layouts are named by path; only references count.
    let is_reference = !std::path::Path::new(&image.reference).exists();
    if is_reference && ImageRef::parse(&image.reference).floats_on_latest() {
        out.push(ImageFinding {
            rule: &CHECK.meta,
            path: "reference".into(),
            message: format!("`{}` is not pinned to a version or digest", image.reference),
        });
    }
    let base = image
        .annotations
        .get("org.opencontainers.image.base.name")
        .or_else(|| {
            image
                .config
                .config
                .labels
                .as_ref()
                .and_then(|l| l.get("org.opencontainers.image.base.name"))
        });
    if let Some(base) = base
        && ImageRef::parse(base).floats_on_latest()
    {
        out.push(ImageFinding {
            rule: &CHECK.meta,
            path: "org.opencontainers.image.base.name".into(),
            message: format!("the base image `{base}` is not pinned to a version or digest"),
        });
    }
}
