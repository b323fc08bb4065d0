use super::ImageFinding;
use crate::scan::ScannedImage;

check! {
    /// ## What it does
    /// Flags files that a package installed and whose content no longer
    /// matches the checksum the package database recorded (dpkg's `md5sums`).
    ///
    /// ## Why is this bad?
    /// The package database still names the original version, so a scanner
    /// that trusts it reports that version's vulnerabilities while the file
    /// is something else: a patched-in backdoor, an older vulnerable build,
    /// or a binary swapped to dodge a scanner.
    ///
    /// ## How to fix
    /// Rebuild the image without overwriting packaged files; reinstall the
    /// package if a file must change, or divert it with `dpkg-divert`.
    static CHECK = {
        id: "KW811",
        slug: "image-package-file-modified",
        title: "Packaged file differs from its recorded checksum",
        severity: High,
        layer: Container,
        owasp: K02,
        references: [],
        check: check,
    };
}

fn check(image: &ScannedImage, out: &mut Vec<ImageFinding>) {
    for f in &image.tamper.modified_files {
        out.push(ImageFinding {
            rule: &CHECK.meta,
            path: format!("/{}", f.path),
            message: format!(
                "/{} (package {}) was changed in layer {} and no longer matches its checksum",
                f.path, f.package, f.layer
            ),
        });
    }
}
