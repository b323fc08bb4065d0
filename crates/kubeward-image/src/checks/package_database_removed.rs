use super::ImageFinding;
use crate::scan::ScannedImage;

check! {
    /// ## What it does
    /// Flags a package database that a later layer deleted or emptied while
    /// the packages' files stayed (the packages are still reported, marked
    /// `from_deleted_database`).
    ///
    /// ## Why is this bad?
    /// Deleting `/var/lib/dpkg/status` (or the apk or rpm database) makes
    /// metadata-trusting scanners report no packages and so no
    /// vulnerabilities: the best-known way to fake a clean scan.
    ///
    /// ## How to fix
    /// Keep the package database, or build a distroless image that carries
    /// only what it runs (and its own accurate `status.d` entries).
    static CHECK = {
        id: "KW812",
        slug: "image-package-database-removed",
        title: "Package database deleted or emptied in a later layer",
        severity: Critical,
        layer: Container,
        owasp: K02,
        references: [],
        check: check,
    };
}

fn check(image: &ScannedImage, out: &mut Vec<ImageFinding>) {
    for d in &image.tamper.deleted_databases {
        out.push(ImageFinding {
            rule: &CHECK.meta,
            path: format!("/{}", d.path),
            message: format!(
                "/{} listed {} packages up to layer {}; layer {} deleted or emptied it",
                d.path, d.packages, d.last_seen_layer, d.removed_in_layer
            ),
        });
    }
}
