//! kubeward's vulnerability database: OSV advisories (the format of osv.dev's
//! per-ecosystem `all.zip` exports) in a local redb file, with version ordering
//! exactly as each ecosystem defines it.
//!
//! This crate owns version comparison, OSV range evaluation, CVSS scoring, the
//! store (import into a new file, then an atomic rename) and downloads from a
//! mirror (over `kubeward-net`'s HTTP client). It knows nothing of images: callers hand it (ecosystem, name,
//! version) triples and get the advisories that affect them.
#![forbid(unsafe_code)]

pub mod cvss;
pub mod ecosystem;
pub mod import;
pub mod osv;
pub mod range;
pub mod store;
pub mod update;
pub mod version;

pub use ecosystem::Scheme;
pub use store::{Advisory, Store, StoreError};
