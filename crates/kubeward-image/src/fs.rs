//! The image's final file system, built by applying layers in order: each
//! entry replaces what lower layers had at its path, `.wh.NAME` deletes a path
//! and everything under it, and `.wh..wh..opq` hides everything lower layers
//! put in a directory. Only metadata is kept (no file contents): about a
//! hundred bytes per path.

use std::collections::BTreeMap;
use std::ops::Bound;

use crate::layer::{Change, EntryKind, LayerError};

/// One path in the final view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Index of the layer that last set this path.
    pub layer: usize,
    pub kind: EntryKind,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    pub link: Option<Box<str>>,
    pub md5: Option<[u8; 16]>,
    pub elf: bool,
}

/// The merged file system.
#[derive(Debug, Default)]
pub struct FileTree {
    nodes: BTreeMap<String, Node>,
}

/// The keys strictly under `dir` in a map ordered by bytes.
/// Each directory on the way to `path` (`a`, `a/b`), then `path` itself.
pub(crate) fn ancestors_and_self(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/')
        .map(|(i, _)| &path[..i])
        .chain([path])
}

fn subtree_range(dir: &str) -> (Bound<String>, Bound<String>) {
    if dir.is_empty() {
        return (Bound::Unbounded, Bound::Unbounded);
    }
    // '/' + 1 == '0': every "dir/..." key sorts between "dir/" and "dir0".
    (
        Bound::Included(format!("{dir}/")),
        Bound::Excluded(format!("{dir}0")),
    )
}

impl FileTree {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.nodes.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Removes what layers below `layer` put at `path` and under it.
    fn remove_lower(&mut self, path: &str, layer: usize, include_self: bool) {
        let doomed: Vec<String> = self
            .nodes
            .range::<String, _>(subtree_range(path))
            .filter(|(_, n)| n.layer < layer)
            .map(|(k, _)| k.clone())
            .collect();
        for k in doomed {
            self.nodes.remove(&k);
        }
        if include_self && self.nodes.get(path).is_some_and(|n| n.layer < layer) {
            self.nodes.remove(path);
        }
    }

    /// Where an entry at `path` lands: its directory resolved through the
    /// symlinks lower entries made (as containerd applies a layer: a later
    /// layer writing `lib/x` beside `lib -> usr/lib` writes `usr/lib/x`).
    /// A link that climbs out of the image root or loops is refused.
    /// `None` when it lands where it says (the common case, with no copy).
    fn landing(&self, path: &str) -> Result<Option<String>, &'static str> {
        let Some((dir, name)) = path.rsplit_once('/') else {
            return Ok(None);
        };
        let through_link = ancestors_and_self(dir).any(|prefix| {
            self.nodes
                .get(prefix)
                .is_some_and(|n| n.kind == EntryKind::Symlink)
        });
        if !through_link {
            return Ok(None);
        }
        match self.walk(dir, true) {
            Ok(dir) if dir.is_empty() => Ok(Some(name.to_owned())),
            Ok(dir) => Ok(Some(format!("{dir}/{name}"))),
            Err(Walk::Loop) => Err("is written through a symlink that loops"),
            Err(Walk::Climbs) => {
                Err("is written through a symlink that leads out of the image root")
            }
        }
    }

    /// Applies one layer's changes.
    pub fn apply(&mut self, layer: usize, changes: Vec<Change>) -> Result<(), LayerError> {
        for change in changes {
            match change {
                Change::Whiteout(path) => self.remove_lower(&path, layer, true),
                Change::Opaque(dir) => self.remove_lower(&dir, layer, false),
                Change::Entry(mut e) => {
                    let moved = self.landing(&e.path).map_err(|why| LayerError::Escape {
                        path: e.path.clone(),
                        why,
                    })?;
                    if let Some(moved) = moved {
                        e.path = moved;
                    }
                    // A non-directory replaces a whole subtree.
                    if e.kind != EntryKind::Directory {
                        let below: Vec<String> = self
                            .nodes
                            .range::<String, _>(subtree_range(&e.path))
                            .map(|(k, _)| k.clone())
                            .collect();
                        for k in below {
                            self.nodes.remove(&k);
                        }
                    }
                    let mut node = Node {
                        layer,
                        kind: e.kind,
                        mode: e.mode,
                        uid: e.uid,
                        gid: e.gid,
                        size: e.size,
                        link: e.link.map(String::into_boxed_str),
                        md5: e.md5,
                        elf: e.elf,
                    };
                    // A hard link shares its target's content; one to
                    // nothing cannot be extracted (Docker fails the layer).
                    if e.kind == EntryKind::HardLink {
                        let link = node.link.as_deref().unwrap_or("");
                        let Some(target) = self
                            .nodes
                            .get(link)
                            .or_else(|| self.resolve(link).map(|(_, n)| n))
                        else {
                            return Err(LayerError::MissingLinkTarget {
                                path: e.path,
                                target: link.to_owned(),
                            });
                        };
                        node.size = target.size;
                        node.md5 = target.md5;
                        node.elf = target.elf;
                        node.mode = target.mode;
                    }
                    self.nodes.insert(e.path, node);
                }
            }
        }
        Ok(())
    }

    /// Records the content hash of the file at `path` (read after the fact).
    pub fn set_md5(&mut self, path: &str, md5: [u8; 16]) {
        if let Some(node) = self.nodes.get_mut(path) {
            node.md5 = Some(md5);
        }
    }

    /// Follows symlinks (in every component, at most 40 times) within the
    /// image root: `..` never climbs above it and absolute targets start at
    /// it. Returns the resolved path and its node.
    pub fn resolve(&self, path: &str) -> Option<(String, &Node)> {
        let resolved = self.walk(path, false).ok()?;
        let node = self.nodes.get(&resolved)?;
        Some((resolved, node))
    }

    /// The path `path` leads to through symlinks, whether or not anything is
    /// there (`None` for a loop).
    pub fn resolve_path(&self, path: &str) -> Option<String> {
        self.walk(path, false).ok()
    }

    /// What the tree holds directly in `dir`.
    pub fn children<'t>(&'t self, dir: &'t str) -> impl Iterator<Item = (&'t str, &'t Node)> {
        let skip = if dir.is_empty() { 0 } else { dir.len() + 1 };
        self.nodes
            .range::<String, _>(subtree_range(dir))
            .filter(move |(k, _)| !k[skip..].contains('/'))
            .map(|(k, v)| (k.as_str(), v))
    }

    /// The path `path` leads to through symlinks (in every component, at
    /// most 40 hops); absolute targets start at the image root. A `..` at
    /// the root stays there, unless `strict`, when it is [`Walk::Climbs`].
    fn walk(&self, path: &str, strict: bool) -> Result<String, Walk> {
        let mut pending: Vec<String> = path
            .split('/')
            .filter(|p| !p.is_empty())
            .rev()
            .map(str::to_owned)
            .collect();
        let mut done: Vec<String> = Vec::new();
        let mut hops = 0;
        while let Some(part) = pending.pop() {
            match part.as_str() {
                "." => continue,
                ".." => {
                    if done.pop().is_none() && strict {
                        return Err(Walk::Climbs);
                    }
                    continue;
                }
                _ => {}
            }
            done.push(part);
            let current = done.join("/");
            // Layers need not list parent directories: a missing one is implied.
            let Some(node) = self.nodes.get(&current) else {
                continue;
            };
            if node.kind == EntryKind::Symlink {
                hops += 1;
                if hops > 40 {
                    return Err(Walk::Loop);
                }
                let target = node.link.as_deref().unwrap_or("");
                done.pop();
                if target.starts_with('/') {
                    done.clear();
                }
                pending.extend(
                    target
                        .split('/')
                        .filter(|p| !p.is_empty())
                        .rev()
                        .map(str::to_owned),
                );
            }
        }
        Ok(done.join("/"))
    }
}

/// Why a path could not be followed.
#[derive(Debug, PartialEq, Eq)]
enum Walk {
    /// More than 40 symlinks.
    Loop,
    /// A `..` above the image root.
    Climbs,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layer::Entry;

    fn entry(path: &str, kind: EntryKind, link: Option<&str>) -> Change {
        Change::Entry(Entry {
            path: path.into(),
            kind,
            mode: 0o755,
            uid: 0,
            gid: 0,
            size: 0,
            link: link.map(str::to_owned),
            md5: None,
            elf: false,
        })
    }

    #[test]
    fn whiteouts_and_opaque_directories() {
        let mut t = FileTree::new();
        t.apply(
            0,
            vec![
                entry("etc", EntryKind::Directory, None),
                entry("etc/a", EntryKind::File, None),
                entry("etc/b", EntryKind::File, None),
                entry("etc0", EntryKind::File, None),
                entry("var/lib/x/y", EntryKind::File, None),
            ],
        )
        .unwrap();
        t.apply(
            1,
            vec![
                Change::Opaque("etc".into()),
                entry("etc/c", EntryKind::File, None),
                Change::Whiteout("var/lib/x".into()),
            ],
        )
        .unwrap();
        let paths: Vec<&str> = t.iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["etc", "etc/c", "etc0"]);
        assert_eq!(t.get("etc/c").unwrap().layer, 1);
    }

    #[test]
    fn symlinks_resolve_inside_the_root() {
        let mut t = FileTree::new();
        t.apply(
            0,
            vec![
                entry("usr/bin/env", EntryKind::File, None),
                entry("bin", EntryKind::Symlink, Some("usr/bin")),
                entry(
                    "escape",
                    EntryKind::Symlink,
                    Some("../../../../usr/bin/env"),
                ),
                entry("loop", EntryKind::Symlink, Some("loop")),
                entry("run", EntryKind::Directory, None),
                entry("var/run", EntryKind::Symlink, Some("/run")),
                entry("out", EntryKind::Symlink, Some("../..")),
            ],
        )
        .unwrap();
        assert_eq!(t.resolve("bin/env").unwrap().0, "usr/bin/env");
        assert_eq!(t.resolve("escape").unwrap().0, "usr/bin/env");
        assert!(t.resolve("loop").is_none());
        // Entries written through in-root links land where the links lead,
        // as containerd applies them.
        t.apply(
            1,
            vec![
                entry("bin/tool", EntryKind::File, None),
                entry("var/run/sshd/pid", EntryKind::File, None),
                entry("bin/hard", EntryKind::HardLink, Some("usr/bin/env")),
            ],
        )
        .unwrap();
        assert_eq!(t.get("usr/bin/tool").unwrap().layer, 1);
        assert!(t.get("bin/tool").is_none());
        assert_eq!(t.get("run/sshd/pid").unwrap().layer, 1);
        assert_eq!(t.get("usr/bin/hard").unwrap().kind, EntryKind::HardLink);
        // A link that climbs out of the root, or loops, is refused.
        for path in ["out/evil", "loop/evil"] {
            let err = t
                .apply(2, vec![entry(path, EntryKind::File, None)])
                .unwrap_err();
            assert!(matches!(err, LayerError::Escape { .. }), "{path}: {err}");
        }
        let err = t
            .apply(2, vec![entry("h", EntryKind::HardLink, Some("nothing"))])
            .unwrap_err();
        assert!(matches!(err, LayerError::MissingLinkTarget { .. }), "{err}");
    }
}
