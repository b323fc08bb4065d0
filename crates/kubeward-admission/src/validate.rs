//! `/validate`: the verdict on one AdmissionReview, from the scanner's rules
//! and the Pod Security Standards at the namespace's levels. Pure: no I/O.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::config::Exemptions;
use kubeward_core::object::objects_from;
use kubeward_core::suppress::IGNORE_ANNOTATION;
use kubeward_core::{Finding, Node, Object, Origin, Severity};
use kubeward_workload::pod::Pod;
use kubeward_workload::pss::{self, Level, Violation};
use kubeward_workload::scan::Scanner;

use crate::namespaces::{self, Mode, NamespacePolicy, Namespaces};
use crate::review::{AdmissionRequest, AdmissionResponse, Status};

// Audit annotation keys. The API server prefixes each with the webhook's name
// (`validate.kubeward.io/findings`) and drops any key that is not a valid
// second part of a qualified name, so none of them may contain a `/`.
/// Pod Security `audit`-mode violations (Pod Security Admission's own key
/// is `pod-security.kubernetes.io/audit-violations`).
pub const AUDIT_VIOLATIONS_KEY: &str = "audit-violations";
/// The ids of the rules that fired.
pub const FINDINGS_KEY: &str = "findings";
/// Why a request was exempt.
pub const EXEMPT_KEY: &str = "exempt";
/// Findings silenced by the object's own `kubeward.io/ignore` annotation
/// where `[serve] honour-ignore-annotations` lets it.
pub const SUPPRESSED_KEY: &str = "suppressed";

/// Longest denial message; the rest is summarised (the API server shows it
/// to the user and stores it in events).
const MAX_MESSAGE: usize = 8 * 1024;
/// The API server truncates every warning to 256 characters once all of a
/// response's warnings pass 4,096 characters together; we stay within both.
const MAX_WARNING: usize = 256;
const MAX_WARNINGS_TOTAL: usize = 4096;

/// Rules that judge manifests kept in Git and mean nothing at the API: they
/// are not run at admission. KW303 secret-data-in-manifest: every Secret the
/// API server stores carries data; the rule is about committing it to a
/// repository, which admission never sees.
pub const SKIPPED_AT_ADMISSION: &[&str] = &["KW303"];

/// Everything `/validate` decides with.
#[derive(Debug)]
pub struct Validator {
    pub scanner: Scanner,
    /// Findings at or above this severity deny (`None`: no finding denies).
    pub deny_on: Option<Severity>,
    pub exemptions: Exemptions,
    pub namespaces: Namespaces,
    /// Whether admitted Namespace objects update the namespaces' levels
    /// (only with authenticated clients: `[serve] learn-namespaces`).
    pub learn_namespaces: bool,
    /// Namespaces where an object's own `kubeward.io/ignore` annotation is
    /// honoured (`*`: everywhere, cluster-scoped objects included).
    pub honour_ignore: Vec<String>,
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

/// Whether an update leaves everything the Pod Security checks read as it was.
fn pod_unchanged(before: &Pod<'_>, after: &Pod<'_>) -> bool {
    before.spec == after.spec && pss::annotations_read(before) == pss::annotations_read(after)
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
        let is_namespace = object.kind() == "Namespace" && subresource.is_empty();

        // As Pod Security Admission does, whatever the exemptions: a
        // Namespace may not be created with invalid Pod Security labels, nor
        // updated to carry them.
        if is_namespace {
            let labels_changed = old.as_ref().is_none_or(|o| {
                namespaces::pss_labels(&o.root) != namespaces::pss_labels(&object.root)
            });
            let (_, invalid) = NamespacePolicy::from_labels(
                object.root.lookup(&["metadata", "labels"]),
                &self.namespaces.defaults(),
            );
            if labels_changed && !invalid.is_empty() {
                let mut verdict = allow(Outcome::Denied);
                verdict.response.allowed = false;
                verdict.response.status = Some(Status {
                    code: 422,
                    reason: "Invalid",
                    message: format!(
                        "kubeward denied {}: invalid Pod Security labels: {}",
                        object.meta,
                        invalid.join("; ")
                    ),
                });
                return verdict;
            }
        }
        // Learned, when learning is on, whoever sent the change (an exempt
        // GitOps or admin identity included) but only once it is admitted.
        let learn = is_namespace && self.learn_namespaces && request.dry_run != Some(true);

        if let Some(why) = self.exemption(&request, &namespace, pod.as_ref()) {
            if learn {
                self.namespaces.learn(&object.root);
            }
            let mut verdict = allow(Outcome::Exempt);
            verdict
                .response
                .audit_annotations
                .insert(EXEMPT_KEY.to_owned(), why.to_owned());
            return verdict;
        }

        let mut denials: Vec<String> = Vec::new();
        let mut warnings: Vec<String> = Vec::new();
        let mut audit: BTreeMap<String, String> = BTreeMap::new();
        let mut fired: Vec<&'static str> = Vec::new();

        // Pod Security Standards at the namespace's modes. As Pod Security
        // Admission does for pods, an UPDATE that leaves the pod spec (and the
        // annotations the checks read) as it was is not re-checked; we apply
        // the same to workloads' pod templates. The pods a controller then
        // creates are CREATEs, checked in full.
        if let Some(pod) = &pod {
            let policy = self.namespaces.policy(&namespace);
            let unchanged = old_pod
                .as_ref()
                .is_some_and(|before| pod_unchanged(before, pod));
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
            warnings.extend(
                grouped(pod, &warned).into_iter().map(|check| {
                    format!("would violate PodSecurity {}: {check}", label(policy.warn))
                }),
            );
            let audited = violations(pod, policy.audit);
            if !audited.is_empty() {
                audit.insert(
                    AUDIT_VIOLATIONS_KEY.to_owned(),
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
        let honoured = self
            .honour_ignore
            .iter()
            .any(|n| n == "*" || (!namespace.is_empty() && *n == namespace));
        let mut summary = Vec::new();
        let mut silenced = Vec::new();
        for f in &findings {
            fired.push(f.rule.id);
            let line = format!(
                "{} {} ({}) at {}: {}",
                f.rule.id, f.rule.slug, f.severity, f.path, f.message
            );
            if let (Some(reason), true) = (&f.suppressed, honoured) {
                // Honoured, never hidden: a warning and an audit record.
                silenced.push(f.rule.id);
                warnings.push(if reason.is_empty() {
                    format!("{line} (silenced by {IGNORE_ANNOTATION})")
                } else {
                    format!("{line} (silenced by {IGNORE_ANNOTATION}: {reason})")
                });
                continue;
            }
            summary.push(f.rule.id);
            let line = if f.suppressed.is_some() {
                format!("{line} ({IGNORE_ANNOTATION} is not honoured at admission here)")
            } else {
                line
            };
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
        for (key, mut ids) in [(FINDINGS_KEY, summary), (SUPPRESSED_KEY, silenced)] {
            if !ids.is_empty() {
                ids.dedup();
                audit.insert(key.to_owned(), ids.join(","));
            }
        }

        let allowed = denials.is_empty();
        if allowed && learn {
            self.namespaces.learn(&object.root);
        }
        let warnings = cap_warnings(warnings);
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

    /// Findings of the per-object rules that apply at admission. Rules over
    /// the whole scanned set need the cluster's other objects, which one
    /// request does not carry; rules about manifests in Git are skipped.
    fn findings(&self, object: &Object, pod: Option<&Pod<'_>>) -> Vec<Finding> {
        let mut findings = Vec::new();
        self.scanner.check(object, pod, &mut findings);
        findings.retain(|f| !SKIPPED_AT_ADMISSION.contains(&f.rule.id));
        findings
    }

    /// Why a request is exempt, as Pod Security Admission's exemptions.
    pub(crate) fn exemption(
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

/// The violations of one Pod Security check, for one warning.
struct CheckGroup<'v> {
    check: &'static str,
    reason: &'static str,
    /// What containers were told (the message after the container's label),
    /// and which containers.
    by_container: Vec<(&'v str, Vec<&'v str>)>,
    /// Messages about the pod rather than a container.
    others: Vec<&'v str>,
}

impl CheckGroup<'_> {
    fn line(&self) -> String {
        let mut parts: Vec<String> = self.others.iter().map(|m| (*m).to_owned()).collect();
        for (rest, names) in &self.by_container {
            let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
            let noun = if names.len() == 1 {
                "container"
            } else {
                "containers"
            };
            parts.push(format!("{noun} {}{rest}", quoted.join(", ")));
        }
        format!("{} ({})", self.reason, parts.join("; "))
    }
}

/// One line per Pod Security check, its containers grouped as Pod Security
/// Admission words it: `allowPrivilegeEscalation != false (containers "a",
/// "b" must set securityContext.allowPrivilegeEscalation=false)`.
fn grouped(pod: &Pod<'_>, violations: &[Violation]) -> Vec<String> {
    let labels: Vec<(String, &str)> = pod.containers.iter().map(|c| (c.label(), c.name)).collect();
    let mut groups: Vec<CheckGroup<'_>> = Vec::new();
    for v in violations {
        let index = match groups.iter().position(|g| g.check == v.check) {
            Some(i) => i,
            None => {
                groups.push(CheckGroup {
                    check: v.check,
                    reason: v.reason,
                    by_container: Vec::new(),
                    others: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let group = &mut groups[index];
        let by_container = labels.iter().find_map(|(label, name)| {
            v.message
                .strip_prefix(label.as_str())
                .map(|rest| (rest, *name))
        });
        match by_container {
            Some((rest, name)) => match group.by_container.iter_mut().find(|(r, _)| *r == rest) {
                Some((_, names)) if names.contains(&name) => {}
                Some((_, names)) => names.push(name),
                None => group.by_container.push((rest, vec![name])),
            },
            None if group.others.contains(&v.message.as_str()) => {}
            None => group.others.push(&v.message),
        }
    }
    groups.iter().map(CheckGroup::line).collect()
}

/// Warnings within the API server's limits: each cut to [`MAX_WARNING`]
/// characters, and as many as fit in [`MAX_WARNINGS_TOTAL`] together, the
/// last saying how many were left out.
fn cap_warnings(warnings: Vec<String>) -> Vec<String> {
    let count = warnings.len();
    // Room for the closing "… and N more" line.
    let budget = MAX_WARNINGS_TOTAL - 64;
    let mut total = 0;
    let mut out = Vec::new();
    for mut w in warnings {
        if w.chars().count() > MAX_WARNING {
            w = w.chars().take(MAX_WARNING - 1).collect();
            w.push('…');
        }
        let length = w.chars().count();
        if total + length > budget {
            break;
        }
        total += length;
        out.push(w);
    }
    if out.len() < count {
        let more = count - out.len();
        out.push(format!(
            "… and {more} more warning{} (kubeward scan lists them all)",
            if more == 1 { "" } else { "s" }
        ));
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
    use crate::config::PssDefaults;
    use crate::namespaces::NamespacePolicy;
    use crate::review::parse;
    use kubeward_workload::rules::{RuleSet, Settings};

    fn validator(deny_on: Option<Severity>, exemptions: Exemptions) -> Validator {
        let defaults = PssDefaults {
            enforce: Level::Privileged,
            ..PssDefaults::default()
        };
        Validator {
            scanner: Scanner::new(RuleSet::all(), Settings::default()),
            deny_on,
            exemptions,
            namespaces: Namespaces::new(NamespacePolicy::from_defaults(&defaults)),
            learn_namespaces: false,
            honour_ignore: Vec::new(),
        }
    }

    /// A review of `object` (JSON) by `user`, with `old` for an UPDATE.
    fn review(object: &str, old: Option<&str>, user: &str) -> AdmissionRequest {
        let body = format!(
            r#"{{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {{
                "uid": "u", "kind": {{"group": "", "version": "v1", "kind": "X"}},
                "operation": "{}", "userInfo": {{"username": "{user}"}},
                "object": {object}, "oldObject": {}}}}}"#,
            if old.is_some() { "UPDATE" } else { "CREATE" },
            old.unwrap_or("null")
        );
        parse(body.as_bytes()).unwrap()
    }

    /// A qualified name's second part: what the API server accepts after
    /// the webhook name and `/`.
    fn valid_key(key: &str) -> bool {
        let ok = |c: char| c.is_ascii_alphanumeric();
        !key.is_empty()
            && key.len() <= 63
            && key.starts_with(ok)
            && key.ends_with(ok)
            && key.chars().all(|c| ok(c) || matches!(c, '-' | '_' | '.'))
    }

    #[test]
    fn audit_keys_are_bare_name_parts() {
        for key in [
            AUDIT_VIOLATIONS_KEY,
            FINDINGS_KEY,
            EXEMPT_KEY,
            SUPPRESSED_KEY,
        ] {
            assert!(valid_key(key), "{key}");
        }
        assert!(!valid_key("kubeward.io/findings"));
    }

    const ADMIN_BINDING: &str = r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
        "metadata": {"name": "x", "annotations": {"kubeward.io/ignore": "cluster-admin-binding: trust me"}},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
        "subjects": [{"kind": "Group", "name": "system:anonymous", "apiGroup": "rbac.authorization.k8s.io"}]}"#;

    #[test]
    fn an_objects_own_ignore_annotation_is_not_honoured_by_default() {
        let v = validator(Some(Severity::High), Exemptions::default());
        let verdict = v.validate(review(ADMIN_BINDING, None, "alice"));
        assert!(!verdict.response.allowed);
        let message = &verdict.response.status.unwrap().message;
        assert!(message.contains("KW401 cluster-admin-binding"), "{message}");
        assert!(
            message.contains("kubeward.io/ignore is not honoured"),
            "{message}"
        );
    }

    #[test]
    fn an_honoured_ignore_annotation_is_still_reported() {
        let mut v = validator(Some(Severity::High), Exemptions::default());
        v.honour_ignore = vec!["*".into()];
        let verdict = v.validate(review(ADMIN_BINDING, None, "alice"));
        assert!(verdict.response.allowed);
        assert_eq!(verdict.outcome, Outcome::AllowedWithWarnings);
        assert!(
            verdict
                .response
                .warnings
                .iter()
                .any(|w| w.starts_with("KW401")
                    && w.ends_with("(silenced by kubeward.io/ignore: trust me)")),
            "{:?}",
            verdict.response.warnings
        );
        assert!(
            verdict.response.audit_annotations[SUPPRESSED_KEY]
                .split(',')
                .any(|id| id == "KW401")
        );
        // A namespace list does not reach cluster-scoped objects.
        v.honour_ignore = vec!["apps".into()];
        assert!(
            !v.validate(review(ADMIN_BINDING, None, "alice"))
                .response
                .allowed
        );
    }

    #[test]
    fn manifest_only_rules_are_skipped_at_admission() {
        let v = validator(Some(Severity::Info), Exemptions::default());
        let secret = r#"{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "apps"},
            "data": {"password": "aHVudGVyMg=="}, "stringData": {"token": "x"}}"#;
        let verdict = v.validate(review(secret, None, "alice"));
        assert!(verdict.response.allowed, "{:?}", verdict.response.status);
        assert!(!verdict.fired.contains(&"KW303"));
    }

    #[test]
    fn warnings_group_containers_and_stay_within_the_api_servers_limits() {
        let defaults = PssDefaults {
            enforce: Level::Privileged,
            warn: Level::Restricted,
            ..PssDefaults::default()
        };
        let mut v = validator(None, Exemptions::default());
        v.namespaces = Namespaces::new(NamespacePolicy::from_defaults(&defaults));
        let containers: Vec<String> = (0..12)
            .map(|i| {
                format!(
                    r#"{{"name": "container-with-a-long-name-{i}", "image": "x:1", "securityContext": {{"runAsNonRoot": true}}}}"#
                )
            })
            .collect();
        let deployment = format!(
            r#"{{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {{"name": "d", "namespace": "apps"}},
                "spec": {{"template": {{"spec": {{"containers": [{}]}}}}}}}}"#,
            containers.join(",")
        );
        let warnings = v
            .validate(review(&deployment, None, "alice"))
            .response
            .warnings;
        let escalation: Vec<&String> = warnings
            .iter()
            .filter(|w| w.contains("allowPrivilegeEscalation != false"))
            .collect();
        assert_eq!(escalation.len(), 1, "one warning per check: {warnings:?}");
        assert!(
            escalation[0].starts_with(
                r#"would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (containers "container-with-a-long-name-0", "container-with-a-long-name-1""#
            ),
            "{}",
            escalation[0]
        );
        assert!(warnings.iter().all(|w| w.chars().count() <= MAX_WARNING));
        let total: usize = warnings.iter().map(|w| w.chars().count()).sum();
        assert!(total <= MAX_WARNINGS_TOTAL, "{total}");
        let last = warnings.last().unwrap();
        assert!(
            last.starts_with("… and ") && last.contains(" more warnings"),
            "{last}"
        );
    }

    #[test]
    fn cap_warnings_keeps_short_lists_whole() {
        let few = vec!["a".to_owned(), "b".to_owned()];
        assert_eq!(cap_warnings(few.clone()), few);
        let long = cap_warnings(vec!["x".repeat(300)]);
        assert_eq!(long[0].chars().count(), MAX_WARNING);
        assert!(long[0].ends_with('…'));
        let many = cap_warnings(vec!["y".repeat(200); 30]);
        assert_eq!(many.len(), 20 + 1);
        assert_eq!(
            many[20],
            "… and 10 more warnings (kubeward scan lists them all)"
        );
    }

    const NAMESPACE: &str = r#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a",
        "labels": {"pod-security.kubernetes.io/enforce": "restricted"}}}"#;

    #[test]
    fn learning_is_off_unless_configured_and_then_covers_exempt_users() {
        let exemptions = Exemptions {
            usernames: vec!["gitops".into()],
            ..Exemptions::default()
        };
        let mut v = validator(Some(Severity::High), exemptions);
        v.validate(review(NAMESPACE, None, "alice"));
        assert_eq!(v.namespaces.policy("team-a"), v.namespaces.defaults());
        v.learn_namespaces = true;
        let verdict = v.validate(review(NAMESPACE, None, "gitops"));
        assert_eq!(verdict.outcome, Outcome::Exempt);
        assert_eq!(
            v.namespaces.policy("team-a").enforce.level,
            Level::Restricted
        );
    }

    #[test]
    fn namespaces_with_invalid_pod_security_labels_are_refused() {
        let exemptions = Exemptions {
            usernames: vec!["gitops".into()],
            ..Exemptions::default()
        };
        let v = validator(None, exemptions);
        let bogus = NAMESPACE.replace("\"restricted\"", "\"bogus\"");
        let verdict = v.validate(review(&bogus, None, "gitops"));
        assert!(!verdict.response.allowed, "exempt users too");
        let status = verdict.response.status.unwrap();
        assert_eq!(status.code, 422);
        assert!(
            status.message.contains("invalid Pod Security labels: label pod-security.kubernetes.io/enforce: unknown Pod Security level `bogus`"),
            "{}",
            status.message
        );
        // An update that leaves invalid labels as they were is not refused.
        let relabelled = bogus.replace(
            "\"name\": \"team-a\",",
            "\"name\": \"team-a\", \"annotations\": {\"a\": \"b\"},",
        );
        assert!(
            v.validate(review(&relabelled, Some(&bogus), "alice"))
                .response
                .allowed
        );
    }

    #[test]
    fn a_template_annotation_change_is_checked_against_enforce() {
        let defaults = PssDefaults::default(); // enforce baseline
        let mut v = validator(None, Exemptions::default());
        v.namespaces = Namespaces::new(NamespacePolicy::from_defaults(&defaults));
        let deployment = |annotations: &str| {
            format!(
                r#"{{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {{"name": "d", "namespace": "apps"}},
                    "spec": {{"template": {{"metadata": {{"annotations": {{{annotations}}}}},
                    "spec": {{"containers": [{{"name": "c", "image": "x:1"}}]}}}}}}}}"#
            )
        };
        let before = deployment("");
        let restarted = deployment(r#""kubectl.kubernetes.io/restartedAt": "now""#);
        assert!(
            v.validate(review(&restarted, Some(&before), "alice"))
                .response
                .allowed
        );
        let unconfined =
            deployment(r#""container.apparmor.security.beta.kubernetes.io/c": "unconfined""#);
        let verdict = v.validate(review(&unconfined, Some(&before), "alice"));
        assert!(!verdict.response.allowed);
        assert!(
            verdict
                .response
                .status
                .unwrap()
                .message
                .contains("violates PodSecurity \"baseline:latest\""),
        );
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
                by_user.response.audit_annotations[EXEMPT_KEY].as_str()
            ),
            (Outcome::Exempt, "username")
        );
        let by_class = v.validate(privileged_pod("alice", "kata"));
        assert_eq!(
            by_class.response.audit_annotations[EXEMPT_KEY],
            "runtimeClass"
        );
        assert!(!v.validate(privileged_pod("alice", "runc")).response.allowed);
    }
}
