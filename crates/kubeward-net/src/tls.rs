//! TLS for every kubeward server and client: reading PEM certificates, keys
//! and CA roots (the one place PEM files are read, bounded), the serving certificate
//! re-read when its files change on disk (as cert-manager rotates them)
//! without restarting, client certificates required and verified against a
//! CA (mutual TLS), and client settings trusting a given CA. Always rustls
//! with the ring provider, TLS 1.2 and 1.3.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use rustls::ServerConfig;
use rustls::server::danger::ClientCertVerifier;
use rustls::server::{ClientHello, ResolvesServerCert, WebPkiClientVerifier};
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// Why a certificate could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct TlsError {
    pub path: PathBuf,
    pub message: String,
}

pub(crate) fn tls_error(path: &Path, message: impl ToString) -> TlsError {
    TlsError {
        path: path.to_owned(),
        message: message.to_string(),
    }
}

/// The largest PEM file read (Debian's whole CA bundle is about 200 KB).
const MAX_PEM_BYTES: u64 = 4 << 20;

/// A PEM file's bytes, bounded in size.
pub(crate) fn read_pem(path: &Path) -> Result<Vec<u8>, TlsError> {
    let mut pem = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_PEM_BYTES + 1).read_to_end(&mut pem))
        .map_err(|e| tls_error(path, e))?;
    if pem.len() as u64 > MAX_PEM_BYTES {
        return Err(tls_error(
            path,
            format!("larger than {MAX_PEM_BYTES} bytes"),
        ));
    }
    Ok(pem)
}

/// The certificates of a PEM file (none when it holds none).
fn pem_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    CertificateDer::pem_slice_iter(&read_pem(path)?)
        .collect::<Result<_, _>>()
        .map_err(|e| tls_error(path, e))
}

/// The certificates of a PEM file (at least one).
pub fn read_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certs = pem_certificates(path)?;
    if certs.is_empty() {
        return Err(tls_error(path, "no certificate in the file"));
    }
    Ok(certs)
}

/// The private key of a PEM file.
pub fn read_private_key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    PrivateKeyDer::from_pem_slice(&read_pem(path)?).map_err(|e| tls_error(path, e))
}

/// The CA certificates of a PEM file as trust anchors (none when it holds none).
pub fn read_roots(path: &Path) -> Result<rustls::RootCertStore, TlsError> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in pem_certificates(path)? {
        roots.add(cert).map_err(|e| tls_error(path, e))?;
    }
    Ok(roots)
}

/// Reads a PEM certificate chain and private key into a signing key.
pub fn load_certified_key(cert: &Path, key: &Path) -> Result<CertifiedKey, TlsError> {
    let chain = read_certificates(cert)?;
    let private = read_private_key(key)?;
    let provider = rustls::crypto::ring::default_provider();
    let signing = provider
        .key_provider
        .load_private_key(private)
        .map_err(|e| tls_error(key, e))?;
    let certified = CertifiedKey::new(chain, signing);
    certified
        .keys_match()
        .map_err(|e| tls_error(key, format!("key does not match certificate: {e}")))?;
    Ok(certified)
}

/// Verifies the certificates clients present.
pub type ClientVerifier = Arc<dyn ClientCertVerifier>;

/// A verifier that requires every client to present a certificate chaining
/// to one of the CA certificates in `ca` (a PEM file).
pub fn client_verifier(ca: &Path) -> Result<ClientVerifier, TlsError> {
    let roots = read_roots(ca)?;
    if roots.is_empty() {
        return Err(tls_error(ca, "no CA certificate in the file"));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
        .build()
        .map_err(|e| tls_error(ca, e))
}

/// The modification times of the certificate and key files.
type Stamp = (Option<SystemTime>, Option<SystemTime>);

/// The current certificate, swapped in place when the files change.
#[derive(Debug)]
pub struct ReloadingCert {
    cert_path: PathBuf,
    key_path: PathBuf,
    current: RwLock<(Arc<CertifiedKey>, Stamp)>,
    /// The files' times when they last failed to load, so that a bad file
    /// is reported once, not on every check.
    failed: RwLock<Option<Stamp>>,
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl ReloadingCert {
    pub fn load(cert_path: &Path, key_path: &Path) -> Result<Self, TlsError> {
        let key = load_certified_key(cert_path, key_path)?;
        Ok(Self {
            cert_path: cert_path.to_owned(),
            key_path: key_path.to_owned(),
            current: RwLock::new((Arc::new(key), (modified(cert_path), modified(key_path)))),
            failed: RwLock::new(None),
        })
    }

    /// Re-reads the files when their modification times changed. Returns
    /// `Ok(true)` when a new certificate was loaded; on error the old one
    /// stays, and the same files are not tried (nor reported) again until
    /// they change once more.
    pub fn reload_if_changed(&self) -> Result<bool, TlsError> {
        let stamp = (modified(&self.cert_path), modified(&self.key_path));
        let unchanged = self.current.read().is_ok_and(|c| c.1 == stamp);
        let known_bad = self.failed.read().is_ok_and(|f| *f == Some(stamp));
        if unchanged || known_bad {
            return Ok(false);
        }
        let key = match load_certified_key(&self.cert_path, &self.key_path) {
            Ok(key) => key,
            Err(e) => {
                if let Ok(mut failed) = self.failed.write() {
                    *failed = Some(stamp);
                }
                return Err(e);
            }
        };
        if let Ok(mut current) = self.current.write() {
            *current = (Arc::new(key), stamp);
        }
        Ok(true)
    }

    /// Server settings (TLS 1.2 and 1.3, HTTP/2 and HTTP/1.1 offered) that
    /// always serve the current certificate, and with `clients` refuse at
    /// the handshake any client without a certificate they verify.
    pub fn server_config(self: &Arc<Self>, clients: Option<ClientVerifier>) -> ServerConfig {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .expect("ring supports TLS 1.2 and 1.3");
        let builder = match clients {
            Some(verifier) => builder.with_client_cert_verifier(verifier),
            None => builder.with_no_client_auth(),
        };
        let mut config = builder.with_cert_resolver(self.clone());
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        config
    }

    /// A TLS acceptor with [`Self::server_config`].
    pub fn acceptor(
        self: &Arc<Self>,
        clients: Option<ClientVerifier>,
    ) -> tokio_rustls::TlsAcceptor {
        tokio_rustls::TlsAcceptor::from(Arc::new(self.server_config(clients)))
    }
}

/// Server settings for a certificate read once (a server that does not
/// watch its files).
pub fn server_config(cert: &Path, key: &Path) -> Result<ServerConfig, TlsError> {
    Ok(Arc::new(ReloadingCert::load(cert, key)?).server_config(None))
}

/// Client settings that trust only the CA certificates in `ca`, offer
/// `versions`, and with `identity` (certificate chain and key files)
/// present a client certificate (mutual TLS).
pub fn client_config(
    ca: &Path,
    identity: Option<(&Path, &Path)>,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> Result<rustls::ClientConfig, TlsError> {
    let roots = read_roots(ca)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .map_err(|e| tls_error(ca, e))?
        .with_root_certificates(roots);
    match identity {
        None => Ok(builder.with_no_client_auth()),
        Some((cert, key)) => builder
            .with_client_auth_cert(read_certificates(cert)?, read_private_key(key)?)
            .map_err(|e| tls_error(key, e)),
    }
}

impl ResolvesServerCert for ReloadingCert {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        self.current.read().ok().map(|c| c.0.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_pair(dir: &Path) -> (PathBuf, PathBuf) {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["localhost".to_owned()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let paths = (dir.join("tls.crt"), dir.join("tls.key"));
        std::fs::write(&paths.0, cert.pem()).unwrap();
        std::fs::write(&paths.1, key.serialize_pem()).unwrap();
        paths
    }

    /// Sets a file's modification time `seconds` past the epoch, so that
    /// each change is seen whatever the file system's clock granularity.
    fn touch(path: &Path, seconds: u64) {
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(seconds))
            .unwrap();
    }

    #[test]
    fn a_bad_certificate_is_reported_once_per_change() {
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = write_pair(dir.path());
        let reloading = ReloadingCert::load(&cert, &key).unwrap();
        assert!(!reloading.reload_if_changed().unwrap(), "unchanged");
        let good = std::fs::read(&cert).unwrap();
        std::fs::write(&cert, "junk").unwrap();
        touch(&cert, 1_000);
        assert!(reloading.reload_if_changed().is_err(), "reported");
        assert!(!reloading.reload_if_changed().unwrap(), "not again");
        touch(&cert, 2_000);
        assert!(reloading.reload_if_changed().is_err(), "a new change is");
        std::fs::write(&cert, good).unwrap();
        touch(&cert, 3_000);
        assert!(reloading.reload_if_changed().unwrap(), "a good file loads");
    }

    #[test]
    fn a_client_ca_file_without_certificates_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("ca.crt");
        std::fs::write(&empty, "").unwrap();
        let e = client_verifier(&empty).map(|_| ()).unwrap_err();
        assert!(e.to_string().contains("no CA certificate"), "{e}");
    }
}
