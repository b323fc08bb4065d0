//! Writing images: tar layers (ustar, with PAX headers for long names),
//! compressed or not, into OCI layouts or `docker save` archives. Tests build
//! layered images with it (whiteouts, deleted databases, hostile entries), and
//! `examples/synth-image.rs` builds the large benchmark images.

use std::io::{self, Write};
use std::path::Path;

use crate::source::sha256_digest;

/// Builds one layer's tar stream in memory.
#[derive(Debug, Default)]
pub struct LayerBuilder {
    tar: Vec<u8>,
}

fn octal(field: &mut [u8], value: u64) {
    let width = field.len() - 1;
    let text = format!("{value:0width$o}");
    let bytes = text.as_bytes();
    let start = bytes.len().saturating_sub(width);
    field[..width].copy_from_slice(&bytes[start..]);
    field[width] = 0;
}

impl LayerBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a raw entry (any path, even a hostile one).
    pub fn entry(
        &mut self,
        path: &str,
        typeflag: u8,
        mode: u32,
        data: &[u8],
        link: &str,
    ) -> &mut Self {
        if path.len() > 100 || link.len() > 100 {
            let mut records = String::new();
            for (key, value) in [("path", path), ("linkpath", link)] {
                if value.len() > 100 {
                    let body = format!(" {key}={value}\n");
                    let mut len = body.len() + 1;
                    while format!("{len}{body}").len() != len {
                        len += 1;
                    }
                    records.push_str(&format!("{len}{body}"));
                }
            }
            self.header("PaxHeader", b'x', 0o644, records.len() as u64, "");
            self.tar.extend_from_slice(records.as_bytes());
            self.pad();
        }
        self.header(
            &path[..path.len().min(100)],
            typeflag,
            mode,
            data.len() as u64,
            &link[..link.len().min(100)],
        );
        self.tar.extend_from_slice(data);
        self.pad();
        self
    }

    fn header(&mut self, path: &str, typeflag: u8, mode: u32, size: u64, link: &str) {
        let mut b = [0u8; 512];
        b[..path.len()].copy_from_slice(path.as_bytes());
        octal(&mut b[100..108], u64::from(mode));
        octal(&mut b[108..116], 0);
        octal(&mut b[116..124], 0);
        octal(&mut b[124..136], size);
        octal(&mut b[136..148], 1_700_000_000);
        b[156] = typeflag;
        b[157..157 + link.len()].copy_from_slice(link.as_bytes());
        b[257..263].copy_from_slice(b"ustar\0");
        b[263..265].copy_from_slice(b"00");
        b[148..156].copy_from_slice(b"        ");
        let sum: u64 = b.iter().map(|&x| u64::from(x)).sum();
        octal(&mut b[148..155], sum);
        b[155] = b' ';
        self.tar.extend_from_slice(&b);
    }

    fn pad(&mut self) {
        let len = self.tar.len().next_multiple_of(512);
        self.tar.resize(len, 0);
    }

    pub fn file(&mut self, path: &str, mode: u32, data: &[u8]) -> &mut Self {
        self.entry(path, b'0', mode, data, "")
    }

    pub fn dir(&mut self, path: &str, mode: u32) -> &mut Self {
        self.entry(path, b'5', mode, b"", "")
    }

    pub fn symlink(&mut self, path: &str, target: &str) -> &mut Self {
        self.entry(path, b'2', 0o777, b"", target)
    }

    /// `.wh.NAME` beside `path`.
    pub fn whiteout(&mut self, path: &str) -> &mut Self {
        let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
        let wh = if dir.is_empty() {
            format!(".wh.{name}")
        } else {
            format!("{dir}/.wh.{name}")
        };
        self.file(&wh, 0o644, b"")
    }

    /// The tar stream with its end marker.
    pub fn finish(&self) -> Vec<u8> {
        let mut t = self.tar.clone();
        t.extend_from_slice(&[0u8; 1024]);
        t
    }
}

/// How a layer blob is compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

pub fn compress(tar: &[u8], compression: Compression) -> io::Result<Vec<u8>> {
    match compression {
        Compression::None => Ok(tar.to_vec()),
        Compression::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(tar)?;
            e.finish()
        }
        Compression::Zstd => zstd::stream::encode_all(tar, 3),
    }
}

fn config_json(diff_ids: &[String], user: Option<&str>, extra: &serde_json::Value) -> Vec<u8> {
    let mut config = serde_json::json!({
        "architecture": "amd64",
        "os": "linux",
        "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": diff_ids.iter().map(|_| serde_json::json!({"created_by": "synthetic layer"})).collect::<Vec<_>>(),
    });
    if let Some(u) = user {
        config["config"]["User"] = serde_json::json!(u);
    }
    if let Some(e) = extra.as_object() {
        for (k, v) in e {
            // `history` belongs to the image, everything else to its runtime config.
            let place = if k == "history" {
                &mut config
            } else {
                &mut config["config"]
            };
            place[k.as_str()] = v.clone();
        }
    }
    serde_json::to_vec(&config).unwrap_or_default()
}

/// Writes an OCI layout with one image of these layers (tar streams); returns
/// the manifest digest. `config` entries are merged into the image's runtime
/// config, except `history`, which replaces the image's.
pub fn write_oci_layout(
    dir: &Path,
    layers: &[Vec<u8>],
    compression: Compression,
    user: Option<&str>,
    config: &serde_json::Value,
) -> io::Result<String> {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs)?;
    let put = |bytes: &[u8]| -> io::Result<String> {
        let digest = sha256_digest(bytes);
        std::fs::write(blobs.join(&digest[7..]), bytes)?;
        Ok(digest)
    };
    let media = match compression {
        Compression::None => "application/vnd.oci.image.layer.v1.tar",
        Compression::Gzip => "application/vnd.oci.image.layer.v1.tar+gzip",
        Compression::Zstd => "application/vnd.oci.image.layer.v1.tar+zstd",
    };
    let mut descriptors = Vec::new();
    let mut diff_ids = Vec::new();
    for tar in layers {
        diff_ids.push(sha256_digest(tar));
        let blob = compress(tar, compression)?;
        let digest = put(&blob)?;
        descriptors
            .push(serde_json::json!({"mediaType": media, "digest": digest, "size": blob.len()}));
    }
    let config = config_json(&diff_ids, user, config);
    let config_digest = put(&config)?;
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config.len()},
        "layers": descriptors,
    }))?;
    let manifest_digest = put(&manifest)?;
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#)?;
    std::fs::write(
        dir.join("index.json"),
        serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_digest, "size": manifest.len()}],
        }))?,
    )?;
    Ok(manifest_digest)
}

/// Writes a `docker save` archive of uncompressed layers.
pub fn write_docker_archive(path: &Path, layers: &[Vec<u8>], tag: &str) -> io::Result<()> {
    let diff_ids: Vec<String> = layers.iter().map(|t| sha256_digest(t)).collect();
    let config = config_json(&diff_ids, None, &serde_json::json!({}));
    let config_name = format!("{}.json", &sha256_digest(&config)[7..]);
    let mut outer = LayerBuilder::new();
    let mut names = Vec::new();
    for (tar, id) in layers.iter().zip(&diff_ids) {
        let name = format!("{}/layer.tar", &id[7..]);
        outer.file(&name, 0o644, tar);
        names.push(name);
    }
    outer.file(&config_name, 0o644, &config);
    let manifest = serde_json::to_vec(
        &serde_json::json!([{"Config": config_name, "RepoTags": [tag], "Layers": names}]),
    )?;
    outer.file("manifest.json", 0o644, &manifest);
    std::fs::write(path, outer.finish())
}
