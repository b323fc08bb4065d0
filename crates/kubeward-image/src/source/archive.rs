//! `docker save` archives: an uncompressed tar with `manifest.json`
//! (`[{"Config": …, "RepoTags": […], "Layers": […]}]`), the configuration
//! and the layer blobs (plain tars in old Docker, OCI blobs in Docker 25+).
//! The outer tar is indexed once (name → offset and size) and each layer is
//! read in place with a seek: nothing is extracted.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use kubeward_core::path::lexical_components;
use serde::Deserialize;

use super::{
    Image, ImageConfig, LayerOpener, LayerRef, SourceError, read_json_bounded, sha256_digest,
};
use crate::tar::{Kind, TarReader};

#[derive(Deserialize)]
struct ManifestEntry {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "RepoTags", default)]
    repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers", default)]
    layers: Vec<String>,
}

/// Where each member of the outer tar is.
struct Index {
    path: PathBuf,
    members: HashMap<String, (u64, u64)>,
}

impl Index {
    fn build(path: &Path) -> Result<Index, SourceError> {
        let io = |e: &dyn std::fmt::Display| SourceError::Io(format!("{}: {e}", path.display()));
        let file = File::open(path).map_err(|e| io(&e))?;
        let len = file.metadata().map_err(|e| io(&e))?.len();
        let mut reader = TarReader::new(std::io::BufReader::new(file));
        let mut members = HashMap::new();
        while let Some(header) = reader.next_seeking().map_err(|e| io(&e))? {
            let mut kind_ok = header.kind == Kind::File;
            let mut name = String::from_utf8_lossy(&header.path).into_owned();
            if header.kind == Kind::Symlink || header.kind == Kind::HardLink {
                // Old archives link identical layers to one another.
                let target = String::from_utf8_lossy(&header.link).into_owned();
                let base = name.rsplit_once('/').map_or("", |(d, _)| d);
                let resolved = if header.kind == Kind::Symlink && !base.is_empty() {
                    normalize(&format!("{base}/{target}"))
                } else {
                    normalize(&target)
                };
                if let Some(&place) = members.get(&resolved) {
                    members.insert(normalize(&name), place);
                }
                kind_ok = false;
            }
            if kind_ok {
                name = normalize(&name);
                members.insert(name, (reader.offset(), header.size));
            }
        }
        // Members are skipped with seeks, which do not notice the end of
        // the file: a cut archive shows as a missing marker or a member
        // reaching past the end.
        if !reader.saw_end_marker() || reader.offset() > len {
            return Err(SourceError::Invalid(format!(
                "{}: the archive is truncated (it ends before its end-of-archive marker)",
                path.display()
            )));
        }
        Ok(Index {
            path: path.to_owned(),
            members,
        })
    }

    /// A member's content. Errors do not name the archive: a layer's are
    /// told with the image's name, and [`open`] adds it to the others.
    fn open(&self, name: &str) -> Result<std::io::Take<File>, SourceError> {
        let &(offset, size) = self
            .members
            .get(&normalize(name))
            .ok_or_else(|| SourceError::Invalid(format!("no member `{name}`")))?;
        let mut file = File::open(&self.path).map_err(|e| SourceError::Io(e.to_string()))?;
        file.seek(SeekFrom::Start(offset))
            .map_err(|e| SourceError::Io(e.to_string()))?;
        Ok(file.take(size))
    }

    /// A member's content, errors naming the archive.
    fn open_named(&self, name: &str) -> Result<std::io::Take<File>, SourceError> {
        self.open(name).map_err(|e| e.within(self.path.display()))
    }
}

/// A member name as a relative path, resolved lexically.
fn normalize(name: &str) -> String {
    lexical_components(name).join("/")
}

struct ArchiveLayers {
    index: Index,
    layers: Vec<String>,
}

impl LayerOpener for ArchiveLayers {
    fn open(&self, i: usize) -> Result<Box<dyn Read + Send>, SourceError> {
        let name = self
            .layers
            .get(i)
            .ok_or_else(|| SourceError::Invalid(format!("no layer {i}")))?;
        Ok(Box::new(std::io::BufReader::with_capacity(
            256 << 10,
            self.index.open(name)?,
        )))
    }
}

/// Opens a `docker save` archive (its first image).
pub fn open(path: &Path) -> Result<Image, SourceError> {
    let index = Index::build(path)?;
    let what = format!("{}: manifest.json", path.display());
    let manifest_bytes = read_json_bounded(&mut index.open_named("manifest.json")?, &what)?;
    let manifest: Vec<ManifestEntry> = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| SourceError::Invalid(format!("{what}: {e}")))?;
    let entry = manifest
        .into_iter()
        .next()
        .ok_or_else(|| SourceError::Invalid(format!("{what}: lists no image")))?;
    let what = format!("{}: {}", path.display(), entry.config);
    let config_bytes = read_json_bounded(&mut index.open_named(&entry.config)?, &what)?;
    let config = ImageConfig::parse(&config_bytes)
        .map_err(|e| SourceError::Invalid(format!("{}: {e}", path.display())))?;
    if config.rootfs.diff_ids.len() != entry.layers.len() {
        return Err(SourceError::Invalid(format!(
            "{}: the configuration lists {} layers, the manifest {}",
            path.display(),
            config.rootfs.diff_ids.len(),
            entry.layers.len()
        )));
    }
    let layers = config
        .rootfs
        .diff_ids
        .iter()
        .zip(&entry.layers)
        .map(|(diff_id, name)| LayerRef {
            digest: diff_id.clone(),
            size: index.members.get(&normalize(name)).map(|&(_, s)| s),
            media_type: "application/vnd.docker.image.rootfs.diff.tar".into(),
            diff_id: Some(diff_id.clone()),
        })
        .collect();
    Ok(Image {
        reference: path.display().to_string(),
        manifest_digest: None,
        index_digest: None,
        config_digest: sha256_digest(&config_bytes),
        config,
        layers,
        repo_tags: entry.repo_tags.unwrap_or_default(),
        annotations: Default::default(),
        opener: Box::new(ArchiveLayers {
            index,
            layers: entry.layers,
        }),
    })
}
