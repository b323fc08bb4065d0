//! Content digests (`sha256:…`, `sha512:…`, the algorithms the OCI image
//! specification registers) and a reader that checks one as a blob streams
//! by, failing at the end of the stream when the content does not match.

use std::io::{self, Read};

use sha2::Digest;

use super::SourceError;

#[derive(Clone, Debug)]
enum Hasher {
    Sha256(sha2::Sha256),
    Sha512(sha2::Sha512),
}

/// The running hash of some content and the digest it must end with.
#[derive(Debug)]
pub struct DigestCheck {
    hasher: Hasher,
    expected: String,
}

/// Content that does not match the digest it is named by. It travels inside
/// an `io::Error` so that layer reading can tell it from corrupt data.
#[derive(Debug, thiserror::Error)]
#[error("blob {expected} does not match its digest")]
pub struct DigestMismatch {
    pub expected: String,
}

impl DigestCheck {
    /// A check for `expected` (`algorithm:hex`); other algorithms are refused
    /// rather than trusted unchecked.
    pub fn new(expected: &str) -> Result<DigestCheck, SourceError> {
        let hasher = match expected.split_once(':') {
            Some(("sha256", _)) => Hasher::Sha256(sha2::Sha256::new()),
            Some(("sha512", _)) => Hasher::Sha512(sha2::Sha512::new()),
            _ => {
                return Err(SourceError::Invalid(format!(
                    "digest `{expected}`: only sha256 and sha512 digests are supported"
                )));
            }
        };
        Ok(DigestCheck {
            hasher,
            expected: expected.to_owned(),
        })
    }

    pub fn update(&mut self, data: &[u8]) {
        match &mut self.hasher {
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha512(h) => h.update(data),
        }
    }

    /// Whether the content seen so far has the expected digest.
    pub fn matches(&self) -> bool {
        let hex = hex(&match &self.hasher {
            Hasher::Sha256(h) => h.clone().finalize().to_vec(),
            Hasher::Sha512(h) => h.clone().finalize().to_vec(),
        });
        self.expected
            .split_once(':')
            .is_some_and(|(_, want)| want == hex)
    }

    /// `Ok` when the content matches, else the [`DigestMismatch`] error.
    pub fn verify(&self) -> io::Result<()> {
        if self.matches() {
            Ok(())
        } else {
            Err(io::Error::new(
                io::ErrorKind::InvalidData,
                DigestMismatch {
                    expected: self.expected.clone(),
                },
            ))
        }
    }
}

/// Whether `bytes` have the digest `expected`.
pub fn content_matches(expected: &str, bytes: &[u8]) -> Result<bool, SourceError> {
    let mut check = DigestCheck::new(expected)?;
    check.update(bytes);
    Ok(check.matches())
}

/// A blob checked against its digest as it is read: a mismatch is an error
/// in place of the end of the stream, so nothing read from it is trusted
/// unless the reader got to the end.
#[derive(Debug)]
pub struct Verified<R> {
    inner: R,
    check: DigestCheck,
}

impl<R> Verified<R> {
    pub fn new(inner: R, digest: &str) -> Result<Verified<R>, SourceError> {
        Ok(Verified {
            inner,
            check: DigestCheck::new(digest)?,
        })
    }
}

impl<R: Read> Read for Verified<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.check.verify()?;
        }
        self.check.update(&buf[..n]);
        Ok(n)
    }
}

/// Whether an I/O error is a [`DigestMismatch`], and which.
pub fn mismatch_in(error: &io::Error) -> Option<&DigestMismatch> {
    error.get_ref()?.downcast_ref::<DigestMismatch>()
}

/// Bytes as lowercase hex, as digests write them.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_is_checked_at_its_end() {
        let good = crate::source::sha256_digest(b"layer");
        let mut out = Vec::new();
        Verified::new(&b"layer"[..], &good)
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        let err = Verified::new(&b"other"[..], &good)
            .unwrap()
            .read_to_end(&mut out)
            .unwrap_err();
        assert_eq!(mismatch_in(&err).unwrap().expected, good);
        let sha512 = format!("sha512:{}", hex(&sha2::Sha512::digest(b"layer")));
        assert!(content_matches(&sha512, b"layer").unwrap());
        assert!(!content_matches(&sha512, b"layer!").unwrap());
        assert!(DigestCheck::new("md5:abc").is_err());
    }
}
