//! kube-bench's control-file format, read into plain structs. Every scalar
//! is kept as the text it was written as (`value: no` is the string `no`, as
//! kube-bench's Go YAML decoder keeps it for a string field), and problems
//! are reported as `file:line: what is wrong`.

use kubeward_core::yaml::{Limits, Node, Value, parse_documents};

/// A controls file: one section of a benchmark.
#[derive(Clone, Debug, Default)]
pub struct Controls {
    pub version: String,
    pub id: String,
    pub text: String,
    /// `master`, `node`, `etcd`, `controlplane`, `policies`, …
    pub node_type: String,
    pub groups: Vec<Group>,
}

#[derive(Clone, Debug, Default)]
pub struct Group {
    pub id: String,
    pub text: String,
    /// `skip` skips every check of the group.
    pub kind: String,
    pub checks: Vec<Check>,
}

#[derive(Clone, Debug, Default)]
pub struct Check {
    pub id: String,
    pub text: String,
    pub audit: String,
    pub audit_config: String,
    pub audit_env: String,
    /// `manual`, `skip` or empty.
    pub kind: String,
    pub tests: Option<Tests>,
    pub use_multiple_values: bool,
    pub remediation: String,
    pub scored: bool,
    pub line: u32,
}

#[derive(Clone, Debug, Default)]
pub struct Tests {
    /// `and`, `or` or empty (meaning `and`); anything else is an error when run.
    pub bin_op: String,
    pub items: Vec<TestItem>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestItem {
    pub flag: String,
    pub path: String,
    pub env: String,
    /// Defaults to true when absent.
    pub set: bool,
    pub compare: Option<Compare>,
}

impl Default for TestItem {
    fn default() -> Self {
        Self {
            flag: String::new(),
            path: String::new(),
            env: String::new(),
            set: true,
            compare: None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Compare {
    pub op: String,
    pub value: String,
}

/// A problem with a controls file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelError {
    pub line: u32,
    pub message: String,
}

/// The text of a scalar as written in the source (quotes removed), so that
/// `no`, `0644` or `false` keep their spelling.
struct Source<'a> {
    lines: Vec<&'a str>,
}

impl Source<'_> {
    fn text(&self, node: &Node) -> Result<String, ModelError> {
        match &node.value {
            Value::Null => Ok(String::new()),
            Value::Str(s) => Ok(s.to_string()),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
                let line = self
                    .lines
                    .get(node.pos.line.saturating_sub(1) as usize)
                    .copied()
                    .unwrap_or("");
                let start: String = line
                    .chars()
                    .skip(node.pos.column.saturating_sub(1) as usize)
                    .collect();
                let token = start.split(" #").next().unwrap_or("").trim();
                let token = token.trim_end_matches([',', '}', ']']).trim();
                Ok(token.to_owned())
            }
            _ => Err(ModelError {
                line: node.pos.line,
                message: format!("expected a scalar, found a {}", node.type_name()),
            }),
        }
    }

    fn field(&self, node: &Node, key: &str) -> Result<String, ModelError> {
        node.field(key).map_or(Ok(String::new()), |n| self.text(n))
    }

    fn flag(&self, node: &Node, key: &str, default: bool) -> Result<bool, ModelError> {
        match node.field(key) {
            None => Ok(default),
            Some(n) => match n.as_bool() {
                Some(b) => Ok(b),
                None => Err(ModelError {
                    line: n.pos.line,
                    message: format!("`{key}` must be true or false"),
                }),
            },
        }
    }
}

fn list<'n>(node: &'n Node, key: &str) -> Result<&'n [Node], ModelError> {
    match node.field(key) {
        None => Ok(&[]),
        Some(n) => n.as_seq().ok_or_else(|| ModelError {
            line: n.pos.line,
            message: format!("`{key}` must be a list"),
        }),
    }
}

/// Indents the continuation lines of multi-line double-quoted scalars by two
/// more spaces. kube-bench's files (read by a libyaml-based parser) have a
/// few such scalars continued at their key's own indentation, which strict
/// YAML rejects; extra leading space inside a quoted scalar is folded away,
/// so the value does not change.
fn relax_quoted_indentation(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut open = false;
    for line in text.split_inclusive('\n') {
        if open {
            out.push_str("  ");
        }
        out.push_str(line);
        let mut escaped = false;
        let mut in_single = false;
        for (i, c) in line.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if open => escaped = true,
                '\'' if !open => in_single = !in_single,
                '"' if !in_single => open = !open,
                '#' if !open && !in_single && (i == 0 || line[..i].ends_with(' ')) => break,
                _ => {}
            }
        }
    }
    out
}

/// Reads a controls file.
pub fn parse(text: &str) -> Result<Controls, ModelError> {
    let (mut docs, mut error) = parse_documents(text, Limits::default());
    if error
        .as_ref()
        .is_some_and(|e| e.message.contains("indentation in quoted scalar"))
    {
        (docs, error) = parse_documents(&relax_quoted_indentation(text), Limits::default());
    }
    if let Some(e) = error {
        return Err(ModelError {
            line: e.pos.line,
            message: e.message,
        });
    }
    let root = docs
        .into_iter()
        .map(|d| d.root)
        .find(|r| !r.is_null())
        .ok_or(ModelError {
            line: 1,
            message: "empty controls file".into(),
        })?;
    if root.as_map().is_none() {
        return Err(ModelError {
            line: root.pos.line,
            message: "a controls file must be a mapping with `groups`".into(),
        });
    }
    let src = Source {
        lines: text.lines().collect(),
    };
    let mut controls = Controls {
        version: src.field(&root, "version")?,
        id: src.field(&root, "id")?,
        text: src.field(&root, "text")?,
        node_type: src.field(&root, "type")?,
        groups: Vec::new(),
    };
    for g in list(&root, "groups")? {
        let mut group = Group {
            id: src.field(g, "id")?,
            text: src.field(g, "text")?,
            kind: src.field(g, "type")?,
            checks: Vec::new(),
        };
        for c in list(g, "checks")? {
            group.checks.push(check(&src, c)?);
        }
        controls.groups.push(group);
    }
    Ok(controls)
}

fn check(src: &Source<'_>, c: &Node) -> Result<Check, ModelError> {
    let tests = match c.field("tests") {
        None => None,
        Some(t) => {
            let mut tests = Tests {
                bin_op: src.field(t, "bin_op")?,
                items: Vec::new(),
            };
            for i in list(t, "test_items")? {
                if i.is_null() {
                    continue;
                }
                let compare = match i.field("compare") {
                    None => None,
                    Some(cmp) => Some(Compare {
                        op: src.field(cmp, "op")?,
                        value: src.field(cmp, "value")?,
                    }),
                };
                tests.items.push(TestItem {
                    flag: src.field(i, "flag")?,
                    path: src.field(i, "path")?,
                    env: src.field(i, "env")?,
                    set: src.flag(i, "set", true)?,
                    compare,
                });
            }
            Some(tests)
        }
    };
    Ok(Check {
        id: src.field(c, "id")?,
        text: src.field(c, "text")?,
        audit: src.field(c, "audit")?,
        audit_config: src.field(c, "audit_config")?,
        audit_env: src.field(c, "audit_env")?,
        kind: src.field(c, "type")?,
        tests,
        use_multiple_values: src.flag(c, "use_multiple_values", false)?,
        remediation: src.field(c, "remediation")?,
        scored: src.flag(c, "scored", false)?,
        line: c.pos.line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_keep_their_spelling() {
        let c = parse(
            "groups:\n- id: 1\n  checks:\n  - id: 1.1\n    tests:\n      test_items:\n      - flag: x\n        compare: {op: eq, value: no}\n      - flag: y\n        set: false\n        compare:\n          op: bitmask\n          value: 0644 # octal\n",
        )
        .unwrap();
        let items = &c.groups[0].checks[0].tests.as_ref().unwrap().items;
        assert_eq!(items[0].compare.as_ref().unwrap().value, "no");
        assert!(items[0].set);
        assert!(!items[1].set);
        assert_eq!(items[1].compare.as_ref().unwrap().value, "0644");
        assert_eq!(c.groups[0].id, "1");
    }

    #[test]
    fn quoted_scalars_continued_at_the_key_indentation() {
        let text = "groups:\n  - id: 2\n    checks:\n      - id: 2.4\n        text: \"first part and\n        second part (Automated)\"\n";
        let c = parse(text).unwrap();
        assert_eq!(
            c.groups[0].checks[0].text,
            "first part and second part (Automated)"
        );
    }

    #[test]
    fn errors_have_lines() {
        let e = parse("groups:\n- id: 1\n  checks: 3\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(parse("groups: [\n").is_err());
    }
}
