//! A small Kubernetes PKI (`kubeward pki`): a CA, client and server
//! certificates with the names Kubernetes reads (CN is the user, O the
//! groups, SANs the names a server is reached by), kubeconfigs for client
//! certificates, `inspect` (what `openssl x509 -text` shows plus what the API
//! server will make of it) and `check` over a kubeadm `/etc/kubernetes/pki`.
//!
//! Private keys are written with mode 600 and never printed; reports say
//! where a key is, never what it is. Certificates are made with rcgen and
//! read with x509-parser.
#![forbid(unsafe_code)]

pub mod check;
pub mod inspect;
pub mod issue;
pub mod keys;
pub mod kubeconfig;

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
}

/// The most bytes read from a certificate or key file.
pub const MAX_PEM_BYTES: u64 = 1 << 20;

/// Reads a file of at most [`MAX_PEM_BYTES`].
pub fn read_small(path: &std::path::Path) -> Result<Vec<u8>, PkiError> {
    kubeward_core::bounded::read_file(path, MAX_PEM_BYTES).map_err(|e| PkiError::io(path, e))
}
