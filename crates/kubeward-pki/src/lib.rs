//! A small Kubernetes PKI (`kubeward pki`): a CA, client and server
//! certificates with the names Kubernetes reads (CN is the user, O the
//! groups, SANs the names a server is reached by), kubeconfigs for client
//! certificates, `inspect` (what `openssl x509 -text` shows plus what the API
//! server will make of it) and `check` over a kubeadm `/etc/kubernetes/pki`.
//!
//! Private keys are written with mode 600 and never printed; reports say
//! where a key is, never what it is. Certificates are made with rcgen and
//! read with x509-parser; signatures are checked with ring, and RSA ones
//! with the `rsa` crate so that every key size openssl takes verifies.
#![forbid(unsafe_code)]

pub mod check;
pub mod inspect;
pub mod issue;
pub mod keys;
pub mod kubeconfig;
pub mod signature;

use std::path::PathBuf;

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{0}")]
    Usage(String),
    #[error("certificate generation failed: {0}")]
    Generate(#[from] rcgen::Error),
}

impl PkiError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn invalid(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The message without the file it is about, for reports that name the
    /// file apart (a [`kubeward_core::Diagnostic`] does).
    pub fn detail(&self) -> String {
        match self {
            Self::Io { source, .. } => source.to_string(),
            Self::Invalid { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }
}

/// Writes a file with exactly `mode`: the text goes to a new temporary file
/// in the same folder (created with `mode`), is synced, then renamed into
/// place. So a replaced file never keeps an old, looser mode, a link at the
/// path is replaced rather than written through, and a crash leaves either
/// the old file or the new one. Without `replace`, an existing path (a
/// dangling link included) is an error.
pub fn write_file(
    path: &std::path::Path,
    mode: u32,
    text: &str,
    replace: bool,
) -> Result<(), PkiError> {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let mut file = tempfile::Builder::new()
        .prefix(".kubeward-")
        .permissions(std::fs::Permissions::from_mode(mode))
        .tempfile_in(dir)
        .map_err(|e| PkiError::io(dir, e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .map_err(|e| PkiError::io(file.path(), e))?;
    let persisted = if replace {
        file.persist(path)
    } else {
        file.persist_noclobber(path)
    };
    persisted.map(drop).map_err(|e| match e.error.kind() {
        std::io::ErrorKind::AlreadyExists => already_exists(path),
        _ => PkiError::io(path, e.error),
    })
}

/// The error for a file that would be overwritten without `--force`.
pub(crate) fn already_exists(path: &std::path::Path) -> PkiError {
    PkiError::Usage(format!(
        "{} already exists (use --force to replace it)",
        path.display()
    ))
}

/// The most bytes read from a certificate or key file.
pub const MAX_PEM_BYTES: u64 = 1 << 20;

/// Reads a file of at most [`MAX_PEM_BYTES`].
pub fn read_small(path: &std::path::Path) -> Result<Vec<u8>, PkiError> {
    kubeward_core::bounded::read_file(path, MAX_PEM_BYTES).map_err(|e| PkiError::io(path, e))
}
