//! `/mutate`: a JSON Patch that adds secure defaults where a workload leaves
//! them unset. A value that is set, to anything, is never changed.
//!
//! The defaults (each switchable in `[serve.mutate]`): pod
//! `seccompProfile: RuntimeDefault` and `runAsNonRoot: true`, container
//! `allowPrivilegeEscalation: false` and `capabilities.drop: [ALL]`, and pod
//! `automountServiceAccountToken: false`. Linux-only settings are not added to
//! Windows pods (the API server rejects them there); `allowPrivilegeEscalation`
//! is not added beside `privileged: true` or an added `CAP_SYS_ADMIN` (the API
//! server rejects those pairs), nor beside `SYS_ADMIN` in any other spelling
//! (accepted, but a container given it is meant to escalate, and the setting
//! would promise what it cannot keep); the pod `seccompProfile` is not added
//! beside the legacy pod seccomp annotation (the API server refuses a field
//! that disagrees with it); `runAsNonRoot` is not added where the pod or any
//! container runs as UID 0 on purpose (it would stop it from starting rather
//! than fix it).

use crate::config::MutateConfig;
use kubeward_core::Node;
use kubeward_workload::pod::{Container, ContainerKind, Pod};
use kubeward_workload::pss;
use serde::Serialize;
use serde_json::{Value, json};

/// One JSON Patch operation (only `add` is ever needed).
#[derive(Debug, PartialEq, Serialize)]
pub struct PatchOp {
    pub op: &'static str,
    pub path: String,
    pub value: Value,
}

fn add(path: String, value: Value) -> PatchOp {
    PatchOp {
        op: "add",
        path,
        value,
    }
}

/// A JSON Pointer from a JSON path as findings and violations write them:
/// `spec.containers[0].securityContext`, or `metadata.annotations[a.b/c]`,
/// where a bracketed key may hold dots.
pub fn pointer(path: &str) -> String {
    fn flush(segment: &mut String, out: &mut String) {
        if !segment.is_empty() {
            out.push('/');
            out.push_str(&segment.replace('~', "~0").replace('/', "~1"));
            segment.clear();
        }
    }
    let mut out = String::new();
    let mut segment = String::new();
    let mut in_brackets = false;
    for c in path.chars() {
        match c {
            '.' if !in_brackets => flush(&mut segment, &mut out),
            '[' if !in_brackets => {
                flush(&mut segment, &mut out);
                in_brackets = true;
            }
            ']' if in_brackets => {
                flush(&mut segment, &mut out);
                in_brackets = false;
            }
            c => segment.push(c),
        }
    }
    flush(&mut segment, &mut out);
    out
}

/// Adds `key: value` under the mapping at `parent_path` (whose node is
/// `parent`), creating the mapping itself when it is unset.
fn add_field(
    ops: &mut Vec<PatchOp>,
    parent: Option<&Node>,
    parent_path: &str,
    key: &str,
    value: Value,
) {
    match parent {
        Some(p) if p.as_map().is_some() => {
            if p.field(key).is_none() {
                ops.push(add(format!("{}/{key}", pointer(parent_path)), value));
            }
        }
        // Set to something that is not a mapping: invalid, and not ours to change.
        Some(_) => {}
        None => {
            // Merge with an `add` of the parent made just before, if any.
            let parent_pointer = pointer(parent_path);
            if let Some(Value::Object(existing)) = ops
                .iter_mut()
                .find(|op| op.path == parent_pointer)
                .map(|op| &mut op.value)
            {
                existing.insert(key.to_owned(), value);
            } else {
                ops.push(add(parent_pointer, json!({ key: value })));
            }
        }
    }
}

/// The patch for a pod, in the order the fields appear.
pub fn patch(pod: &Pod<'_>, config: &MutateConfig) -> Vec<PatchOp> {
    let mut ops = Vec::new();
    let windows = pod.is_windows();
    let pod_security = pod.field("securityContext");
    let pod_security_path = pod.path("securityContext");
    // UID 0 on purpose, for the pod or any container: `runAsNonRoot` would
    // stop it from starting rather than fix it.
    let runs_as_root = pod.security("runAsUser").and_then(Node::as_i64) == Some(0)
        || pod
            .containers
            .iter()
            .any(|c| c.security("runAsUser").and_then(Node::as_i64) == Some(0));
    if config.run_as_non_root && !runs_as_root {
        add_field(
            &mut ops,
            pod_security,
            &pod_security_path,
            "runAsNonRoot",
            json!(true),
        );
    }
    // The API server refuses a pod seccomp field that disagrees with the
    // (still validated) legacy pod annotation, and copies the annotation
    // into the field itself. (Container annotations need no care: no
    // container seccomp field is ever added.)
    let seccomp_annotated = pod.annotation(pss::SECCOMP_POD_ANNOTATION).is_some();
    if config.seccomp_runtime_default && !windows && !seccomp_annotated {
        add_field(
            &mut ops,
            pod_security,
            &pod_security_path,
            "seccompProfile",
            json!({"type": "RuntimeDefault"}),
        );
    }
    if config.disable_service_account_token && pod.field("automountServiceAccountToken").is_none() {
        ops.push(add(
            pointer(&pod.path("automountServiceAccountToken")),
            json!(false),
        ));
    }
    if !windows {
        for c in pod
            .containers
            .iter()
            .filter(|c| c.kind != ContainerKind::Ephemeral)
        {
            container_patch(c, config, &mut ops);
        }
    }
    ops
}

fn container_patch(c: &Container<'_>, config: &MutateConfig, ops: &mut Vec<PatchOp>) {
    let security = c.field("securityContext");
    let security_path = c.path("securityContext");
    if config.disallow_privilege_escalation && !needs_escalation(c) {
        add_field(
            ops,
            security,
            &security_path,
            "allowPrivilegeEscalation",
            json!(false),
        );
    }
    if config.drop_all_capabilities {
        match security.and_then(|s| s.field("capabilities")) {
            Some(caps) => add_field(
                ops,
                Some(caps),
                &format!("{security_path}.capabilities"),
                "drop",
                json!(["ALL"]),
            ),
            None => add_field(
                ops,
                security,
                &security_path,
                "capabilities",
                json!({"drop": ["ALL"]}),
            ),
        }
    }
}

/// Whether `allowPrivilegeEscalation: false` stays off: beside `privileged:
/// true` or `CAP_SYS_ADMIN` the API server rejects it; beside `SYS_ADMIN` in
/// another spelling it is accepted but contradicts what the container asks for.
fn needs_escalation(c: &Container<'_>) -> bool {
    let privileged = c.security("privileged").is_some_and(Node::is_true);
    let sys_admin = c
        .node
        .lookup(&["securityContext", "capabilities", "add"])
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::as_str)
        .any(|cap| {
            matches!(
                cap.to_ascii_uppercase().as_str(),
                "SYS_ADMIN" | "CAP_SYS_ADMIN"
            )
        });
    privileged || sys_admin
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeward_core::load::{LoadOptions, load_text};

    fn paths(yaml: &str) -> Vec<String> {
        let object = load_text("p.yaml".into(), yaml, &LoadOptions::default())
            .objects
            .remove(0);
        let pod = Pod::of(&object).unwrap();
        patch(&pod, &MutateConfig::default())
            .into_iter()
            .map(|op| op.path)
            .collect()
    }

    #[test]
    fn no_seccomp_field_beside_the_legacy_pod_annotation() {
        let annotated = paths(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: localhost/profiles/app.json\nspec:\n  containers:\n  - name: c\n    image: x:1\n",
        );
        assert!(
            annotated.iter().all(|p| !p.contains("seccomp")),
            "{annotated:?}"
        );
        // On a template the annotation is the template's.
        let template = paths(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    metadata:\n      annotations:\n        seccomp.security.alpha.kubernetes.io/pod: runtime/default\n    spec:\n      containers:\n      - name: c\n        image: x:1\n",
        );
        assert!(
            template.iter().all(|p| !p.contains("seccomp")),
            "{template:?}"
        );
        let plain = paths(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: x:1\n",
        );
        assert!(
            plain.contains(&"/spec/securityContext".to_owned()),
            "{plain:?}"
        );
    }

    #[test]
    fn no_run_as_non_root_beside_a_container_running_as_uid_zero() {
        let ops = paths(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    fsGroup: 2000\n  containers:\n  - name: a\n    image: x:1\n  - name: c\n    image: x:1\n    securityContext:\n      runAsUser: 0\n",
        );
        assert!(ops.iter().all(|p| !p.contains("runAsNonRoot")), "{ops:?}");
        assert!(ops.contains(&"/spec/securityContext/seccompProfile".to_owned()));
    }

    #[test]
    fn pointers_from_paths() {
        assert_eq!(
            pointer("spec.template.spec.containers[2].securityContext"),
            "/spec/template/spec/containers/2/securityContext"
        );
        assert_eq!(pointer("metadata.a~b/c"), "/metadata/a~0b~1c");
        assert_eq!(
            pointer("metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]"),
            "/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1app"
        );
    }
}
