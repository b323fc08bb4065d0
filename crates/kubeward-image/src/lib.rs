//! Container images: reading them (docker archives, OCI layouts, registries),
//! applying their layers as a stream, the package inventory, evidence of
//! tampered package metadata, vulnerabilities (through kubeward-vulndb),
//! image configuration checks, and the reports and SBOMs about them.
//!
//! Nothing here writes an image to disk: layers are streamed once, and only
//! metadata and the few files inventory needs are kept in memory, under caps.
//! (`synth`, which writes images for tests and benchmarks, exists only with
//! the `test-support` feature.)
#![forbid(unsafe_code)]

#[macro_use]
pub mod checks;
pub mod fs;
mod hashing;
pub mod inventory;
pub mod layer;
pub mod links;
pub mod render;
pub mod report;
pub mod scan;
pub mod source;
#[cfg(feature = "test-support")]
pub mod synth;
pub mod tar;
pub mod vulns;
