//! Kubernetes objects recognised in parsed documents.

use std::fmt;
use std::sync::Arc;

use crate::origin::{Location, Origin};
use crate::suppress::{IGNORE_ANNOTATION, Ignore, parse_ignores};
use crate::yaml::{Node, Pos, Value};

/// The names in an `EncryptionConfiguration`'s `resources` lists that cover
/// core-group Secrets: `secrets` (also written `secrets.`), and the wildcards
/// `*.` (the core group) and `*.*` (every group). Read by both the manifest
/// rule on such files and the CIS checks of the API server's.
pub const ENCRYPTION_NAMES_COVERING_SECRETS: [&str; 4] = ["secrets", "secrets.", "*.", "*.*"];

/// What identifies an object, where it was read, and which rules it silences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectMeta {
    pub api_version: String,
    pub kind: String,
    /// `metadata.name`, else `metadata.generateName`, else empty.
    pub name: String,
    pub namespace: Option<String>,
    pub origin: Arc<Origin>,
    /// Where the object starts in its input.
    pub pos: Pos,
    /// Groups of the `kubeward.io/ignore` annotation.
    pub ignores: Vec<Ignore>,
}

impl ObjectMeta {
    /// The API group (`""` for the core group).
    pub fn group(&self) -> &str {
        self.api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }

    pub fn location(&self) -> Location {
        self.at(self.pos)
    }

    pub fn at(&self, pos: Pos) -> Location {
        Location::new(self.origin.clone(), pos)
    }
}

impl fmt::Display for ObjectMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = if self.name.is_empty() {
            "<unnamed>"
        } else {
            &self.name
        };
        match &self.namespace {
            Some(ns) => write!(f, "{}/{} (namespace {ns})", self.kind, name),
            None => write!(f, "{}/{}", self.kind, name),
        }
    }
}

/// A Kubernetes object: its identity and its whole value tree.
#[derive(Clone, Debug)]
pub struct Object {
    pub meta: Arc<ObjectMeta>,
    pub root: Node,
}

impl Object {
    pub fn kind(&self) -> &str {
        &self.meta.kind
    }

    /// `metadata.annotations[key]` when it is a string.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.root
            .lookup(&["metadata", "annotations", key])
            .and_then(Node::as_str)
    }

    pub fn at(&self, pos: Pos) -> Location {
        self.meta.at(pos)
    }
}

/// Something worth telling about a document that is not an error: why it was
/// not taken as an object, or why an annotation was not used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub pos: Pos,
    pub message: String,
}

/// Turns a document into objects: itself, or the items of a `List`/`*List`.
/// Empty documents give nothing; other non-objects come back as `notices`.
pub fn objects_from(
    root: Node,
    origin: &Arc<Origin>,
    objects: &mut Vec<Object>,
    notices: &mut Vec<Notice>,
) {
    if root.is_null() {
        return;
    }
    let Some(map) = root.as_map() else {
        notices.push(Notice {
            pos: root.pos,
            message: format!(
                "not a Kubernetes object (a {}, not a mapping)",
                root.type_name()
            ),
        });
        return;
    };
    let api_version = map.get("apiVersion").and_then(Node::as_str).unwrap_or("");
    let kind = map.get("kind").and_then(Node::as_str).unwrap_or("");
    if api_version.is_empty() || kind.is_empty() {
        notices.push(Notice {
            pos: root.pos,
            message: "not a Kubernetes object (no apiVersion and kind)".to_owned(),
        });
        return;
    }
    if kind.ends_with("List") && matches!(map.get("items").map(|n| &n.value), Some(Value::Seq(_))) {
        let Value::Map(mut map) = root.value else {
            return;
        };
        let items = map.remove("items").map(|e| e.value.value);
        if let Some(Value::Seq(items)) = items {
            for item in items {
                objects_from(item, origin, objects, notices);
            }
        }
        return;
    }
    let meta = root.field("metadata");
    let text = |key: &str| meta.and_then(|m| m.field(key)).and_then(Node::as_str);
    let name = text("name").or_else(|| text("generateName")).unwrap_or("");
    let mut ignores = Vec::new();
    if let Some(value) = meta
        .and_then(|m| m.lookup(&["annotations", IGNORE_ANNOTATION]))
        .and_then(Node::as_str)
    {
        match parse_ignores(value) {
            Ok(parsed) => ignores = parsed,
            Err(why) => notices.push(Notice {
                pos: root.pos,
                message: format!("annotation {IGNORE_ANNOTATION} ignored: {why}"),
            }),
        }
    }
    let meta = ObjectMeta {
        api_version: api_version.to_owned(),
        kind: kind.to_owned(),
        name: name.to_owned(),
        namespace: text("namespace").map(str::to_owned),
        origin: origin.clone(),
        pos: root.pos,
        ignores,
    };
    objects.push(Object {
        meta: Arc::new(meta),
        root,
    });
}
