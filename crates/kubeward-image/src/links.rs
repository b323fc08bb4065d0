//! Package databases and OS identity files reached through links in the
//! final file system: `var/lib/dpkg/status` as a symlink or a hard link to
//! some other file, or `var/lib/dpkg` as a symlink to another directory.
//! Layer reading keeps files by the path a tar entry names, so these are
//! found after the merge and read again from the layer that holds their
//! content. dpkg, apk and rpm follow such links; a scanner that does not sees
//! no packages, which is why a link in place of a package database is also
//! reported as tampering.

use crate::fs::{FileTree, Node};
use crate::inventory::{OS_IDENTITY, PACKAGE_DATABASE_DIRS, PACKAGE_DATABASES, is_os_file};
use crate::layer::EntryKind;

/// A package database path that is a link, or lies under a linked directory.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LinkedDatabase {
    pub path: String,
    /// Where it leads in the image.
    pub target: String,
    pub hard_link: bool,
    /// The (last) layer that made the link.
    pub layer: usize,
}

/// One database file whose content lies elsewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkedFile {
    /// The path the inventory reads it by (`var/lib/dpkg/status`).
    pub path: String,
    /// The layer whose tar holds the content, and under which name.
    pub layer: usize,
    pub content: String,
    pub size: u64,
}

/// What the final view reaches through links.
#[derive(Debug, Default)]
pub struct Linked {
    pub files: Vec<LinkedFile>,
    pub databases: Vec<LinkedDatabase>,
    /// The last layer that made any of these links or contents: from there
    /// on, the database the links lead to is the image's.
    pub layer: usize,
}

impl Linked {
    /// Whether package database files (not only OS identity) are linked.
    pub fn has_package_files(&self) -> bool {
        self.files
            .iter()
            .any(|f| !OS_IDENTITY.contains(&f.path.as_str()))
    }
}

/// The links on the way to `path` (its parents, then itself).
fn links_on_the_way<'t>(
    tree: &'t FileTree,
    path: &'t str,
) -> impl Iterator<Item = (&'t str, &'t Node)> {
    crate::fs::ancestors_and_self(path)
        .filter_map(|p| Some((p, tree.get(p)?)))
        .filter(|(_, n)| matches!(n.kind, EntryKind::Symlink | EntryKind::HardLink))
}

/// The last layer that put a link on the way to `path`.
fn link_layer(tree: &FileTree, path: &str) -> usize {
    links_on_the_way(tree, path)
        .map(|(_, n)| n.layer)
        .max()
        .unwrap_or(0)
}

/// Records the first link on the way to the package database file `path`,
/// once however many files lie behind it.
fn flag(tree: &FileTree, path: &str, databases: &mut Vec<LinkedDatabase>) {
    let Some((at, node)) = links_on_the_way(tree, path).next() else {
        return;
    };
    if databases.iter().any(|d| d.path == at) {
        return;
    }
    let hard_link = node.kind == EntryKind::HardLink;
    let target = if hard_link {
        node.link.as_deref().map(str::to_owned)
    } else {
        tree.resolve_path(at)
    };
    databases.push(LinkedDatabase {
        path: at.to_owned(),
        target: target.unwrap_or_default(),
        hard_link,
        layer: node.layer,
    });
}

/// Where the content of the regular file or hard link `node` at `path` is
/// read: (layer, name in that layer's tar). A hard link's content is its
/// target's, in the target's layer unless a later layer replaced the target.
fn content_of(tree: &FileTree, path: &str, node: &Node) -> Option<(usize, String)> {
    match node.kind {
        EntryKind::File => Some((node.layer, path.to_owned())),
        EntryKind::HardLink => {
            let link = node.link.as_deref()?;
            match tree.resolve(link) {
                Some((target, t)) if t.kind == EntryKind::File && t.layer <= node.layer => {
                    Some((t.layer, target))
                }
                _ => Some((node.layer, link.to_owned())),
            }
        }
        _ => None,
    }
}

/// The database files of the final view that layer reading could not keep
/// by their own names.
pub fn find(tree: &FileTree) -> Linked {
    let mut linked = Linked::default();
    let add = |linked: &mut Linked, path: String, resolved: &str, node: &Node| {
        if let Some((layer, content)) = content_of(tree, resolved, node) {
            linked.layer = linked
                .layer
                .max(layer)
                .max(link_layer(tree, &path))
                .max(node.layer);
            linked.files.push(LinkedFile {
                path,
                layer,
                content,
                size: node.size,
            });
            true
        } else {
            false
        }
    };
    for path in PACKAGE_DATABASES.iter().chain(&OS_IDENTITY) {
        let Some(resolved) = tree.resolve_path(path) else {
            continue;
        };
        let Some(node) = tree.get(&resolved) else {
            continue;
        };
        let hard_link = node.kind == EntryKind::HardLink;
        // Read already under its own name, or under another name the
        // inventory knows (Fedora's `var/lib/rpm -> ../../usr/lib/sysimage/rpm`,
        // `etc/os-release -> ../usr/lib/os-release`).
        if !hard_link && (resolved == *path || is_os_file(&resolved)) {
            continue;
        }
        if add(&mut linked, (*path).to_owned(), &resolved, node) && PACKAGE_DATABASES.contains(path)
        {
            flag(tree, path, &mut linked.databases);
        }
    }
    for dir in PACKAGE_DATABASE_DIRS {
        let Some(resolved) = tree.resolve_path(dir) else {
            continue;
        };
        let moved = resolved != dir;
        for (child, node) in tree.children(&resolved) {
            let name = &child[resolved.len() + 1..];
            let path = format!("{dir}/{name}");
            if !is_os_file(&path) || (!moved && node.kind == EntryKind::File) {
                continue;
            }
            let Some((target, node)) = tree.resolve(child) else {
                continue;
            };
            if add(&mut linked, path.clone(), &target, node) {
                flag(tree, &path, &mut linked.databases);
            }
        }
    }
    linked
}
