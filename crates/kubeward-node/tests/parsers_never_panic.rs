//! Property tests: the parsers of untrusted input (controls files, audit
//! snippets, JSONPath templates, command lines, `/proc/net` tables) never
//! panic, and evaluation always terminates.
// Helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use kubeward_core::yaml::{Limits, parse_documents};
use kubeward_node::controls::{self, ShellPolicy, audit, jsonpath, model, vars::Vars};
use kubeward_node::flags::{CommandLine, Word, split_words};
use kubeward_node::host::parse_table;
use kubeward_node::{NodeFacts, Root};
use proptest::prelude::*;

fn facts() -> NodeFacts {
    NodeFacts::new(Root::new("/nonexistent-kubeward-proptest-root"))
}

/// Text built from the pieces audit snippets are made of.
fn shellish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("ps -ef".to_owned()),
        Just(" | ".to_owned()),
        Just("grep ".to_owned()),
        Just("-v ".to_owned()),
        Just("stat -c %a ".to_owned()),
        Just("/bin/sh -c '".to_owned()),
        Just("'".to_owned()),
        Just("\"".to_owned()),
        Just("if test -e /x; then ".to_owned()),
        Just("; fi".to_owned()),
        Just("for a in b c; do echo $a; done".to_owned()),
        Just("xargs ".to_owned()),
        Just("find / -name '*' ".to_owned()),
        Just("sed 's/a/b/' ".to_owned()),
        Just("awk '{print $1}' ".to_owned()),
        Just("\n".to_owned()),
        Just("$(".to_owned()),
        "[ -~]{0,8}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn controls_files_never_panic(text in "[ -~\n]{0,400}") {
        if let Ok(c) = model::parse(&text) {
            let _ = controls::run(&c, &Vars::default(), &facts(), ShellPolicy::Never);
        }
    }

    #[test]
    fn controls_shaped_files_never_panic(audit in shellish(), flag in "[-a-z]{0,8}", op in "(eq|bitmask|regex|valid_elements|gt)", value in "[ -~]{0,6}") {
        let text = format!(
            "groups:\n- id: 1\n  checks:\n  - id: 1.1\n    audit: {audit:?}\n    tests:\n      test_items:\n      - flag: {flag:?}\n        compare: {{op: {op}, value: {value:?}}}\n    scored: true\n"
        );
        if let Ok(c) = model::parse(&text) {
            let _ = controls::run(&c, &Vars::default(), &facts(), ShellPolicy::Never);
        }
    }

    #[test]
    fn audits_never_panic(script in shellish()) {
        let _ = audit::evaluate(&script, &facts());
    }

    #[test]
    fn jsonpath_never_panics(template in "[{}.\\[\\]a-z0-9:*' ,]{0,40}") {
        let (docs, _) = parse_documents("a: {b: [1, {c: d}]}\nlist: [x1, x2]\n", Limits::default());
        let _ = jsonpath::evaluate(&template, &docs[0].root);
    }

    #[test]
    fn command_lines_never_panic(line in "[ -~]{0,200}") {
        let words = split_words(&line)
            .into_iter()
            .map(|text| Word { text, file: "f".into(), line: None })
            .collect();
        let c = CommandLine::parse(words);
        let _ = c.text();
    }

    #[test]
    fn proc_net_tables_never_panic(text in "[ -~\n]{0,300}") {
        let _ = parse_table(&text, "tcp6", "0A");
        let _ = parse_table(&text, "udp", "07");
    }
}
