//! Property tests over the loader: no input makes it panic, positions stay
//! inside the text, and trees written out as YAML or JSON read back the same.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use kubeward_core::load::{LoadOptions, load_text};
use kubeward_core::yaml::{Limits, parse_documents};
use kubeward_core::{Node, Value};
use proptest::prelude::*;

/// A value tree without positions, to generate and compare.
#[derive(Clone, Debug, PartialEq)]
enum Tree {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Seq(Vec<Tree>),
    Map(Vec<(String, Tree)>),
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        Just(Tree::Null),
        any::<bool>().prop_map(Tree::Bool),
        any::<i64>().prop_map(Tree::Int),
        "[ -~]{0,12}".prop_map(Tree::Str),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Tree::Seq),
            prop::collection::btree_map("[a-zA-Z][a-zA-Z0-9_.-]{0,8}", inner, 0..6)
                .prop_map(|m| Tree::Map(m.into_iter().collect())),
        ]
    })
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes a tree as JSON (which is also YAML flow syntax).
fn to_json(t: &Tree) -> String {
    match t {
        Tree::Null => "null".into(),
        Tree::Bool(b) => b.to_string(),
        Tree::Int(i) => i.to_string(),
        Tree::Str(s) => json_string(s),
        Tree::Seq(items) => format!(
            "[{}]",
            items.iter().map(to_json).collect::<Vec<_>>().join(", ")
        ),
        Tree::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{}: {}", json_string(k), to_json(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Writes a tree as block YAML, quoting every string.
fn to_block(t: &Tree, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match t {
        Tree::Seq(items) if !items.is_empty() => {
            for item in items {
                out.push_str(&format!("{pad}-"));
                block_child(item, indent + 2, out);
            }
        }
        Tree::Map(entries) if !entries.is_empty() => {
            for (k, v) in entries {
                out.push_str(&format!("{pad}{}:", json_string(k)));
                block_child(v, indent + 2, out);
            }
        }
        scalar => out.push_str(&format!("{pad}{}\n", to_json(scalar))),
    }
}

fn block_child(t: &Tree, indent: usize, out: &mut String) {
    match t {
        Tree::Seq(items) if !items.is_empty() => {
            out.push('\n');
            to_block(t, indent, out);
        }
        Tree::Map(entries) if !entries.is_empty() => {
            out.push('\n');
            to_block(t, indent, out);
        }
        scalar => out.push_str(&format!(" {}\n", to_json(scalar))),
    }
}

fn strip(n: &Node) -> Tree {
    match &n.value {
        Value::Null => Tree::Null,
        Value::Bool(b) => Tree::Bool(*b),
        Value::Int(i) => Tree::Int(*i),
        Value::Float(f) => Tree::Str(format!("float {f}")),
        Value::Str(s) => Tree::Str(s.to_string()),
        Value::Seq(items) => Tree::Seq(items.iter().map(strip).collect()),
        Value::Map(m) => Tree::Map(
            m.entries()
                .iter()
                .map(|e| (e.key.to_string(), strip(&e.value)))
                .collect(),
        ),
    }
}

fn positions_within(n: &Node, lines: u32) -> bool {
    let ok = n.pos.line >= 1 && n.pos.line <= lines.max(1) && n.pos.column >= 1;
    ok && match &n.value {
        Value::Seq(items) => items.iter().all(|i| positions_within(i, lines)),
        Value::Map(m) => m
            .entries()
            .iter()
            .all(|e| e.key_pos.line <= lines.max(1) && positions_within(&e.value, lines)),
        _ => true,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let loaded = load_text("f.yaml".into(), &text, &LoadOptions::default());
        for e in &loaded.errors {
            prop_assert!(e.to_string().starts_with("f.yaml"));
        }
    }

    #[test]
    fn yaml_like_text_never_panics(text in "([-:{}\\[\\],&*!|>'\"#%@` \n]|[a-z0-9]{1,3}|  |\t|---|\\.\\.\\.){0,120}") {
        let (documents, _) = parse_documents(&text, Limits::default());
        let lines = u32::try_from(text.lines().count() + 1).unwrap();
        for d in &documents {
            prop_assert!(positions_within(&d.root, lines));
        }
    }

    #[test]
    fn json_round_trips(t in tree()) {
        let text = to_json(&t);
        let (documents, error) = parse_documents(&text, Limits::default());
        prop_assert_eq!(error, None);
        prop_assert_eq!(documents.len(), 1);
        prop_assert_eq!(strip(&documents[0].root), t);
    }

    #[test]
    fn block_yaml_round_trips_with_positions(t in tree()) {
        let mut text = String::new();
        to_block(&t, 0, &mut text);
        let (documents, error) = parse_documents(&text, Limits::default());
        prop_assert_eq!(error, None, "{}", text);
        let lines = u32::try_from(text.lines().count()).unwrap();
        prop_assert!(positions_within(&documents[0].root, lines));
        prop_assert_eq!(strip(&documents[0].root), t);
    }
}
