use super::ImageFinding;
use crate::layer::EntryKind;
use crate::scan::ScannedImage;

check! {
    /// ## What it does
    /// Flags directories anyone may write to that lack the sticky bit
    /// (`/tmp` with mode 1777 is fine; a 0777 directory is not).
    ///
    /// ## Why is this bad?
    /// In a world-writable directory without the sticky bit any user can
    /// delete or replace anyone's files: programs and scripts kept there can
    /// be swapped for an attacker's.
    ///
    /// ## How to fix
    /// `chmod 0755` the directory (or `1777` if it must be a shared scratch
    /// space), and give the application a directory it owns.
    static CHECK = {
        id: "KW807",
        slug: "image-world-writable-directory",
        title: "World-writable directory without the sticky bit",
        severity: Medium,
        layer: Container,
        owasp: K01,
        references: [],
        check: check,
    };
}

fn check(image: &ScannedImage, out: &mut Vec<ImageFinding>) {
    for (path, node) in image.tree.iter() {
        if node.kind == EntryKind::Directory && node.mode & 0o002 != 0 && node.mode & 0o1000 == 0 {
            out.push(ImageFinding {
                rule: &CHECK.meta,
                path: format!("/{path}"),
                message: format!("/{path} is writable by anyone (mode {:04o})", node.mode),
            });
        }
    }
}
