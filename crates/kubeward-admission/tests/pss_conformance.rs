//! The upstream Pod Security Admission fixtures, read in place, sent through
//! the admission path as the API server would send them: each pod as JSON in
//! a CREATE AdmissionReview, decoded by `review::parse`, judged by the
//! `Validator` with the namespace enforcing the fixture's level and version.
//! Pass fixtures are allowed; fail fixtures are denied with the Pod Security
//! message naming that level and version. The rules alone never deny here, so
//! the verdict is Pod Security's.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use kubeward_admission::namespaces::{NamespacePolicy, Namespaces};
use kubeward_admission::review;
use kubeward_admission::validate::Validator;
use kubeward_core::config::{Exemptions, PssDefaults};
use kubeward_core::load::{LoadOptions, load_text};
use kubeward_core::{Node, Value};
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
        enforce: level.to_owned(),
        enforce_version: version.to_owned(),
        ..PssDefaults::default()
    };
    Validator {
        scanner: Scanner::new(RuleSet::all(), Settings::default()),
        deny_on: None,
        exemptions: Exemptions::default(),
        namespaces: Namespaces::new(NamespacePolicy::from_defaults(&defaults).unwrap()),
        learn_namespaces: false,
        honour_ignore: Vec::new(),
    }
}

#[test]
fn upstream_fixtures_are_judged_as_pod_security_admission_judges_them() {
    let Some(dir) = kubeward_testkit::conformance_dir("pss") else {
        return;
    };
    let index = std::fs::read_to_string(dir.join("INDEX.tsv")).expect("INDEX.tsv");
    let mut validators = std::collections::HashMap::new();
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for row in index.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let [level, version, expect, _check, _index, path] = cols[..] else {
            panic!("bad INDEX.tsv row: {row}");
        };
        let text = std::fs::read_to_string(dir.join(path)).unwrap();
        let loaded = load_text(path.into(), &text, &LoadOptions::default());
        assert!(loaded.errors.is_empty(), "{path}: {:?}", loaded.errors);
        let pod = to_json(&loaded.objects[0].root);
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
        let ok = match expect {
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
        checked += 1;
    }
    assert_eq!(checked, 4537, "fixture count");
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
