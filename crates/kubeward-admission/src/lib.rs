//! kubeward's admission server: `/validate` (AdmissionReview), `/mutate`
//! (secure defaults as a JSON Patch), `/imagepolicy` (ImageReview), health and
//! Prometheus metrics, over HTTPS with certificates re-read when they change.
//!
//! The verdicts come from the same rules and Pod Security Standards that
//! `kubeward scan` uses (kubeward-workload); nothing is decided twice. The
//! server never logs request bodies: they can hold Secrets. (`client`, the
//! tests' and load generator's HTTPS client, exists only with the
//! `test-support` feature.)
#![forbid(unsafe_code)]

#[cfg(feature = "test-support")]
pub mod client;
pub mod config;
pub mod imagepolicy;
pub mod metrics;
pub mod mutate;
pub mod namespaces;
pub mod review;
pub mod server;
pub mod tls;
pub mod validate;
