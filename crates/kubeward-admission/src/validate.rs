//! `/validate`: the verdict on one AdmissionReview, from the scanner's rules
//! and the Pod Security Standards at the namespace's levels. Pure: no I/O.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use kubeward_core::config::Exemptions;
use kubeward_core::object::objects_from;
use kubeward_core::{Finding, Node, Object, Origin, Severity};
use kubeward_workload::pod::Pod;
use kubeward_workload::pss::{self, Level, Violation};
use kubeward_workload::scan::Scanner;

use crate::namespaces::{Mode, Namespaces};
use crate::review::{AdmissionRequest, AdmissionResponse, Status};

/// The audit annotation Pod Security Admission uses for audit-mode violations.
pub const PSS_AUDIT_ANNOTATION: &str = "pod-security.kubernetes.io/audit-violations";
/// Our audit annotations.
pub const FINDINGS_ANNOTATION: &str = "kubeward.io/findings";
pub const EXEMPT_ANNOTATION: &str = "kubeward.io/exempt";

/// Longest denial message; the rest is summarised (the API server shows it
/// to the user and stores it in events).
const MAX_MESSAGE: usize = 8 * 1024;
/// Most warnings returned (the API server keeps at most 4 KiB of them per
/// response anyway).
const MAX_WARNINGS: usize = 30;

/// Everything `/validate` decides with.
#[derive(Debug)]
pub struct Validator {
    pub scanner: Scanner,
    /// Findings at or above this severity deny (`None`: no finding denies).
    pub deny_on: Option<Severity>,
    pub exemptions: Exemptions,
    pub namespaces: Namespaces,
}

/// What the server counts about a verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Allowed,
    AllowedWithWarnings,
    Denied,
    Exempt,
    Skipped,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::AllowedWithWarnings => "warned",
            Outcome::Denied => "denied",
            Outcome::Exempt => "exempt",
            Outcome::Skipped => "skipped",
        }
    }
}

/// A verdict: the response and what fired.
#[derive(Debug)]
pub struct Verdict {
    pub response: AdmissionResponse,
    pub outcome: Outcome,
    /// Ids of the rules (and Pod Security checks) that fired.
    pub fired: Vec<&'static str>,
}

/// Subresources whose updates carry a pod spec worth checking.
const CHECKED_SUBRESOURCES: &[&str] = &["ephemeralcontainers"];

/// The object of a request as a scanner object, named by kind and name.
pub(crate) fn request_object(request: &AdmissionRequest, node: Node) -> Option<Object> {
    let name = request.name.clone().unwrap_or_default();
    let origin = Arc::new(Origin::input(
        format!("{}/{}", request.kind.kind, name).into(),
    ));
    let mut objects = Vec::new();
    objects_from(node, &origin, &mut objects, &mut Vec::new());
    let mut object = objects.into_iter().next()?;
    if object.meta.namespace.is_none() && request.namespace.is_some() {
        Arc::make_mut(&mut object.meta).namespace = request.namespace.clone();
    }
    Some(object)
}

impl Validator {
    pub fn validate(&self, mut request: AdmissionRequest) -> Verdict {
        let uid = request.uid.clone().unwrap_or_default();
        let allow = |outcome| Verdict {
            response: AdmissionResponse {
                uid: uid.clone(),
                allowed: true,
                ..AdmissionResponse::default()
            },
            outcome,
            fired: Vec::new(),
        };
        let operation = request.operation.as_deref().unwrap_or("");
        let subresource = request.sub_resource.as_deref().unwrap_or("");
        let checked = matches!(operation, "CREATE" | "UPDATE")
            && (subresource.is_empty() || CHECKED_SUBRESOURCES.contains(&subresource));
        let Some(node) = request.object.take().filter(|_| checked) else {
            return allow(Outcome::Skipped);
        };
        let Some(object) = request_object(&request, node) else {
            return allow(Outcome::Skipped);
        };
        let old = match operation {
            "UPDATE" => request
                .old_object
                .take()
                .and_then(|node| request_object(&request, node)),
            _ => None,
        };
        let namespace = object.meta.namespace.clone().unwrap_or_default();
        let pod = Pod::of(&object);
        let old_pod = old.as_ref().and_then(Pod::of);
        if let Some(why) = self.exemption(&request, &namespace, pod.as_ref()) {
            let mut verdict = allow(Outcome::Exempt);
            verdict
                .response
                .audit_annotations
                .insert(EXEMPT_ANNOTATION.to_owned(), why.to_owned());
            return verdict;
        }

        let mut denials: Vec<String> = Vec::new();
        let mut warnings: Vec<String> = Vec::new();
        let mut audit: BTreeMap<String, String> = BTreeMap::new();
        let mut fired: Vec<&'static str> = Vec::new();

        // Pod Security Standards at the namespace's modes. As Pod Security
        // Admission does for pods, an UPDATE that leaves the pod spec as it was
        // is not re-checked; we apply the same to workloads' pod templates, so
        // that scaling an existing workload is never blocked.
        if let Some(pod) = &pod {
            let policy = self.namespaces.policy(&namespace);
            let unchanged = old_pod
                .as_ref()
                .is_some_and(|before| before.spec == pod.spec);
            if !unchanged {
                let enforced = violations(pod, policy.enforce);
                if !enforced.is_empty() {
                    fired.extend(enforced.iter().map(|v| v.check));
                    denials.push(format!(
                        "violates PodSecurity {}: {}",
                        label(policy.enforce),
                        describe(&enforced)
                    ));
                }
            }
            let warned = violations(pod, policy.warn);
            if !warned.is_empty() {
                warnings.push(format!(
                    "would violate PodSecurity {}: {}",
                    label(policy.warn),
                    describe(&warned)
                ));
            }
            let audited = violations(pod, policy.audit);
            if !audited.is_empty() {
                audit.insert(
                    PSS_AUDIT_ANNOTATION.to_owned(),
                    format!(
                        "would violate PodSecurity {}: {}",
                        label(policy.audit),
                        describe(&audited)
                    ),
                );
            }
        }

        // The scanner's rules. On UPDATE, findings the old object already had
        // are warnings, so that scaling or relabelling an existing workload
        // is not blocked by what was admitted before.
        let findings = self.findings(&object, pod.as_ref());
        let existing = old
            .as_ref()
            .map(|o| self.findings(o, old_pod.as_ref()))
            .unwrap_or_default();
        let mut summary = Vec::new();
        for f in findings.iter().filter(|f| f.suppressed.is_none()) {
            fired.push(f.rule.id);
            summary.push(f.rule.id);
            let line = format!(
                "{} {} ({}) at {}: {}",
                f.rule.id, f.rule.slug, f.severity, f.path, f.message
            );
            let preexisting = existing
                .iter()
                .any(|e| std::ptr::eq(e.rule, f.rule) && e.path == f.path);
            let denies = self
                .deny_on
                .is_some_and(|threshold| f.severity >= threshold);
            if denies && !preexisting {
                denials.push(line);
            } else if preexisting {
                warnings.push(format!("{line} (already present before this update)"));
            } else {
                warnings.push(line);
            }
        }
        if !summary.is_empty() {
            summary.dedup();
            audit.insert(FINDINGS_ANNOTATION.to_owned(), summary.join(","));
        }

        let allowed = denials.is_empty();
        if allowed && object.kind() == "Namespace" && request.dry_run != Some(true) {
            self.namespaces.learn(&object.root);
        }
        warnings.truncate(MAX_WARNINGS);
        let outcome = match (allowed, warnings.is_empty()) {
            (false, _) => Outcome::Denied,
            (true, true) => Outcome::Allowed,
            (true, false) => Outcome::AllowedWithWarnings,
        };
        let status = (!allowed).then(|| Status {
            code: 403,
            reason: "Forbidden",
            message: denial_message(&object, &denials),
        });
        Verdict {
            response: AdmissionResponse {
                uid,
                allowed,
                status,
                warnings,
                audit_annotations: audit,
                ..AdmissionResponse::default()
            },
            outcome,
            fired,
        }
    }

    /// Findings of the per-object rules. Rules over the whole scanned set
    /// need the cluster's other objects, which one request does not carry.
    fn findings(&self, object: &Object, pod: Option<&Pod<'_>>) -> Vec<Finding> {
        let mut findings = Vec::new();
        self.scanner.check(object, pod, &mut findings);
        findings
    }

    /// Why a request is exempt, as Pod Security Admission's exemptions.
    fn exemption(
        &self,
        request: &AdmissionRequest,
        namespace: &str,
        pod: Option<&Pod<'_>>,
    ) -> Option<&'static str> {
        let e = &self.exemptions;
        if e.namespaces.iter().any(|n| n == namespace) {
            return Some("namespace");
        }
        if request
            .user_info
            .username
            .as_ref()
            .is_some_and(|u| e.usernames.contains(u))
        {
            return Some("username");
        }
        let runtime_class = pod
            .and_then(|p| p.field("runtimeClassName"))
            .and_then(Node::as_str);
        if runtime_class.is_some_and(|rc| e.runtime_classes.iter().any(|x| x == rc)) {
            return Some("runtimeClass");
        }
        None
    }
}

fn violations(pod: &Pod<'_>, mode: Mode) -> Vec<Violation> {
    if mode.level == Level::Privileged {
        return Vec::new();
    }
    let denying = pss::denying_checks(pod, mode.level, mode.version);
    if denying.is_empty() {
        return Vec::new();
    }
    pss::assess(pod, mode.version)
        .violations
        .into_iter()
        .filter(|v| denying.contains(&v.check))
        .collect()
}

fn label(mode: Mode) -> String {
    format!("\"{}:{}\"", mode.level, mode.version)
}

/// `reason (field: detail), …`, grouped as Pod Security Admission words it.
fn describe(violations: &[Violation]) -> String {
    let mut out = String::new();
    for (i, v) in violations.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{} ({}: {})", v.reason, v.field, v.message);
    }
    out
}

fn denial_message(object: &Object, denials: &[String]) -> String {
    let meta = &object.meta;
    let mut message = format!("kubeward denied {}: ", meta);
    for (i, d) in denials.iter().enumerate() {
        if message.len() + d.len() > MAX_MESSAGE {
            let _ = write!(message, "; and {} more", denials.len() - i);
            break;
        }
        if i > 0 {
            message.push_str("; ");
        }
        message.push_str(d);
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::namespaces::NamespacePolicy;
    use crate::review::parse;
    use kubeward_core::config::PssDefaults;
    use kubeward_workload::rules::{RuleSet, Settings};

    fn validator(deny_on: Option<Severity>, exemptions: Exemptions) -> Validator {
        let defaults = PssDefaults {
            enforce: "privileged".into(),
            ..PssDefaults::default()
        };
        Validator {
            scanner: Scanner::new(RuleSet::all(), Settings::default()),
            deny_on,
            exemptions,
            namespaces: Namespaces::new(NamespacePolicy::from_defaults(&defaults).unwrap()),
        }
    }

    fn privileged_pod(user: &str, runtime_class: &str) -> AdmissionRequest {
        let body = format!(
            r#"{{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {{
                "uid": "u1", "kind": {{"group": "", "version": "v1", "kind": "Pod"}}, "operation": "CREATE",
                "namespace": "apps", "userInfo": {{"username": "{user}"}},
                "object": {{"apiVersion": "v1", "kind": "Pod", "metadata": {{"name": "p", "namespace": "apps"}},
                    "spec": {{"runtimeClassName": "{runtime_class}",
                              "containers": [{{"name": "c", "image": "x:1", "securityContext": {{"privileged": true}}}}]}}}}}}}}"#
        );
        parse(body.as_bytes()).unwrap()
    }

    #[test]
    fn warn_only_rollout_never_denies_on_findings() {
        let verdict =
            validator(None, Exemptions::default()).validate(privileged_pod("alice", "runc"));
        assert!(verdict.response.allowed);
        assert_eq!(verdict.outcome, Outcome::AllowedWithWarnings);
        assert!(
            verdict
                .response
                .warnings
                .iter()
                .any(|w| w.starts_with("KW104 privileged-container (critical)"))
        );
        let verdict = validator(Some(Severity::High), Exemptions::default())
            .validate(privileged_pod("alice", "runc"));
        assert!(!verdict.response.allowed);
        assert!(verdict.fired.contains(&"KW104"));
    }

    #[test]
    fn users_and_runtime_classes_can_be_exempt() {
        let exemptions = Exemptions {
            usernames: vec!["system:serviceaccount:kube-system:replicaset-controller".into()],
            runtime_classes: vec!["kata".into()],
            ..Exemptions::default()
        };
        let v = validator(Some(Severity::High), exemptions);
        let by_user = v.validate(privileged_pod(
            "system:serviceaccount:kube-system:replicaset-controller",
            "runc",
        ));
        assert_eq!(
            (
                by_user.outcome,
                by_user.response.audit_annotations[EXEMPT_ANNOTATION].as_str()
            ),
            (Outcome::Exempt, "username")
        );
        let by_class = v.validate(privileged_pod("alice", "kata"));
        assert_eq!(
            by_class.response.audit_annotations[EXEMPT_ANNOTATION],
            "runtimeClass"
        );
        assert!(!v.validate(privileged_pod("alice", "runc")).response.allowed);
    }
}
