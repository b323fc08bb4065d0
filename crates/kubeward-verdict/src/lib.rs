//! The pre-scanned image verdict store: `kubeward image scan --record DIR`
//! writes one verdict per image digest, and the admission server's
//! `/imagepolicy` reads them, so that admission never scans an image inline.
//!
//! # File format
//!
//! A store is a directory. Each verdict is one JSON file at
//! `<store>/<algorithm>/<hex>.json` (`sha256/3f1c….json` for the manifest
//! digest `sha256:3f1c…`), written to a temporary file in the same directory
//! and renamed into place, so readers never see half a verdict and need no
//! lock. The document (schema `kubeward.verdict.v1`):
//!
//! ```json
//! {
//!   "schema": "kubeward.verdict.v1",
//!   "digest": "sha256:3f1c…",
//!   "reference": "registry.example.com/shop/web:1.4.2",
//!   "scanned_at": 1763856000,
//!   "allowed": false,
//!   "fail_on": "high",
//!   "counts": {"critical": 1, "high": 3, "medium": 10, "low": 2, "unknown": 0, "findings": 4},
//!   "reasons": ["1 critical and 3 high vulnerabilities", "KW801 image-runs-as-root"]
//! }
//! ```
//!
//! `allowed` is the scan's own verdict under its `--fail-on` threshold;
//! readers may apply a stricter policy of their own from `counts` and
//! `scanned_at` (e.g. refuse verdicts older than a week).
//!
//! ```no_run
//! # fn main() -> Result<(), kubeward_verdict::VerdictError> {
//! let store = kubeward_verdict::ImageVerdictStore::open("/var/lib/kubeward/verdicts".as_ref())?;
//! match store.verdict("sha256:3f1c0000000000000000000000000000000000000000000000000000000000aa")? {
//!     Some(v) if v.allowed => { /* admit */ }
//!     Some(v) => { let _why = v.reasons.join("; "); /* refuse */ }
//!     None => { /* not scanned: refuse, or fall back to policy */ }
//! }
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub const SCHEMA: &str = "kubeward.verdict.v1";
/// Verdict files larger than this are refused as corrupt.
const MAX_VERDICT_BYTES: u64 = 1 << 20;

#[derive(Debug, thiserror::Error)]
pub enum VerdictError {
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error("`{0}` is not an image digest (algorithm:hex)")]
    BadDigest(String),
    #[error("{path}: not a kubeward verdict: {message}")]
    Corrupt { path: PathBuf, message: String },
}

/// What a scan concluded about one image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub schema: String,
    pub digest: String,
    pub reference: String,
    /// Seconds since the Unix epoch.
    pub scanned_at: u64,
    pub allowed: bool,
    pub fail_on: Option<String>,
    /// Vulnerabilities by rating (`critical` … `unknown`) and `findings`.
    pub counts: BTreeMap<String, u64>,
    pub reasons: Vec<String>,
}

/// A verdict store directory.
#[derive(Clone, Debug)]
pub struct ImageVerdictStore {
    dir: PathBuf,
}

/// `(algorithm, hex)` of a digest, checked so that it can name a file.
fn split_digest(digest: &str) -> Result<(&str, &str), VerdictError> {
    let bad = || VerdictError::BadDigest(digest.to_owned());
    let (alg, hex) = digest.split_once(':').ok_or_else(bad)?;
    let alg_ok = !alg.is_empty()
        && alg.len() <= 32
        && alg
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    let hex_ok = hex.len() >= 32
        && hex.len() <= 128
        && hex
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
    if alg_ok && hex_ok {
        Ok((alg, hex))
    } else {
        Err(bad())
    }
}

impl ImageVerdictStore {
    /// Opens an existing store.
    pub fn open(dir: &Path) -> Result<Self, VerdictError> {
        if !dir.is_dir() {
            return Err(VerdictError::Io {
                path: dir.to_owned(),
                message: "no verdict store here (a directory)".into(),
            });
        }
        Ok(Self {
            dir: dir.to_owned(),
        })
    }

    /// Opens a store, creating its directory when missing.
    pub fn create(dir: &Path) -> Result<Self, VerdictError> {
        std::fs::create_dir_all(dir).map_err(|e| VerdictError::Io {
            path: dir.to_owned(),
            message: e.to_string(),
        })?;
        Self::open(dir)
    }

    fn file(&self, digest: &str) -> Result<PathBuf, VerdictError> {
        let (alg, hex) = split_digest(digest)?;
        Ok(self.dir.join(alg).join(format!("{hex}.json")))
    }

    /// The verdict recorded for a digest, if any.
    pub fn verdict(&self, digest: &str) -> Result<Option<Verdict>, VerdictError> {
        let path = self.file(digest)?;
        let bytes = match std::fs::File::open(&path) {
            Ok(f) => {
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(
                    &mut std::io::Read::take(f, MAX_VERDICT_BYTES + 1),
                    &mut bytes,
                )
                .map_err(|e| VerdictError::Io {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
                bytes
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(VerdictError::Io {
                    path,
                    message: e.to_string(),
                });
            }
        };
        let corrupt = |message: String| VerdictError::Corrupt {
            path: path.clone(),
            message,
        };
        if bytes.len() as u64 > MAX_VERDICT_BYTES {
            return Err(corrupt("larger than 1 MiB".into()));
        }
        let verdict: Verdict =
            serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
        if verdict.schema != SCHEMA || verdict.digest != digest {
            return Err(corrupt(format!(
                "schema {} for {}",
                verdict.schema, verdict.digest
            )));
        }
        Ok(Some(verdict))
    }

    /// Records a verdict, replacing any earlier one for the digest.
    pub fn record(&self, verdict: &Verdict) -> Result<PathBuf, VerdictError> {
        let path = self.file(&verdict.digest)?;
        let io = |e: std::io::Error| VerdictError::Io {
            path: path.clone(),
            message: e.to_string(),
        };
        let dir = path.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(dir).map_err(io)?;
        let tmp = dir.join(format!(
            ".{}.tmp-{}",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("v"),
            std::process::id()
        ));
        let mut file = std::fs::File::create(&tmp).map_err(io)?;
        let json = serde_json::to_vec_pretty(verdict).map_err(|e| io(std::io::Error::other(e)))?;
        file.write_all(&json)
            .and_then(|()| file.sync_all())
            .map_err(io)?;
        drop(file);
        std::fs::rename(&tmp, &path).map_err(io)?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(digest: &str, allowed: bool) -> Verdict {
        Verdict {
            schema: SCHEMA.into(),
            digest: digest.into(),
            reference: "r.example.com/a:1".into(),
            scanned_at: 1,
            allowed,
            fail_on: Some("high".into()),
            counts: BTreeMap::from([("critical".into(), 1)]),
            reasons: vec!["1 critical vulnerability".into()],
        }
    }

    #[test]
    fn round_trip_and_replace() {
        let dir = tempfile::tempdir().unwrap();
        let store = ImageVerdictStore::create(&dir.path().join("store")).unwrap();
        let digest = format!("sha256:{}", "ab".repeat(32));
        assert_eq!(store.verdict(&digest).unwrap(), None);
        store.record(&verdict(&digest, false)).unwrap();
        store.record(&verdict(&digest, true)).unwrap();
        let reader = ImageVerdictStore::open(&dir.path().join("store")).unwrap();
        assert!(reader.verdict(&digest).unwrap().unwrap().allowed);
    }

    #[test]
    fn digests_cannot_name_other_files() {
        for bad in [
            "sha256:../../etc/passwd",
            "sha256",
            "SHA256:abcd",
            "sha256:ABCDEF0123456789ABCDEF0123456789",
            "../x:0123456789abcdef0123456789abcdef",
        ] {
            assert!(
                matches!(split_digest(bad), Err(VerdictError::BadDigest(_))),
                "{bad}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_digest_string_is_safe(s in ".{0,80}") {
            if let Ok((alg, hex)) = split_digest(&s) {
                proptest::prop_assert!(!alg.contains(['/', '.']) && !hex.contains(['/', '.']));
            }
        }
    }
}
