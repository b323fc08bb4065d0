//! The Pod Security Standards checks, one file each, as Pod Security Admission
//! defines them. Each check applies its own version variants.

use kubeward_core::Node;

use super::{
    APPARMOR_CONTAINER_ANNOTATION_PREFIX, Check, Level, Problem,
    SECCOMP_CONTAINER_ANNOTATION_PREFIX, SECCOMP_POD_ANNOTATION,
};
use crate::pod::{Container, Pod};

mod allow_privilege_escalation;
mod apparmor_profile;
mod capabilities_baseline;
mod capabilities_restricted;
mod host_namespaces;
mod host_path_volumes;
mod host_ports;
mod host_probes_and_host_lifecycle;
mod privileged;
mod proc_mount;
mod proc_mount_restricted;
mod restricted_volumes;
mod run_as_non_root;
mod run_as_user;
mod seccomp_profile_baseline;
mod seccomp_profile_restricted;
mod selinux_options;
mod sysctls;
mod windows_host_process;

/// Every check, baseline first, in the order their violations are listed.
pub(super) static ALL: &[&Check] = &[
    &host_namespaces::CHECK,
    &privileged::CHECK,
    &capabilities_baseline::CHECK,
    &host_path_volumes::CHECK,
    &host_ports::CHECK,
    &apparmor_profile::CHECK,
    &selinux_options::CHECK,
    &proc_mount::CHECK,
    &seccomp_profile_baseline::CHECK,
    &sysctls::CHECK,
    &windows_host_process::CHECK,
    &host_probes_and_host_lifecycle::CHECK,
    &allow_privilege_escalation::CHECK,
    &capabilities_restricted::CHECK,
    &run_as_non_root::CHECK,
    &run_as_user::CHECK,
    &seccomp_profile_restricted::CHECK,
    &restricted_volumes::CHECK,
    &proc_mount_restricted::CHECK,
];

/// A scalar's text for comparison with allowed values (non-strings never match
/// a name, as the API server would have rejected them).
fn text(node: &Node) -> &str {
    node.as_str().unwrap_or("\u{0}")
}

/// The `procMount` rule shared by the baseline and restricted variants:
/// anything but unset or `Default` is a violation.
fn unmasked_proc_mounts(pod: &Pod<'_>, out: &mut Vec<Problem>) {
    for c in &pod.containers {
        if let Some(n) = c.security("procMount").filter(|n| text(n) != "Default") {
            out.push(Problem::new(
                c.path("securityContext.procMount"),
                n.pos,
                format!("{} sets procMount={}", c.label(), display(n)),
            ));
        }
    }
}

/// A scalar as written, for messages.
fn display(node: &Node) -> String {
    match &node.value {
        kubeward_core::Value::Str(s) => format!("{s:?}"),
        kubeward_core::Value::Bool(b) => b.to_string(),
        kubeward_core::Value::Int(i) => i.to_string(),
        kubeward_core::Value::Float(f) => f.to_string(),
        _ => node.type_name().to_owned(),
    }
}

/// Seccomp profile types the standards accept.
fn valid_seccomp_type(profile: &Node) -> bool {
    matches!(
        profile.field("type").map(text),
        Some("RuntimeDefault" | "Localhost")
    )
}

/// The problem of a seccomp or AppArmor profile (`field`) whose type is not
/// `RuntimeDefault` or `Localhost`, set by `who` at `path`.
fn bad_profile(path: String, profile: &Node, who: &str, field: &str) -> Problem {
    let shown = profile
        .field("type")
        .map_or_else(|| "no type".to_owned(), display);
    Problem::new(
        format!("{path}.type"),
        profile.field("type").unwrap_or(profile).pos,
        format!("{who} sets {field}.type {shown}, not RuntimeDefault or Localhost"),
    )
}

/// The problem for a container setting that is missing or wrong: reported at
/// the setting when present, else at the container's securityContext.
fn container_problem(
    c: &Container<'_>,
    key: &str,
    found: Option<&Node>,
    message: String,
) -> Problem {
    Problem::new(
        c.path(&format!("securityContext.{key}")),
        found.map_or_else(|| c.security_pos(), |n| n.pos),
        message,
    )
}
