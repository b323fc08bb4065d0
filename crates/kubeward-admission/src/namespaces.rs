//! The Pod Security modes of each namespace, from the standard labels
//! (`pod-security.kubernetes.io/<mode>` and `<mode>-version`) over the
//! server's defaults, as Pod Security Admission's `PolicyToEvaluate` reads
//! them: each label present overrides only its own part of the default (a
//! level label alone keeps the default version); an invalid `enforce` level
//! counts as `restricted`, an invalid `audit` or `warn` level as `privileged`
//! (they fail open), an invalid version as `latest`. The invalid values are
//! returned too, so that a Namespace carrying them can be refused.

use std::collections::HashMap;
use std::path::Path;
use std::sync::RwLock;

use kubeward_core::load::{Excludes, LoadOptions, discover, load};
use kubeward_core::{Diagnostic, Node};
use kubeward_workload::pss::{Level, Version};

use crate::config::PssDefaults;

/// A level at a version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mode {
    pub level: Level,
    pub version: Version,
}

/// What a namespace enforces, audits and warns about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NamespacePolicy {
    pub enforce: Mode,
    pub audit: Mode,
    pub warn: Mode,
}

const LABEL_PREFIX: &str = "pod-security.kubernetes.io/";

/// A label's value: `None` when absent, `Some(Err)` when it is not text.
fn label_value<'a>(labels: Option<&'a Node>, key: &str) -> Option<Result<&'a str, String>> {
    let node = labels?.field(key)?;
    Some(
        node.as_str()
            .ok_or_else(|| "the value must be a string".to_owned()),
    )
}

/// One mode's labels over its default; `invalid_level` is what an invalid
/// level label counts as. What is wrong is added to `errors`.
fn parse_mode(
    labels: Option<&Node>,
    mode: &str,
    default: Mode,
    invalid_level: Level,
    errors: &mut Vec<String>,
) -> Mode {
    let mut out = default;
    let level_key = format!("{LABEL_PREFIX}{mode}");
    if let Some(value) = label_value(labels, &level_key) {
        match value.and_then(|v| v.parse::<Level>()) {
            Ok(level) => out.level = level,
            Err(e) => {
                errors.push(format!("label {level_key}: {e}"));
                out.level = invalid_level;
            }
        }
    }
    let version_key = format!("{level_key}-version");
    if let Some(value) = label_value(labels, &version_key) {
        match value.and_then(|v| v.parse::<Version>()) {
            Ok(version) => out.version = version,
            Err(e) => {
                errors.push(format!("label {version_key}: {e}"));
                out.version = Version::Latest;
            }
        }
    }
    out
}

impl NamespacePolicy {
    /// The defaults from `[serve.defaults]` (checked when the file was read).
    pub fn from_defaults(d: &PssDefaults) -> Self {
        let mode = |level, version| Mode { level, version };
        Self {
            enforce: mode(d.enforce, d.enforce_version),
            audit: mode(d.audit, d.audit_version),
            warn: mode(d.warn, d.warn_version),
        }
    }

    /// The policy a Namespace object's labels set over `defaults`, and what
    /// is wrong with the labels (empty when they are valid).
    pub fn from_labels(labels: Option<&Node>, defaults: &NamespacePolicy) -> (Self, Vec<String>) {
        let mut errors = Vec::new();
        let policy = Self {
            enforce: parse_mode(
                labels,
                "enforce",
                defaults.enforce,
                Level::Restricted,
                &mut errors,
            ),
            audit: parse_mode(
                labels,
                "audit",
                defaults.audit,
                Level::Privileged,
                &mut errors,
            ),
            warn: parse_mode(
                labels,
                "warn",
                defaults.warn,
                Level::Privileged,
                &mut errors,
            ),
        };
        (policy, errors)
    }
}

/// The Pod Security labels of a Namespace object, as key/value text pairs
/// (for comparing an update's labels with the old ones).
pub fn pss_labels(object: &Node) -> Vec<(&str, Option<&str>)> {
    object
        .lookup(&["metadata", "labels"])
        .and_then(Node::as_map)
        .into_iter()
        .flat_map(|m| m.entries())
        .filter(|e| e.key.starts_with(LABEL_PREFIX))
        .map(|e| (e.key.as_str(), e.value.as_str()))
        .collect()
}

/// Most namespaces remembered: ten times the 10,000 that Kubernetes' own
/// scalability thresholds name for a cluster. Past the bound, a new namespace
/// gets the defaults, as an unknown one does.
pub const MAX_KNOWN: usize = 100_000;

/// The known namespaces' policies, and the defaults for the others.
#[derive(Debug)]
pub struct Namespaces {
    defaults: NamespacePolicy,
    known: RwLock<HashMap<String, NamespacePolicy>>,
    limit: usize,
}

impl Namespaces {
    pub fn new(defaults: NamespacePolicy) -> Self {
        Self {
            defaults,
            known: RwLock::new(HashMap::new()),
            limit: MAX_KNOWN,
        }
    }

    /// Reads the Namespace objects in a file or directory of manifests;
    /// returns what could not be read, and invalid Pod Security labels.
    pub fn load(&self, path: &Path) -> Vec<Diagnostic> {
        let (inputs, mut errors) = discover(&[path.to_path_buf()], &Excludes::default());
        for input in &inputs {
            let mut loaded = load(input, &LoadOptions::default());
            errors.append(&mut loaded.errors);
            for object in &loaded.objects {
                let meta = &object.meta;
                errors.extend(self.learn(&object.root).into_iter().map(|problem| {
                    Diagnostic::new(
                        meta.origin.file.clone(),
                        Some(meta.origin.locate(meta.pos).line),
                        format!("Namespace {}: {problem}", meta.name),
                    )
                }));
            }
        }
        errors
    }

    /// Records a Namespace object's labels (other objects are ignored), as
    /// Pod Security Admission would evaluate them; returns what is wrong with
    /// its Pod Security labels.
    pub fn learn(&self, object: &Node) -> Vec<String> {
        if object.field("kind").and_then(Node::as_str) != Some("Namespace") {
            return Vec::new();
        }
        let Some(name) = object.lookup(&["metadata", "name"]).and_then(Node::as_str) else {
            return Vec::new();
        };
        let (policy, errors) =
            NamespacePolicy::from_labels(object.lookup(&["metadata", "labels"]), &self.defaults);
        let Ok(mut known) = self.known.write() else {
            return errors;
        };
        if known.len() >= self.limit && !known.contains_key(name) {
            return errors;
        }
        let added = known.insert(name.to_owned(), policy).is_none();
        // Names are never forgotten, so the table fills once: say so then.
        if added && known.len() == self.limit {
            tracing::warn!(
                "{} namespaces known: new ones get the default Pod Security levels",
                self.limit
            );
        }
        errors
    }

    /// The policy of a namespace.
    pub fn policy(&self, namespace: &str) -> NamespacePolicy {
        self.known
            .read()
            .ok()
            .and_then(|known| known.get(namespace).copied())
            .unwrap_or(self.defaults)
    }

    pub fn defaults(&self) -> NamespacePolicy {
        self.defaults
    }

    pub fn len(&self) -> usize {
        self.known.read().map_or(0, |k| k.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeward_core::load::load_text;

    fn namespace(labels: &str) -> Node {
        named("ns", labels)
    }

    fn named(name: &str, labels: &str) -> Node {
        let text = format!(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n  labels:\n{labels}"
        );
        load_text("n.yaml".into(), &text, &LoadOptions::default())
            .objects
            .remove(0)
            .root
    }

    #[test]
    fn labels_set_modes_over_defaults() {
        let defaults = NamespacePolicy::from_defaults(&PssDefaults::default());
        let namespaces = Namespaces::new(defaults);
        assert_eq!(namespaces.policy("ns").enforce.level, Level::Baseline);
        let errors = namespaces.learn(&namespace(
            "    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/enforce-version: v1.24\n",
        ));
        assert!(errors.is_empty(), "{errors:?}");
        let p = namespaces.policy("ns");
        assert_eq!(
            p.enforce,
            Mode {
                level: Level::Restricted,
                version: Version::V1(24)
            }
        );
        assert_eq!(
            p.audit.level,
            Level::Privileged,
            "unlabelled modes keep the default"
        );
        assert_eq!(namespaces.policy("other"), defaults);
    }

    #[test]
    fn a_level_label_alone_keeps_the_default_version() {
        let defaults = NamespacePolicy::from_defaults(&PssDefaults {
            enforce_version: Version::V1(25),
            ..PssDefaults::default()
        });
        let (p, errors) = NamespacePolicy::from_labels(
            namespace("    pod-security.kubernetes.io/enforce: restricted\n")
                .lookup(&["metadata", "labels"]),
            &defaults,
        );
        assert!(errors.is_empty());
        assert_eq!(
            p.enforce,
            Mode {
                level: Level::Restricted,
                version: Version::V1(25)
            }
        );
    }

    #[test]
    fn invalid_labels_fail_closed_for_enforce_only_and_are_reported() {
        let defaults = NamespacePolicy::from_defaults(&PssDefaults::default());
        let object = namespace(
            "    pod-security.kubernetes.io/enforce: bogus\n    pod-security.kubernetes.io/warn: strict\n    pod-security.kubernetes.io/audit: nope\n    pod-security.kubernetes.io/audit-version: v2\n",
        );
        let (p, errors) =
            NamespacePolicy::from_labels(object.lookup(&["metadata", "labels"]), &defaults);
        assert_eq!(p.enforce.level, Level::Restricted, "enforce fails closed");
        assert_eq!(p.warn.level, Level::Privileged, "warn fails open");
        assert_eq!(p.audit.level, Level::Privileged, "audit fails open");
        assert_eq!(p.audit.version, Version::Latest);
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(
            errors[0].starts_with(
                "label pod-security.kubernetes.io/enforce: unknown Pod Security level `bogus`"
            ),
            "{errors:?}"
        );
    }

    #[test]
    fn invalid_labels_in_manifests_are_load_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ns.yaml");
        std::fs::write(
            &file,
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: typo\n  labels:\n    pod-security.kubernetes.io/enforce: restrictd\n",
        )
        .unwrap();
        let namespaces = Namespaces::new(NamespacePolicy::from_defaults(&PssDefaults::default()));
        let errors = namespaces.load(&file);
        assert_eq!(errors.len(), 1, "{errors:?}");
        let line = errors[0].to_string();
        assert!(line.contains("ns.yaml:6"), "{line}");
        assert!(
            line.contains("Namespace typo: label pod-security.kubernetes.io/enforce"),
            "{line}"
        );
    }

    #[test]
    fn the_table_is_bounded_and_known_names_still_update() {
        let defaults = NamespacePolicy::from_defaults(&PssDefaults::default());
        let mut namespaces = Namespaces::new(defaults);
        namespaces.limit = 2;
        let restricted = "    pod-security.kubernetes.io/enforce: restricted\n";
        for name in ["a", "b", "c"] {
            namespaces.learn(&named(name, restricted));
        }
        assert_eq!(namespaces.len(), 2);
        assert_eq!(namespaces.policy("b").enforce.level, Level::Restricted);
        assert_eq!(namespaces.policy("c"), defaults, "past the bound: defaults");
        namespaces.learn(&named(
            "a",
            "    pod-security.kubernetes.io/enforce: privileged\n",
        ));
        assert_eq!(namespaces.policy("a").enforce.level, Level::Privileged);
    }
}
