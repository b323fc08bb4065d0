//! The Kubernetes audit source: audit log files (followed across rotation)
//! and the audit webhook the API server posts event batches to.

pub mod follow;
pub mod webhook;
