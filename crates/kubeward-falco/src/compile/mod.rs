//! Turns a [`RuleSet`] into compiled rules: lists flattened, list names
//! expanded, exceptions appended, conditions parsed, macros inlined, every
//! field resolved to its source's accessor and every right-hand side
//! pre-processed (sets hashed, regexes and globs built, numbers parsed), so
//! that evaluating an event does no parsing and no name lookup.

mod node;

pub use node::{Cmp, Node, Operand, Test};

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::condition::{self, Expr, Op, Rhs};
use crate::event::{EventType, EventTypeSet};
use crate::fields::{AuditSource, FieldType, Lookup, Source, SyscallSource};
use crate::output::Template;
use crate::priority::Priority;
use crate::ruleset::{Exception, ExceptionFields, ExceptionValue, LoadError, Loc, RuleSet};

/// A compiled rule of one source.
#[derive(Debug)]
pub struct CompiledRule<S: Source> {
    pub name: String,
    pub desc: String,
    pub priority: Priority,
    pub tags: Vec<String>,
    pub enabled: bool,
    pub condition: Node<S>,
    pub output: Template<S>,
    /// The event types the condition can match.
    pub event_types: EventTypeSet,
    /// Fields the rule uses that this engine cannot supply (never have a value).
    pub unsupported_fields: Vec<String>,
    pub loc: Loc,
}

/// Everything compiled from a rule set.
#[derive(Debug, Default)]
pub struct Compiled {
    pub syscall: Vec<CompiledRule<SyscallSource>>,
    pub audit: Vec<CompiledRule<AuditSource>>,
    pub errors: Vec<LoadError>,
    pub warnings: Vec<LoadError>,
    /// Rule name → fields it uses that the engine cannot supply yet.
    pub unsupported_fields: BTreeMap<String, Vec<String>>,
    pub rule_count: usize,
    pub macro_count: usize,
    pub list_count: usize,
}

/// Compiles every list, macro and rule of `set`.
pub fn compile(set: &RuleSet) -> Compiled {
    let mut out = Compiled {
        errors: set.errors.clone(),
        warnings: set.warnings.clone(),
        rule_count: set.rules.len(),
        macro_count: set.macros.len(),
        list_count: set.lists.len(),
        ..Compiled::default()
    };
    let lists = flatten_lists(set, &mut out.errors);
    let lookup_list = |name: &str| lists.get(name).map(Vec::as_slice);

    // Macros are parsed once (with lists expanded) and inlined where used.
    let mut macros: FxHashMap<&str, (usize, Result<Expr, String>)> = FxHashMap::default();
    for (i, m) in set.macros.iter().enumerate() {
        let parsed = condition::expand_lists(&m.condition, lookup_list)
            .and_then(|text| condition::parse_condition(&text).map_err(|e| e.to_string()));
        if let Err(e) = &parsed {
            out.errors
                .push(LoadError::new(&m.loc, format!("macro `{}`: {e}", m.name)));
        }
        macros.insert(m.name.as_str(), (i, parsed));
    }
    let ctx = Context { macros: &macros };
    let mut checked = FxHashSet::default();
    for (i, m) in set.macros.iter().enumerate() {
        if let Some((_, Ok(expr))) = macros.get(m.name.as_str())
            && let Err(e) = ctx.check_macro_refs(expr, Some(i), &mut Vec::new(), &mut checked)
        {
            out.errors
                .push(LoadError::new(&m.loc, format!("macro `{}`: {e}", m.name)));
        }
    }

    for rule in &set.rules {
        let mut text = rule.condition.clone();
        let exceptions: Result<Vec<String>, String> = rule
            .exceptions
            .iter()
            .filter_map(|ex| exception_condition(ex).transpose())
            .collect();
        let exceptions = match exceptions {
            Ok(exceptions) => exceptions,
            Err(e) => {
                out.errors.push(LoadError::new(
                    &rule.loc,
                    format!("rule `{}`: {e}", rule.name),
                ));
                continue;
            }
        };
        if !exceptions.is_empty() {
            text = format!("({text})");
            for e in exceptions {
                text.push_str(" and not (");
                text.push_str(&e);
                text.push(')');
            }
        }
        let expr = match condition::expand_lists(&text, lookup_list)
            .and_then(|text| condition::parse_condition(&text).map_err(|e| e.to_string()))
        {
            Ok(expr) => expr,
            Err(e) => {
                out.errors.push(LoadError::new(
                    &rule.condition_loc,
                    format!("rule `{}`: {e}", rule.name),
                ));
                continue;
            }
        };
        let result = match rule.source.as_str() {
            "syscall" => ctx.rule::<SyscallSource>(rule, &expr).map(|r| {
                note_unsupported(&mut out.unsupported_fields, &r);
                out.syscall.push(r);
            }),
            "k8s_audit" => ctx.rule::<AuditSource>(rule, &expr).map(|r| {
                note_unsupported(&mut out.unsupported_fields, &r);
                out.audit.push(r);
            }),
            other => {
                out.warnings.push(LoadError::new(
                    &rule.loc,
                    format!(
                        "rule `{}`: source `{other}` is not supported; the rule is skipped",
                        rule.name
                    ),
                ));
                Ok(())
            }
        };
        match result {
            Ok(()) => {}
            Err(e) if rule.skip_if_unknown_filter && e.starts_with("unknown field") => {
                out.warnings.push(LoadError::new(
                    &rule.loc,
                    format!("rule `{}`: {e}; skipped", rule.name),
                ));
            }
            Err(e) => out.errors.push(LoadError::new(
                &rule.condition_loc,
                format!("rule `{}`: {e}", rule.name),
            )),
        }
    }
    for rule in &out.syscall {
        if rule.event_types.is_all()
            && set
                .rules
                .iter()
                .any(|r| r.name == rule.name && r.warn_evttypes)
        {
            out.warnings.push(LoadError::new(
                &rule.loc,
                format!(
                    "rule `{}` matches every event type, which costs time on every event",
                    rule.name
                ),
            ));
        }
    }
    out
}

fn note_unsupported<S: Source>(map: &mut BTreeMap<String, Vec<String>>, rule: &CompiledRule<S>) {
    if !rule.unsupported_fields.is_empty() {
        map.insert(rule.name.clone(), rule.unsupported_fields.clone());
    }
}

/// The most list items all lists together may hold once lists naming lists
/// are flattened. Falco's own rule files hold a few thousand; the cap stops
/// a few lines that each name the previous list many times from multiplying
/// without end.
const MAX_FLAT_LIST_ITEMS: usize = 1 << 20;

/// Lists with items naming earlier lists replaced by those lists' items.
/// Past [`MAX_FLAT_LIST_ITEMS`] a list is an error and is left empty.
fn flatten_lists<'s>(
    set: &'s RuleSet,
    errors: &mut Vec<LoadError>,
) -> FxHashMap<&'s str, Vec<String>> {
    let mut flat: FxHashMap<&str, Vec<String>> = FxHashMap::default();
    let mut total = 0usize;
    for list in &set.lists {
        let mut items = Vec::with_capacity(list.items.len());
        let mut fits = true;
        for item in &list.items {
            let earlier = flat.get(item.as_str()).filter(|_| item != &list.name);
            let adds = earlier.map_or(1, Vec::len);
            if total + items.len() + adds > MAX_FLAT_LIST_ITEMS {
                fits = false;
                break;
            }
            match earlier {
                Some(earlier) => items.extend(earlier.iter().cloned()),
                None => items.push(item.clone()),
            }
        }
        if !fits {
            errors.push(LoadError::new(
                &list.loc,
                format!(
                    "list `{}`: the lists expand to more than {MAX_FLAT_LIST_ITEMS} items",
                    list.name
                ),
            ));
            items = Vec::new();
        }
        total += items.len();
        flat.insert(list.name.as_str(), items);
    }
    flat
}

fn quote(value: &str) -> String {
    let quoted = value.starts_with('"') || value.starts_with('\'');
    if !quoted
        && (value.is_empty() || value.contains(|c: char| c.is_whitespace() || "(),=".contains(c)))
    {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        value.to_owned()
    }
}

fn comp_takes_list(comp: &str) -> bool {
    let head = comp.split_whitespace().next().unwrap_or("");
    matches!(head, "in" | "pmatch" | "intersects") || comp.split_whitespace().count() > 1
}

fn exception_value(comp: &str, value: &ExceptionValue) -> String {
    match value {
        ExceptionValue::List(items) => {
            format!(
                "({})",
                items
                    .iter()
                    .map(|i| quote(i))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        // A scalar with a list operator may name a list: parenthesised, the
        // list expansion fills it in. One already in parentheses is a list
        // as written (`(cat_cmdlines)`), as Falco takes it.
        ExceptionValue::Scalar(s) if comp_takes_list(comp) && s.starts_with('(') => s.clone(),
        ExceptionValue::Scalar(s) if comp_takes_list(comp) => format!("({})", quote(s)),
        ExceptionValue::Scalar(s) => quote(s),
    }
}

/// The condition text an exception excludes (Falco builds the same text).
/// A tuple whose length differs from the fields' is an error, as in Falco:
/// pairing what there is would silently widen the exception.
fn exception_condition(ex: &Exception) -> Result<Option<String>, String> {
    if ex.values.is_empty() {
        return Ok(None);
    }
    if let ExceptionFields::Tuple { fields, .. } = &ex.fields
        && let Some(tuple) = ex.values.iter().find(|t| t.len() != fields.len())
    {
        return Err(format!(
            "exception `{}`: a value has {} item(s) for {} field(s); fields and values must have equal length",
            ex.name,
            tuple.len(),
            fields.len()
        ));
    }
    Ok(Some(match &ex.fields {
        ExceptionFields::Single { field, comp } => {
            let values: Vec<String> = ex
                .values
                .iter()
                .flatten()
                .flat_map(|v| match v {
                    ExceptionValue::Scalar(s) => vec![quote(s)],
                    ExceptionValue::List(items) => items.iter().map(|i| quote(i)).collect(),
                })
                .collect();
            format!("{field} {comp} ({})", values.join(", "))
        }
        ExceptionFields::Tuple { fields, comps } => ex
            .values
            .iter()
            .map(|tuple| {
                let parts: Vec<String> = fields
                    .iter()
                    .zip(comps)
                    .zip(tuple)
                    .map(|((f, c), v)| format!("{f} {c} {}", exception_value(c, v)))
                    .collect();
                format!("({})", parts.join(" and "))
            })
            .collect::<Vec<_>>()
            .join(" or "),
    }))
}

/// Deepest macro nesting followed (loops are caught before this).
const MAX_MACRO_DEPTH: usize = 64;

/// The most nodes one rule's condition may have once its macros are
/// inlined. Each use of a macro copies it, so macros that each use the one
/// before twice double at every line; upstream rules stay in the hundreds.
const MAX_CONDITION_NODES: usize = 1 << 16;

struct Context<'a> {
    macros: &'a FxHashMap<&'a str, (usize, Result<Expr, String>)>,
}

impl Context<'_> {
    /// Checks that a macro uses only defined macros that come before it,
    /// and that no reference loops.
    /// `checked` holds the macros already found sound, so that a macro used
    /// many times is walked once (walking every use is exponential).
    fn check_macro_refs(
        &self,
        expr: &Expr,
        own: Option<usize>,
        stack: &mut Vec<String>,
        checked: &mut FxHashSet<usize>,
    ) -> Result<(), String> {
        match expr {
            Expr::And(items) | Expr::Or(items) => items
                .iter()
                .try_for_each(|e| self.check_macro_refs(e, own, stack, checked)),
            Expr::Not(inner) => self.check_macro_refs(inner, own, stack, checked),
            Expr::Check(_) => Ok(()),
            Expr::Macro(name) => {
                if stack.contains(name) {
                    return Err(format!("reference loop in macro `{name}`"));
                }
                match self.macros.get(name.as_str()) {
                    Some((i, Ok(_))) if own.is_none_or(|o| *i < o) && checked.contains(i) => Ok(()),
                    Some((i, Ok(inner))) if own.is_none_or(|o| *i < o) => {
                        stack.push(name.clone());
                        let r = self.check_macro_refs(inner, Some(*i), stack, checked);
                        stack.pop();
                        if r.is_ok() {
                            checked.insert(*i);
                        }
                        r
                    }
                    Some((i, _)) if own == Some(*i) => {
                        Err(format!("reference loop in macro `{name}`"))
                    }
                    Some((_, Err(_))) => Err(format!("macro `{name}` does not compile")),
                    Some(_) => Err(format!("macro `{name}` is used before it is defined")),
                    None => Err(format!("undefined macro `{name}`")),
                }
            }
        }
    }

    fn rule<S: Source>(
        &self,
        rule: &crate::ruleset::RuleDef,
        expr: &Expr,
    ) -> Result<CompiledRule<S>, String> {
        let mut builder = Builder::<S> {
            ctx: self,
            unsupported: Vec::new(),
            stack: Vec::new(),
            nodes: 0,
            _source: std::marker::PhantomData,
        };
        let condition = builder.expr(expr, None)?;
        // An exception with no values adds nothing to the condition, but its
        // fields must still be fields, as Falco checks them.
        for ex in rule.exceptions.iter().filter(|e| e.values.is_empty()) {
            let fields = match &ex.fields {
                ExceptionFields::Tuple { fields, .. } => fields.as_slice(),
                ExceptionFields::Single { field, .. } => std::slice::from_ref(field),
            };
            for field in fields {
                condition::parse_operand(field)
                    .map_err(|e| e.to_string())
                    .and_then(|operand| builder.operand(&operand))
                    .map_err(|e| format!("exception `{}`: {e}", ex.name))?;
            }
        }
        let output = Template::compile(&rule.output, &mut |operand| {
            builder.operand(operand).map(|(o, _)| o)
        })
        .map_err(|e| format!("output: {e}"))?;
        let event_types = if S::has_event_types() {
            condition.event_types()
        } else {
            EventTypeSet::all()
        };
        Ok(CompiledRule {
            name: rule.name.clone(),
            desc: rule.desc.clone(),
            priority: rule.priority,
            tags: rule.tags.clone(),
            enabled: rule.enabled,
            condition,
            output,
            event_types,
            unsupported_fields: builder.unsupported,
            loc: rule.loc.clone(),
        })
    }
}

struct Builder<'a, S: Source> {
    ctx: &'a Context<'a>,
    unsupported: Vec<String>,
    stack: Vec<String>,
    /// Nodes built so far, against [`MAX_CONDITION_NODES`].
    nodes: usize,
    _source: std::marker::PhantomData<S>,
}

impl<S: Source> Builder<'_, S> {
    fn expr(&mut self, expr: &Expr, own: Option<usize>) -> Result<Node<S>, String> {
        self.nodes += 1;
        if self.nodes > MAX_CONDITION_NODES {
            return Err(format!(
                "the condition grows past {MAX_CONDITION_NODES} nodes as its macros are inlined"
            ));
        }
        Ok(match expr {
            Expr::And(items) => Node::And(
                items
                    .iter()
                    .map(|e| self.expr(e, own))
                    .collect::<Result<_, _>>()?,
            ),
            Expr::Or(items) => Node::Or(
                items
                    .iter()
                    .map(|e| self.expr(e, own))
                    .collect::<Result<_, _>>()?,
            ),
            Expr::Not(inner) => Node::Not(Box::new(self.expr(inner, own)?)),
            Expr::Macro(name) => {
                if self.stack.contains(name) || self.stack.len() >= MAX_MACRO_DEPTH {
                    return Err(format!("reference loop in macro `{name}`"));
                }
                let Some((index, parsed)) = self.ctx.macros.get(name.as_str()) else {
                    return Err(format!("undefined macro `{name}`"));
                };
                if own.is_some_and(|o| *index >= o) {
                    return Err(format!("macro `{name}` is used before it is defined"));
                }
                let inner = parsed
                    .as_ref()
                    .map_err(|e| format!("macro `{name}`: {e}"))?;
                self.stack.push(name.clone());
                let node = self.expr(inner, Some(*index));
                self.stack.pop();
                node?
            }
            Expr::Check(check) => self.check(check)?,
        })
    }

    fn operand(&mut self, operand: &condition::Operand) -> Result<(Operand<S>, FieldType), String> {
        match operand {
            condition::Operand::Field { name, arg } => match S::lookup(name, arg.as_deref()) {
                Lookup::Found(field, kind) => Ok((Operand::Field(field), kind)),
                Lookup::Unsupported => {
                    let shown = operand.to_string();
                    if !self.unsupported.contains(&shown) {
                        self.unsupported.push(shown);
                    }
                    Ok((Operand::Unsupported, FieldType::Str))
                }
                Lookup::Unknown(e) => Err(e),
            },
            condition::Operand::Transform { kind, arg } => {
                let (inner, inner_type) = self.operand(arg)?;
                let kind_out = match kind {
                    condition::Transformer::Len => FieldType::Int,
                    _ if inner_type == FieldType::List => FieldType::List,
                    _ => FieldType::Str,
                };
                Ok((Operand::Transform(*kind, Box::new(inner)), kind_out))
            }
        }
    }

    fn check(&mut self, check: &condition::Check) -> Result<Node<S>, String> {
        let (lhs, kind) = self.operand(&check.lhs)?;
        if matches!(lhs, Operand::Unsupported) && check.op != Op::Exists {
            // Cannot be extracted, so every comparison is false.
            return Ok(Node::Test(Box::new(Test {
                lhs,
                cmp: Cmp::Exists,
            })));
        }
        if kind == FieldType::EventType && matches!(lhs, Operand::Field(_)) {
            let names: Option<Vec<&str>> = match (&check.op, &check.rhs) {
                (Op::Eq | Op::Ne, Rhs::Value(v)) => Some(vec![v.as_str()]),
                (Op::In, Rhs::List(items)) => Some(items.iter().map(String::as_str).collect()),
                _ => None,
            };
            if let Some(names) = names {
                let mut set = EventTypeSet::empty();
                for name in names {
                    let t = EventType::from_name(name)
                        .ok_or_else(|| format!("unknown event type {name}"))?;
                    set.insert(t);
                }
                let node = Node::EventTypes(Box::new(set));
                return Ok(if check.op == Op::Ne {
                    Node::Not(Box::new(node))
                } else {
                    node
                });
            }
        }
        let cmp = match &check.rhs {
            Rhs::Operand(other) => {
                let (rhs, _) = self.operand(other)?;
                Cmp::Operand(check.op, rhs)
            }
            rhs => Cmp::build(kind, check.op, rhs)?,
        };
        Ok(Node::Test(Box::new(Test { lhs, cmp })))
    }
}

#[cfg(test)]
mod tests;
