//! Property tests: the parsers take any input without panicking, and
//! generated well-formed conditions parse and evaluate.

#![allow(clippy::unwrap_used)]

use kubeward_falco::RuleSet;
use kubeward_falco::compile::compile;
use kubeward_falco::condition::{expand_lists, parse_condition};
use kubeward_falco::event::parse_audit_payload;
use proptest::prelude::*;

fn check() -> impl Strategy<Value = String> {
    let field = prop::sample::select(vec![
        "proc.name",
        "fd.name",
        "proc.aname[2]",
        "evt.arg.flags",
        "user.uid",
        "tolower(proc.cmdline)",
    ]);
    let op = prop::sample::select(vec![
        "=",
        "!=",
        "contains",
        "startswith",
        "endswith",
        "glob",
        "icontains",
    ]);
    let value = "[a-z/._]{1,12}";
    prop_oneof![
        (field.clone(), op, value).prop_map(|(f, o, v)| {
            if f == "user.uid" {
                format!("{f} {} 0", if o == "=" { "=" } else { "!=" })
            } else {
                format!("{f} {o} \"{v}\"")
            }
        }),
        (field.clone(), prop::collection::vec("[a-z]{1,6}", 0..4)).prop_map(|(f, items)| {
            if f == "user.uid" {
                "user.uid in (0, 1)".to_owned()
            } else {
                format!("{f} in ({})", items.join(", "))
            }
        }),
        field.prop_map(|f| format!("{f} exists")),
        Just("evt.type in (open, openat, execve)".to_owned()),
    ]
}

fn condition() -> impl Strategy<Value = String> {
    check().prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} and {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} or {b}")),
            inner.prop_map(|a| format!("not {a}")),
        ]
    })
}

proptest! {
    #[test]
    fn parser_takes_any_text(text in "\\PC{0,200}") {
        let _ = parse_condition(&text);
        let items = vec!["x y".to_owned()];
        let _ = expand_lists(&text, |n| (n.len() == 3).then_some(items.as_slice()));
    }

    #[test]
    fn generated_conditions_parse_and_compile(cond in condition()) {
        prop_assert!(parse_condition(&cond).is_ok(), "{}", cond);
        let mut set = RuleSet::new();
        let text = format!("- rule: R\n  desc: d\n  condition: '{}'\n  output: o\n  priority: info\n", cond.replace('\'', "''"));
        set.load_str("p.yaml".into(), &text);
        let compiled = compile(&set);
        prop_assert!(compiled.errors.is_empty(), "{}: {:?}", cond, compiled.errors);
    }

    #[test]
    fn rule_files_and_audit_payloads_never_panic(text in "\\PC{0,300}") {
        let mut set = RuleSet::new();
        set.load_str("p.yaml".into(), &text);
        let _ = compile(&set);
        let _ = parse_audit_payload(text.as_bytes());
    }
}
