//! gatekeeper-library samples, read in place, for the policies that one
//! kubeward rule covers without parameters: each case's expected verdict
//! (from the policy's `suite.yaml`) must be the rule's. Cases whose verdict
//! comes from a constraint parameter kubeward has no counterpart for are
//! listed with the reason, and checked to still disagree, so that the list
//! cannot go stale.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::path::Path;

use kubeward_core::config::RulesConfig;
use kubeward_core::load::{LoadOptions, load_text};
use kubeward_core::yaml::{Limits, Node, Value, parse_documents};
use kubeward_workload::rules::{RuleSet, Settings};
use kubeward_workload::scan::Scanner;

/// A gatekeeper policy, the suite test in it, and the kubeward rule for it.
struct Policy {
    folder: &'static str,
    test: &'static str,
    rule: &'static str,
    /// `(case, why kubeward's verdict differs)`.
    parameter_cases: &'static [(&'static str, &'static str)],
}

const POLICIES: &[Policy] = &[
    Policy {
        folder: "general/httpsonly",
        test: "tls-required",
        rule: "KW504",
        parameter_cases: &[],
    },
    Policy {
        folder: "pod-security-policy/seccomp",
        test: "default-seccomp-required",
        rule: "KW116",
        parameter_cases: &[
            (
                "example-allowed-container-exempt-image",
                "exemptImages: the Unconfined profile is allowed for one image",
            ),
            (
                "example-disallowed-container-localhost-profile",
                "allowedProfiles: a Localhost profile outside the list",
            ),
        ],
    },
];

/// Whether a case's assertions expect at least one violation.
fn expects_violation(case: &Node) -> bool {
    let assertion = &case.get("assertions").unwrap().items()[0];
    match assertion.get("violations").map(|v| &v.value) {
        None | Some(Value::Bool(true)) => true,
        Some(Value::Bool(false)) => false,
        Some(Value::Int(n)) => *n > 0,
        Some(Value::Str(s)) => s == "yes",
        other => panic!("unknown violations {other:?}"),
    }
}

fn fires(rule: &str, path: &Path) -> bool {
    let text = std::fs::read_to_string(path).unwrap();
    let loaded = load_text(
        path.display().to_string().into(),
        &text,
        &LoadOptions::default(),
    );
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let config = RulesConfig {
        select: vec![rule.to_owned()],
        ..RulesConfig::default()
    };
    let scanner = Scanner::new(RuleSet::from_config(&config).unwrap(), Settings::default());
    !scanner.check_objects(&loaded.objects).is_empty()
}

#[test]
fn samples_get_the_suite_verdicts() {
    let Some(dir) = kubeward_testkit::conformance_dir("gatekeeper") else {
        return;
    };
    let mut mismatches = Vec::new();
    let mut checked = 0;
    for policy in POLICIES {
        let folder = dir.join("library").join(policy.folder);
        let suite = std::fs::read_to_string(folder.join("suite.yaml")).unwrap();
        let (documents, error) = parse_documents(&suite, Limits::default());
        assert_eq!(error, None);
        let tests = documents[0].root.get("tests").unwrap().items();
        let test = tests
            .iter()
            .find(|t| t.get("name").and_then(Node::as_str) == Some(policy.test))
            .unwrap_or_else(|| panic!("{}: no test {}", policy.folder, policy.test));
        for case in test.get("cases").unwrap().items() {
            let name = case.get("name").and_then(Node::as_str).unwrap();
            let object = case.get("object").and_then(Node::as_str).unwrap();
            let expected = expects_violation(case);
            let got = fires(policy.rule, &folder.join(object));
            let parameter = policy.parameter_cases.iter().any(|(c, _)| *c == name);
            if (got == expected) == parameter {
                mismatches.push(format!(
                    "{} {name}: suite expects a violation: {expected}, {} fires: {got}{}",
                    policy.folder,
                    policy.rule,
                    if parameter {
                        " (listed as a parameter case, but agrees now)"
                    } else {
                        ""
                    }
                ));
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 10, "cases read");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
