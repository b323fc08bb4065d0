//! Every upstream rule file compiles: the conformance data's rule files are
//! read in place.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use kubeward_falco::RuleSet;
use kubeward_falco::compile::compile;

fn load(files: &[&Path]) -> kubeward_falco::compile::Compiled {
    let mut set = RuleSet::new();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap();
        set.load_str(f.display().to_string().into(), &text);
    }
    compile(&set)
}

#[test]
fn upstream_rule_files_compile_with_the_published_counts() {
    let Some(dir) = kubeward_testkit::conformance_dir("falco") else {
        return;
    };
    let rules = dir.join("rules");
    // (file, rules, macros, lists) as counted in rules/SOURCE.txt.
    let expected = [
        ("falco_rules.yaml", 25, 87, 49),
        ("falco-incubating_rules.yaml", 31, 82, 54),
        ("falco-sandbox_rules.yaml", 37, 183, 60),
        ("k8s_audit_rules.yaml", 48, 45, 18),
        ("extras/archive_falco-deprecated_rules.yaml", 4, 6, 9),
        ("extras/archive_application_rules.yaml", 0, 21, 0),
    ];
    for (file, r, m, l) in expected {
        let c = load(&[&rules.join(file)]);
        assert!(c.errors.is_empty(), "{file}: {:#?}", c.errors);
        assert_eq!(
            (c.rule_count, c.macro_count, c.list_count),
            (r, m, l),
            "{file}"
        );
        assert_eq!(
            c.syscall.len() + c.audit.len(),
            r,
            "{file}: every rule compiled"
        );
    }
    let k8s = load(&[&rules.join("k8s_audit_rules.yaml")]);
    assert_eq!(k8s.audit.len(), 48);
    assert!(
        k8s.unsupported_fields.is_empty(),
        "{:?}",
        k8s.unsupported_fields
    );
}

#[test]
fn upstream_files_load_together_and_with_overlays() {
    let Some(dir) = kubeward_testkit::conformance_dir("falco") else {
        return;
    };
    let rules = dir.join("rules");
    let all = load(&[
        &rules.join("falco_rules.yaml"),
        &rules.join("falco-incubating_rules.yaml"),
        &rules.join("falco-sandbox_rules.yaml"),
    ]);
    assert!(all.errors.is_empty(), "{:#?}", all.errors);
    let gke = load(&[
        &rules.join("k8s_audit_rules.yaml"),
        &rules.join("k8saudit-gke_k8s_audit_rules_gke.yaml"),
    ]);
    assert!(gke.errors.is_empty(), "{:#?}", gke.errors);
}

/// Falco's legacy exception cases that load: a tuple value naming a list
/// (with and without parentheses), and scalar values appended to a
/// single-field exception. `cat` opening something is excepted exactly for
/// the command lines the exception names.
#[test]
fn exception_values_naming_lists_and_single_field_appends_load() {
    use kubeward_falco::event::{EventType, Process, SyscallEvent};
    let Some(falco) = kubeward_testkit::conformance_dir("falco") else {
        return;
    };
    let dir = falco.join("rules/extras/falco-legacy-tests/exceptions");
    for case in [
        "rule_exception_values_listref.yaml",
        "rule_exception_values_listref_noparens.yaml",
        "rule_exception_single_field_append.yaml",
    ] {
        let compiled = load(&[&dir.join(case)]);
        assert!(compiled.errors.is_empty(), "{case}: {:?}", compiled.errors);
        assert_eq!(compiled.syscall.len(), 1, "{case}");
        for (args, fires) in [
            ("/dev/zero", false),
            ("/dev/null", false),
            ("/etc/passwd", true),
        ] {
            let mut process = Process {
                name: "cat".into(),
                args: vec![args.into()],
                ..Process::default()
            };
            process.set_command_line();
            let event = SyscallEvent {
                num: 1,
                ts: 0,
                etype: EventType::from_name("open").unwrap(),
                res: 3,
                process: &process,
                fd: None,
                args: &[],
            };
            assert_eq!(
                compiled.syscall[0].condition.eval(&event),
                fires,
                "{case}: cat {args}"
            );
        }
    }
}

/// A name that is no Falco field is an error (Falco's legacy cases
/// skip_unknown_error and skip_unknown_unspec_error), unless the rule says
/// `skip-if-unknown-filter: true` (skip_unknown_evt: a warning, the rule
/// left out); fields with arguments are no unknown fields
/// (skip_unknown_prefix).
#[test]
fn unknown_fields_are_errors_unless_the_rule_skips_them() {
    let Some(falco) = kubeward_testkit::conformance_dir("falco") else {
        return;
    };
    let dir = falco.join("rules/extras/falco-legacy-tests");
    for case in ["skip_unknown_error.yaml", "skip_unknown_unspec.yaml"] {
        let compiled = load(&[&dir.join(case)]);
        assert!(
            compiled
                .errors
                .iter()
                .any(|e| e.message.contains("unknown field `proc.nobody`") && e.loc.line > 0),
            "{case}: {:?}",
            compiled.errors
        );
        assert!(compiled.syscall.is_empty(), "{case}");
    }
    let skipped = load(&[&dir.join("skip_unknown_evt.yaml")]);
    assert!(skipped.errors.is_empty(), "{:?}", skipped.errors);
    assert!(skipped.syscall.is_empty());
    assert!(
        skipped
            .warnings
            .iter()
            .any(|w| w.message.contains("proc.nobody")),
        "{:?}",
        skipped.warnings
    );
    let prefix = load(&[&dir.join("skip_unknown_prefix.yaml")]);
    assert!(prefix.errors.is_empty(), "{:?}", prefix.errors);
    assert_eq!(prefix.syscall.len(), 1);
}

/// Falco's legacy cases rule_exception_unknown_fields (an exception field
/// that is no field, even with no values) and invalid_rule_output (an
/// output token that is no field) are load errors.
#[test]
fn unknown_exception_fields_and_output_tokens_are_errors() {
    let Some(falco) = kubeward_testkit::conformance_dir("falco") else {
        return;
    };
    let dir = falco.join("rules/extras/falco-legacy-tests");
    for (case, wanted) in [
        ("exceptions/item_unknown_fields.yaml", "not.exist"),
        ("invalid_rule_output.yaml", "not_a_real_field"),
    ] {
        let compiled = load(&[&dir.join(case)]);
        assert!(
            compiled.errors.iter().any(|e| e.message.contains(wanted)),
            "{case}: {:?}",
            compiled.errors
        );
        assert!(compiled.syscall.is_empty(), "{case}");
    }
}
