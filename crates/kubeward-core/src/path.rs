//! `/`-separated paths as text, resolved without the file system.

/// The components of `path` once empty components and `.` are dropped and
/// each `..` has removed the component before it (never climbing above the
/// start).
pub fn lexical_components(path: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts
}

/// `path` as an absolute path resolved lexically: `/opt/../etc/./k8s/` →
/// `/etc/k8s`.
pub fn lexical_absolute(path: &str) -> String {
    format!("/{}", lexical_components(path).join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised() {
        assert_eq!(lexical_absolute("/"), "/");
        assert_eq!(lexical_absolute("//etc/"), "/etc");
        assert_eq!(
            lexical_absolute("/opt/../etc/./kubernetes"),
            "/etc/kubernetes"
        );
        assert_eq!(lexical_absolute("/.."), "/");
        assert_eq!(lexical_absolute("/a/./b/../c//d"), "/a/c/d");
        assert_eq!(lexical_absolute("/../x"), "/x");
        assert_eq!(lexical_components("./a/../b/c").join("/"), "b/c");
    }
}
