//! The subset of Kubernetes JSONPath templates kube-bench's `path` items use
//! (`{.a.b}`, `{.list[0]}`, `{range .list[*]}{}{','}{end}`, quoted literals),
//! evaluated with missing keys allowed, printing values as kubectl does.

use kubeward_core::yaml::{Node, Value};

/// A template that cannot be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathError(pub String);

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Field(String),
    Index(i64),
    All,
}

#[derive(Clone, Debug, PartialEq)]
enum Part {
    Text(String),
    Select(Vec<Step>),
    Range(Vec<Step>, Vec<Part>),
}

fn parse_steps(expr: &str) -> Result<Vec<Step>, PathError> {
    let expr = expr.trim();
    let expr = expr.strip_prefix('$').unwrap_or(expr);
    let expr = expr.strip_prefix('@').unwrap_or(expr);
    let mut steps = Vec::new();
    let mut rest = expr;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end > 0 {
                steps.push(Step::Field(r[..end].to_owned()));
            }
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r
                .find(']')
                .ok_or_else(|| PathError(format!("unclosed [ in {expr:?}")))?;
            let inner = r[..end].trim();
            steps.push(match inner {
                "*" | ":" => Step::All,
                _ if inner.starts_with('\'') || inner.starts_with('"') => {
                    Step::Field(inner.trim_matches(['\'', '"']).to_owned())
                }
                _ => Step::Index(
                    inner
                        .parse()
                        .map_err(|_| PathError(format!("unsupported index [{inner}]")))?,
                ),
            });
            rest = &r[end + 1..];
        } else {
            return Err(PathError(format!("unexpected {rest:?} in {expr:?}")));
        }
    }
    Ok(steps)
}

fn parse_template(template: &str) -> Result<Vec<Part>, PathError> {
    let mut stack: Vec<(Vec<Step>, Vec<Part>)> = Vec::new();
    let mut parts: Vec<Part> = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        match rest.find('{') {
            Some(0) => {
                let end = rest
                    .find('}')
                    .ok_or_else(|| PathError(format!("unclosed action in {template:?}")))?;
                let action = rest[1..end].trim();
                rest = &rest[end + 1..];
                if let Some(expr) = action.strip_prefix("range ") {
                    stack.push((parse_steps(expr)?, std::mem::take(&mut parts)));
                } else if action == "end" {
                    let (steps, outer) = stack
                        .pop()
                        .ok_or_else(|| PathError("`end` without `range`".into()))?;
                    let body = std::mem::replace(&mut parts, outer);
                    parts.push(Part::Range(steps, body));
                } else if (action.starts_with('\'') && action.ends_with('\'') && action.len() >= 2)
                    || (action.starts_with('"') && action.ends_with('"') && action.len() >= 2)
                {
                    parts.push(Part::Text(action[1..action.len() - 1].to_owned()));
                } else {
                    parts.push(Part::Select(parse_steps(action)?));
                }
            }
            Some(i) => {
                parts.push(Part::Text(rest[..i].to_owned()));
                rest = &rest[i..];
            }
            None => {
                parts.push(Part::Text(rest.to_owned()));
                rest = "";
            }
        }
    }
    if !stack.is_empty() {
        return Err(PathError("`range` without `end`".into()));
    }
    Ok(parts)
}

fn select<'a>(node: &'a Node, steps: &[Step]) -> Vec<&'a Node> {
    let mut current = vec![node];
    for step in steps {
        let mut next = Vec::new();
        for n in current {
            match step {
                Step::Field(f) => next.extend(n.get(f)),
                Step::Index(i) => {
                    let items = n.items();
                    let idx = if *i < 0 { items.len() as i64 + i } else { *i };
                    next.extend(usize::try_from(idx).ok().and_then(|i| items.get(i)));
                }
                Step::All => match &n.value {
                    Value::Seq(items) => next.extend(items.iter()),
                    Value::Map(m) => next.extend(m.entries().iter().map(|e| &e.value)),
                    _ => {}
                },
            }
        }
        current = next;
    }
    current
}

/// A value as kubectl's JSONPath prints it.
fn print(node: &Node, out: &mut String) {
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(&b.to_string()),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&f.to_string()),
        Value::Str(s) => out.push_str(s),
        Value::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                print(item, out);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, e) in m.entries().iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&format!("{:?}:", e.key));
                print(&e.value, out);
            }
            out.push('}');
        }
    }
}

fn run(parts: &[Part], node: &Node, out: &mut String) {
    for part in parts {
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Select(steps) => {
                for (i, n) in select(node, steps).into_iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    print(n, out);
                }
            }
            Part::Range(steps, body) => {
                for n in select(node, steps) {
                    run(body, n, out);
                }
            }
        }
    }
}

/// Evaluates a template against a document; missing keys print nothing.
pub fn evaluate(template: &str, document: &Node) -> Result<String, PathError> {
    let parts = parse_template(template)?;
    let mut out = String::new();
    run(&parts, document, &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeward_core::yaml::{Limits, parse_documents};

    fn doc(text: &str) -> Node {
        parse_documents(text, Limits::default()).0.remove(0).root
    }

    #[test]
    fn fields_ranges_and_literals() {
        let d = doc("a: {b: false}\nport: 15000\nlist: [a, b]\n");
        assert_eq!(evaluate("{.a.b}", &d).unwrap(), "false");
        assert_eq!(evaluate("{.port}", &d).unwrap(), "15000");
        assert_eq!(evaluate("{.missing.key}", &d).unwrap(), "");
        assert_eq!(
            evaluate("{range .list[:]}{}{','}{end}", &d).unwrap(),
            "a,b,"
        );
        assert_eq!(evaluate("{.list[1]}", &d).unwrap(), "b");
        assert!(evaluate("{range .list}", &d).is_err());
        assert!(evaluate("{.a", &d).is_err());
    }
}
