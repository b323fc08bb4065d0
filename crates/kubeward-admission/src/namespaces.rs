//! The Pod Security modes of each namespace, from the standard labels
//! (`pod-security.kubernetes.io/<mode>` and `<mode>-version`), with the
//! server's defaults where a namespace has none, as Pod Security Admission
//! reads them: an invalid level counts as `restricted`, an invalid version as
//! `latest`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::RwLock;

use kubeward_core::config::PssDefaults;
use kubeward_core::load::{Excludes, LoadOptions, discover, load};
use kubeward_core::{Diagnostic, Node};
use kubeward_workload::pss::{Level, Version};

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

fn parse_mode(level: Option<&str>, version: Option<&str>, default: Mode) -> Mode {
    match level {
        None => Mode {
            level: default.level,
            version: version.map_or(default.version, |v| v.parse().unwrap_or_default()),
        },
        Some(level) => Mode {
            level: level.parse().unwrap_or(Level::Restricted),
            version: version.map_or(Version::Latest, |v| v.parse().unwrap_or_default()),
        },
    }
}

impl NamespacePolicy {
    /// The defaults from `[serve.defaults]`; invalid values are an error here
    /// (they come from the operator, not from a namespace).
    pub fn from_defaults(d: &PssDefaults) -> Result<Self, String> {
        let mode = |level: &str, version: &str| -> Result<Mode, String> {
            Ok(Mode {
                level: level.parse()?,
                version: version.parse()?,
            })
        };
        Ok(Self {
            enforce: mode(&d.enforce, &d.enforce_version)?,
            audit: mode(&d.audit, &d.audit_version)?,
            warn: mode(&d.warn, &d.warn_version)?,
        })
    }

    /// The policy a Namespace object's labels set, over `defaults`.
    pub fn from_labels(labels: Option<&Node>, defaults: &NamespacePolicy) -> Self {
        let label = |key: &str| {
            labels
                .and_then(|l| l.field(&format!("{LABEL_PREFIX}{key}")))
                .and_then(Node::as_str)
        };
        let mode = |name: &str, default: Mode| {
            parse_mode(label(name), label(&format!("{name}-version")), default)
        };
        Self {
            enforce: mode("enforce", defaults.enforce),
            audit: mode("audit", defaults.audit),
            warn: mode("warn", defaults.warn),
        }
    }
}

/// Most namespaces remembered: ten times the 10,000 that Kubernetes' own
/// scalability thresholds name for a cluster. Reviews of new Namespaces are
/// what fills the table, and anyone who can reach the webhook can send them;
/// past the bound, a new namespace gets the defaults, as an unknown one does.
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
    /// returns what could not be read.
    pub fn load(&self, path: &Path) -> Vec<Diagnostic> {
        let (inputs, mut errors) = discover(&[path.to_path_buf()], &Excludes::default());
        for input in &inputs {
            let mut loaded = load(input, &LoadOptions::default());
            errors.append(&mut loaded.errors);
            for object in &loaded.objects {
                self.learn(&object.root);
            }
        }
        errors
    }

    /// Records a Namespace object's labels (other objects are ignored).
    pub fn learn(&self, object: &Node) {
        if object.field("kind").and_then(Node::as_str) != Some("Namespace") {
            return;
        }
        let Some(name) = object.lookup(&["metadata", "name"]).and_then(Node::as_str) else {
            return;
        };
        let policy =
            NamespacePolicy::from_labels(object.lookup(&["metadata", "labels"]), &self.defaults);
        let Ok(mut known) = self.known.write() else {
            return;
        };
        if known.len() >= self.limit && !known.contains_key(name) {
            return;
        }
        let added = known.insert(name.to_owned(), policy).is_none();
        // Names are never forgotten, so the table fills once: say so then.
        if added && known.len() == self.limit {
            tracing::warn!(
                "{} namespaces known: new ones get the default Pod Security levels",
                self.limit
            );
        }
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
        let defaults = NamespacePolicy::from_defaults(&PssDefaults::default()).unwrap();
        let namespaces = Namespaces::new(defaults);
        assert_eq!(namespaces.policy("ns").enforce.level, Level::Baseline);
        namespaces.learn(&namespace(
            "    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/enforce-version: v1.24\n    pod-security.kubernetes.io/warn: bogus\n",
        ));
        let p = namespaces.policy("ns");
        assert_eq!(
            p.enforce,
            Mode {
                level: Level::Restricted,
                version: Version::V1(24)
            }
        );
        assert_eq!(
            p.warn.level,
            Level::Restricted,
            "an invalid level is read as restricted"
        );
        assert_eq!(
            p.audit.level,
            Level::Privileged,
            "unlabelled modes keep the default"
        );
        assert_eq!(namespaces.policy("other"), defaults);
    }

    #[test]
    fn the_table_is_bounded_and_known_names_still_update() {
        let defaults = NamespacePolicy::from_defaults(&PssDefaults::default()).unwrap();
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
