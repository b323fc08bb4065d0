//! OCI image layouts: a directory with `oci-layout`, `index.json` and
//! `blobs/<algorithm>/<hex>`. The index may point at an image index (several
//! platforms), resolved to the requested platform; `dir:NAME` picks the
//! manifest annotated `org.opencontainers.image.ref.name=NAME`.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::digest::{Verified, content_matches};
use super::platform::{Platform, is_index, pick};
use super::{
    Image, ImageConfig, LayerOpener, SourceError, blob_path, layers_and_annotations,
    read_json_bounded,
};

/// Reads a JSON blob (an index, a manifest or a configuration) checked
/// against its digest: its bytes and its file's name, which errors about it
/// give.
fn read_blob(dir: &Path, digest: &str) -> Result<(Vec<u8>, String), SourceError> {
    let path = dir.join(blob_path(digest)?);
    let what = path.display().to_string();
    let mut file = File::open(&path).map_err(|e| SourceError::Io(format!("{what}: {e}")))?;
    let bytes = read_json_bounded(&mut file, &what)?;
    if !content_matches(digest, &bytes)? {
        return Err(SourceError::Invalid(format!(
            "{what}: content does not match its digest"
        )));
    }
    Ok((bytes, what))
}

fn parse(bytes: &[u8], what: &str) -> Result<Value, SourceError> {
    serde_json::from_slice(bytes).map_err(|e| SourceError::Invalid(format!("{what}: {e}")))
}

struct LayoutLayers {
    dir: PathBuf,
    digests: Vec<String>,
}

impl LayerOpener for LayoutLayers {
    fn open(&self, i: usize) -> Result<Box<dyn Read + Send>, SourceError> {
        let digest = self
            .digests
            .get(i)
            .ok_or_else(|| SourceError::Invalid(format!("no layer {i}")))?;
        // The scan's errors name the layout; this names the file in it.
        let blob = blob_path(digest)?;
        let file = File::open(self.dir.join(&blob))
            .map_err(|e| SourceError::Io(format!("{blob}: {e}")))?;
        // Whoever can write the directory could swap a blob's content; the
        // digest the manifest names is what the verdict is recorded under.
        Ok(Box::new(Verified::new(file, digest)?))
    }
}

/// Opens an OCI layout directory; `name` selects a tagged manifest.
pub fn open(dir: &Path, name: Option<&str>, platform: &Platform) -> Result<Image, SourceError> {
    let index_path = dir.join("index.json");
    let what = index_path.display().to_string();
    let mut file = File::open(&index_path).map_err(|e| SourceError::Io(format!("{what}: {e}")))?;
    let index = parse(&read_json_bounded(&mut file, &what)?, &what)?;
    let manifests = index
        .get("manifests")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let ref_name = |m: &Value| {
        m.pointer("/annotations/org.opencontainers.image.ref.name")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let mut descriptor = match name {
        Some(n) => manifests
            .iter()
            .find(|m| ref_name(m).as_deref() == Some(n))
            .cloned()
            .ok_or_else(|| SourceError::Invalid(format!("{what}: no image named `{n}`")))?,
        None if manifests.len() == 1 => manifests[0].clone(),
        None => pick(&index, platform)
            .map_err(|e| {
                // Several tagged images (skopeo's `oci:DIR:TAG` twice): say
                // which names there are rather than an empty platform list.
                let names: Vec<String> = manifests.iter().filter_map(ref_name).collect();
                if names.is_empty() {
                    SourceError::Invalid(format!("{what}: {e}"))
                } else {
                    SourceError::Invalid(format!(
                        "{what}: the layout holds several images ({}); name one as {}:NAME",
                        names.join(", "),
                        dir.display()
                    ))
                }
            })?
            .clone(),
    };
    // Follow nested indexes down to an image manifest.
    let mut index_digest = None;
    for _ in 0..4 {
        let media_type = descriptor
            .get("mediaType")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !is_index(media_type) {
            break;
        }
        let digest = descriptor
            .get("digest")
            .and_then(Value::as_str)
            .unwrap_or("");
        let (bytes, blob) = read_blob(dir, digest)?;
        let nested = parse(&bytes, &blob)?;
        index_digest.get_or_insert_with(|| digest.to_owned());
        descriptor = pick(&nested, platform)
            .map_err(|e| SourceError::Invalid(format!("{what}: {e}")))?
            .clone();
    }
    let manifest_digest = descriptor
        .get("digest")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            SourceError::Invalid(format!("{what}: a manifest descriptor has no digest"))
        })?
        .to_owned();
    let (manifest_bytes, manifest_blob) = read_blob(dir, &manifest_digest)?;
    let manifest = parse(&manifest_bytes, &manifest_blob)?;
    if manifest.get("manifests").is_some() {
        return Err(SourceError::Invalid(format!(
            "{manifest_blob}: nested indexes deeper than 4 levels"
        )));
    }
    let config_digest = manifest
        .pointer("/config/digest")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            SourceError::Invalid(format!("{manifest_blob}: the manifest has no config"))
        })?
        .to_owned();
    let (config_bytes, config_blob) = read_blob(dir, &config_digest)?;
    let config = ImageConfig::parse(&config_bytes)
        .map_err(|e| SourceError::Invalid(format!("{config_blob}: {e}")))?;
    let (layers, annotations) = layers_and_annotations(&manifest);
    let mut reference = dir.display().to_string();
    if let Some(n) = ref_name(&descriptor).or(name.map(str::to_owned)) {
        reference = format!("{reference}:{n}");
    }
    Ok(Image {
        reference,
        manifest_digest: Some(manifest_digest),
        index_digest,
        config_digest,
        config,
        opener: Box::new(LayoutLayers {
            dir: dir.to_owned(),
            digests: layers.iter().map(|l| l.digest.clone()).collect(),
        }),
        layers,
        repo_tags: Vec::new(),
        annotations,
    })
}
