//! The upstream Pod Security Admission fixtures, read in place: every pass
//! fixture meets its level at its version, every fail fixture falls below it
//! with the named check (or the restricted check replacing it) among the reasons.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use kubeward_core::load::{LoadOptions, load_text};
use kubeward_workload::pod::Pod;
use kubeward_workload::pss::{self, Level, Version};

#[test]
fn upstream_fixtures_all_agree() {
    let Some(dir) = kubeward_testkit::conformance_dir("pss") else {
        return;
    };
    let index = std::fs::read_to_string(dir.join("INDEX.tsv")).expect("INDEX.tsv");
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for row in index.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let [level, version, expect, check, _index, path] = cols[..] else {
            panic!("bad INDEX.tsv row: {row}");
        };
        let level: Level = level.parse().unwrap();
        let version: Version = version.parse().unwrap();
        let text = std::fs::read_to_string(dir.join(path)).unwrap();
        let loaded = load_text(path.into(), &text, &LoadOptions::default());
        assert!(loaded.errors.is_empty(), "{path}: {:?}", loaded.errors);
        let object = &loaded.objects[0];
        let pod = Pod::of(object).unwrap_or_else(|| panic!("{path}: no pod"));
        let denied_by = pss::denying_checks(&pod, level, version);
        let assessment = pss::assess(&pod, version);
        let ok = match expect {
            "pass" => denied_by.is_empty() && assessment.meets(level),
            "fail" => {
                let named = [Some(check), pss::replacement(check, version)];
                !assessment.meets(level)
                    && denied_by.iter().any(|d| named.contains(&Some(*d)))
                    && assessment
                        .violations
                        .iter()
                        .any(|v| named.contains(&Some(v.check)))
            }
            other => panic!("bad expectation {other}"),
        };
        if !ok {
            mismatches.push(format!(
                "{path}: expected {expect}, denied by {denied_by:?}"
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
