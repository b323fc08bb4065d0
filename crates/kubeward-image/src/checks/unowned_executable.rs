use super::ImageFinding;
use crate::scan::ScannedImage;

check! {
    /// ## What it does
    /// Flags executables (ELF files) that no package database owns and that
    /// carry no package metadata of their own (Go build information,
    /// `cargo auditable` data).
    ///
    /// ## Why is this bad?
    /// A scanner that trusts package metadata cannot see what such a binary
    /// contains: a vulnerable library copied in by hand, or a program whose
    /// package entry was removed to hide it ("malicious compliance"), passes
    /// unnoticed.
    ///
    /// ## How to fix
    /// Install software through the package manager, build Go programs with
    /// module mode and Rust programs with `cargo auditable`, or ship the SBOM
    /// of anything else alongside the image.
    static CHECK = {
        id: "KW810",
        slug: "image-unowned-executable",
        title: "Executable that no package owns",
        severity: Medium,
        layer: Container,
        owasp: K02,
        references: ["NIST SP 800-190 4.1.1"],
        check: check,
    };
}

fn check(image: &ScannedImage, out: &mut Vec<ImageFinding>) {
    for path in &image.tamper.unowned_executables {
        out.push(ImageFinding {
            rule: &CHECK.meta,
            path: format!("/{path}"),
            message: format!("/{path} is an executable no package database owns"),
        });
    }
}
