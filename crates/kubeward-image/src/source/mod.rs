//! Where images come from: `docker save` archives, OCI image layouts and
//! registries. Each yields the same [`Image`]: the configuration, the
//! manifest digest, and a way to open each layer blob as a stream.

pub mod archive;
pub mod config;
pub mod digest;
pub mod layout;
pub mod platform;
pub mod registry;

use std::io::Read;

pub use config::ImageConfig;
pub use platform::Platform;

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Io(String),
    #[error("{0}")]
    Registry(String),
}

impl SourceError {
    /// The same error, its message prefixed with where it happened (`what`:
    /// a file the message does not name yet).
    pub fn within(self, what: impl std::fmt::Display) -> SourceError {
        match self {
            SourceError::Invalid(m) => SourceError::Invalid(format!("{what}: {m}")),
            SourceError::Io(m) => SourceError::Io(format!("{what}: {m}")),
            SourceError::Registry(m) => SourceError::Registry(format!("{what}: {m}")),
        }
    }
}

/// Opens layer blobs by index.
pub trait LayerOpener: Send + Sync {
    fn open(&self, index: usize) -> Result<Box<dyn Read + Send>, SourceError>;
}

/// One layer as the manifest lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerRef {
    /// The blob digest (compressed), or the diff id where the source has no
    /// other (docker archives).
    pub digest: String,
    pub size: Option<u64>,
    pub media_type: String,
    /// The digest the uncompressed tar must have, checked as it is read,
    /// where the source has no digest of the blob itself to check (docker
    /// archives: the configuration's `rootfs.diff_ids`).
    pub diff_id: Option<String>,
}

/// An image ready to be read.
pub struct Image {
    /// What the user named.
    pub reference: String,
    /// `sha256:…` of the manifest, where there is one.
    pub manifest_digest: Option<String>,
    /// `sha256:…` of the multi-platform index the manifest was picked from.
    pub index_digest: Option<String>,
    pub config_digest: String,
    pub config: ImageConfig,
    pub layers: Vec<LayerRef>,
    /// Repository tags the source records (docker archives).
    pub repo_tags: Vec<String>,
    /// Manifest annotations (OCI `org.opencontainers.image.base.name` …).
    pub annotations: std::collections::BTreeMap<String, String>,
    pub opener: Box<dyn LayerOpener>,
}

impl std::fmt::Debug for Image {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Image")
            .field("reference", &self.reference)
            .field("manifest_digest", &self.manifest_digest)
            .field("layers", &self.layers)
            .finish_non_exhaustive()
    }
}

/// The local image a positional reference names, if it names one: an
/// existing file (a `docker save` archive) or a directory holding an OCI
/// layout (`DIR`, or `DIR:NAME` for one image of it). `image scan app.tar`
/// then reads `./app.tar`, as `--input app.tar` would, rather than asking
/// Docker Hub for `library/app.tar`; a directory that is no layout (a
/// folder that happens to share an image's name) is left to the registry.
pub fn local_reference(reference: &str) -> Option<&std::path::Path> {
    use std::path::Path;
    let is_layout =
        |dir: &Path| dir.join("index.json").is_file() || dir.join("oci-layout").is_file();
    let path = Path::new(reference);
    let named_layout = reference
        .rsplit_once(':')
        .is_some_and(|(dir, _)| is_layout(Path::new(dir)));
    (path.is_file() || is_layout(path) || named_layout).then_some(path)
}

/// The hex SHA-256 digest of some bytes, as `sha256:…`.
pub fn sha256_digest(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("sha256:{}", digest::hex(&sha2::Sha256::digest(bytes)))
}

/// Reads a small JSON document (manifest, index, config) with a size bound.
pub(crate) fn read_json_bounded(reader: &mut dyn Read, what: &str) -> Result<Vec<u8>, SourceError> {
    const MAX: u64 = 8 << 20;
    let mut bytes = Vec::new();
    reader
        .take(MAX + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SourceError::Io(format!("{what}: {e}")))?;
    if bytes.len() as u64 > MAX {
        return Err(SourceError::Invalid(format!(
            "{what}: larger than {MAX} bytes"
        )));
    }
    Ok(bytes)
}

/// A blob digest, checked to be `algorithm:hex` with safe characters, so that
/// it can name a file under `blobs/`.
pub(crate) fn blob_path(digest: &str) -> Result<String, SourceError> {
    let (alg, hex) = digest
        .split_once(':')
        .ok_or_else(|| SourceError::Invalid(format!("malformed digest `{digest}`")))?;
    let ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'+')
    };
    if !ok(alg) || !ok(hex) {
        return Err(SourceError::Invalid(format!("malformed digest `{digest}`")));
    }
    Ok(format!("blobs/{alg}/{hex}"))
}

/// The layer descriptors and annotations of an image manifest (the same
/// fields in an OCI layout and from a registry).
fn layers_and_annotations(
    manifest: &serde_json::Value,
) -> (Vec<LayerRef>, std::collections::BTreeMap<String, String>) {
    use serde_json::Value;
    let text = |d: &Value, key: &str| d.get(key).and_then(Value::as_str).unwrap_or("").to_owned();
    let layers = manifest
        .get("layers")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .map(|d| LayerRef {
                    digest: text(d, "digest"),
                    size: d.get("size").and_then(Value::as_u64),
                    media_type: text(d, "mediaType"),
                    diff_id: None,
                })
                .collect()
        })
        .unwrap_or_default();
    let annotations = manifest
        .get("annotations")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    (layers, annotations)
}

#[cfg(test)]
mod tests {
    use super::local_reference;

    #[test]
    fn local_references_are_files_and_layouts() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
        std::fs::write(at("app.tar"), b"").unwrap();
        std::fs::create_dir(at("layout")).unwrap();
        std::fs::write(at("layout/index.json"), b"{}").unwrap();
        std::fs::create_dir(at("nginx")).unwrap();
        for local in [at("app.tar"), at("layout"), at("layout:12")] {
            assert!(local_reference(&local).is_some(), "{local}");
        }
        // A folder that is no layout, and nothing at all, are registry names.
        for remote in [
            at("nginx"),
            at("nginx:1.27"),
            at("absent.tar"),
            "alpine:3.19".into(),
        ] {
            assert!(local_reference(&remote).is_none(), "{remote}");
        }
    }
}
