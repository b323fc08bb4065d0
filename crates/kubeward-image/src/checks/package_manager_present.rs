use super::{ImageFinding, has_file};
use crate::scan::ScannedImage;

check! {
    /// ## What it does
    /// Flags package managers left in the final image (`apt`, `apt-get`,
    /// `dpkg`, `apk`, `yum`, `dnf`, `microdnf`, `rpm`, `zypper`).
    ///
    /// ## Why is this bad?
    /// An attacker with code execution can install any tool they like, and
    /// the package manager's own files (caches, keys, databases) enlarge the
    /// image and its attack surface.
    ///
    /// ## How to fix
    /// Use a multi-stage build that installs in a build stage and copies only
    /// the result into a distroless or `scratch` final stage.
    static CHECK = {
        id: "KW808",
        slug: "image-package-manager-present",
        title: "Package manager in the final image",
        severity: Low,
        layer: Container,
        owasp: K02,
        references: ["NIST SP 800-190 4.1.1"],
        check: check,
    };
}

const MANAGERS: [&str; 10] = [
    "usr/bin/apt",
    "usr/bin/apt-get",
    "usr/bin/dpkg",
    "sbin/apk",
    "usr/bin/yum",
    "usr/bin/dnf",
    "usr/bin/microdnf",
    "usr/bin/rpm",
    "usr/bin/zypper",
    "bin/rpm",
];

fn check(image: &ScannedImage, out: &mut Vec<ImageFinding>) {
    for path in MANAGERS {
        if has_file(image, path) {
            out.push(ImageFinding {
                rule: &CHECK.meta,
                path: format!("/{path}"),
                message: format!("the package manager /{path} is in the final image"),
            });
        }
    }
}
