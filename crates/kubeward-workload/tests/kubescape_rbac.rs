//! kubescape regolibrary's RBAC rule tests, read in place, for the rules that
//! a kubeward rule covers: each case's inputs (Roles, ClusterRoles and their
//! bindings) are scanned together, and the kubeward rule must fire exactly
//! where kubescape's `expected.json` lists a finding. The cases where
//! kubeward decides otherwise on purpose are listed with the reason, and
//! checked to still disagree, so that the list cannot go stale.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::path::Path;

use kubeward_core::config::RulesConfig;
use kubeward_core::load::{LoadOptions, load_text};
use kubeward_core::yaml::{Limits, parse_documents};
use kubeward_workload::rules::{RuleSet, Settings};
use kubeward_workload::scan::Scanner;

/// A kubescape rule folder and the kubeward rules that mean the same.
const COVERED: &[(&str, &[&str])] = &[
    ("cluster-admin-role", &["KW401"]),
    ("rule-list-all-cluster-admins-v1", &["KW401", "KW402"]),
    ("rule-can-list-get-secrets-v1", &["KW403"]),
    ("exec-into-container-v1", &["KW404"]),
    ("rule-can-bind-escalate", &["KW405"]),
    ("rule-can-impersonate-users-groups-v1", &["KW405"]),
    (
        "system-authenticated-allowed-to-take-over-cluster",
        &["KW406"],
    ),
    ("rule-can-create-pod", &["KW407"]),
    ("rule-can-access-proxy-subresource", &["KW408"]),
    ("rule-can-modify-admission-webhooks", &["KW409"]),
    ("rule-can-create-service-account-token", &["KW410"]),
    ("rule-can-approve-cert-signing-request", &["KW411"]),
    ("rule-can-create-pv", &["KW412"]),
    ("rule-can-portforward-v1", &["KW413"]),
    ("rule-can-delete-k8s-events-v1", &["KW414"]),
];

/// `(rule folder, case, why kubeward's verdict differs)`.
const DELIBERATE: &[(&str, &str, &str)] = &[
    (
        "cluster-admin-role",
        "clusterrole-rolebinding",
        "a RoleBinding to cluster-admin is full admin of its namespace (here kube-system); \
         CIS 5.1.1 counts every use of cluster-admin, kubescape only cluster-wide ones",
    ),
    (
        "exec-into-container-v1",
        "clusterrole",
        "`pods/*` grants no subresource: the API server's ResourceMatches matches `*/exec`, \
         never `pods/*` (KW402 reports the wildcard that grants nothing)",
    ),
    (
        "rule-can-portforward-v1",
        "clusterrole-clusterrolebinding",
        "`pods/*` grants no subresource, `pods/portforward` included (see above)",
    ),
    (
        "system-authenticated-allowed-to-take-over-cluster",
        "fail",
        "the role reads nodes, namespaces and pods; its `nodes/*` and `pods/*` grant no \
         subresource (see above), so nothing in it takes over the cluster",
    ),
];

/// Whether the kubeward rules fire on the objects in `input`.
fn fires(rules: &[&str], input: &Path) -> bool {
    let config = RulesConfig {
        select: rules.iter().map(|r| (*r).to_owned()).collect(),
        ..RulesConfig::default()
    };
    let scanner = Scanner::new(RuleSet::from_config(&config).unwrap(), Settings::default());
    let mut objects = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(input)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let loaded = load_text(
            file.display().to_string().into(),
            &text,
            &LoadOptions::default(),
        );
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        objects.extend(loaded.objects);
    }
    !scanner.check_objects(&objects).is_empty()
}

#[test]
fn kubescape_rbac_cases_get_their_expected_verdicts() {
    let Some(dir) = kubeward_testkit::conformance_dir("rbac") else {
        return;
    };
    let rules_dir = dir.join("kubescape-regolibrary/rules");
    let (mut agreed, mut deliberate, mut disagreements) = (0, 0, Vec::new());
    for (folder, rules) in COVERED {
        let tests = rules_dir.join(folder).join("test");
        let mut cases: Vec<_> = std::fs::read_dir(&tests)
            .unwrap_or_else(|e| panic!("{}: {e}", tests.display()))
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        cases.sort();
        for case in cases {
            // JSON is YAML: the scanner's own parser reads the expectation.
            let text = std::fs::read_to_string(tests.join(&case).join("expected.json")).unwrap();
            let (documents, syntax) = parse_documents(&text, Limits::default());
            assert!(syntax.is_none(), "{folder}/{case}: {syntax:?}");
            let expects_finding = !documents[0].root.items().is_empty();
            let fired = fires(rules, &tests.join(&case).join("input"));
            let on_purpose = DELIBERATE.iter().any(|(f, c, _)| f == folder && *c == case);
            match (fired == expects_finding, on_purpose) {
                (true, false) => agreed += 1,
                (false, true) => deliberate += 1,
                (true, true) => disagreements.push(format!(
                    "{folder}/{case}: listed as a deliberate difference but now agrees"
                )),
                (false, false) => disagreements.push(format!(
                    "{folder}/{case}: kubescape expects {}, kubeward {} ({rules:?})",
                    if expects_finding { "a finding" } else { "none" },
                    if fired { "fires" } else { "does not fire" }
                )),
            }
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert_eq!((agreed, deliberate), (38, 4));
}
