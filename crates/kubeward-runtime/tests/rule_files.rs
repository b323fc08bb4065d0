//! Rule files read from disk as Falco reads them: Falco's legacy
//! rule-loading cases, whose files include missing ones and directories.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use kubeward_falco::RuleSet;
use kubeward_falco::compile::{Compiled, compile};

fn load(files: &[&Path]) -> Compiled {
    let mut set = RuleSet::new();
    for f in files {
        kubeward_runtime::rules::load(&mut set, f);
    }
    compile(&set)
}

/// Falco's legacy rule-loading tests, case by case: for every case of
/// `_falco_tests.yaml`, `_falco_tests_exceptions.yaml` and
/// `_falco_tests_plugins.yaml` that names rule files, kubeward loads them in
/// order and must fail exactly where Falco exits non-zero. The cases whose
/// failure comes from Falco's configuration file or command line (a
/// `conf_file` with plugins or drop settings, `-t` with `-T`/`-D`) say nothing
/// about the rule files and are counted apart.
#[test]
fn legacy_loader_cases_agree_with_falco() {
    use kubeward_core::Value;
    use kubeward_core::yaml::{Limits, parse_documents};
    let Some(falco) = kubeward_testkit::conformance_dir("falco") else {
        return;
    };
    let dir = falco.join("rules/extras/falco-legacy-tests");
    let (mut agreed, mut configuration, mut disagreements) = (0, 0, Vec::new());
    for index in [
        "_falco_tests.yaml",
        "_falco_tests_exceptions.yaml",
        "_falco_tests_plugins.yaml",
    ] {
        let text = std::fs::read_to_string(dir.join(index)).unwrap();
        let (documents, syntax) = parse_documents(&text, Limits::default());
        assert!(syntax.is_none(), "{index}: {syntax:?}");
        let suites = documents[0].root.as_map().unwrap();
        for suite in suites.entries() {
            let Value::Map(cases) = &suite.value.value else {
                continue;
            };
            for case in cases.entries() {
                let node = &case.value;
                let Some(files) = node
                    .field("validate_rules_file")
                    .or_else(|| node.field("rules_file"))
                else {
                    continue;
                };
                let files: Vec<_> = match files.as_str() {
                    Some(one) => vec![one],
                    None => files.items().iter().filter_map(|f| f.as_str()).collect(),
                };
                let paths: Vec<_> = files
                    .iter()
                    .map(|f| dir.join(f.strip_prefix("rules/").unwrap_or(f)))
                    .collect();
                let fails = node
                    .field("exit_status")
                    .and_then(|n| n.as_i64())
                    .unwrap_or(0)
                    != 0;
                if fails && (node.field("conf_file").is_some() || node.field("run_tags").is_some())
                {
                    configuration += 1;
                    continue;
                }
                let compiled = load(&paths.iter().map(|p| p.as_path()).collect::<Vec<_>>());
                if compiled.errors.is_empty() == fails {
                    disagreements.push(format!(
                        "{index}: {}: Falco {}, kubeward {:?}",
                        case.key,
                        if fails { "fails" } else { "loads" },
                        compiled
                            .errors
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                    ));
                } else {
                    agreed += 1;
                }
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} cases disagree:\n{}",
        disagreements.len(),
        agreed + disagreements.len(),
        disagreements.join("\n")
    );
    assert_eq!((agreed, configuration), (132, 11));
}
