//! The core of kubeward: documents with source positions, the Kubernetes
//! objects in them, findings, rule metadata, configuration and suppressions.
//!
//! This crate knows nothing of any particular rule or output format; domain
//! crates build on it and renderers read what it defines.
#![forbid(unsafe_code)]

pub mod benchmark;
pub mod bounded;
pub mod config;
pub mod credential;
pub mod display;
pub mod finding;
pub mod image_ref;
pub mod load;
pub mod object;
pub mod origin;
pub mod path;
pub mod rule;
pub mod suppress;
pub mod yaml;

pub use finding::{Counts, Finding};
pub use object::{Object, ObjectMeta};
pub use origin::{Diagnostic, Location, Origin};
pub use rule::{Layer, Owasp, RuleMeta, Severity};
pub use yaml::{Node, Pos, Value};
