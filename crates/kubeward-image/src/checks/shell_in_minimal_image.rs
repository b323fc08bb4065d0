use super::{ImageFinding, SHELLS, claims_minimal, has_file};
use crate::scan::ScannedImage;

check! {
    /// ## What it does
    /// Flags shells (`sh`, `bash`, `dash`, `ash`, `zsh`, `busybox`) in an image
    /// that presents itself as minimal: distroless (dpkg `status.d`), or
    /// `distroless`, `minimal`, `slim`, `static` or `micro` in its name, tags,
    /// labels or annotations.
    ///
    /// ## Why is this bad?
    /// A minimal image is chosen so that an attacker who gets code execution
    /// finds no tools; a shell left in defeats the purpose and usually means
    /// the image is not the one its name promises.
    ///
    /// ## How to fix
    /// Build the final stage from a distroless or `scratch` base and copy in
    /// only the application, or stop calling the image minimal.
    static CHECK = {
        id: "KW805",
        slug: "image-shell-in-minimal-image",
        title: "Shell in an image that claims to be minimal",
        severity: Medium,
        layer: Container,
        owasp: K02,
        references: ["NIST SP 800-190 4.1.1"],
        check: check,
    };
}

fn check(image: &ScannedImage, out: &mut Vec<ImageFinding>) {
    if !claims_minimal(image) {
        return;
    }
    for shell in SHELLS {
        if has_file(image, shell) {
            out.push(ImageFinding {
                rule: &CHECK.meta,
                path: format!("/{shell}"),
                message: format!("the image claims to be minimal but contains the shell /{shell}"),
            });
        }
    }
}
