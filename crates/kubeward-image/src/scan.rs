//! Scanning one image: layers are read in parallel (each in one streaming
//! pass), then applied in order to build the final file system, while the
//! package databases are re-read after every layer that touches them (so that
//! each package is attributed to the layer that brought its version in, and a
//! database deleted in a later layer is noticed). Then the tamper evidence is
//! gathered: executables no package owns and package files whose content no
//! longer matches the database.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::fs::FileTree;
use crate::inventory::os::{OsRelease, parse_os_release};
use crate::inventory::{self, Digest, OsDb, PASSWD, Package, PackageType};
use crate::layer::{
    Budget, Change, EntryKind, LayerError, LayerSummary, Limits, capture_files, hash_files,
    read_layer,
};
use crate::links::{self, Linked, LinkedDatabase};
use crate::source::digest::DigestCheck;
use crate::source::{Image, SourceError};

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("layer {index} ({digest}): {error}")]
    Layer {
        index: usize,
        digest: String,
        error: LayerError,
    },
    #[error("the manifest lists blob {digest} {times} times (at most {limit})")]
    RepeatedBlob {
        digest: String,
        times: usize,
        limit: usize,
    },
}

/// What one layer contributed.
#[derive(Clone, Debug, serde::Serialize)]
pub struct LayerInfo {
    pub index: usize,
    pub digest: String,
    /// Compressed size, when the source knows it.
    pub size: Option<u64>,
    /// Uncompressed tar bytes read.
    pub uncompressed: u64,
    /// The build step that made it, from the image history.
    pub created_by: Option<String>,
}

/// A package file whose content differs from what its database recorded.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ModifiedFile {
    pub path: String,
    pub package: String,
    pub layer: usize,
}

/// A package database that a later layer deleted or emptied.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DeletedDatabase {
    pub path: String,
    /// Packages it listed before.
    pub packages: usize,
    /// The last layer in which it listed them.
    pub last_seen_layer: usize,
    /// The layer that deleted or emptied it.
    pub removed_in_layer: usize,
}

/// Evidence that the package metadata does not tell the whole truth.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Tamper {
    /// ELF files no package database owns and that carry no package metadata
    /// of their own (Go build information, `cargo auditable` data).
    pub unowned_executables: Vec<String>,
    pub modified_files: Vec<ModifiedFile>,
    pub deleted_databases: Vec<DeletedDatabase>,
    /// Package databases that are links (read where they lead).
    pub linked_databases: Vec<LinkedDatabase>,
}

/// An image, read.
#[derive(Debug)]
pub struct ScannedImage {
    pub reference: String,
    pub manifest_digest: Option<String>,
    pub index_digest: Option<String>,
    pub config_digest: String,
    pub config: crate::source::ImageConfig,
    pub repo_tags: Vec<String>,
    pub annotations: BTreeMap<String, String>,
    pub layers: Vec<LayerInfo>,
    pub os: Option<OsRelease>,
    /// Where the OS packages were listed.
    pub os_database: Option<String>,
    /// User names and their uids, from `/etc/passwd`.
    pub users: BTreeMap<String, u32>,
    pub packages: Vec<Package>,
    pub tamper: Tamper,
    /// The final file system (metadata only), for the image checks.
    pub tree: FileTree,
    /// Things kubeward could not read, each said once.
    pub notes: Vec<String>,
}

/// A state of the OS package database after some layer.
struct Snapshot {
    layer: usize,
    db: Option<OsDb>,
}

fn is_under(path: &str, dir: &str) -> bool {
    dir.is_empty()
        || path == dir
        || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

/// Reads an image; `progress` hears about each layer as it is done.
pub fn scan(
    image: Image,
    limits: &Limits,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ScannedImage, ScanError> {
    let total = image.layers.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let history = image.config.layer_history();
    let budget = Budget::new(limits);
    let blob_of = same_blobs(&image, limits)?;
    // Per blob (its first listing): how often it is listed, its last
    // listing, and whether any listing looks like a package install (then
    // it is hashed on its one read).
    let mut listed = vec![0usize; total];
    let mut last = vec![0usize; total];
    let mut hash = vec![false; total];
    for (i, &blob) in blob_of.iter().enumerate() {
        listed[blob] += 1;
        last[blob] = i;
        hash[blob] |= likely_packages(i, history.get(i).copied().flatten());
    }
    let distinct: Vec<usize> = (0..total).filter(|&i| blob_of[i] == i).collect();
    let read: Vec<(usize, LayerSummary)> = distinct
        .into_par_iter()
        .map(|i| {
            let blob = image.opener.open(i)?;
            let diff_id = image.layers[i]
                .diff_id
                .as_deref()
                .map(DigestCheck::new)
                .transpose()?;
            let summary = read_layer(blob, limits, hash[i], diff_id, &budget).map_err(|error| {
                ScanError::Layer {
                    index: i,
                    digest: image.layers[i].digest.clone(),
                    error,
                }
            })?;
            progress(
                done.fetch_add(listed[i], std::sync::atomic::Ordering::Relaxed) + listed[i],
                total,
            );
            Ok::<_, ScanError>((i, summary))
        })
        .collect::<Result<_, _>>()?;
    let mut by_blob: Vec<Option<LayerSummary>> = (0..total).map(|_| None).collect();
    for (i, summary) in read {
        by_blob[i] = Some(summary);
    }
    // A blob listed again is applied again: its last listing takes the
    // summary, earlier ones a copy (made when applied, so that one copy at
    // a time is held), whose entries count against the budget.
    let mut listing = |i: usize| -> Result<LayerSummary, ScanError> {
        let blob = blob_of[i];
        if last[blob] == i {
            return Ok(by_blob[blob].take().unwrap_or_default());
        }
        let copy = by_blob[blob].clone().unwrap_or_default();
        budget
            .entries(copy.changes.len() as u64)
            .map_err(|error| ScanError::Layer {
                index: i,
                digest: image.layers[i].digest.clone(),
                error,
            })?;
        Ok(copy)
    };

    let mut tree = FileTree::new();
    let mut db_files: BTreeMap<String, Arc<Vec<u8>>> = BTreeMap::new();
    let mut language: BTreeMap<String, (usize, Vec<Package>)> = BTreeMap::new();
    let mut snapshots: Vec<Snapshot> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut layers = Vec::with_capacity(total);
    for i in 0..total {
        let summary = listing(i)?;
        // A layer that changes only the user table (`useradd`) leaves the
        // packages as they were: no new snapshot of the package database.
        let mut touched = summary.captured.iter().any(|(p, _)| p != PASSWD);
        for change in &summary.changes {
            let (path, whole_tree) = match change {
                Change::Whiteout(p) => (p.as_str(), true),
                Change::Opaque(d) => (d.as_str(), true),
                // A non-directory replaces whatever was under its path.
                Change::Entry(e) => (e.path.as_str(), e.kind != EntryKind::Directory),
            };
            let hit = |k: &String| {
                if whole_tree {
                    is_under(k, path)
                } else {
                    k == path
                }
            };
            db_files.retain(|k, _| {
                let gone = hit(k);
                touched |= gone && k != PASSWD;
                !gone
            });
            language.retain(|k, _| !hit(k));
        }
        for (path, bytes) in summary.captured {
            db_files.insert(path, bytes);
        }
        for (path, packages) in summary.packages {
            language.insert(path, (i, packages));
        }
        for note in summary.notes {
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
        layers.push(LayerInfo {
            index: i,
            digest: image.layers[i].digest.clone(),
            size: image.layers[i].size,
            uncompressed: summary.bytes,
            created_by: history.get(i).copied().flatten().map(str::to_owned),
        });
        tree.apply(i, summary.changes)
            .map_err(|error| ScanError::Layer {
                index: i,
                digest: image.layers[i].digest.clone(),
                error,
            })?;
        if touched {
            let db = read_os_db(&db_files, &mut notes);
            snapshots.push(Snapshot { layer: i, db });
        }
    }

    let linked = links::find(&tree);
    if !linked.files.is_empty() {
        read_linked(
            &linked,
            &image,
            limits,
            &budget,
            &mut db_files,
            &mut snapshots,
            &mut notes,
        )?;
    }

    let os = ["etc/os-release", "usr/lib/os-release"]
        .iter()
        .find_map(|p| db_files.get(*p))
        .and_then(|b| parse_os_release(&String::from_utf8_lossy(b)))
        .or_else(|| {
            db_files.get("etc/alpine-release").map(|v| OsRelease {
                id: "alpine".into(),
                version_id: String::from_utf8_lossy(v).trim().to_owned(),
                pretty_name: format!("Alpine Linux v{}", String::from_utf8_lossy(v).trim()),
                codename: String::new(),
            })
        });
    for unsupported in inventory::rpm::UNSUPPORTED_PATHS {
        if tree.get(unsupported).is_some()
            && !inventory::rpm::SQLITE_PATHS
                .iter()
                .any(|p| db_files.contains_key(*p))
        {
            notes.push(format!(
                "{unsupported}: RPM Berkeley DB and ndb databases are not supported; RPM packages are not listed"
            ));
        }
    }

    let mut tamper = Tamper {
        linked_databases: linked.databases,
        ..Tamper::default()
    };
    let (os_database, mut packages, owned_db) = os_packages(&snapshots, &tree, &mut tamper);
    for (path, (layer, found)) in language {
        // A file a later layer replaced without it being read again is gone.
        // (Its layer may have written it through a directory symlink.)
        if tree.resolve(&path).is_none_or(|(_, n)| n.layer != layer) && !path.contains(".jar/") {
            continue;
        }
        for mut p in found {
            p.layer = layer;
            packages.push(p);
        }
    }
    let mut owned: HashSet<String> = HashSet::new();
    if let Some(db) = &owned_db {
        // Where each packaged path leads in the final view, worked out once.
        let resolved: Vec<Option<String>> = db
            .files
            .iter()
            .map(|f| tree.resolve(&f.path).map(|(path, _)| path))
            .collect();
        hash_unhashed(db, &resolved, &mut tree, &image, limits, &budget)?;
        verify_files(db, &resolved, &tree, &mut tamper, &mut notes);
        owned.extend(
            db.files
                .iter()
                .zip(resolved)
                .map(|(f, path)| path.unwrap_or_else(|| f.path.clone())),
        );
    }
    tamper.unowned_executables = unowned_executables(&owned, &packages, &tree);

    Ok(ScannedImage {
        reference: image.reference,
        manifest_digest: image.manifest_digest,
        index_digest: image.index_digest,
        config_digest: image.config_digest,
        config: image.config,
        repo_tags: image.repo_tags,
        annotations: image.annotations,
        layers,
        os,
        os_database,
        users: db_files
            .get(PASSWD)
            .map(|b| parse_passwd(&String::from_utf8_lossy(b)))
            .unwrap_or_default(),
        packages,
        tamper,
        tree,
        notes,
    })
}

/// Reads the database files the final view reaches through links (one more
/// read of each layer that holds their content) into `db_files` under the
/// names inventory reads them by. When package database files are among
/// them, the database they make replaces the states recorded from the layer
/// that made the links on.
fn read_linked(
    linked: &Linked,
    image: &Image,
    limits: &Limits,
    budget: &Budget,
    db_files: &mut BTreeMap<String, Arc<Vec<u8>>>,
    snapshots: &mut Vec<Snapshot>,
    notes: &mut Vec<String>,
) -> Result<(), ScanError> {
    let mut wanted: BTreeMap<usize, HashSet<String>> = BTreeMap::new();
    for f in &linked.files {
        if f.size > limits.max_capture {
            notes.push(format!(
                "{}: larger than {} bytes; not read",
                f.content, limits.max_capture
            ));
        } else {
            wanted.entry(f.layer).or_default().insert(f.content.clone());
        }
    }
    let read: BTreeMap<usize, _> = wanted
        .into_par_iter()
        .map(|(layer, names)| {
            let blob = image.opener.open(layer)?;
            let found =
                capture_files(blob, limits, budget, &names).map_err(|error| ScanError::Layer {
                    index: layer,
                    digest: image.layers[layer].digest.clone(),
                    error,
                })?;
            let found: HashMap<String, Arc<Vec<u8>>> =
                found.into_iter().map(|(k, v)| (k, Arc::new(v))).collect();
            Ok::<_, ScanError>((layer, found))
        })
        .collect::<Result<_, _>>()?;
    for f in &linked.files {
        match read.get(&f.layer).and_then(|found| found.get(&f.content)) {
            Some(bytes) => {
                db_files.insert(f.path.clone(), Arc::clone(bytes));
            }
            None if f.size <= limits.max_capture => notes.push(format!(
                "{}: its content (`{}` in layer {}) was not found",
                f.path, f.content, f.layer
            )),
            None => {}
        }
    }
    if linked.has_package_files() {
        let db = read_os_db(db_files, notes);
        snapshots.retain(|s| s.layer < linked.layer);
        snapshots.push(Snapshot {
            layer: linked.layer,
            db,
        });
    }
    Ok(())
}

/// The package database `db_files` make, if any; one that cannot be read
/// is a note.
fn read_os_db(db_files: &BTreeMap<String, Arc<Vec<u8>>>, notes: &mut Vec<String>) -> Option<OsDb> {
    match inventory::read_os_db(db_files)? {
        Ok(db) => Some(db),
        Err(message) => {
            notes.push(message);
            None
        }
    }
}

/// `name:password:uid:…` lines: name → uid.
fn parse_passwd(text: &str) -> BTreeMap<String, u32> {
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split(':');
            let name = fields.next()?;
            let uid = fields.nth(1)?.trim().parse().ok()?;
            Some((name.to_owned(), uid))
        })
        .collect()
}

type Identity = (String, String, Option<String>);

fn identity(p: &Package) -> Identity {
    (p.name.clone(), p.version.clone(), p.arch.clone())
}

/// The OS packages with their layers, the database they came from, and
/// (for ownership checks) the database state they were read from.
fn os_packages(
    snapshots: &[Snapshot],
    tree: &FileTree,
    tamper: &mut Tamper,
) -> (Option<String>, Vec<Package>, Option<OsDb>) {
    let Some(last) = snapshots.last() else {
        return (None, Vec::new(), None);
    };
    let populated = |s: &&Snapshot| s.db.as_ref().is_some_and(|db| !db.packages.is_empty());
    let chosen = match &last.db {
        Some(db) if !db.packages.is_empty() => last,
        _ => {
            // Deleted or emptied: fall back on the last state that listed packages.
            let Some(previous) = snapshots.iter().rev().find(populated) else {
                return (
                    last.db.as_ref().map(|d| d.db_path.clone()),
                    Vec::new(),
                    last.db.clone(),
                );
            };
            let db = previous
                .db
                .as_ref()
                .map(|d| (d.db_path.clone(), d.packages.len()))
                .unwrap_or_default();
            tamper.deleted_databases.push(DeletedDatabase {
                path: db.0,
                packages: db.1,
                last_seen_layer: previous.layer,
                removed_in_layer: last.layer,
            });
            previous
        }
    };
    let Some(db) = chosen.db.clone() else {
        return (None, Vec::new(), None);
    };
    let deleted = !std::ptr::eq(chosen, last);
    let mut packages = Vec::with_capacity(db.packages.len());
    for (index, p) in db.packages.iter().enumerate() {
        let id = identity(p);
        // The earliest layer from which every later state lists this version.
        let mut layer = chosen.layer;
        for s in snapshots
            .iter()
            .rev()
            .skip_while(|s| s.layer > chosen.layer)
        {
            match &s.db {
                Some(d) if d.packages.iter().any(|q| identity(q) == id) => layer = s.layer,
                _ => break,
            }
        }
        if deleted {
            // A package of a deleted database counts while its files remain.
            let files: Vec<&str> = db
                .files
                .iter()
                .filter(|f| f.package == index)
                .map(|f| f.path.as_str())
                .collect();
            let remains = files.is_empty()
                || files.iter().any(|f| {
                    tree.resolve(f)
                        .is_some_and(|(_, n)| n.kind != EntryKind::Directory)
                });
            if !remains {
                continue;
            }
        }
        let mut p = p.clone();
        p.layer = layer;
        p.from_deleted_database = deleted;
        packages.push(p);
    }
    (Some(db.db_path.clone()), packages, Some(db))
}

/// For each listing of the manifest, the first listing of the same blob (a
/// layout's or registry's blob digest; a docker archive's diff id, which its
/// content is checked against), refusing a blob listed more often than the
/// limit. Only the first listing of each blob is read.
fn same_blobs(image: &Image, limits: &Limits) -> Result<Vec<usize>, ScanError> {
    let mut first: HashMap<(&str, Option<&str>), (usize, usize)> = HashMap::new();
    let mut blob_of = Vec::with_capacity(image.layers.len());
    for (i, layer) in image.layers.iter().enumerate() {
        let key = (layer.digest.as_str(), layer.diff_id.as_deref());
        let (blob, times) = first.entry(key).or_insert((i, 0));
        *times += 1;
        if *times > limits.max_blob_listings {
            let times = image
                .layers
                .iter()
                .filter(|l| (l.digest.as_str(), l.diff_id.as_deref()) == key)
                .count();
            return Err(ScanError::RepeatedBlob {
                digest: layer.digest.clone(),
                times,
                limit: limits.max_blob_listings,
            });
        }
        blob_of.push(*blob);
    }
    Ok(blob_of)
}

/// Whether layer `i` is worth hashing on the first read: the base layer and
/// layers whose build step ran a package manager bring packaged files; the
/// others (COPY, pip, npm …) seldom do, and hashing every byte of them is
/// most of a large image's scan time. Only a guess, never trusted:
/// [`hash_unhashed`] reads again whatever packaged file a skipped layer holds.
fn likely_packages(i: usize, created_by: Option<&str>) -> bool {
    const INSTALLERS: [&str; 11] = [
        "apt",
        "dpkg",
        "apk",
        "rpm",
        "yum",
        "dnf",
        "zypper",
        "debootstrap",
        "pacman",
        "tdnf",
        "opkg",
    ];
    i == 0 || created_by.is_none_or(|step| INSTALLERS.iter().any(|word| step.contains(word)))
}

/// Hashes the packaged files of the final view that the first read left
/// unhashed, with one read of each layer that holds any. `resolved` is where
/// each of `db.files` leads in the tree.
fn hash_unhashed(
    db: &OsDb,
    resolved: &[Option<String>],
    tree: &mut FileTree,
    image: &Image,
    limits: &Limits,
    budget: &Budget,
) -> Result<(), ScanError> {
    // layer → content path in that layer's tar → tree paths sharing it.
    let mut wanted: BTreeMap<usize, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (f, path) in db.files.iter().zip(resolved) {
        if !matches!(f.digest, Some(Digest::Md5(_))) {
            continue;
        }
        let Some(path) = path.as_deref() else {
            continue;
        };
        let Some(node) = tree.get(path) else {
            continue;
        };
        let content = match (node.kind, &node.link) {
            (EntryKind::File, _) => path.to_owned(),
            (EntryKind::HardLink, Some(target)) => target.to_string(),
            _ => continue,
        };
        if node.md5.is_none() {
            wanted
                .entry(node.layer)
                .or_default()
                .entry(content)
                .or_default()
                .push(path.to_owned());
        }
    }
    let hashed: Vec<_> = wanted
        .into_par_iter()
        .map(|(layer, paths)| {
            let names: HashSet<String> = paths.keys().cloned().collect();
            let blob = image.opener.open(layer)?;
            let sums =
                hash_files(blob, limits, budget, &names).map_err(|error| ScanError::Layer {
                    index: layer,
                    digest: image.layers[layer].digest.clone(),
                    error,
                })?;
            Ok::<_, ScanError>((paths, sums))
        })
        .collect::<Result<_, _>>()?;
    for (paths, sums) in hashed {
        for (content, users) in paths {
            if let Some(md5) = sums.get(&content) {
                for path in users {
                    tree.set_md5(&path, *md5);
                }
            }
        }
    }
    Ok(())
}

/// Package files whose MD5 no longer matches (dpkg records MD5); `resolved`
/// as for [`hash_unhashed`].
fn verify_files(
    db: &OsDb,
    resolved: &[Option<String>],
    tree: &FileTree,
    tamper: &mut Tamper,
    notes: &mut Vec<String>,
) {
    let mut unverifiable = false;
    for (f, path) in db.files.iter().zip(resolved) {
        let Some(digest) = f.digest else { continue };
        let Some(path) = path.as_deref() else {
            continue;
        };
        let Some(node) = tree.get(path) else {
            continue;
        };
        if node.kind != EntryKind::File && node.kind != EntryKind::HardLink {
            continue;
        }
        match (digest, node.md5) {
            (Digest::Md5(expected), Some(actual)) if expected != actual => {
                tamper.modified_files.push(ModifiedFile {
                    path: path.to_owned(),
                    package: db
                        .packages
                        .get(f.package)
                        .map(|p| p.name.clone())
                        .unwrap_or_default(),
                    layer: node.layer,
                });
            }
            (Digest::Sha1(_) | Digest::Sha256(_), _) => unverifiable = true,
            _ => {}
        }
    }
    tamper.modified_files.sort_by(|a, b| a.path.cmp(&b.path));
    tamper.modified_files.dedup_by(|a, b| a.path == b.path);
    if unverifiable {
        notes.push(format!(
            "{}: file checksums are SHA-1/SHA-256; only dpkg's MD5 sums are verified",
            db.db_path
        ));
    }
}

/// ELF files in the final view that no package owns (`owned`: the packaged
/// paths, resolved).
fn unowned_executables(
    owned: &HashSet<String>,
    packages: &[Package],
    tree: &FileTree,
) -> Vec<String> {
    let described: HashSet<&str> = packages
        .iter()
        .filter(|p| matches!(p.kind, PackageType::Golang | PackageType::Cargo))
        .map(|p| p.path.as_str())
        .collect();
    tree.iter()
        .filter(|(path, n)| {
            n.elf
                && matches!(n.kind, EntryKind::File | EntryKind::HardLink)
                && !owned.contains(*path)
                && !described.contains(path)
        })
        .map(|(path, _)| path.to_owned())
        .collect()
}
