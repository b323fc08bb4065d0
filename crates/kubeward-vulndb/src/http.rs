//! The HTTPS client kubeward uses for downloads (database exports here, image
//! layers in kubeward-image): ureq over rustls with the ring provider, Mozilla's
//! roots or the CA file a user names, no automatic status errors (callers
//! handle 304, 401 and redirects' answers themselves), and timeouts so that a
//! stalled server cannot hang a scan.

use std::path::{Path, PathBuf};
use std::time::Duration;

use ureq::tls::{Certificate, RootCerts, TlsConfig};

/// How to reach servers.
#[derive(Clone, Debug, Default)]
pub struct HttpOptions {
    /// Trust only the certificates in this PEM file (an internal mirror or
    /// registry CA) instead of Mozilla's roots.
    pub ca_file: Option<PathBuf>,
    /// Give up on a read that stalls this long (default 60 s).
    pub read_timeout: Option<Duration>,
}

fn certificates(path: &Path) -> Result<Vec<Certificate<'static>>, String> {
    // A CA bundle (Debian's whole one is about 200 KB).
    let pem = kubeward_core::bounded::read_file(path, 4 << 20)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(&pem)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => Some(c.to_owned()),
            _ => None,
        })
        .collect();
    if certs.is_empty() {
        return Err(format!("{}: no certificate in the file", path.display()));
    }
    Ok(certs)
}

/// Builds an agent.
pub fn agent(options: &HttpOptions) -> Result<ureq::Agent, String> {
    let mut tls = TlsConfig::builder();
    if let Some(ca) = &options.ca_file {
        tls = tls.root_certs(RootCerts::new_with_certs(&certificates(ca)?));
    }
    let read = options.read_timeout.unwrap_or(Duration::from_secs(60));
    Ok(ureq::Agent::config_builder()
        .tls_config(tls.build())
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_recv_response(Some(read))
        .timeout_per_read(Some(read))
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
