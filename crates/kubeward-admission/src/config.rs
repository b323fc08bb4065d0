//! `[serve]` of `kubeward.toml`: the admission server's settings, owned and
//! validated here (`ConfigFile::section("serve")`), so that a wrong value
//! fails when the file is read, with its file and line.

use std::path::PathBuf;

use kubeward_core::Severity;
use kubeward_core::config::{Threshold, parsed};
use kubeward_workload::pss::{Level, Version};
use serde::Deserialize;

/// `[serve]`: the admission server (`kubeward serve`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServeConfig {
    /// Address to listen on.
    #[serde(default = "default_listen")]
    pub listen: String,
    /// PEM certificate chain and private key; re-read when they change on disk.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// How often the certificate files are checked for changes, in seconds.
    #[serde(default = "default_reload_seconds")]
    pub tls_reload_seconds: u64,
    /// PEM CA certificate(s) that client certificates must chain to: when
    /// set, every client must present one (mutual TLS), so only the API
    /// server (given a client certificate in its AdmissionConfiguration
    /// kubeconfig) can send reviews.
    pub client_ca: Option<PathBuf>,
    /// Namespace manifests (a file or directory) whose Pod Security labels
    /// set each namespace's levels.
    pub namespaces: Option<PathBuf>,
    /// Let admitted Namespace objects update the namespaces' levels. Off by
    /// default, and refused without `client-ca`: unauthenticated review
    /// bodies must never change policy.
    #[serde(default)]
    pub learn_namespaces: bool,
    /// Namespaces where an object's own `kubeward.io/ignore` annotation is
    /// honoured at admission (`"*"`: all, cluster-scoped objects included).
    /// Empty by default: the object's author is the party being policed.
    #[serde(default)]
    pub honour_ignore_annotations: Vec<String>,
    /// Findings at or above this severity deny a request; lower ones come back
    /// as warnings. `"none"` denies on no finding (warn-only rollout); Pod
    /// Security `enforce` labels still deny.
    #[serde(default = "default_deny_on", deserialize_with = "parsed")]
    pub deny_on: Threshold,
    /// Pod Security levels for namespaces without labels, as Pod Security
    /// Admission's `defaults`.
    #[serde(default)]
    pub defaults: PssDefaults,
    /// Requests exempt from enforcement, as Pod Security Admission's `exemptions`.
    #[serde(default)]
    pub exemptions: Exemptions,
    /// Largest request body accepted (the API server's own limit is 3 MiB).
    #[serde(default = "default_max_body")]
    pub max_body_bytes: usize,
    /// Time allowed to receive a request and answer it, in milliseconds.
    #[serde(default = "default_request_timeout")]
    pub request_timeout_ms: u64,
    /// Most connections served at once; further clients wait in the listen
    /// backlog until one closes.
    #[serde(default = "default_max_connections")]
    pub max_connections: usize,
    /// Most requests with a body being read or answered at once; further ones
    /// wait up to the request timeout for a turn, then get 503.
    #[serde(default = "default_max_in_flight")]
    pub max_in_flight: usize,
    #[serde(default)]
    pub mutate: MutateConfig,
    #[serde(default)]
    pub image_policy: ImagePolicyConfig,
}

fn default_listen() -> String {
    "127.0.0.1:8443".to_owned()
}
fn default_reload_seconds() -> u64 {
    5
}
fn default_deny_on() -> Threshold {
    Threshold::At(Severity::High)
}

fn default_max_body() -> usize {
    3 * 1024 * 1024
}
fn default_request_timeout() -> u64 {
    10_000
}
fn default_max_connections() -> usize {
    1024
}
fn default_max_in_flight() -> usize {
    32
}
fn yes() -> bool {
    true
}
fn baseline() -> Level {
    Level::Baseline
}
fn privileged() -> Level {
    Level::Privileged
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            listen: default_listen(),
            tls_cert: None,
            tls_key: None,
            tls_reload_seconds: default_reload_seconds(),
            client_ca: None,
            namespaces: None,
            learn_namespaces: false,
            honour_ignore_annotations: Vec::new(),
            deny_on: default_deny_on(),
            defaults: PssDefaults::default(),
            exemptions: Exemptions::default(),
            max_body_bytes: default_max_body(),
            request_timeout_ms: default_request_timeout(),
            max_connections: default_max_connections(),
            max_in_flight: default_max_in_flight(),
            mutate: MutateConfig::default(),
            image_policy: ImagePolicyConfig::default(),
        }
    }
}

/// Default Pod Security modes for namespaces that carry no labels: levels
/// and versions are read as the labels' values are, and a wrong one fails
/// when the file is read.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PssDefaults {
    #[serde(default = "baseline", deserialize_with = "parsed")]
    pub enforce: Level,
    #[serde(default, deserialize_with = "parsed")]
    pub enforce_version: Version,
    #[serde(default = "privileged", deserialize_with = "parsed")]
    pub audit: Level,
    #[serde(default, deserialize_with = "parsed")]
    pub audit_version: Version,
    #[serde(default = "privileged", deserialize_with = "parsed")]
    pub warn: Level,
    #[serde(default, deserialize_with = "parsed")]
    pub warn_version: Version,
}

impl Default for PssDefaults {
    fn default() -> Self {
        Self {
            enforce: Level::Baseline,
            enforce_version: Version::Latest,
            audit: Level::Privileged,
            audit_version: Version::Latest,
            warn: Level::Privileged,
            warn_version: Version::Latest,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Exemptions {
    #[serde(default)]
    pub namespaces: Vec<String>,
    #[serde(default)]
    pub usernames: Vec<String>,
    #[serde(default)]
    pub runtime_classes: Vec<String>,
}

/// Which secure defaults `/mutate` adds where a workload leaves them unset.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MutateConfig {
    #[serde(default = "yes")]
    pub seccomp_runtime_default: bool,
    #[serde(default = "yes")]
    pub disallow_privilege_escalation: bool,
    #[serde(default = "yes")]
    pub drop_all_capabilities: bool,
    #[serde(default = "yes")]
    pub run_as_non_root: bool,
    #[serde(default = "yes")]
    pub disable_service_account_token: bool,
}

impl Default for MutateConfig {
    fn default() -> Self {
        Self {
            seccomp_runtime_default: true,
            disallow_privilege_escalation: true,
            drop_all_capabilities: true,
            run_as_non_root: true,
            disable_service_account_token: true,
        }
    }
}

/// The ImagePolicyWebhook backend's policy (registries come from `[images]`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ImagePolicyConfig {
    /// Refuse images not pinned by digest.
    #[serde(default)]
    pub require_digest: bool,
    /// Refuse `:latest` and untagged images.
    #[serde(default = "yes")]
    pub refuse_latest: bool,
    /// Pre-scanned image verdicts (`kubeward image scan --record DIR`): an
    /// image whose digest has a failing verdict is refused.
    #[serde(default)]
    pub verdicts: Option<PathBuf>,
    /// With `verdicts` set, admit images that have no verdict (not scanned,
    /// or not pinned by digest) instead of refusing them.
    #[serde(default)]
    pub allow_unscanned: bool,
}

impl Default for ImagePolicyConfig {
    fn default() -> Self {
        Self {
            require_digest: false,
            refuse_latest: true,
            verdicts: None,
            allow_unscanned: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use kubeward_core::config::ConfigFile;

    use super::*;

    fn serve(text: &str) -> Result<ServeConfig, String> {
        ConfigFile::parse(Path::new("kubeward.toml"), text)
            .and_then(|file| file.section("serve"))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn pod_security_defaults_are_typed() {
        let config =
            serve("[serve.defaults]\nenforce = \"restricted\"\nwarn-version = \"v1.30\"\n")
                .unwrap();
        assert_eq!(config.defaults.enforce, Level::Restricted);
        assert_eq!(config.defaults.warn_version, Version::V1(30));
        assert_eq!(config.defaults.audit, Level::Privileged);
    }

    #[test]
    fn a_wrong_level_or_version_fails_at_its_line() {
        let e = serve("[serve]\nlisten = \"0.0.0.0:8443\"\n\n[serve.defaults]\nenforce = \"restricted\"\nwarn = \"strict\"\n").unwrap_err();
        assert!(e.starts_with("kubeward.toml:6: "), "{e}");
        assert!(e.contains("unknown Pod Security level `strict`"), "{e}");
        let e = serve("[serve.defaults]\naudit-version = \"1.30\"\n").unwrap_err();
        assert!(e.starts_with("kubeward.toml:2: "), "{e}");
        assert!(e.contains("invalid Pod Security version `1.30`"), "{e}");
    }
}
