//! Builds position-carrying trees from the event stream of `saphyr-parser`.
//!
//! The builder is iterative (no recursion on input depth) and bounded: nesting
//! depth and the number of nodes a document may hold are capped, and so is the
//! number of values copied for anchors and aliases across the whole input
//! (against "billion laughs", including one spread over many documents).

use std::collections::HashMap;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span, Tag};

use super::scalar::{key_text, resolve_plain};
use super::{CompactString, Entry, Map, Node, Pos, Value, shown_key};

/// Bounds that keep hostile input from exhausting memory or stack.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Deepest nesting of sequences and mappings.
    pub max_depth: usize,
    /// Most nodes one document may hold once aliases are expanded.
    pub max_nodes: usize,
    /// Most values one input (the whole stream) may copy for anchors and
    /// aliases. Per input, not per document: every document of a stream is
    /// kept until the stream ends, so a per-document budget would let memory
    /// grow with the number of documents.
    pub max_alias_values: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 200,
            max_nodes: 2_000_000,
            max_alias_values: 2_000_000,
        }
    }
}

/// A document of a YAML stream.
#[derive(Debug)]
pub struct ParsedDocument {
    /// The document's root value (`Null` for an empty document).
    pub root: Node,
    /// Line of the document's first event (its `---`, or its first node).
    pub start_line: u32,
}

/// Why a text is not valid YAML (or exceeds a limit), and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

impl SyntaxError {
    fn at(pos: Pos, message: impl Into<String>) -> Self {
        Self {
            pos,
            message: message.into(),
        }
    }
}

/// Parses a YAML (or JSON) stream into its documents.
///
/// On a syntax error, the documents completed before it are returned with the error.
pub fn parse_documents(text: &str, limits: Limits) -> (Vec<ParsedDocument>, Option<SyntaxError>) {
    let mut builder = Builder::new(limits);
    for event in Parser::new_from_str(text) {
        let result = match event {
            Ok((event, span)) => builder.on_event(event, span),
            Err(e) => Err(SyntaxError::at(
                pos_of(e.marker()),
                format!("invalid YAML: {}", e.info()),
            )),
        };
        if let Err(e) = result {
            return (builder.documents, Some(e));
        }
    }
    (builder.documents, None)
}

fn pos_of(m: &Marker) -> Pos {
    let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    Pos::new(clamp(m.line()), clamp(m.col()).saturating_add(1))
}

enum Frame {
    Seq {
        pos: Pos,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        pos: Pos,
        anchor: usize,
        map: Map,
        key: Option<(CompactString, Pos)>,
        /// Mappings named by `<<` merge keys, applied when the mapping ends.
        merges: Vec<Node>,
    },
}

struct Builder {
    limits: Limits,
    documents: Vec<ParsedDocument>,
    stack: Vec<Frame>,
    /// Completed anchored nodes, with their sizes, for aliases.
    anchors: HashMap<usize, (Node, usize)>,
    root: Option<Node>,
    start_line: u32,
    /// Nodes of the current document, aliases expanded.
    nodes: usize,
    /// Values copied for anchors and aliases since the stream started.
    alias_values: usize,
}

impl Builder {
    fn new(limits: Limits) -> Self {
        Self {
            limits,
            documents: Vec::new(),
            stack: Vec::new(),
            anchors: HashMap::new(),
            root: None,
            start_line: 1,
            nodes: 0,
            alias_values: 0,
        }
    }

    fn on_event(&mut self, event: Event<'_>, span: Span) -> Result<(), SyntaxError> {
        let pos = pos_of(&span.start);
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd => Ok(()),
            Event::DocumentStart(_) => {
                self.start_line = pos.line;
                self.root = None;
                self.anchors.clear();
                self.nodes = 0;
                Ok(())
            }
            Event::DocumentEnd => {
                let root = self
                    .root
                    .take()
                    .unwrap_or_else(|| Node::new(Pos::new(self.start_line, 1), Value::Null));
                self.documents.push(ParsedDocument {
                    root,
                    start_line: self.start_line,
                });
                Ok(())
            }
            Event::Alias(id) => {
                let size = self
                    .anchors
                    .get(&id)
                    .ok_or_else(|| SyntaxError::at(pos, "alias to an unknown anchor"))?
                    .1;
                // Checked before the copy is made, so a bomb allocates nothing.
                self.count_copy(size, pos)?;
                self.count(size, pos)?;
                let node = self.anchors[&id].0.clone();
                self.complete(node, 0, None)
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.count(1, pos)?;
                let value = scalar_value(&text, style, tag.as_deref(), pos)?;
                let raw = (style == ScalarStyle::Plain).then_some(&*text);
                self.complete(Node::new(pos, value), anchor, raw)
            }
            Event::SequenceStart(anchor, _) => {
                self.open(pos)?;
                self.stack.push(Frame::Seq {
                    pos,
                    anchor,
                    items: Vec::new(),
                });
                Ok(())
            }
            Event::MappingStart(anchor, _) => {
                self.open(pos)?;
                self.stack.push(Frame::Map {
                    pos,
                    anchor,
                    map: Map::default(),
                    key: None,
                    merges: Vec::new(),
                });
                Ok(())
            }
            Event::SequenceEnd => match self.stack.pop() {
                Some(Frame::Seq { pos, anchor, items }) => {
                    self.complete(Node::new(pos, Value::Seq(items)), anchor, None)
                }
                _ => Err(SyntaxError::at(pos, "unbalanced sequence end")),
            },
            Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Map {
                    pos,
                    anchor,
                    mut map,
                    merges,
                    ..
                }) => {
                    apply_merges(&mut map, merges, pos)?;
                    self.complete(Node::new(pos, Value::Map(map)), anchor, None)
                }
                _ => Err(SyntaxError::at(pos, "unbalanced mapping end")),
            },
        }
    }

    fn open(&mut self, pos: Pos) -> Result<(), SyntaxError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(SyntaxError::at(
                pos,
                format!("nesting deeper than {} levels", self.limits.max_depth),
            ));
        }
        self.count(1, pos)
    }

    /// Charges `n` values to the current document.
    fn count(&mut self, n: usize, pos: Pos) -> Result<(), SyntaxError> {
        charge(
            &mut self.nodes,
            n,
            self.limits.max_nodes,
            pos,
            "document expands",
        )
    }

    /// Charges `n` copied values to the input's alias budget.
    fn count_copy(&mut self, n: usize, pos: Pos) -> Result<(), SyntaxError> {
        charge(
            &mut self.alias_values,
            n,
            self.limits.max_alias_values,
            pos,
            "anchors and aliases in this input expand",
        )
    }

    /// Places a finished node into its parent (or as the document root).
    /// `plain` is the source text when the node is a plain scalar (for `<<`).
    fn complete(
        &mut self,
        node: Node,
        anchor: usize,
        plain: Option<&str>,
    ) -> Result<(), SyntaxError> {
        if anchor != 0 {
            // The anchor keeps a copy of its node: nested anchors would
            // otherwise copy the same text once per level, outside any budget.
            let size = node.size();
            self.count_copy(size, node.pos)?;
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Frame::Map {
                map, key, merges, ..
            }) => match key.take() {
                None => {
                    *key = Some(mapping_key(node, plain)?);
                    Ok(())
                }
                Some((k, key_pos)) if k == MERGE_KEY => {
                    match &node.value {
                        Value::Map(_) => merges.push(node),
                        Value::Seq(items) if items.iter().all(|n| n.as_map().is_some()) => {
                            merges.extend(items.iter().cloned());
                        }
                        _ => {
                            return Err(SyntaxError::at(
                                key_pos,
                                "merge key `<<` needs a mapping or a list of mappings",
                            ));
                        }
                    }
                    Ok(())
                }
                Some((k, key_pos)) => {
                    if let Some(first) = map.entry(&k) {
                        return Err(SyntaxError::at(
                            key_pos,
                            format!(
                                "duplicate key `{}` (first at line {})",
                                shown_key(&k),
                                first.key_pos.line
                            ),
                        ));
                    }
                    map.push(Entry {
                        key: k,
                        key_pos,
                        value: node,
                    });
                    Ok(())
                }
            },
        }
    }
}

/// Adds `n` to a counter, failing once it passes `limit`.
fn charge(
    counter: &mut usize,
    n: usize,
    limit: usize,
    pos: Pos,
    what: &str,
) -> Result<(), SyntaxError> {
    *counter = counter.saturating_add(n);
    if *counter > limit {
        return Err(SyntaxError::at(
            pos,
            format!("{what} to more than {limit} values (alias bomb?)"),
        ));
    }
    Ok(())
}

/// Marks a plain `<<` key; no real key can contain a NUL.
const MERGE_KEY: &str = "\0<<";

fn mapping_key(node: Node, plain: Option<&str>) -> Result<(CompactString, Pos), SyntaxError> {
    if plain == Some("<<") {
        return Ok((MERGE_KEY.into(), node.pos));
    }
    let text = match node.value {
        Value::Str(s) => s,
        Value::Seq(_) | Value::Map(_) => {
            return Err(SyntaxError::at(node.pos, "a mapping key must be a scalar"));
        }
        ref other => key_text(other, plain.unwrap_or_default()),
    };
    Ok((text, node.pos))
}

/// YAML merge keys: keys written in the mapping win over merged ones, and
/// earlier merged mappings win over later ones.
fn apply_merges(map: &mut Map, merges: Vec<Node>, pos: Pos) -> Result<(), SyntaxError> {
    for merged in merges {
        let Value::Map(source) = merged.value else {
            return Err(SyntaxError::at(pos, "merge key `<<` needs a mapping"));
        };
        for entry in source.entries {
            if map.entry(&entry.key).is_none() {
                map.push(entry);
            }
        }
    }
    Ok(())
}

fn scalar_value(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
    pos: Pos,
) -> Result<Value, SyntaxError> {
    let core_tag = tag
        .filter(|t| t.is_yaml_core_schema())
        .map(|t| t.suffix.as_str());
    let value = match core_tag {
        Some("str" | "binary" | "timestamp") => Value::Str(text.into()),
        Some("null") => Value::Null,
        Some(kind @ ("int" | "float" | "bool")) => {
            let v = resolve_plain(text);
            let ok = matches!(
                (kind, &v),
                ("int", Value::Int(_))
                    | ("float", Value::Float(_) | Value::Int(_))
                    | ("bool", Value::Bool(_))
            );
            if !ok {
                // The text may be a secret (a Secret's value under a wrong
                // tag): say where and how long it is, never what it is.
                return Err(SyntaxError::at(
                    pos,
                    format!(
                        "the {}-character value at column {} is not a valid !!{kind}",
                        text.chars().count(),
                        pos.column
                    ),
                ));
            }
            match (kind, v) {
                ("float", Value::Int(i)) => Value::Float(i as f64),
                (_, v) => v,
            }
        }
        _ if style == ScalarStyle::Plain => resolve_plain(text),
        _ => Value::Str(text.into()),
    };
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let (mut docs, err) = parse_documents(text, Limits::default());
        assert_eq!(err, None);
        assert_eq!(docs.len(), 1);
        docs.remove(0).root
    }

    fn error(text: &str) -> SyntaxError {
        parse_documents(text, Limits::default())
            .1
            .expect("an error")
    }

    #[test]
    fn positions_of_keys_and_values() {
        let root =
            one("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: x\n");
        let spec = root.get("spec").unwrap();
        let c = &spec.get("containers").unwrap().items()[0];
        assert_eq!(c.pos, Pos::new(5, 5));
        assert_eq!(c.get("image").unwrap().pos, Pos::new(6, 12));
        let entry = root.as_map().unwrap().entry("kind").unwrap();
        assert_eq!(entry.key_pos, Pos::new(2, 1));
    }

    #[test]
    fn quoted_scalars_stay_strings() {
        let root = one("a: 'yes'\nb: yes\nc: \"0644\"\nd: 0644\ne: !!str 12\n");
        assert_eq!(root.get("a").unwrap().as_str(), Some("yes"));
        assert_eq!(root.get("b").unwrap().as_bool(), Some(true));
        assert_eq!(root.get("c").unwrap().as_str(), Some("0644"));
        assert_eq!(root.get("d").unwrap().as_i64(), Some(420));
        assert_eq!(root.get("e").unwrap().as_str(), Some("12"));
    }

    #[test]
    fn json_input() {
        let root = one(r#"{"kind": "Pod", "spec": {"hostPID": true, "n": 1.5, "s": "a\u00e9"}}"#);
        assert_eq!(
            root.lookup(&["spec", "hostPID"]).unwrap().as_bool(),
            Some(true)
        );
        assert_eq!(root.lookup(&["spec", "s"]).unwrap().as_str(), Some("aé"));
    }

    #[test]
    fn multiple_documents_and_empty_ones() {
        let (docs, err) = parse_documents("---\na: 1\n---\n---\nb: 2\n...\n", Limits::default());
        assert_eq!(err, None);
        assert_eq!(docs.len(), 3);
        assert!(docs[1].root.is_null());
        assert_eq!(docs[2].start_line, 4);
    }

    #[test]
    fn merge_keys_and_aliases() {
        let root = one("base: &b {a: 1, b: 2}\nmine:\n  <<: *b\n  b: 3\nlist: [*b, *b]\n");
        let mine = root.get("mine").unwrap();
        assert_eq!(mine.get("a").unwrap().as_i64(), Some(1));
        assert_eq!(mine.get("b").unwrap().as_i64(), Some(3));
        assert_eq!(root.get("list").unwrap().items().len(), 2);
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let e = error("a: 1\nb: 2\na: 3\n");
        assert_eq!(e.pos.line, 3);
        assert!(
            e.message.contains("duplicate key `a` (first at line 1)"),
            "{e}"
        );
    }

    #[test]
    fn bad_tagged_scalars_are_not_echoed() {
        for (text, kind) in [
            ("password: !!int hunter2SECRETVALUE\n", "int"),
            ("password: !!float \"hunter2SECRETVALUE\"\n", "float"),
            ("password: !!bool hunter2SECRETVALUE\n", "bool"),
        ] {
            let e = error(text);
            assert!(!e.message.contains("hunter2"), "{e}");
            assert_eq!(e.pos.line, 1);
            let want = format!("value at column {} is not a valid !!{kind}", e.pos.column);
            assert!(e.message.contains(&want), "{e}");
            assert!(e.message.starts_with("the 18-character value"), "{e}");
        }
    }

    #[test]
    fn duplicate_keys_are_shown_bounded_and_on_one_line() {
        let long = "k".repeat(10_000);
        let e = error(&format!("{long}: 1\n{long}: 2\n"));
        assert!(e.message.len() < 200, "{} bytes", e.message.len());
        let e = error("\"a\\nb\": 1\n\"a\\nb\": 2\n");
        assert!(!e.message.contains('\n'), "{e}");
        assert!(e.message.contains(r"duplicate key `a\nb`"), "{e}");
    }

    #[test]
    fn syntax_error_has_a_line() {
        let (docs, err) = parse_documents("a: 1\n---\nb: [1, 2\nc: d\n", Limits::default());
        assert_eq!(docs.len(), 1);
        let err = err.unwrap();
        assert!(err.pos.line >= 3, "{err:?}");
    }

    #[test]
    fn alias_bombs_are_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = format!("*a{}", i - 1);
            let items = [prev.as_str(); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{items}]\n"));
        }
        let e = error(&text);
        assert!(e.message.contains("alias bomb"), "{e}");
    }

    /// `documents` documents, each a five-level anchor-and-alias tree of about
    /// 250,000 values (anchor copies included): far under the per-document cap.
    fn many_document_bomb(documents: usize) -> String {
        let one = |n: usize| {
            let mut s = format!("kind: ConfigMap\nmetadata: {{name: x{n}}}\nextra:\n");
            s.push_str("  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
            for i in 1..5 {
                let prev = format!("*a{}", i - 1);
                s.push_str(&format!(
                    "  a{i}: &a{i} [{}]\n",
                    [prev.as_str(); 10].join(", ")
                ));
            }
            s
        };
        (0..documents).map(one).collect::<Vec<_>>().join("---\n")
    }

    #[test]
    fn alias_budget_is_per_input_not_per_document() {
        let (docs, err) = parse_documents(&many_document_bomb(8), Limits::default());
        assert_eq!(
            (docs.len(), err),
            (8, None),
            "8 x 246,895 values fit 2 million"
        );
        let (docs, err) = parse_documents(&many_document_bomb(20), Limits::default());
        let err = err.expect("the stream exceeds the input's alias budget");
        assert!(err.message.contains("alias bomb"), "{err}");
        assert!(err.message.contains("in this input"), "{err}");
        assert_eq!(docs.len(), 8, "stops in the ninth document");
        assert!(err.pos.line > 8 * 9, "{err:?}");
    }

    #[test]
    fn anchor_copies_count_against_the_budget() {
        // Nested anchors copy their subtree once per level, without any alias.
        let limits = Limits {
            max_alias_values: 50,
            ..Limits::default()
        };
        let nested = "a: &a [&b [&c [&d [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]]]\n";
        let (_, err) = parse_documents(nested, limits);
        assert_eq!(err, None, "11 + 12 + 13 + 14 copied values fit 50");
        let deeper = "a: &a [&b [&c [&d [&e [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]]]]\n";
        let (_, err) = parse_documents(deeper, limits);
        assert!(err.expect("over 50").message.contains("alias bomb"));
    }

    #[test]
    fn depth_is_bounded() {
        let flow = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let e = error(&flow);
        assert!(e.message.contains("recursion limit"), "{e}");
        let block: String = (0..300).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        let e = error(&block);
        assert!(e.message.contains("nesting deeper than 200"), "{e}");
    }

    #[test]
    fn yaml_1_1_booleans_as_keys() {
        // As go-yaml v2 (and so Kubernetes) reads them: `y` is true.
        let root = one("y: 1\nn: 2\n");
        assert!(root.get("true").is_some() && root.get("false").is_some());
    }

    #[test]
    fn non_string_keys_become_text() {
        let root = one("1: a\ntrue: b\n");
        assert!(root.get("1").is_some());
        assert!(root.get("true").is_some());
        let e = error("true: b\nyes: c\n");
        assert!(e.message.contains("duplicate key"));
    }
}
