use super::ImageFinding;
use crate::layer::EntryKind;
use crate::scan::ScannedImage;

check! {
    /// ## What it does
    /// Lists regular files with the setuid or setgid bit.
    ///
    /// ## Why is this bad?
    /// A setuid-root program runs with root's rights whoever starts it: every
    /// one is a path from an unprivileged process to root inside the
    /// container (and onwards, if the container is not otherwise confined).
    ///
    /// ## How to fix
    /// Remove the programs the application does not need, or clear the bits
    /// (`RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`), and run
    /// pods with `allowPrivilegeEscalation: false`, which makes the bits inert.
    static CHECK = {
        id: "KW806",
        slug: "image-setuid-binaries",
        title: "Setuid or setgid file in the image",
        severity: Medium,
        layer: Container,
        owasp: K01,
        references: ["CIS Docker 4.8"],
        check: check,
    };
}

fn check(image: &ScannedImage, out: &mut Vec<ImageFinding>) {
    for (path, node) in image.tree.iter() {
        if node.kind != EntryKind::File || node.mode & 0o6000 == 0 {
            continue;
        }
        let bits = match (node.mode & 0o4000 != 0, node.mode & 0o2000 != 0) {
            (true, true) => "setuid and setgid",
            (true, false) => "setuid",
            _ => "setgid",
        };
        out.push(ImageFinding {
            rule: &CHECK.meta,
            path: format!("/{path}"),
            message: format!(
                "/{path} is {bits} (mode {:04o}, owner uid {})",
                node.mode, node.uid
            ),
        });
    }
}
