//! The Falco rule language and engine.
//!
//! This crate owns the Falco-compatible rule language (rule files with lists,
//! macros, exceptions, appends and overrides; the condition grammar; output
//! templates), the event model ([`event`]: syscall and Kubernetes audit
//! events), the fields each source supplies ([`fields`]), and the engine that
//! evaluates compiled rules against events and produces [`Alert`]s.
//!
//! It never does I/O: rule files arrive as text ([`RuleSet::load_str`]),
//! events arrive as values, alerts leave as values. Reading files, tracing
//! processes and serving webhooks is `kubeward-runtime`'s job; any syscall
//! source (ptrace today, eBPF tomorrow) feeds the same [`event::SyscallEvent`].

#![forbid(unsafe_code)]

pub mod alert;
pub mod compile;
pub mod condition;
pub mod engine;
pub mod event;
pub mod fields;
pub mod output;
pub mod priority;
pub mod ruleset;
pub mod time;
pub mod value;

pub use alert::Alert;
pub use engine::{Engine, EngineOptions, RuleMatching};
pub use priority::Priority;
pub use ruleset::{LoadError, RuleSet};
