use super::ImageFinding;
use crate::scan::ScannedImage;

check! {
    /// ## What it does
    /// Flags images whose configuration runs the process as root: no `User`,
    /// or `User` set to `root`, to uid 0 in any spelling (`0`, `00`), or to a
    /// name the image's own `/etc/passwd` gives uid 0 (with or without a
    /// group).
    ///
    /// ## Why is this bad?
    /// A process running as root inside the container is root on the node the
    /// moment it escapes (a kernel or runtime bug, a mounted socket, a
    /// privileged setting), and it can rewrite every file of its own image.
    ///
    /// ## How to fix
    /// Create an unprivileged user in the image and end the Dockerfile with
    /// `USER 10001` (a numeric id lets Kubernetes' `runAsNonRoot` verify it).
    static CHECK = {
        id: "KW801",
        slug: "image-runs-as-root",
        title: "Image runs as root",
        severity: High,
        layer: Container,
        owasp: K01,
        references: ["CIS Docker 4.1", "NIST SP 800-190 4.4.3"],
        check: check,
    };
}

/// The uid `user` (a name or a number, before any `:group`) runs as, where
/// it can be told: numbers as the runtime parses them, names through the
/// image's `/etc/passwd` (`root` is 0 even without one).
fn uid(image: &ScannedImage, name: &str) -> Option<u32> {
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) {
        return name.parse().ok();
    }
    image
        .users
        .get(name)
        .copied()
        .or((name == "root").then_some(0))
}

fn check(image: &ScannedImage, out: &mut Vec<ImageFinding>) {
    let user = image.config.config.user.as_deref().unwrap_or("").trim();
    let name = user.split(':').next().unwrap_or("");
    if name.is_empty() || uid(image, name) == Some(0) {
        out.push(ImageFinding {
            rule: &CHECK.meta,
            path: "config.User".into(),
            message: if user.is_empty() {
                "the image sets no user, so it runs as root".into()
            } else if name == "root" || name.bytes().all(|b| b.is_ascii_digit()) {
                format!("the image runs as `{user}`")
            } else {
                format!("the image runs as `{user}`, uid 0 in its /etc/passwd")
            },
        });
    }
}
