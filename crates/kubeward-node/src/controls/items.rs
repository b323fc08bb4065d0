//! kube-bench's test items: how a `flag`, `path` or `env` is looked up in an
//! audit's output, and how `compare` ops judge the value found. The
//! semantics follow kube-bench's (see the conformance SCHEMA); the code is
//! kubeward's own.

use kubeward_core::yaml::{Limits, parse_documents};
use regex::Regex;

use super::jsonpath;
use super::model::{Compare, TestItem};

/// Which output an item was judged on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Used {
    Audit,
    Config,
    Env,
}

/// The judgement of one item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemResult {
    pub passed: bool,
    pub found: bool,
    /// The value found (the last line judged).
    pub value: Option<String>,
    /// What was expected, in words.
    pub expected: String,
    pub used: Used,
    /// Why the item could not be judged (bad path, bad YAML).
    pub error: Option<String>,
}

/// Finds a flag in text: present anywhere; its value is what follows
/// `=` or `:`, a bare `--flag` being `true` and a bare word the word itself.
/// As in kube-bench (at the commit the CIS files come from), the next word
/// is never the value: `--profiling false` reads as `true`, which is also
/// what pflag makes of it (`false` becomes an argument).
fn find_flag(item: &TestItem, text: &str) -> Result<Option<String>, String> {
    if text.is_empty() || item.flag.is_empty() || !text.contains(&item.flag) {
        return Ok(None);
    }
    // kube-bench puts the flag into the pattern as it is written.
    let pattern = format!(r"({})(=|: *)*(\S*) *", item.flag);
    let re = Regex::new(&pattern).map_err(|e| format!("invalid flag {:?}: {e}", item.flag))?;
    let Some(caps) = re.captures(text) else {
        return Ok(Some(item.flag.clone()));
    };
    let value = caps.get(3).map_or("", |m| m.as_str());
    if !value.is_empty() {
        return Ok(Some(value.to_owned()));
    }
    Ok(Some(if item.flag.starts_with("--") {
        "true".to_owned()
    } else {
        caps.get(1).map_or("", |m| m.as_str()).to_owned()
    }))
}

/// Looks a path up in YAML or JSON text; found when it prints something.
fn find_path(item: &TestItem, text: &str) -> Result<Option<String>, String> {
    let (docs, error) = parse_documents(text, Limits::default());
    if let Some(e) = error {
        return Err(format!("not YAML or JSON: {}", e.message));
    }
    let Some(doc) = docs.into_iter().next().map(|d| d.root) else {
        return Ok(None);
    };
    let value = jsonpath::evaluate(&item.path, &doc).map_err(|e| e.0)?;
    Ok((!value.is_empty()).then_some(value))
}

/// Looks `NAME=value` up in environment text; found when the value is not empty.
fn find_env(item: &TestItem, text: &str) -> Option<String> {
    if text.is_empty() || item.env.is_empty() {
        return None;
    }
    let prefix = format!("{}=", item.env);
    let start = text.find(&prefix)?;
    let value = text[start + prefix.len()..].lines().next().unwrap_or("");
    (!value.is_empty()).then(|| value.to_owned())
}

/// Judges a value with a compare op. Returns (passed, expected in words).
pub fn compare(cmp: &Compare, value: &str, name: &str) -> (bool, String) {
    let target = cmp.value.as_str();
    match cmp.op.as_str() {
        "eq" | "noteq" => {
            let lower = value.to_ascii_lowercase();
            // Booleans compare case-insensitively (the target as written).
            let equal = if lower == "true" || lower == "false" {
                lower == target
            } else {
                value == target
            };
            if cmp.op == "eq" {
                (equal, format!("{name} is {target}"))
            } else {
                (!equal, format!("{name} is not {target}"))
            }
        }
        "gt" | "gte" | "lt" | "lte" => {
            let (Ok(a), Ok(b)) = (value.trim().parse::<i64>(), target.trim().parse::<i64>()) else {
                return (
                    false,
                    format!("{name}: {value:?} or {target:?} is not a number"),
                );
            };
            let (ok, words) = match cmp.op.as_str() {
                "gt" => (a > b, "more than"),
                "gte" => (a >= b, "at least"),
                "lt" => (a < b, "less than"),
                _ => (a <= b, "at most"),
            };
            (ok, format!("{name} is {words} {target}"))
        }
        "has" => (value.contains(target), format!("{name} contains {target}")),
        "nothave" => (
            !value.contains(target),
            format!("{name} does not contain {target}"),
        ),
        "regex" => match Regex::new(target) {
            Ok(re) => (re.is_match(value), format!("{name} matches {target}")),
            Err(e) => (false, format!("invalid regex {target:?}: {e}")),
        },
        "valid_elements" => {
            let split = |s: &str| -> Vec<String> {
                let s = s.trim().trim_end_matches(',');
                if s.is_empty() {
                    Vec::new()
                } else {
                    s.split(',').map(|e| e.trim().to_owned()).collect()
                }
            };
            let (found, allowed) = (split(value), split(target));
            let ok = match (found.is_empty(), allowed.is_empty()) {
                (true, true) => true,
                (true, false) | (false, true) => false,
                _ => found.iter().all(|e| allowed.contains(e)),
            };
            (ok, format!("{name} has only elements of {target}"))
        }
        "bitmask" => {
            let (Ok(found), Ok(max)) = (
                u32::from_str_radix(value.trim(), 8),
                u32::from_str_radix(target.trim(), 8),
            ) else {
                return (
                    false,
                    format!("{name}: {value:?} or {target:?} is not octal"),
                );
            };
            (
                max & found == found,
                format!("{name} is {target} or more restrictive"),
            )
        }
        op => (false, format!("unknown compare op {op:?}")),
    }
}

/// Judges an item on one piece of output.
fn judge(item: &TestItem, found: Result<Option<String>, String>, used: Used) -> ItemResult {
    let name = match used {
        Used::Audit => &item.flag,
        Used::Config => &item.path,
        Used::Env => &item.env,
    };
    let (found, error) = match found {
        Ok(v) => (v, None),
        Err(e) => {
            return ItemResult {
                passed: false,
                found: false,
                value: None,
                expected: e.clone(),
                used,
                error: Some(e),
            };
        }
    };
    let (passed, expected) = match (&found, item.set, &item.compare) {
        (_, false, _) => (found.is_none(), format!("{name} is not present")),
        (Some(v), true, Some(cmp)) if !cmp.op.is_empty() => compare(cmp, v, name),
        (_, true, _) => (found.is_some(), format!("{name} is present")),
    };
    ItemResult {
        passed,
        found: found.is_some(),
        value: found,
        expected,
        used,
        error,
    }
}

/// Judges an item on an output, line by line when `multiple` (every line
/// must pass; the first failing line decides).
fn execute(item: &TestItem, output: &str, multiple: bool, used: Used) -> ItemResult {
    let output = output.trim_end_matches([' ', '\n']);
    let lines: Vec<&str> = if multiple {
        output.split('\n').collect()
    } else {
        vec![output]
    };
    let mut result = None;
    for line in lines {
        let found = match used {
            Used::Audit => find_flag(item, line),
            Used::Config => find_path(item, line),
            Used::Env => Ok(find_env(item, line)),
        };
        let r = judge(item, found, used);
        let stop = !r.passed;
        result = Some(r);
        if stop {
            break;
        }
    }
    result.unwrap_or_else(|| judge(item, Ok(None), used))
}

/// The outputs a check's audits produced.
#[derive(Clone, Debug, Default)]
pub struct Outputs {
    pub audit: String,
    pub config: Option<String>,
    pub env: String,
}

/// Judges an item the way kube-bench does: the audit output first; when the
/// flag is not found there, the configuration output (if the check has an
/// `audit_config`), then the environment output (if the item names `env`).
pub fn run_item(item: &TestItem, outputs: &Outputs, multiple: bool) -> ItemResult {
    let mut result = execute(item, &outputs.audit, multiple, Used::Audit);
    if !result.found
        && let Some(config) = &outputs.config
    {
        result = execute(item, config, multiple, Used::Config);
    }
    if !result.found && !item.env.is_empty() {
        result = execute(item, &outputs.env, multiple, Used::Env);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(flag: &str, op: &str, value: &str) -> TestItem {
        TestItem {
            flag: flag.into(),
            compare: (!op.is_empty()).then(|| Compare {
                op: op.into(),
                value: value.into(),
            }),
            ..TestItem::default()
        }
    }

    fn audit(output: &str) -> Outputs {
        Outputs {
            audit: output.into(),
            ..Outputs::default()
        }
    }

    #[test]
    fn flag_forms() {
        let o = audit("kube-apiserver --profiling --port=0 some-arg: some-val --v 2");
        assert!(run_item(&item("--profiling", "eq", "true"), &o, false).passed);
        assert!(run_item(&item("--port", "eq", "0"), &o, false).passed);
        assert!(run_item(&item("some-arg", "eq", "some-val"), &o, false).passed);
        // The next word is not the value, whatever the op.
        let spaced = run_item(&item("--v", "eq", "2"), &o, false);
        assert_eq!(
            (spaced.passed, spaced.value.as_deref()),
            (false, Some("true"))
        );
        let o = audit("kube-apiserver --profiling false --authorization-mode Node,RBAC");
        let profiling = run_item(&item("--profiling", "eq", "false"), &o, false);
        assert_eq!(
            (profiling.passed, profiling.value.as_deref()),
            (false, Some("true"))
        );
        assert!(!run_item(&item("--authorization-mode", "has", "RBAC"), &o, false).passed);
        assert!(!run_item(&item("--missing", "", ""), &o, false).passed);
        let bare = run_item(&item("permissions", "", ""), &audit("permissions"), false);
        assert_eq!(bare.value.as_deref(), Some("permissions"));
    }

    #[test]
    fn ops() {
        let c = |op: &str, v: &str, t: &str| {
            compare(
                &Compare {
                    op: op.into(),
                    value: t.into(),
                },
                v,
                "x",
            )
            .0
        };
        assert!(c("eq", "FALSE", "false"));
        assert!(!c("eq", "False", "False"));
        assert!(c("noteq", "webhook", "Webhook"));
        assert!(c("gte", "30", "30") && !c("gt", "30", "30") && c("lt", "1", "2"));
        assert!(!c("gte", "thirty", "30"));
        assert!(c("has", "Node,RBAC", "RBAC") && c("nothave", "RBAC", "AlwaysAllow"));
        assert!(c("regex", "1.12.3", r"^1\.12.*$"));
        assert!(c("valid_elements", "a,b,", "a,b,c") && !c("valid_elements", "a,d", "a,b"));
        assert!(c("valid_elements", "", "") && !c("valid_elements", "", "a"));
        assert!(
            c("bitmask", "600", "644") && !c("bitmask", "644", "600") && !c("bitmask", "9", "600")
        );
        assert!(!c("between", "1", "2"));
    }

    #[test]
    fn multiple_lines_must_all_pass() {
        let i = item("permissions", "bitmask", "600");
        assert!(run_item(&i, &audit("permissions=600\npermissions=400"), true).passed);
        assert!(!run_item(&i, &audit("permissions=600\npermissions=644"), true).passed);
        assert!(!run_item(&i, &audit("permissions=600\n\npermissions=600"), true).passed);
    }
}
