//! Pulling from a registry through the OCI distribution API: manifests
//! (resolving multi-platform indexes), the configuration and layer blobs,
//! streamed and checked against their digests as they are read. HTTPS always,
//! except for hosts named with `--insecure-registry`; credentials from
//! `--username`/`--password-stdin` or `~/.docker/config.json`; bearer tokens
//! (`WWW-Authenticate: Bearer realm=…`) and basic authentication.

use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use base64::Engine;
use kubeward_core::image_ref::ImageRef;
use kubeward_vulndb::http::{HttpOptions, agent, percent_encode};
use serde_json::Value;

use super::digest::Verified;
use super::platform::{Platform, is_index, pick};
use super::{Image, ImageConfig, LayerOpener, SourceError, layers_and_annotations, sha256_digest};

const ACCEPT: &str = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json";
const MAX_MANIFEST: u64 = 8 << 20;

/// How to reach registries.
#[derive(Clone, Debug, Default)]
pub struct RegistryOptions {
    pub http: HttpOptions,
    /// Hosts (`host:port`) reached over plain HTTP.
    pub insecure: Vec<String>,
    /// User name and password, overriding the Docker configuration.
    pub credentials: Option<(String, String)>,
    /// `~/.docker/config.json` unless set.
    pub docker_config: Option<PathBuf>,
    pub platform: Platform,
}

fn error(message: impl Into<String>) -> SourceError {
    SourceError::Registry(message.into())
}

/// Credentials for `host` in a Docker configuration file (`auths.<host>.auth`).
fn docker_credentials(path: Option<&PathBuf>, host: &str) -> Option<(String, String)> {
    let path = path.cloned().or_else(|| {
        std::env::var_os("DOCKER_CONFIG")
            .map(|d| PathBuf::from(d).join("config.json"))
            .or_else(|| {
                std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".docker/config.json"))
            })
    })?;
    let text = kubeward_core::bounded::read_file(&path, 4 << 20).ok()?;
    let config: Value = serde_json::from_slice(&text).ok()?;
    let auths = config.get("auths")?.as_object()?;
    let keys: Vec<String> = if host == "docker.io" {
        vec![
            "https://index.docker.io/v1/".into(),
            "docker.io".into(),
            "index.docker.io".into(),
        ]
    } else {
        vec![
            host.into(),
            format!("https://{host}"),
            format!("http://{host}"),
        ]
    };
    let entry = keys.iter().find_map(|k| auths.get(k.as_str()))?;
    let auth = entry.get("auth")?.as_str()?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(auth)
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, pass) = text.split_once(':')?;
    Some((user.to_owned(), pass.to_owned()))
}

/// A `WWW-Authenticate` challenge's scheme and parameters.
fn challenge(header: &str) -> (String, Vec<(String, String)>) {
    let (scheme, rest) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
    let mut params = Vec::new();
    let mut rest = rest.trim();
    while !rest.is_empty() {
        let Some((key, after)) = rest.split_once('=') else {
            break;
        };
        let key = key
            .trim()
            .trim_start_matches(',')
            .trim()
            .to_ascii_lowercase();
        let (value, remainder) = if let Some(quoted) = after.strip_prefix('"') {
            match quoted.find('"') {
                Some(end) => (&quoted[..end], &quoted[end + 1..]),
                None => (quoted, ""),
            }
        } else {
            after.split_once(',').unwrap_or((after, ""))
        };
        params.push((key, value.to_owned()));
        rest = remainder.trim().trim_start_matches(',').trim();
    }
    (scheme.to_ascii_lowercase(), params)
}

/// One repository on one registry, with its authorisation.
struct Client {
    agent: ureq::Agent,
    base: String,
    repository: String,
    credentials: Option<(String, String)>,
    authorization: Mutex<Option<String>>,
}

impl Client {
    /// GETs a URL, authenticating on a 401 once.
    fn get(
        &self,
        url: &str,
        accept: Option<&str>,
    ) -> Result<ureq::http::Response<ureq::Body>, SourceError> {
        for attempt in 0..2 {
            let mut request = self.agent.get(url);
            if let Some(a) = accept {
                request = request.header("Accept", a);
            }
            if let Some(auth) = self
                .authorization
                .lock()
                .map_err(|_| error("lock"))?
                .as_deref()
            {
                request = request.header("Authorization", auth);
            }
            let response = request.call().map_err(|e| error(format!("{url}: {e}")))?;
            let status = response.status().as_u16();
            if status == 401 && attempt == 0 {
                let header = response
                    .headers()
                    .get("www-authenticate")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                let auth = self.authorize(&header)?;
                *self.authorization.lock().map_err(|_| error("lock"))? = Some(auth);
                continue;
            }
            if status == 401 || status == 403 {
                return Err(error(format!(
                    "{url}: access denied (HTTP {status}); check the credentials"
                )));
            }
            if status == 404 {
                return Err(error(format!("{url}: not found")));
            }
            if status != 200 {
                return Err(error(format!("{url}: HTTP status {status}")));
            }
            return Ok(response);
        }
        Err(error(format!("{url}: authentication failed")))
    }

    fn basic(&self) -> Option<String> {
        self.credentials.as_ref().map(|(u, p)| {
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"))
            )
        })
    }

    /// Answers a challenge: basic credentials, or a bearer token from the realm.
    fn authorize(&self, header: &str) -> Result<String, SourceError> {
        let (scheme, params) = challenge(header);
        let param = |k: &str| {
            params
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        match scheme.as_str() {
            "basic" => self
                .basic()
                .ok_or_else(|| error(format!("{}: the registry wants credentials", self.base))),
            "bearer" => {
                let realm =
                    param("realm").ok_or_else(|| error("bearer challenge without a realm"))?;
                let scope = param("scope").map_or_else(
                    || format!("repository:{}:pull", self.repository),
                    str::to_owned,
                );
                let mut url = format!("{realm}?scope={}", percent_encode(&scope));
                if let Some(service) = param("service") {
                    url.push_str(&format!("&service={}", percent_encode(service)));
                }
                let mut request = self.agent.get(&url);
                if let Some(basic) = self.basic() {
                    request = request.header("Authorization", basic);
                }
                let mut response = request.call().map_err(|e| error(format!("{realm}: {e}")))?;
                if response.status().as_u16() != 200 {
                    return Err(error(format!(
                        "{realm}: token request refused (HTTP {})",
                        response.status().as_u16()
                    )));
                }
                let raw = response
                    .body_mut()
                    .with_config()
                    .limit(1 << 20)
                    .read_to_vec()
                    .map_err(|e| error(format!("{realm}: {e}")))?;
                let body: Value =
                    serde_json::from_slice(&raw).map_err(|e| error(format!("{realm}: {e}")))?;
                let token = body
                    .get("token")
                    .or_else(|| body.get("access_token"))
                    .and_then(Value::as_str)
                    .ok_or_else(|| error(format!("{realm}: no token in the answer")))?;
                Ok(format!("Bearer {token}"))
            }
            _ => Err(error(format!(
                "{}: unsupported authentication `{scheme}`",
                self.base
            ))),
        }
    }

    fn manifest(&self, reference: &str) -> Result<(Vec<u8>, String), SourceError> {
        let url = format!("{}/v2/{}/manifests/{reference}", self.base, self.repository);
        let mut response = self.get(&url, Some(ACCEPT))?;
        let media_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(MAX_MANIFEST)
            .read_to_vec()
            .map_err(|e| error(format!("{url}: {e}")))?;
        if reference.starts_with("sha256:") && sha256_digest(&bytes) != reference {
            return Err(error(format!(
                "{url}: the manifest does not match its digest"
            )));
        }
        Ok((bytes, media_type))
    }

    fn blob(&self, digest: &str) -> Result<Box<dyn Read + Send>, SourceError> {
        let url = format!("{}/v2/{}/blobs/{digest}", self.base, self.repository);
        let response = self.get(&url, None)?;
        Ok(Box::new(Verified::new(
            response.into_body().into_reader(),
            digest,
        )?))
    }
}

struct RegistryLayers {
    client: Arc<Client>,
    digests: Vec<String>,
}

impl LayerOpener for RegistryLayers {
    fn open(&self, i: usize) -> Result<Box<dyn Read + Send>, SourceError> {
        let digest = self
            .digests
            .get(i)
            .ok_or_else(|| error(format!("no layer {i}")))?;
        self.client.blob(digest)
    }
}

/// Resolves a reference to an image on its registry.
pub fn open(reference: &str, options: &RegistryOptions) -> Result<Image, SourceError> {
    let parsed = ImageRef::parse(reference);
    let host = match parsed.registry.as_str() {
        "docker.io" => "registry-1.docker.io".to_owned(),
        h => h.to_owned(),
    };
    let scheme = if options
        .insecure
        .iter()
        .any(|h| h == &parsed.registry || h == &host)
    {
        "http"
    } else {
        "https"
    };
    let credentials = options
        .credentials
        .clone()
        .or_else(|| docker_credentials(options.docker_config.as_ref(), &parsed.registry));
    let client = Arc::new(Client {
        agent: agent(&options.http).map_err(error)?,
        base: format!("{scheme}://{host}"),
        repository: parsed.repository.clone(),
        credentials,
        authorization: Mutex::new(None),
    });
    let wanted = parsed.digest.or(parsed.tag).unwrap_or("latest");
    let (mut bytes, mut media_type) = client.manifest(wanted)?;
    let mut manifest: Value =
        serde_json::from_slice(&bytes).map_err(|e| error(format!("{reference}: manifest: {e}")))?;
    if media_type.is_empty() {
        media_type = manifest
            .get("mediaType")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
    }
    let mut index_digest = None;
    if is_index(&media_type) || manifest.get("manifests").is_some() {
        index_digest = Some(sha256_digest(&bytes));
        let descriptor =
            pick(&manifest, &options.platform).map_err(|e| error(format!("{reference}: {e}")))?;
        let digest = descriptor
            .get("digest")
            .and_then(Value::as_str)
            .ok_or_else(|| error("index entry without digest"))?
            .to_owned();
        (bytes, media_type) = client.manifest(&digest)?;
        manifest = serde_json::from_slice(&bytes)
            .map_err(|e| error(format!("{reference}: manifest: {e}")))?;
    }
    let _ = media_type;
    let manifest_digest = sha256_digest(&bytes);
    let config_digest = manifest
        .pointer("/config/digest")
        .and_then(Value::as_str)
        .ok_or_else(|| error(format!("{reference}: the manifest names no configuration (schema 1 manifests are not supported)")))?
        .to_owned();
    let mut config_bytes = Vec::new();
    client
        .blob(&config_digest)?
        .take(MAX_MANIFEST)
        .read_to_end(&mut config_bytes)
        .map_err(|e| error(format!("{reference}: configuration: {e}")))?;
    let config =
        ImageConfig::parse(&config_bytes).map_err(|e| error(format!("{reference}: {e}")))?;
    let (layers, annotations) = layers_and_annotations(&manifest);
    Ok(Image {
        reference: reference.to_owned(),
        manifest_digest: Some(manifest_digest),
        index_digest,
        config_digest,
        config,
        opener: Box::new(RegistryLayers {
            client,
            digests: layers.iter().map(|l| l.digest.clone()).collect(),
        }),
        layers,
        repo_tags: Vec::new(),
        annotations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges() {
        let (scheme, params) = challenge(
            r#"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull""#,
        );
        assert_eq!(scheme, "bearer");
        assert_eq!(
            params[0],
            ("realm".into(), "https://auth.example.com/token".into())
        );
        assert_eq!(params[2].1, "repository:a/b:pull");
        assert_eq!(challenge("Basic realm=x").0, "basic");
    }
}
