//! Runtime detection for kubeward.
//!
//! This crate owns the Falco-compatible rule language (rule files with lists,
//! macros, exceptions, appends and overrides; the condition grammar; output
//! templates), the engine that evaluates compiled rules against events, and
//! the event sources: Kubernetes audit events (files and the audit webhook),
//! syscalls of a traced process tree (ptrace), and seccomp profiles recorded
//! from traces.
//!
//! The event model ([`event`]) knows nothing of ptrace, so that other syscall
//! sources (eBPF) feed the same engine. This crate does not render manifests'
//! findings and does not depend on other domain crates.

pub mod alert;
pub mod alert_webhook;
pub mod audit;

pub mod compile;
pub mod condition;
pub mod engine;
pub mod event;
pub mod fields;
pub mod output;
pub mod priority;
pub mod ruleset;
pub mod seccomp;
mod spawn;
pub mod time;
pub mod trace;
pub mod value;

pub use alert::Alert;
pub use engine::{Engine, EngineOptions, RuleMatching};
pub use priority::Priority;
pub use ruleset::{LoadError, RuleSet};
