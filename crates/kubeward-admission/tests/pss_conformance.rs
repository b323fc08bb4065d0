//! The upstream Pod Security Admission fixtures, read in place, through the
//! admission path: `/validate` judges them as Pod Security Admission does,
//! and `/mutate`'s patch keeps its promise on them (4,537 real pods).
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use kubeward_admission::config::{Exemptions, MutateConfig, PssDefaults};
use kubeward_admission::mutate::{patch, pointer};
use kubeward_admission::namespaces::{NamespacePolicy, Namespaces};
use kubeward_admission::review;
use kubeward_admission::validate::Validator;
use kubeward_core::load::{LoadOptions, load_text};
use kubeward_core::object::objects_from;
use kubeward_core::{Node, Object, Value};
use kubeward_workload::pod::Pod;
use kubeward_workload::pss::{self, Version};
use kubeward_workload::rules::{RuleSet, Settings};
use kubeward_workload::scan::Scanner;
use serde_json::json;

/// The tree as the JSON the API server would send.
fn to_json(node: &Node) -> serde_json::Value {
    match &node.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(f) => json!(f),
        Value::Str(s) => json!(s.as_str()),
        Value::Seq(items) => items.iter().map(to_json).collect(),
        Value::Map(map) => map
            .entries()
            .iter()
            .map(|e| (e.key.to_string(), to_json(&e.value)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

fn validator(level: &str, version: &str) -> Validator {
    let defaults = PssDefaults {
        enforce: level.parse().unwrap(),
        enforce_version: version.parse().unwrap(),
        ..PssDefaults::default()
    };
    Validator {
        scanner: Scanner::new(RuleSet::all(), Settings::default()),
        deny_on: None,
        exemptions: Exemptions::default(),
        namespaces: Namespaces::new(NamespacePolicy::from_defaults(&defaults)),
        learn_namespaces: false,
        honour_ignore: Vec::new(),
    }
}

/// One upstream fixture: its INDEX.tsv columns and the pod it holds.
struct Fixture {
    level: String,
    version: String,
    expect: String,
    path: String,
    object: Object,
}

/// Every fixture, in INDEX.tsv order (none when the data is absent).
fn fixtures() -> Vec<Fixture> {
    let Some(dir) = kubeward_testkit::conformance_dir("pss") else {
        return Vec::new();
    };
    let index = std::fs::read_to_string(dir.join("INDEX.tsv")).expect("INDEX.tsv");
    let fixtures: Vec<Fixture> = index
        .lines()
        .skip(1)
        .map(|row| {
            let cols: Vec<&str> = row.split('\t').collect();
            let [level, version, expect, _check, _index, path] = cols[..] else {
                panic!("bad INDEX.tsv row: {row}");
            };
            let text = std::fs::read_to_string(dir.join(path)).unwrap();
            let mut loaded = load_text(path.into(), &text, &LoadOptions::default());
            assert!(loaded.errors.is_empty(), "{path}: {:?}", loaded.errors);
            Fixture {
                level: level.to_owned(),
                version: version.to_owned(),
                expect: expect.to_owned(),
                path: path.to_owned(),
                object: loaded.objects.swap_remove(0),
            }
        })
        .collect();
    assert_eq!(fixtures.len(), 4537, "fixture count");
    fixtures
}

/// Pass fixtures are allowed; fail fixtures are denied with the Pod Security
/// message naming the fixture's level and version. Each pod goes as JSON in a
/// CREATE review, decoded by `review::parse` and judged by the `Validator`
/// with the namespace enforcing the fixture's level and version. The rules
/// alone never deny here, so the verdict is Pod Security's.
#[test]
fn upstream_fixtures_are_judged_as_pod_security_admission_judges_them() {
    let mut validators = std::collections::HashMap::new();
    let mut mismatches = Vec::new();
    let fixtures = fixtures();
    for (checked, fixture) in fixtures.iter().enumerate() {
        let Fixture {
            level,
            version,
            expect,
            path,
            object,
        } = fixture;
        let (level, version) = (level.as_str(), version.as_str());
        let pod = to_json(&object.root);
        let body = json!({
            "apiVersion": "admission.k8s.io/v1",
            "kind": "AdmissionReview",
            "request": {
                "uid": format!("fixture-{checked}"),
                "kind": {"group": "", "version": "v1", "kind": "Pod"},
                "resource": {"group": "", "version": "v1", "resource": "pods"},
                "name": pod["metadata"]["name"],
                "namespace": "conformance",
                "operation": "CREATE",
                "userInfo": {"username": "system:serviceaccount:kube-system:replicaset-controller"},
                "object": pod,
                "oldObject": null,
                "dryRun": false
            }
        });
        let request = review::parse(&serde_json::to_vec(&body).unwrap())
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        let validator = validators
            .entry((level, version))
            .or_insert_with(|| validator(level, version));
        let response = validator.validate(request).response;
        assert_eq!(response.uid, format!("fixture-{checked}"));
        let denial = response
            .status
            .as_ref()
            .map(|s| s.message.as_str())
            .unwrap_or_default();
        let ok = match expect.as_str() {
            "pass" => response.allowed,
            "fail" => {
                !response.allowed
                    && denial.contains(&format!("violates PodSecurity \"{level}:{version}\""))
            }
            other => panic!("bad expectation {other}"),
        };
        if !ok {
            mismatches.push(format!(
                "{path} ({level} {version}): expected {expect}, allowed {}: {denial}",
                response.allowed
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

/// The restricted violations of a pod, as (check, field).
fn restricted(object: &Object) -> Vec<(&'static str, String)> {
    let pod = Pod::of(object).unwrap();
    pss::assess(&pod, Version::Latest)
        .violations
        .into_iter()
        .map(|v| (v.check, v.field))
        .collect()
}

/// `/mutate` on real pods: the patch applies, changes no value that was set,
/// never adds a restricted violation, and every restricted violation left is
/// at a field the pod sets itself or is one `/mutate` leaves on purpose (see
/// its module documentation).
#[test]
fn upstream_fixtures_mutated_lose_only_unset_violations() {
    let fixtures = fixtures();
    let mut unexplained = Vec::new();
    let mut fixed = 0;
    for Fixture { path, object, .. } in &fixtures {
        let original = to_json(&object.root);
        let ops = patch(&Pod::of(object).unwrap(), &MutateConfig::default());
        let ops: json_patch::Patch =
            serde_json::from_value(serde_json::to_value(&ops).unwrap()).unwrap();
        let mut patched = original.clone();
        json_patch::patch(&mut patched, &ops).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut set = Vec::new();
        common::leaves(&original, String::new(), &mut set);
        for (pointer, value) in set {
            assert_eq!(patched.pointer(&pointer), Some(&value), "{path}: {pointer}");
        }
        let node: Node = serde_json::from_value(patched).unwrap();
        let mut objects = Vec::new();
        objects_from(node, &object.meta.origin, &mut objects, &mut Vec::new());
        let before = restricted(object);
        let after = restricted(&objects[0]);
        fixed += before.iter().filter(|v| !after.contains(v)).count();
        for (check, field) in after {
            assert!(
                before.contains(&(check, field.clone())),
                "{path}: the patch added {check} at {field}"
            );
            if original.pointer(&pointer(&field)).is_none()
                && !left_on_purpose(&original, check, &field)
            {
                unexplained.push(format!("{path}: {check} at {field}"));
            }
        }
    }
    assert!(
        unexplained.is_empty(),
        "{} violations neither set by the pod nor left on purpose:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
    assert!(fixed > 10_000, "the patch fixed only {fixed} violations");
}

/// The unset settings `/mutate` does not add, by design: `allowPrivilegeEscalation`
/// beside `privileged: true` or an added `SYS_ADMIN`; container
/// `seccompProfile` and `runAsNonRoot`, which the containers inherit from the
/// pod, where the pod sets them itself; the pod `seccompProfile` beside the
/// legacy pod seccomp annotation; `runAsNonRoot` where something runs as UID 0.
fn left_on_purpose(pod: &serde_json::Value, check: &str, field: &str) -> bool {
    let spec = &pod["spec"];
    let containers = || {
        ["containers", "initContainers", "ephemeralContainers"]
            .into_iter()
            .flat_map(|list| spec[list].as_array().into_iter().flatten())
    };
    match check {
        "allowPrivilegeEscalation" => {
            let container = pod.pointer(&pointer(
                field.trim_end_matches(".securityContext.allowPrivilegeEscalation"),
            ));
            container.is_some_and(|c| {
                let security = &c["securityContext"];
                security["privileged"] == json!(true)
                    || security["capabilities"]["add"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(serde_json::Value::as_str)
                        .any(|cap| {
                            cap.trim_start_matches("CAP_")
                                .eq_ignore_ascii_case("SYS_ADMIN")
                        })
            })
        }
        "seccompProfile_restricted" => {
            !spec["securityContext"]["seccompProfile"].is_null()
                || pod["metadata"]["annotations"]
                    .get("seccomp.security.alpha.kubernetes.io/pod")
                    .is_some()
        }
        "runAsNonRoot" => {
            !spec["securityContext"]["runAsNonRoot"].is_null()
                || spec["securityContext"]["runAsUser"] == json!(0)
                || containers().any(|c| c["securityContext"]["runAsUser"] == json!(0))
        }
        _ => false,
    }
}
