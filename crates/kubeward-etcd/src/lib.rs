//! Secrets at rest (`kubeward etcd check`): reads the keys under
//! `/registry/secrets/` through etcd's v3 API and tells which Secrets the API
//! server stored encrypted (`k8s:enc:<provider>:…`) and which in plain text.
//!
//! It talks to etcd's v3 JSON gateway (`POST /v3/kv/range`), which every
//! etcd since 3.3 serves on its client port, with `kubeward-net`'s HTTP client
//! (CA and client certificates supported): no gRPC stack or protobuf build step is needed
//! for one read-only range call. Values are read only to look at their
//! prefix and are never printed or kept.
#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kubeward_net::client::{HttpOptions, agent as agent_with};
use serde::Deserialize;

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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSecret {
    /// The etcd key (`/registry/secrets/NAMESPACE/NAME`).
    pub key: String,
    pub encrypted: bool,
    /// `aescbc`, `aesgcm`, `secretbox`, `kms` (or another name after `k8s:enc:`).
    pub provider: Option<String>,
}

/// Reads how a value is stored from its prefix.
pub fn classify(value: &[u8]) -> (bool, Option<String>) {
    let Some(rest) = value.strip_prefix(b"k8s:enc:") else {
        return (false, None);
    };
    let provider = rest
        .split(|b| *b == b':')
        .next()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .filter(|p| !p.is_empty());
    (provider.is_some(), provider)
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

fn agent(tls: &Tls) -> Result<ureq::Agent, EtcdError> {
    let client_cert = match (&tls.cert, &tls.key) {
        (Some(cert), Some(key)) => Some((cert.clone(), key.clone())),
        (None, None) => None,
        _ => {
            return Err(EtcdError::File(
                tls.cert
                    .clone()
                    .or_else(|| tls.key.clone())
                    .unwrap_or_default(),
                "--cert and --key go together".into(),
            ));
        }
    };
    let options = HttpOptions {
        ca_file: tls.ca.clone(),
        client_cert,
        total_timeout: Some(Duration::from_secs(30)),
        ..HttpOptions::default()
    };
    agent_with(&options).map_err(|e| EtcdError::File(e.path, e.message))
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
pub fn scan(endpoints: &[String], tls: &Tls) -> Result<(String, Vec<StoredSecret>), EtcdError> {
    let agent = agent(tls)?;
    let mut last_error = EtcdError::NoEndpoint;
    for endpoint in endpoints {
        match scan_one(&agent, endpoint) {
            Ok(secrets) => return Ok((endpoint.clone(), secrets)),
            Err(e) => last_error = e,
        }
    }
    Err(last_error)
}

fn scan_one(agent: &ureq::Agent, endpoint: &str) -> Result<Vec<StoredSecret>, EtcdError> {
    let fail = |message: String| EtcdError::Endpoint {
        endpoint: endpoint.to_owned(),
        message,
    };
    let url = format!("{}/v3/kv/range", base_url(endpoint).map_err(fail)?);
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
            .map_err(|e| fail(e.to_string()))?;
        let status = response.status();
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_string()
            .map_err(|e| fail(e.to_string()))?;
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
