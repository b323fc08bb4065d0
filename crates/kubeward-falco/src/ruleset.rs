//! Rule files: Falco rules YAML read into lists, macros and rules, with
//! redefinitions, legacy `append: true` and `override:` applied in load order,
//! so that several files behave as one stream.
//!
//! Nothing here parses conditions; [`crate::compile`] does that once every
//! file is loaded.

use std::fmt;
use std::sync::Arc;

use kubeward_core::yaml::{self, Limits, Node, Value};
use rustc_hash::FxHashMap;

use crate::priority::Priority;

/// The Falco rule-engine version whose language this crate implements.
pub const ENGINE_VERSION: (u64, u64, u64) = (0, 63, 0);

/// Where an item came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loc {
    pub file: Arc<str>,
    pub line: u32,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}", self.file, self.line)
        }
    }
}

/// A problem in a rule file, told as `file:line: message`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{loc}: {message}")]
pub struct LoadError {
    pub loc: Loc,
    pub message: String,
}

impl LoadError {
    pub fn new(loc: &Loc, message: impl Into<String>) -> Self {
        Self {
            loc: loc.clone(),
            message: message.into(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct ListDef {
    pub name: String,
    pub items: Vec<String>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct MacroDef {
    pub name: String,
    pub condition: String,
    pub loc: Loc,
}

/// An exception's value in one position: a scalar or a list (for `in`,
/// `pmatch`, `intersects`).
#[derive(Clone, Debug, PartialEq)]
pub enum ExceptionValue {
    Scalar(String),
    List(Vec<String>),
}

/// `fields` (and `comps`) of an exception: a list of fields compared as
/// tuples, or one field compared against a flat list of values.
#[derive(Clone, Debug, PartialEq)]
pub enum ExceptionFields {
    Tuple {
        fields: Vec<String>,
        comps: Vec<String>,
    },
    Single {
        field: String,
        comp: String,
    },
}

#[derive(Clone, Debug)]
pub struct Exception {
    pub name: String,
    pub fields: ExceptionFields,
    /// One entry per tuple (tuple form), or one single-element entry per value.
    pub values: Vec<Vec<ExceptionValue>>,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub struct RuleDef {
    pub name: String,
    pub condition: String,
    pub output: String,
    pub desc: String,
    pub priority: Priority,
    pub source: String,
    pub enabled: bool,
    pub tags: Vec<String>,
    pub exceptions: Vec<Exception>,
    pub warn_evttypes: bool,
    pub skip_if_unknown_filter: bool,
    pub loc: Loc,
    /// Where the condition text starts (for compile errors).
    pub condition_loc: Loc,
}

/// Every list, macro and rule read so far, in definition order.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub lists: Vec<ListDef>,
    pub macros: Vec<MacroDef>,
    pub rules: Vec<RuleDef>,
    list_index: FxHashMap<String, usize>,
    macro_index: FxHashMap<String, usize>,
    rule_index: FxHashMap<String, usize>,
    /// Errors found while reading; the set is unusable when any exists.
    pub errors: Vec<LoadError>,
    /// Things Falco also only warns about (unknown keys, deprecated forms).
    pub warnings: Vec<LoadError>,
    /// Plugins the files asked for (name, version); kubeward supplies the
    /// `k8saudit`, `json` and `container` fields itself.
    pub required_plugins: Vec<(String, String)>,
}

impl RuleSet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn list(&self, name: &str) -> Option<&ListDef> {
        self.list_index.get(name).map(|&i| &self.lists[i])
    }

    /// A macro and its position in definition order (macros may only use
    /// macros defined before them).
    pub fn macro_def(&self, name: &str) -> Option<(usize, &MacroDef)> {
        self.macro_index.get(name).map(|&i| (i, &self.macros[i]))
    }

    /// Reads the text of a rule file named `file`.
    pub fn load_str(&mut self, file: Arc<str>, text: &str) {
        let text = indent_closing_brackets(text);
        let (documents, syntax) = yaml::parse_documents(&text, Limits::default());
        for document in documents {
            let loc = Loc {
                file: file.clone(),
                line: document.start_line,
            };
            match &document.root.value {
                Value::Null => {}
                Value::Seq(items) => {
                    for item in items {
                        let loc = Loc {
                            file: file.clone(),
                            line: item.pos.line,
                        };
                        if let Err(e) = self.read_item(item, &loc) {
                            self.errors.push(e);
                        }
                    }
                }
                _ => self.errors.push(LoadError::new(
                    &loc,
                    "rules content is not a YAML list of items",
                )),
            }
        }
        if let Some(e) = syntax {
            self.errors.push(LoadError::new(
                &Loc {
                    file,
                    line: e.pos.line,
                },
                e.message,
            ));
        }
    }

    fn read_item(&mut self, item: &Node, loc: &Loc) -> Result<(), LoadError> {
        let Some(map) = item.as_map() else {
            return Err(LoadError::new(
                loc,
                format!("each item must be a mapping, found a {}", item.type_name()),
            ));
        };
        let kind = [
            "required_engine_version",
            "required_plugin_versions",
            "list",
            "macro",
            "rule",
        ]
        .into_iter()
        .find(|k| map.get(k).is_some());
        let reader = Item { node: item, loc };
        match kind {
            Some("required_engine_version") => self.read_engine_version(&reader),
            Some("required_plugin_versions") => self.read_plugin_versions(&reader),
            Some("list") => self.read_list(&reader),
            Some("macro") => self.read_macro(&reader),
            Some("rule") => self.read_rule(&reader),
            _ => {
                let keys: Vec<&str> = map.entries().iter().map(|e| e.key.as_str()).collect();
                Err(LoadError::new(
                    loc,
                    format!(
                        "unknown item with keys [{}] (expected rule, macro, list, required_engine_version or required_plugin_versions)",
                        keys.join(", ")
                    ),
                ))
            }
        }
    }

    fn read_engine_version(&mut self, item: &Item<'_>) -> Result<(), LoadError> {
        let node = item.required("required_engine_version")?;
        let version = match &node.value {
            Value::Int(n) if *n >= 0 => (0, n.unsigned_abs(), 0),
            Value::Str(s) => parse_semver(s).ok_or_else(|| {
                item.error_at(
                    node,
                    format!("required_engine_version `{s}` is not a version"),
                )
            })?,
            _ => {
                return Err(item.error_at(
                    node,
                    "required_engine_version must be a number or a version string",
                ));
            }
        };
        if version > ENGINE_VERSION {
            let (a, b, c) = version;
            let (x, y, z) = ENGINE_VERSION;
            return Err(item.error_at(
                node,
                format!(
                    "rules require engine version {a}.{b}.{c}, but kubeward implements {x}.{y}.{z}"
                ),
            ));
        }
        Ok(())
    }

    fn read_plugin_versions(&mut self, item: &Item<'_>) -> Result<(), LoadError> {
        let node = item.required("required_plugin_versions")?;
        let Some(entries) = node.as_seq() else {
            return Err(item.error_at(node, "required_plugin_versions must be a list"));
        };
        for entry in entries {
            let entry_item = Item {
                node: entry,
                loc: item.loc,
            };
            let name = entry_item.string("name")?.unwrap_or_default();
            let version = entry_item.string("version")?.unwrap_or_default();
            if name.is_empty() || parse_semver(&version).is_none() {
                return Err(item.error_at(
                    entry,
                    "each required plugin needs a `name` and a `version` (x.y.z)",
                ));
            }
            self.required_plugins.push((name, version));
        }
        Ok(())
    }

    fn read_list(&mut self, item: &Item<'_>) -> Result<(), LoadError> {
        let name = item.name("list")?;
        item.warn_unknown(&mut self.warnings, &["list", "items", "append", "override"]);
        let mode = item.modes(&["items"], &["items"])?;
        let items = item.strings("items")?;
        let existing = self.list_index.get(&name).copied();
        match (mode.of("items"), existing) {
            (Mode::Define, _) => {
                let items = items.ok_or_else(|| item.error("list has no `items`"))?;
                let def = ListDef {
                    name: name.clone(),
                    items,
                    loc: item.loc.clone(),
                };
                define(&mut self.lists, &mut self.list_index, name, def);
            }
            (_, None) => {
                return Err(item.error(format!(
                    "list `{name}` is appended to or overridden, but no list by that name exists yet"
                )));
            }
            (Mode::Append, Some(i)) => self.lists[i].items.extend(items.unwrap_or_default()),
            (Mode::Replace, Some(i)) => self.lists[i].items = items.unwrap_or_default(),
            (Mode::Absent, Some(_)) => {}
        }
        Ok(())
    }

    fn read_macro(&mut self, item: &Item<'_>) -> Result<(), LoadError> {
        let name = item.name("macro")?;
        item.warn_unknown(
            &mut self.warnings,
            &["macro", "condition", "append", "override"],
        );
        let mode = item.modes(&["condition"], &["condition"])?;
        let condition = item.string("condition")?;
        let existing = self.macro_index.get(&name).copied();
        match (mode.of("condition"), existing) {
            (Mode::Define, _) => {
                let condition = condition.ok_or_else(|| item.error("macro has no `condition`"))?;
                let def = MacroDef {
                    name: name.clone(),
                    condition,
                    loc: item.loc.clone(),
                };
                define(&mut self.macros, &mut self.macro_index, name, def);
            }
            (_, None) => {
                return Err(item.error(format!(
                    "macro `{name}` is appended to or overridden, but no macro by that name exists yet"
                )));
            }
            (Mode::Append, Some(i)) => {
                append_text(
                    &mut self.macros[i].condition,
                    &condition.unwrap_or_default(),
                );
            }
            (Mode::Replace, Some(i)) => self.macros[i].condition = condition.unwrap_or_default(),
            (Mode::Absent, Some(_)) => {}
        }
        Ok(())
    }

    fn read_rule(&mut self, item: &Item<'_>) -> Result<(), LoadError> {
        const KEYS: &[&str] = &[
            "rule",
            "condition",
            "output",
            "desc",
            "priority",
            "source",
            "enabled",
            "tags",
            "exceptions",
            "warn_evttypes",
            "skip-if-unknown-filter",
            "capture",
            "capture_duration",
            "append",
            "override",
        ];
        const APPENDABLE: &[&str] = &["condition", "output", "desc", "tags", "exceptions"];
        const REPLACEABLE: &[&str] = &[
            "condition",
            "output",
            "desc",
            "priority",
            "tags",
            "exceptions",
            "enabled",
            "warn_evttypes",
            "skip-if-unknown-filter",
            "capture",
            "capture_duration",
        ];
        let name = item.name("rule")?;
        item.warn_unknown(&mut self.warnings, KEYS);
        let modes = item.modes(APPENDABLE, REPLACEABLE)?;
        let existing = self.rule_index.get(&name).copied();
        let has = |key: &str| item.node.get(key).is_some();

        if modes.is_define() {
            let defines_rule = ["condition", "output", "desc", "priority"]
                .iter()
                .any(|k| has(k));
            if !defines_rule && has("enabled") {
                // The deprecated short form: `- rule: X` + `enabled: false`.
                let Some(i) = existing else {
                    return Err(item.error(format!(
                        "rule `{name}` only sets `enabled`, but no rule by that name exists yet"
                    )));
                };
                self.warnings.push(item.error(
                    "a rule item with only `enabled` is deprecated; use `override: {enabled: replace}`",
                ));
                self.rules[i].enabled = item.boolean("enabled")?.unwrap_or(true);
                return Ok(());
            }
            for key in ["condition", "output", "desc", "priority"] {
                if !has(key) {
                    return Err(item.error(format!("rule `{name}` has no `{key}`")));
                }
            }
            let condition_node = item.required("condition")?;
            let def = RuleDef {
                name: name.clone(),
                condition: item.string("condition")?.unwrap_or_default(),
                output: item.string("output")?.unwrap_or_default().trim().to_owned(),
                desc: item.string("desc")?.unwrap_or_default().trim().to_owned(),
                priority: item.priority()?.unwrap_or(Priority::Debug),
                source: item
                    .string("source")?
                    .unwrap_or_else(|| "syscall".to_owned()),
                enabled: item.boolean("enabled")?.unwrap_or(true),
                tags: item.strings("tags")?.unwrap_or_default(),
                exceptions: item.exceptions(true)?,
                warn_evttypes: item.boolean("warn_evttypes")?.unwrap_or(true),
                skip_if_unknown_filter: item.boolean("skip-if-unknown-filter")?.unwrap_or(false),
                loc: item.loc.clone(),
                condition_loc: item.loc_of(condition_node),
            };
            define(&mut self.rules, &mut self.rule_index, name, def);
            return Ok(());
        }

        let Some(i) = existing else {
            return Err(item.error(format!(
                "rule `{name}` is appended to or overridden, but no rule by that name exists yet"
            )));
        };
        if modes.legacy_append && !has("condition") && !has("exceptions") {
            return Err(item.error(format!(
                "appended rule `{name}` must have a `condition` or `exceptions`"
            )));
        }
        let new_exceptions = item.exceptions(false)?;
        let rule = &mut self.rules[i];
        // Every appendable key is also replaceable: one pass over them all.
        for key in REPLACEABLE {
            match (modes.of(key), *key) {
                (Mode::Append, "condition") => {
                    append_text(
                        &mut rule.condition,
                        &item.string("condition")?.unwrap_or_default(),
                    );
                }
                (Mode::Append, "output") => {
                    append_text(
                        &mut rule.output,
                        item.string("output")?.unwrap_or_default().trim(),
                    );
                }
                (Mode::Append, "desc") => {
                    append_text(
                        &mut rule.desc,
                        item.string("desc")?.unwrap_or_default().trim(),
                    );
                }
                (Mode::Append, "tags") => {
                    for tag in item.strings("tags")?.unwrap_or_default() {
                        if !rule.tags.contains(&tag) {
                            rule.tags.push(tag);
                        }
                    }
                }
                (Mode::Append, "exceptions") => {
                    append_exceptions(&mut rule.exceptions, &new_exceptions, item)?;
                }
                (Mode::Replace, "condition") => {
                    rule.condition = item.string("condition")?.unwrap_or_default();
                }
                (Mode::Replace, "output") => {
                    rule.output = item.string("output")?.unwrap_or_default().trim().to_owned();
                }
                (Mode::Replace, "desc") => {
                    rule.desc = item.string("desc")?.unwrap_or_default().trim().to_owned();
                }
                (Mode::Replace, "priority") => {
                    rule.priority = item.priority()?.unwrap_or(rule.priority);
                }
                (Mode::Replace, "tags") => rule.tags = item.strings("tags")?.unwrap_or_default(),
                (Mode::Replace, "exceptions") => rule.exceptions = new_exceptions.clone(),
                (Mode::Replace, "enabled") => {
                    rule.enabled = item.boolean("enabled")?.unwrap_or(true);
                }
                (Mode::Replace, "warn_evttypes") => {
                    rule.warn_evttypes = item.boolean("warn_evttypes")?.unwrap_or(true);
                }
                (Mode::Replace, "skip-if-unknown-filter") => {
                    rule.skip_if_unknown_filter =
                        item.boolean("skip-if-unknown-filter")?.unwrap_or(false);
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// Falco reads rules with yaml-cpp, which accepts a flow collection's closing
/// `]`/`}` on its own line at the indentation of the key that opened it (as
/// the upstream sandbox rules write lists); the stricter YAML scanner used
/// here rejects that. Such a line can only close a flow collection, so it is
/// indented like the line before it, which keeps line numbers and meaning.
fn indent_closing_brackets(text: &str) -> std::borrow::Cow<'_, str> {
    let closing = |line: &str| {
        let t = line.trim();
        !t.is_empty()
            && t.trim_end_matches([']', '}', ',', ' ']).is_empty()
            && line.starts_with(' ')
    };
    if !text.lines().any(closing) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut previous_indent = 0;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if closing(line) && indent < previous_indent {
            out.extend(std::iter::repeat_n(' ', previous_indent));
            out.push_str(line.trim_start_matches(' '));
            continue;
        }
        if !line.trim().is_empty() {
            previous_indent = indent;
        }
        out.push_str(line);
    }
    std::borrow::Cow::Owned(out)
}

fn define<T>(defs: &mut Vec<T>, index: &mut FxHashMap<String, usize>, name: String, def: T) {
    // A redefinition replaces the item wholesale but keeps its place in the
    // evaluation order.
    match index.get(&name) {
        Some(&i) => defs[i] = def,
        None => {
            index.insert(name, defs.len());
            defs.push(def);
        }
    }
}

fn append_text(base: &mut String, more: &str) {
    if !base.is_empty() && !more.is_empty() {
        base.push(' ');
    }
    base.push_str(more);
}

fn append_exceptions(
    existing: &mut Vec<Exception>,
    new: &[Exception],
    item: &Item<'_>,
) -> Result<(), LoadError> {
    for exception in new {
        match existing.iter_mut().find(|e| e.name == exception.name) {
            Some(old) => {
                if matches!(old.fields, ExceptionFields::Single { .. }) {
                    // One field: each value is one item (a list of several
                    // is the values as one list, as when defined).
                    for value in &exception.values {
                        old.values.push(match value.as_slice() {
                            [one] => vec![one.clone()],
                            many => vec![ExceptionValue::List(
                                many.iter()
                                    .map(|v| match v {
                                        ExceptionValue::Scalar(s) => Ok(s.clone()),
                                        ExceptionValue::List(_) => Err(item.error(format!(
                                            "exception `{}`: a value of a single-field exception cannot hold lists",
                                            exception.name
                                        ))),
                                    })
                                    .collect::<Result<_, _>>()?,
                            )],
                        });
                    }
                } else {
                    old.values.extend(exception.values.iter().cloned());
                }
            }
            None => {
                if exception_is_partial(exception) {
                    return Err(item.error(format!(
                        "appended exception `{}` is new, so it needs `fields` and `values`",
                        exception.name
                    )));
                }
                existing.push(exception.clone());
            }
        }
    }
    Ok(())
}

fn exception_is_partial(e: &Exception) -> bool {
    matches!(&e.fields, ExceptionFields::Tuple { fields, .. } if fields.is_empty())
}

/// `x.y.z` (a missing minor/patch reads as 0).
fn parse_semver(s: &str) -> Option<(u64, u64, u64)> {
    let mut parts = s.trim().split('.').map(|p| p.parse::<u64>().ok());
    let major = parts.next()??;
    let minor = parts.next().unwrap_or(Some(0))?;
    let patch = parts.next().unwrap_or(Some(0))?;
    if parts.next().is_some() {
        return None;
    }
    Some((major, minor, patch))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// No `append`/`override`: the item defines (or redefines) its name.
    Define,
    Append,
    Replace,
    /// An override item that does not touch this key.
    Absent,
}

#[derive(Debug)]
struct Modes {
    legacy_append: bool,
    overrides: Option<Vec<(String, Mode)>>,
}

impl Modes {
    fn is_define(&self) -> bool {
        !self.legacy_append && self.overrides.is_none()
    }

    fn of(&self, key: &str) -> Mode {
        if self.legacy_append {
            return Mode::Append;
        }
        match &self.overrides {
            None => Mode::Define,
            Some(list) => list
                .iter()
                .find(|(k, _)| k == key)
                .map_or(Mode::Absent, |(_, m)| *m),
        }
    }
}

/// One item of a rules file, with its location, read key by key.
struct Item<'a> {
    node: &'a Node,
    loc: &'a Loc,
}

impl Item<'_> {
    fn error(&self, message: impl Into<String>) -> LoadError {
        LoadError::new(self.loc, message)
    }

    fn loc_of(&self, node: &Node) -> Loc {
        Loc {
            file: self.loc.file.clone(),
            line: node.pos.line,
        }
    }

    fn error_at(&self, node: &Node, message: impl Into<String>) -> LoadError {
        LoadError::new(&self.loc_of(node), message)
    }

    fn required(&self, key: &str) -> Result<&Node, LoadError> {
        self.node
            .get(key)
            .ok_or_else(|| self.error(format!("item has no `{key}`")))
    }

    fn name(&self, key: &str) -> Result<String, LoadError> {
        match self.string(key)? {
            Some(name) if !name.trim().is_empty() => Ok(name),
            _ => Err(self.error(format!("`{key}` needs a non-empty name"))),
        }
    }

    fn warn_unknown(&self, warnings: &mut Vec<LoadError>, known: &[&str]) {
        let Some(map) = self.node.as_map() else {
            return;
        };
        for entry in map.entries() {
            if !known.contains(&entry.key.as_str()) {
                warnings.push(LoadError::new(
                    &self.loc_of(&entry.value),
                    format!("unknown key `{}` is ignored", entry.key),
                ));
            }
        }
    }

    /// A scalar as text (numbers and booleans as their text); `None` when absent.
    fn string(&self, key: &str) -> Result<Option<String>, LoadError> {
        match self.node.get(key) {
            None => Ok(None),
            Some(node) => scalar_text(node).map(Some).ok_or_else(|| {
                self.error_at(
                    node,
                    format!("`{key}` must be a string, found a {}", node.type_name()),
                )
            }),
        }
    }

    fn strings(&self, key: &str) -> Result<Option<Vec<String>>, LoadError> {
        match self.node.get(key) {
            None => Ok(None),
            Some(node) if node.is_null() => Ok(Some(Vec::new())),
            Some(node) => {
                let Some(items) = node.as_seq() else {
                    return Err(self.error_at(node, format!("`{key}` must be a list")));
                };
                items
                    .iter()
                    .map(|n| {
                        scalar_text(n).ok_or_else(|| {
                            self.error_at(
                                n,
                                format!("`{key}` items must be strings, found a {}", n.type_name()),
                            )
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Some)
            }
        }
    }

    fn boolean(&self, key: &str) -> Result<Option<bool>, LoadError> {
        match self.node.get(key) {
            None => Ok(None),
            Some(node) => match (&node.value, node.as_str()) {
                (Value::Bool(b), _) => Ok(Some(*b)),
                (_, Some("true")) => Ok(Some(true)),
                (_, Some("false")) => Ok(Some(false)),
                _ => Err(self.error_at(node, format!("`{key}` must be true or false"))),
            },
        }
    }

    fn priority(&self) -> Result<Option<Priority>, LoadError> {
        let Some(text) = self.string("priority")? else {
            return Ok(None);
        };
        text.parse()
            .map(Some)
            .map_err(|e: String| self.error_at(self.node.get("priority").unwrap_or(self.node), e))
    }

    /// Reads `append` and `override`, checking the override table.
    fn modes(&self, appendable: &[&str], replaceable: &[&str]) -> Result<Modes, LoadError> {
        let legacy_append = self.boolean("append")?.unwrap_or(false);
        let Some(node) = self.node.get("override") else {
            return Ok(Modes {
                legacy_append,
                overrides: None,
            });
        };
        if legacy_append {
            return Err(self.error("`append` and `override` cannot be used together"));
        }
        let Some(map) = node.as_map() else {
            return Err(self.error_at(node, "`override` must be a mapping of key: append|replace"));
        };
        let mut overrides = Vec::new();
        for entry in map.entries() {
            let key = entry.key.as_str();
            let mode = match entry.value.as_str() {
                Some("append") if appendable.contains(&key) => Mode::Append,
                Some("replace") if replaceable.contains(&key) => Mode::Replace,
                Some(m @ ("append" | "replace")) => {
                    return Err(self.error_at(
                        &entry.value,
                        format!("key `{key}` cannot be overridden with `{m}`"),
                    ));
                }
                _ => {
                    return Err(self.error_at(
                        &entry.value,
                        format!("override of `{key}` must be `append` or `replace`"),
                    ));
                }
            };
            if self.node.get(key).is_none() {
                return Err(self.error_at(
                    &entry.value,
                    format!("`override` lists `{key}`, which the item does not set"),
                ));
            }
            overrides.push((key.to_owned(), mode));
        }
        if let Some(own) = self.node.as_map() {
            let name_keys = ["rule", "macro", "list", "override"];
            for entry in own.entries() {
                let key = entry.key.as_str();
                if !name_keys.contains(&key) && !overrides.iter().any(|(k, _)| k == key) {
                    return Err(self.error_at(&entry.value, format!("unexpected key `{key}`: an overriding item may only set the keys listed under `override`")));
                }
            }
        }
        Ok(Modes {
            legacy_append: false,
            overrides: Some(overrides),
        })
    }

    /// Reads `exceptions`; with `defining`, every exception needs `fields`.
    fn exceptions(&self, defining: bool) -> Result<Vec<Exception>, LoadError> {
        let Some(node) = self.node.get("exceptions") else {
            return Ok(Vec::new());
        };
        let Some(items) = node.as_seq() else {
            return Err(self.error_at(node, "`exceptions` must be a list"));
        };
        let mut out: Vec<Exception> = Vec::new();
        for entry in items {
            let ex = Item {
                node: entry,
                loc: self.loc,
            };
            let loc = self.loc_of(entry);
            let err = |m: String| LoadError::new(&loc, m);
            let name = match ex.string("name")? {
                Some(n) if !n.is_empty() => n,
                _ => return Err(err("exception has no `name`".to_owned())),
            };
            let fields_node = entry.get("fields");
            let comps_node = entry.get("comps");
            let fields = match fields_node {
                None if defining => {
                    return Err(err(format!("exception `{name}` has no `fields`")));
                }
                None => ExceptionFields::Tuple {
                    fields: Vec::new(),
                    comps: Vec::new(),
                },
                Some(f) if f.as_seq().is_some() => {
                    let fields = ex.strings("fields")?.unwrap_or_default();
                    let comps = match comps_node {
                        None => vec!["=".to_owned(); fields.len()],
                        Some(c) if c.as_seq().is_some() => ex.strings("comps")?.unwrap_or_default(),
                        Some(c) => {
                            return Err(LoadError::new(
                                &self.loc_of(c),
                                format!(
                                    "exception `{name}`: `comps` must be a list when `fields` is a list"
                                ),
                            ));
                        }
                    };
                    if comps.len() != fields.len() {
                        return Err(err(format!(
                            "exception `{name}`: `fields` has {} entries but `comps` has {}",
                            fields.len(),
                            comps.len()
                        )));
                    }
                    ExceptionFields::Tuple { fields, comps }
                }
                Some(f) => {
                    let field = scalar_text(f).ok_or_else(|| {
                        err(format!(
                            "exception `{name}`: `fields` must be a string or a list"
                        ))
                    })?;
                    let comp = ex.string("comps")?.unwrap_or_else(|| "in".to_owned());
                    ExceptionFields::Single { field, comp }
                }
            };
            for comp in match &fields {
                ExceptionFields::Tuple { comps, .. } => comps.clone(),
                ExceptionFields::Single { comp, .. } => vec![comp.clone()],
            } {
                if !crate::condition::is_exception_operator(&comp) {
                    return Err(err(format!(
                        "exception `{name}`: unknown comparison operator `{comp}`"
                    )));
                }
            }
            if let ExceptionFields::Single { comp, .. } = &fields
                && !matches!(comp.as_str(), "in" | "pmatch" | "intersects")
                && !comp.contains(' ')
            {
                return Err(err(format!(
                    "exception `{name}`: with a single field, `comps` must be in, pmatch or intersects"
                )));
            }
            let values = match entry.get("values") {
                None => Vec::new(),
                Some(v) if v.is_null() => Vec::new(),
                Some(v) => {
                    let Some(list) = v.as_seq() else {
                        return Err(err(format!("exception `{name}`: `values` must be a list")));
                    };
                    let value_of = |v: &Node| {
                        exception_value(v).ok_or_else(|| {
                            err(format!(
                                "exception `{name}`: values must be strings or lists of strings"
                            ))
                        })
                    };
                    let mut values = Vec::new();
                    for value in list {
                        values.push(match (&fields, value.as_seq()) {
                            (ExceptionFields::Single { .. }, _) => vec![value_of(value)?],
                            (ExceptionFields::Tuple { fields, .. }, Some(tuple)) => {
                                if !fields.is_empty() && tuple.len() != fields.len() {
                                    return Err(err(format!(
                                        "exception `{name}`: a value has {} entries but `fields` has {}",
                                        tuple.len(),
                                        fields.len()
                                    )));
                                }
                                tuple.iter().map(value_of).collect::<Result<Vec<_>, _>>()?
                            }
                            // Values appended to an exception defined
                            // earlier (no fields here): their shape is
                            // checked against its fields when appended.
                            (ExceptionFields::Tuple { fields, .. }, None) if fields.is_empty() => {
                                vec![value_of(value)?]
                            }
                            (ExceptionFields::Tuple { .. }, None) => {
                                return Err(err(format!(
                                    "exception `{name}`: each value must be a list (one entry per field)"
                                )));
                            }
                        });
                    }
                    values
                }
            };
            out.push(Exception {
                name,
                fields,
                values,
                loc,
            });
        }
        Ok(out)
    }
}

fn exception_value(node: &Node) -> Option<ExceptionValue> {
    match node.as_seq() {
        Some(items) => items
            .iter()
            .map(scalar_text)
            .collect::<Option<Vec<_>>>()
            .map(ExceptionValue::List),
        None => scalar_text(node).map(ExceptionValue::Scalar),
    }
}

/// A scalar's text; numbers and booleans as they read.
fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Seq(_) | Value::Map(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> RuleSet {
        let mut set = RuleSet::new();
        set.load_str("t.yaml".into(), text);
        set
    }

    #[test]
    fn reads_items_and_applies_appends_in_order() {
        let set = load(
            r"
- list: shells
  items: [bash, sh]
- list: shells
  items: [zsh]
  append: true
- macro: spawned
  condition: evt.type = execve
- macro: spawned
  condition: and proc.name = x
  override:
    condition: append
- rule: R
  desc: d
  condition: spawned
  output: out %proc.name
  priority: warning
- rule: R
  condition: or never
  append: true
",
        );
        assert!(set.errors.is_empty(), "{:?}", set.errors);
        assert_eq!(set.list("shells").unwrap().items, ["bash", "sh", "zsh"]);
        assert_eq!(
            set.macro_def("spawned").unwrap().1.condition,
            "evt.type = execve and proc.name = x"
        );
        assert_eq!(set.rules[0].condition, "spawned or never");
        assert_eq!(set.rules[0].priority, Priority::Warning);
    }

    #[test]
    fn errors_carry_file_and_line() {
        let set = load("- rule: R\n  desc: d\n  condition: a\n  priority: info\n");
        assert_eq!(
            set.errors[0].to_string(),
            "t.yaml:1: rule `R` has no `output`"
        );
        let set = load("- list: l\n  items: [a]\n  append: true\n");
        assert!(set.errors[0].message.contains("no list by that name"));
        let set = load("- rule: R\n  enabled: false\n  override:\n    condition: replace\n");
        assert!(
            set.errors[0].message.contains("does not set"),
            "{:?}",
            set.errors
        );
        let set = load("- required_engine_version: 9999\n");
        assert!(set.errors[0].message.contains("engine version"));
        let set = load("- foo: bar\n");
        assert!(set.errors[0].message.contains("unknown item"));
    }

    #[test]
    fn override_replaces_and_enables() {
        let set = load(
            r"
- rule: R
  desc: d
  condition: a
  output: o
  priority: info
  enabled: false
- rule: R
  enabled: true
  priority: error
  override:
    enabled: replace
    priority: replace
",
        );
        assert!(set.errors.is_empty(), "{:?}", set.errors);
        assert!(set.rules[0].enabled);
        assert_eq!(set.rules[0].priority, Priority::Error);
    }
}
