//! Rules on the pod spec and its containers' security settings.

use super::Emit;
use crate::pod::Pod;
use crate::pss::{self, Version, Violation};

pub(super) mod allow_privilege_escalation;
pub(super) mod apparmor_unconfined;
pub(super) mod capabilities_not_dropped;
pub(super) mod dangerous_capabilities;
pub(super) mod host_ipc;
pub(super) mod host_network;
pub(super) mod host_path_volume;
pub(super) mod host_pid;
pub(super) mod host_port;
pub(super) mod privileged_container;
pub(super) mod probe_host_override;
pub(super) mod proc_mount_unmasked;
pub(super) mod run_as_root;
pub(super) mod run_as_root_group;
pub(super) mod run_as_uid_zero;
pub(super) mod seccomp_profile_missing;
pub(super) mod seccomp_unconfined;
pub(super) mod selinux_risky_options;
pub(super) mod sensitive_host_path;
pub(super) mod share_process_namespace;
pub(super) mod unsafe_sysctls;
pub(super) mod windows_host_process;
pub(super) mod writable_root_filesystem;

/// Reports the violations of a Pod Security check (at the newest policy
/// version) that `keep` selects, for rules that mean exactly that check.
fn report_pss(pod: &Pod<'_>, emit: &mut Emit<'_>, check: &str, keep: impl Fn(&Violation) -> bool) {
    for v in pss::check(check, pod, Version::Latest) {
        if keep(&v) {
            emit.at(v.pos, v.field, v.message);
        }
    }
}

/// A host namespace flag of the pod spec set to true.
fn host_namespace(pod: &Pod<'_>, emit: &mut Emit<'_>, key: &str) {
    report_pss(pod, emit, "hostNamespaces", |v| v.field.ends_with(key));
}
