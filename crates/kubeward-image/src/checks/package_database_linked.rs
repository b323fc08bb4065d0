use super::ImageFinding;
use crate::scan::ScannedImage;

check! {
    /// ## What it does
    /// Flags a package database (`/var/lib/dpkg/status`, its `status.d` or
    /// `info` directory, the apk or rpm database) that is a symbolic link, a
    /// hard link, or lies under a linked directory. kubeward reads the
    /// database where the link leads, so its packages are still reported.
    ///
    /// ## Why is this bad?
    /// Package managers follow such links, but scanners that look for the
    /// database at its usual path as a regular file see none and report no
    /// packages and so no vulnerabilities. No distribution ships its package
    /// database this way; a build that does is hiding it.
    ///
    /// ## How to fix
    /// Keep the package database as regular files at its usual path.
    static CHECK = {
        id: "KW813",
        slug: "image-package-database-linked",
        title: "Package database is a link",
        severity: High,
        layer: Container,
        owasp: K02,
        references: [],
        check: check,
    };
}

fn check(image: &ScannedImage, out: &mut Vec<ImageFinding>) {
    for d in &image.tamper.linked_databases {
        let kind = if d.hard_link {
            "a hard link to"
        } else {
            "a link to"
        };
        out.push(ImageFinding {
            rule: &CHECK.meta,
            path: format!("/{}", d.path),
            message: format!(
                "/{} is {kind} /{} (made in layer {}); it was read there",
                d.path, d.target, d.layer
            ),
        });
    }
}
