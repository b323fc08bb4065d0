//! Workloads: the pod spec of every kind that carries one, the Pod Security
//! Standards, and kubeward's manifest hardening rules with the engine that
//! runs them over a scanned set of objects.
//!
//! Rules here read objects through [`pod::Pod`] and the value tree; they never
//! print, and they know nothing of output formats.
#![forbid(unsafe_code)]

pub mod inventory;
pub mod pod;
pub mod pss;
pub mod rules;
pub mod scan;
