//! The HTTP(S) client every kubeward client uses (advisory database
//! downloads, image registries, etcd's JSON gateway, the alert webhook):
//! ureq over rustls with the ring provider, Mozilla's roots or the CA file a
//! user names, an optional client certificate, no automatic status errors
//! (callers handle 304, 401 and redirects' answers themselves), and
//! timeouts so that a stalled server cannot hang a command.

use std::path::PathBuf;
use std::time::Duration;

use ureq::tls::{Certificate, ClientCert, PrivateKey, RootCerts, TlsConfig};

use crate::tls::{TlsError, load_certified_key, read_certificates, read_pem, tls_error};

/// How to reach servers.
#[derive(Clone, Debug, Default)]
pub struct HttpOptions {
    /// Trust only the certificates in this PEM file (an internal mirror,
    /// registry or etcd CA) instead of Mozilla's roots.
    pub ca_file: Option<PathBuf>,
    /// A client certificate chain and its key (PEM files), for servers that
    /// require mutual TLS.
    pub client_cert: Option<(PathBuf, PathBuf)>,
    /// Give up on a read that stalls this long (default 60 s).
    pub read_timeout: Option<Duration>,
    /// Give up on a whole request after this long (default: no limit but
    /// the connect and read timeouts).
    pub total_timeout: Option<Duration>,
}

/// Builds an agent.
pub fn agent(options: &HttpOptions) -> Result<ureq::Agent, TlsError> {
    let mut tls = TlsConfig::builder();
    if let Some(ca) = &options.ca_file {
        let certs = read_certificates(ca)?;
        let certs: Vec<_> = certs
            .iter()
            .map(|c| Certificate::from_der(c.as_ref()).to_owned())
            .collect();
        tls = tls.root_certs(RootCerts::new_with_certs(&certs));
    }
    if let Some((cert, key)) = &options.client_cert {
        // ureq panics on its first connection when the key is not the
        // certificate's, so the pair is checked here, where it is an error.
        load_certified_key(cert, key)?;
        let chain: Vec<_> = read_certificates(cert)?
            .iter()
            .map(|c| Certificate::from_der(c.as_ref()).to_owned())
            .collect();
        // ureq takes keys only as PEM (its key kinds are private).
        let key = PrivateKey::from_pem(&read_pem(key)?).map_err(|e| tls_error(key, e))?;
        tls = tls.client_cert(Some(ClientCert::new_with_certs(&chain, key)));
    }
    let read = options.read_timeout.unwrap_or(Duration::from_secs(60));
    Ok(ureq::Agent::config_builder()
        .tls_config(tls.build())
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_recv_response(Some(read))
        .timeout_per_read(Some(read))
        .timeout_global(options.total_timeout)
        .http_status_as_error(false)
        .user_agent(concat!("kubeward/", env!("CARGO_PKG_VERSION")))
        .build()
        .into())
}

/// Percent-encodes everything but RFC 3986's unreserved characters: a URL
/// path segment (`Rocky Linux` → `Rocky%20Linux`), a query value, a purl part.
pub fn percent_encode(s: &str) -> String {
    const UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, UNRESERVED).to_string()
}
