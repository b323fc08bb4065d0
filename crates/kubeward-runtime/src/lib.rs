//! Runtime event sources for kubeward's Falco engine.
//!
//! This crate owns where events come from and where alerts go: syscalls of a
//! traced process tree (ptrace, [`trace`]), Kubernetes audit events from log
//! files ([`audit::follow`]) and from the audit webhook ([`audit::webhook`]),
//! the alert webhook ([`alert_webhook`]), and seccomp profiles recorded from
//! traces, checked and enforced ([`seccomp`]); and the reads the engine
//! needs from this machine: rule files ([`rules`]) and the host name.
//!
//! It never interprets rules: every source produces `kubeward-falco`'s
//! events (an eBPF source would produce the same `SyscallEvent`), and the
//! engine there decides what fires. It is the one kubeward crate where
//! `unsafe` is allowed, in one module ([`spawn`]'s `pre_exec` and
//! `PTRACE_LISTEN`).

pub mod alert_webhook;
pub mod audit;
pub mod rules;
pub mod seccomp;
mod spawn;
pub mod trace;

/// This machine's host name, which alerts carry (empty when unreadable).
pub fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default()
}
