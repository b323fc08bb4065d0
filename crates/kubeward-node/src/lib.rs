//! Node and host hardening: the CIS Kubernetes Benchmark's checks written
//! natively (`kubeward node`), kube-bench control files evaluated offline
//! (`--controls`), and host hardening checks (`kubeward host`), over a live
//! machine or a node tree (`--root DIR`).
//!
//! This crate reads the checked machine and never changes it, never runs a
//! program from it or from a controls file (unless the caller opts in), and
//! never records the value of a secret, only where it is.
#![forbid(unsafe_code)]

pub mod cis;
pub mod controls;
pub mod facts;
pub mod flags;
pub mod host;
pub mod root;

pub use facts::NodeFacts;
pub use root::Root;

/// The documentation of a node or host check by id or slug (`1.2.1`,
/// `cis-1.2.1`, `apiserver-anonymous-auth`, `KH101`), for `kubeward explain`.
pub fn explain(name: &str) -> Option<&'static kubeward_core::RuleMeta> {
    cis::find(name)
        .map(|c| &c.meta)
        .or_else(|| host::find(name).map(|c| &c.meta))
}
