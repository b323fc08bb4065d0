//! Secrets at rest (`kubeward etcd check`): reads the keys under
//! `/registry/secrets/` through etcd's v3 API and tells which Secrets the API
//! server stored encrypted (`k8s:enc:<provider>:…`) and which in plain text.
//!
//! It talks to etcd's v3 JSON gateway (`POST /v3/kv/range`), which every
//! etcd since 3.3 serves on its client port, with `kubeward-net`'s HTTP client
//! (CA and client certificates supported): no gRPC stack or protobuf build step is needed
//! for one read-only range call. Values are read only to look at their
//! prefix and are never printed or kept. It never writes to etcd.
#![forbid(unsafe_code)]

use std::path::PathBuf;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

mod connect;

use connect::agent;

/// Where Kubernetes keeps Secrets in etcd.
pub const SECRETS_PREFIX: &str = "/registry/secrets/";

/// Keys asked for per request.
const PAGE: usize = 100;
/// The most bytes read from one response.
const MAX_RESPONSE_BYTES: u64 = 256 << 20;
/// The most keys read in all.
const MAX_KEYS: usize = 1_000_000;

#[derive(Debug, thiserror::Error)]
pub enum EtcdError {
    #[error("{0}: {1}")]
    File(PathBuf, String),
    #[error("{endpoint}: {message}")]
    Endpoint { endpoint: String, message: String },
    #[error("no endpoint given")]
    NoEndpoint,
}

/// TLS material for the connection.
#[derive(Clone, Debug, Default)]
pub struct Tls {
    /// CA to verify etcd's certificate (else the system's roots).
    pub ca: Option<PathBuf>,
    /// Client certificate and key.
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

/// How one Secret is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredSecret {
    /// The etcd key (`/registry/secrets/NAMESPACE/NAME`).
    pub key: String,
    /// Whether a provider the API server has (one of [`KNOWN_PROVIDERS`])
    /// wrote it.
    pub encrypted: bool,
    /// The name after `k8s:enc:`: one of [`KNOWN_PROVIDERS`], or another
    /// name, which no API server writes, so nothing says it is encrypted.
    pub provider: Option<String>,
}

/// The Secrets counted by how they are stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub secrets: usize,
    pub encrypted: usize,
    pub plain_text: usize,
    /// `k8s:enc:` with a provider the API server does not have.
    pub unknown_provider: usize,
}

impl Totals {
    pub fn of(secrets: &[StoredSecret]) -> Self {
        let mut totals = Self {
            secrets: secrets.len(),
            ..Self::default()
        };
        for s in secrets {
            match (s.encrypted, &s.provider) {
                (true, _) => totals.encrypted += 1,
                (false, Some(_)) => totals.unknown_provider += 1,
                (false, None) => totals.plain_text += 1,
            }
        }
        totals
    }
}

/// What `etcd check` found at the endpoint that answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    pub endpoint: String,
    pub secrets: Vec<StoredSecret>,
    pub totals: Totals,
}

impl Report {
    /// 1 when any Secret is not known to be encrypted, else 0.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.totals.encrypted < self.totals.secrets)
    }
}

/// Reads how a value is stored from its prefix: (encrypted, provider).
pub fn classify(value: &[u8]) -> (bool, Option<String>) {
    let Some(rest) = value.strip_prefix(b"k8s:enc:") else {
        return (false, None);
    };
    let provider = rest
        .split(|b| *b == b':')
        .next()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .filter(|p| !p.is_empty());
    let known = provider
        .as_deref()
        .is_some_and(|p| KNOWN_PROVIDERS.contains(&p));
    (known, provider)
}

#[derive(Deserialize)]
struct RangeResponse {
    #[serde(default)]
    kvs: Vec<KeyValue>,
    #[serde(default)]
    more: bool,
}

#[derive(Deserialize)]
struct KeyValue {
    key: String,
    #[serde(default)]
    value: String,
}

/// An endpoint as a base URL: `https://` unless written `http://`; any
/// other scheme is refused.
fn base_url(endpoint: &str) -> Result<String, String> {
    let e = endpoint.trim().trim_end_matches('/');
    match e.split_once("://") {
        Some(("http" | "https", _)) => Ok(e.to_owned()),
        Some((scheme, _)) => Err(format!(
            "unsupported scheme `{scheme}` (use https:// or http://)"
        )),
        None => Ok(format!("https://{e}")),
    }
}

/// The providers the API server writes after `k8s:enc:`.
pub const KNOWN_PROVIDERS: [&str; 4] = ["aescbc", "aesgcm", "secretbox", "kms"];

/// The end of the range of keys that start with `prefix`.
fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return end;
        }
    }
    vec![0]
}

/// Lists how every Secret is stored, from the first endpoint that answers.
pub fn scan(endpoints: &[String], tls: &Tls) -> Result<Report, EtcdError> {
    let agent = agent(tls)?;
    let mut last_error = EtcdError::NoEndpoint;
    for endpoint in endpoints {
        match scan_one(&agent, endpoint, tls) {
            Ok(secrets) => {
                return Ok(Report {
                    endpoint: endpoint.clone(),
                    totals: Totals::of(&secrets),
                    secrets,
                });
            }
            Err(e) => last_error = e,
        }
    }
    Err(last_error)
}

fn scan_one(
    agent: &ureq::Agent,
    endpoint: &str,
    tls: &Tls,
) -> Result<Vec<StoredSecret>, EtcdError> {
    let fail = |message: String| EtcdError::Endpoint {
        endpoint: endpoint.to_owned(),
        message,
    };
    let base = base_url(endpoint).map_err(fail)?;
    let https = base.starts_with("https://");
    let url = format!("{base}/v3/kv/range");
    let end = prefix_end(SECRETS_PREFIX.as_bytes());
    let mut start = SECRETS_PREFIX.as_bytes().to_vec();
    let mut out = Vec::new();
    loop {
        let body = serde_json::json!({
            "key": STANDARD.encode(&start),
            "range_end": STANDARD.encode(&end),
            "limit": PAGE,
        });
        let mut response = agent
            .post(&url)
            .header("content-type", "application/json")
            .send(body.to_string().as_bytes())
            .map_err(|e| fail(connect::explain(&e, https, tls)))?;
        let status = response.status();
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_string()
            .map_err(|e| fail(e.to_string()))?;
        if !https && status == 400 && text.contains("HTTPS server") {
            return Err(fail(connect::speaks_tls()));
        }
        if !status.is_success() {
            let first = text
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(200)
                .collect::<String>();
            return Err(fail(format!("HTTP {status}: {first}")));
        }
        let page: RangeResponse =
            serde_json::from_str(&text).map_err(|e| fail(format!("unexpected response: {e}")))?;
        let mut last_key = None;
        for kv in &page.kvs {
            let key = STANDARD
                .decode(&kv.key)
                .map_err(|e| fail(format!("bad key encoding: {e}")))?;
            let value = STANDARD
                .decode(&kv.value)
                .map_err(|e| fail(format!("bad value encoding: {e}")))?;
            let (encrypted, provider) = classify(&value);
            out.push(StoredSecret {
                key: String::from_utf8_lossy(&key).into_owned(),
                encrypted,
                provider,
            });
            last_key = Some(key);
        }
        match last_key {
            Some(mut key) if page.more && out.len() < MAX_KEYS => {
                key.push(0);
                start = key;
            }
            _ => return Ok(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(
            classify(b"k8s:enc:aescbc:v1:key1:\x00\x01"),
            (true, Some("aescbc".into()))
        );
        assert_eq!(
            classify(b"k8s:enc:kms:v2:vault:"),
            (true, Some("kms".into()))
        );
        assert_eq!(
            classify(b"k8s\x00\n\x0c\n\x02v1\x12\x06Secret"),
            (false, None)
        );
        assert_eq!(classify(b"{\"kind\":\"Secret\"}"), (false, None));
        assert_eq!(classify(b"k8s:enc:"), (false, None));
        assert_eq!(
            classify(b"k8s:enc:foo:v1:k:"),
            (false, Some("foo".into())),
            "no API server writes `foo`: nothing says it is encrypted"
        );
        assert_eq!(prefix_end(b"/registry/secrets/"), b"/registry/secrets0");
        assert_eq!(
            base_url("127.0.0.1:2379/").unwrap(),
            "https://127.0.0.1:2379"
        );
        assert_eq!(
            base_url("http://127.0.0.1:2379").unwrap(),
            "http://127.0.0.1:2379"
        );
        assert_eq!(
            base_url("ftp://127.0.0.1:1").unwrap_err(),
            "unsupported scheme `ftp` (use https:// or http://)"
        );
    }
}
