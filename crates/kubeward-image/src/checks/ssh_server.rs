use super::{ImageFinding, has_file};
use crate::scan::ScannedImage;

check! {
    /// ## What it does
    /// Flags images that contain an SSH server (`sshd`, `dropbear`).
    ///
    /// ## Why is this bad?
    /// A container is not a host to log in to: an SSH server adds a listening
    /// service, keys or passwords to manage, and a way in that bypasses the
    /// cluster's audit trail (`kubectl exec` is logged and authorised by RBAC).
    ///
    /// ## How to fix
    /// Remove the SSH server from the image; debug with `kubectl exec` or
    /// ephemeral debug containers.
    static CHECK = {
        id: "KW804",
        slug: "image-ssh-server",
        title: "SSH server in the image",
        severity: High,
        layer: Container,
        owasp: K01,
        references: ["CIS Docker 4.8"],
        check: check,
    };
}

fn check(image: &ScannedImage, out: &mut Vec<ImageFinding>) {
    for path in [
        "usr/sbin/sshd",
        "usr/bin/sshd",
        "sbin/sshd",
        "usr/sbin/dropbear",
        "usr/bin/dropbear",
    ] {
        if has_file(image, path) {
            out.push(ImageFinding {
                rule: &CHECK.meta,
                path: format!("/{path}"),
                message: format!("the image contains an SSH server at /{path}"),
            });
        }
    }
}
