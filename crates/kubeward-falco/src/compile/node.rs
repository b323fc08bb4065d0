//! Compiled conditions and their evaluation.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::net::IpAddr;

use base64::Engine as _;
use globset::{GlobBuilder, GlobMatcher};
use ipnet::IpNet;
use memchr::memmem::Finder;
use regex::Regex;
use rustc_hash::FxHashSet;

use crate::condition::{Op, Rhs, Transformer};
use crate::event::EventTypeSet;
use crate::fields::{FieldType, Source};
use crate::value::Val;

/// A compiled condition.
#[derive(Debug)]
pub enum Node<S: Source> {
    And(Box<[Node<S>]>),
    Or(Box<[Node<S>]>),
    Not(Box<Node<S>>),
    /// `evt.type` in a set: one bit test.
    EventTypes(Box<EventTypeSet>),
    Test(Box<Test<S>>),
}

#[derive(Debug)]
pub struct Test<S: Source> {
    pub lhs: Operand<S>,
    pub cmp: Cmp<S>,
}

#[derive(Debug)]
pub enum Operand<S: Source> {
    Field(S::Field),
    Transform(Transformer, Box<Operand<S>>),
    /// A field the engine cannot supply: never has a value.
    Unsupported,
}

/// A right-hand side literal, pre-parsed for every type it may meet.
#[derive(Debug)]
pub struct Literal {
    text: Box<str>,
    int: Option<i64>,
    boolean: Option<bool>,
    net: Option<IpNet>,
}

/// A value set for `in`/`intersects`.
#[derive(Debug, Default)]
pub struct Set {
    strs: FxHashSet<Box<str>>,
    ints: FxHashSet<i64>,
    nets: Vec<IpNet>,
}

#[derive(Debug)]
pub enum Cmp<S: Source> {
    Exists,
    Eq(Literal),
    Ne(Literal),
    Order(Op, Literal),
    Contains(Finder<'static>),
    IContains(String),
    StartsWith(Box<str>),
    EndsWith(Box<str>),
    BContains(Finder<'static>),
    BStartsWith(Box<[u8]>),
    Glob(GlobMatcher),
    Regex(Regex),
    In(Set),
    Intersects(Set),
    PMatch(Box<[Box<str>]>),
    /// Compared with another operand of the same event (`val()`).
    Operand(Op, Operand<S>),
}

fn parse_int(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return i64::from_str_radix(hex, 16).ok();
    }
    s.parse().ok()
}

fn parse_net(s: &str) -> Option<IpNet> {
    s.parse::<IpNet>()
        .ok()
        .or_else(|| s.parse::<IpAddr>().ok().map(IpNet::from))
}

impl Literal {
    fn new(text: &str) -> Self {
        Self {
            text: text.into(),
            int: parse_int(text),
            boolean: match text {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            net: parse_net(text),
        }
    }

    fn typed(kind: FieldType, text: &str) -> Result<Self, String> {
        let literal = Self::new(text);
        match kind {
            FieldType::Int if literal.int.is_none() => Err(format!("`{text}` is not a number")),
            FieldType::Bool if literal.boolean.is_none() => {
                Err(format!("`{text}` is not true or false"))
            }
            FieldType::Ip | FieldType::Net if literal.net.is_none() => {
                Err(format!("`{text}` is not an IP address or network"))
            }
            _ => Ok(literal),
        }
    }
}

impl Set {
    fn new(kind: FieldType, items: &[String]) -> Result<Self, String> {
        let mut set = Set::default();
        for item in items {
            let literal = Literal::typed(kind, item)?;
            if let Some(i) = literal.int {
                set.ints.insert(i);
            }
            if let Some(n) = literal.net {
                set.nets.push(n);
            }
            set.strs.insert(literal.text);
        }
        Ok(set)
    }

    fn has_str(&self, s: &str) -> bool {
        self.strs.contains(s)
    }
}

fn hex_bytes(s: &str) -> Result<Vec<u8>, String> {
    let clean: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !clean.len().is_multiple_of(2) {
        return Err(format!("`{s}` is not a hex byte string"));
    }
    clean
        .chunks(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("`{s}` is not a hex byte string"))
        })
        .collect()
}

impl<S: Source> Cmp<S> {
    /// Builds the comparison of a field of type `kind` with a literal or list.
    pub fn build(kind: FieldType, op: Op, rhs: &Rhs) -> Result<Self, String> {
        let kind = if kind == FieldType::EventType {
            FieldType::Str
        } else {
            kind
        };
        // As libsinsp: a list-valued field takes only these operators.
        if kind == FieldType::List && !matches!(op, Op::Exists | Op::In | Op::Intersects) {
            return Err(format!(
                "'{}' does not apply to a list field (only in, intersects and exists do)",
                op.name()
            ));
        }
        let items: Vec<String> = match rhs {
            Rhs::None => return Ok(Cmp::Exists),
            Rhs::List(items) => items.clone(),
            Rhs::Value(v) => vec![v.clone()],
            Rhs::Operand(_) => return Err("internal: operand right-hand side".to_owned()),
        };
        if op.takes_list() {
            return Ok(match op {
                Op::In => Cmp::In(Set::new(kind, &items)?),
                Op::Intersects => Cmp::Intersects(Set::new(kind, &items)?),
                _ => Cmp::PMatch(
                    items
                        .iter()
                        .map(|i| i.trim_end_matches('/').into())
                        .collect(),
                ),
            });
        }
        let [value] = items.as_slice() else {
            return Err(format!("'{}' takes one value, not a list", op.name()));
        };
        let text_kind = if matches!(kind, FieldType::Str | FieldType::List) {
            FieldType::Str
        } else {
            kind
        };
        Ok(match op {
            Op::Eq => Cmp::Eq(Literal::typed(text_kind, value)?),
            Op::Ne => Cmp::Ne(Literal::typed(text_kind, value)?),
            Op::Lt | Op::Le | Op::Gt | Op::Ge => Cmp::Order(op, Literal::typed(text_kind, value)?),
            Op::Contains => Cmp::Contains(Finder::new(value.as_bytes()).into_owned()),
            Op::IContains => Cmp::IContains(value.to_lowercase()),
            Op::StartsWith => Cmp::StartsWith(value.as_str().into()),
            Op::EndsWith => Cmp::EndsWith(value.as_str().into()),
            Op::BContains => Cmp::BContains(Finder::new(&hex_bytes(value)?).into_owned()),
            Op::BStartsWith => Cmp::BStartsWith(hex_bytes(value)?.into()),
            Op::Glob | Op::IGlob => Cmp::Glob(
                GlobBuilder::new(value)
                    .case_insensitive(op == Op::IGlob)
                    .literal_separator(false)
                    .backslash_escape(true)
                    .build()
                    .map_err(|e| format!("invalid glob `{value}`: {e}"))?
                    .compile_matcher(),
            ),
            Op::Regex => Cmp::Regex(
                Regex::new(&format!("^(?:{value})$"))
                    .map_err(|e| format!("invalid regex `{value}`: {e}"))?,
            ),
            Op::Exists | Op::In | Op::Intersects | Op::PMatch => Cmp::Exists,
        })
    }

    fn str_matches(&self, s: &str) -> bool {
        match self {
            Cmp::Exists => true,
            Cmp::Eq(l) => s == &*l.text,
            Cmp::Ne(l) => s != &*l.text,
            Cmp::Order(op, l) => order(*op, s.cmp(&l.text)),
            Cmp::Contains(f) | Cmp::BContains(f) => f.find(s.as_bytes()).is_some(),
            Cmp::IContains(needle) => {
                if s.is_ascii() {
                    s.as_bytes()
                        .windows(needle.len().max(1))
                        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
                        || needle.is_empty()
                } else {
                    s.to_lowercase().contains(needle.as_str())
                }
            }
            Cmp::StartsWith(p) => s.starts_with(&**p),
            Cmp::EndsWith(p) => s.ends_with(&**p),
            Cmp::BStartsWith(p) => s.as_bytes().starts_with(p),
            Cmp::Glob(g) => g.is_match(s),
            Cmp::Regex(r) => r.is_match(s),
            Cmp::In(set) | Cmp::Intersects(set) => set.has_str(s),
            Cmp::PMatch(paths) => paths.iter().any(|p| path_prefix(p, s)),
            Cmp::Operand(..) => false,
        }
    }

    fn int_matches(&self, i: i64) -> bool {
        match self {
            Cmp::Eq(Literal { int: Some(l), .. }) => i == *l,
            Cmp::Ne(Literal { int: Some(l), .. }) => i != *l,
            Cmp::Order(op, Literal { int: Some(l), .. }) => order(*op, i.cmp(l)),
            Cmp::In(set) | Cmp::Intersects(set) if !set.ints.is_empty() => set.ints.contains(&i),
            other => other.str_matches(&i.to_string()),
        }
    }

    fn bool_matches(&self, b: bool) -> bool {
        match self {
            Cmp::Eq(Literal {
                boolean: Some(l), ..
            }) => b == *l,
            Cmp::Ne(Literal {
                boolean: Some(l), ..
            }) => b != *l,
            other => other.str_matches(if b { "true" } else { "false" }),
        }
    }

    fn ip_matches(&self, ip: IpAddr) -> bool {
        match self {
            Cmp::Eq(Literal { net: Some(n), .. }) => n.contains(&ip),
            Cmp::Ne(Literal { net: Some(n), .. }) => !n.contains(&ip),
            Cmp::In(set) | Cmp::Intersects(set) if !set.nets.is_empty() => {
                set.nets.iter().any(|n| n.contains(&ip))
            }
            other => other.str_matches(&ip.to_string()),
        }
    }

    fn matches(&self, value: &Val<'_>) -> bool {
        match value {
            Val::Missing => false,
            Val::Str(s) => self.str_matches(s),
            Val::Int(i) => self.int_matches(*i),
            Val::Bool(b) => self.bool_matches(*b),
            Val::Ip(ip) => self.ip_matches(*ip),
            Val::AnyOf(items) => items.iter().any(|s| match s.parse::<IpAddr>() {
                Ok(ip) if matches!(self, Cmp::In(set) if !set.nets.is_empty()) => {
                    self.ip_matches(ip)
                }
                _ => match parse_int(s) {
                    Some(i) if self.wants_int() => self.int_matches(i),
                    _ => self.str_matches(s),
                },
            }),
            Val::List(items) => match self {
                Cmp::Exists => true,
                Cmp::In(set) => !items.is_empty() && items.iter().all(|s| set.has_str(s)),
                Cmp::Intersects(set) => items.iter().any(|s| set.has_str(s)),
                other => items.iter().any(|s| other.str_matches(s)),
            },
        }
    }

    fn wants_int(&self) -> bool {
        match self {
            Cmp::Eq(l) | Cmp::Ne(l) | Cmp::Order(_, l) => l.int.is_some(),
            Cmp::In(set) | Cmp::Intersects(set) => !set.ints.is_empty(),
            _ => false,
        }
    }
}

fn order(op: Op, ord: Ordering) -> bool {
    match op {
        Op::Lt => ord == Ordering::Less,
        Op::Le => ord != Ordering::Greater,
        Op::Gt => ord == Ordering::Greater,
        Op::Ge => ord != Ordering::Less,
        _ => false,
    }
}

/// `/tmp/hello` matches `/tmp/hello` and `/tmp/hello/x`, not `/tmp/hello_world`.
fn path_prefix(prefix: &str, path: &str) -> bool {
    match path.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || rest.starts_with('/') || prefix.is_empty(),
        None => false,
    }
}

fn transform<'b>(kind: Transformer, value: Val<'b>) -> Val<'b> {
    let map = |value: Val<'b>, f: &dyn Fn(&str) -> Option<String>| -> Val<'b> {
        match value {
            Val::Str(s) => f(&s).map_or(Val::Missing, |t| Val::Str(Cow::Owned(t))),
            Val::List(items) => {
                Val::List(items.iter().filter_map(|s| f(s)).map(Cow::Owned).collect())
            }
            Val::AnyOf(items) => {
                Val::AnyOf(items.iter().filter_map(|s| f(s)).map(Cow::Owned).collect())
            }
            Val::Missing => Val::Missing,
            other => match other.render().map(|s| f(&s)) {
                Some(Some(t)) => Val::Str(Cow::Owned(t)),
                _ => Val::Missing,
            },
        }
    };
    match kind {
        Transformer::ToLower => map(value, &|s| Some(s.to_lowercase())),
        Transformer::ToUpper => map(value, &|s| Some(s.to_uppercase())),
        Transformer::B64 => map(value, &|s| {
            base64::engine::general_purpose::STANDARD
                .decode(s.trim())
                .ok()
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        }),
        Transformer::Basename => map(value, &|s| {
            Some(if s.ends_with('/') {
                String::new()
            } else {
                s.rsplit('/').next().unwrap_or(s).to_owned()
            })
        }),
        Transformer::Len => match value {
            Val::Missing => Val::Missing,
            Val::Str(s) => Val::Int(i64::try_from(s.chars().count()).unwrap_or(i64::MAX)),
            Val::List(items) | Val::AnyOf(items) => {
                Val::Int(i64::try_from(items.len()).unwrap_or(i64::MAX))
            }
            other => other.render().map_or(Val::Missing, |s| {
                Val::Int(i64::try_from(s.chars().count()).unwrap_or(i64::MAX))
            }),
        },
    }
}

impl<S: Source> Operand<S> {
    #[inline]
    pub fn value<'b>(&self, event: &'b S::Event<'_>) -> Val<'b> {
        match self {
            Operand::Field(f) => S::extract(f, event),
            Operand::Transform(kind, inner) => transform(*kind, inner.value(event)),
            Operand::Unsupported => Val::Missing,
        }
    }
}

fn compare_values(op: Op, left: &Val<'_>, right: &Val<'_>) -> bool {
    if let (Val::Int(a), Val::Int(b)) = (left, right) {
        return match op {
            Op::Eq => a == b,
            Op::Ne => a != b,
            _ => order(op, a.cmp(b)),
        };
    }
    let (Some(a), Some(b)) = (left.render(), right.render()) else {
        return false;
    };
    match op {
        Op::Eq => a == b,
        Op::Ne => a != b,
        Op::Lt | Op::Le | Op::Gt | Op::Ge => order(op, a.cmp(&b)),
        Op::Contains => a.contains(b.as_ref()),
        Op::IContains => a.to_lowercase().contains(&b.to_lowercase()),
        Op::StartsWith | Op::BStartsWith => a.starts_with(b.as_ref()),
        Op::EndsWith => a.ends_with(b.as_ref()),
        Op::In | Op::Intersects => match right {
            Val::List(items) | Val::AnyOf(items) => items.contains(&a),
            _ => a == b,
        },
        Op::PMatch => path_prefix(&b, &a),
        _ => false,
    }
}

impl<S: Source> Test<S> {
    #[inline]
    fn eval(&self, event: &S::Event<'_>) -> bool {
        let value = self.lhs.value(event);
        match &self.cmp {
            Cmp::Operand(op, rhs) => {
                let right = rhs.value(event);
                !value.is_missing() && !right.is_missing() && compare_values(*op, &value, &right)
            }
            cmp => cmp.matches(&value),
        }
    }
}

impl<S: Source> Node<S> {
    /// Whether the event matches.
    #[inline]
    pub fn eval(&self, event: &S::Event<'_>) -> bool {
        match self {
            Node::And(items) => items.iter().all(|n| n.eval(event)),
            Node::Or(items) => items.iter().any(|n| n.eval(event)),
            Node::Not(inner) => !inner.eval(event),
            Node::EventTypes(set) => set.contains(S::event_type(event)),
            Node::Test(test) => test.eval(event),
        }
    }

    /// The event types this condition can match (every type when it does not
    /// restrict `evt.type`).
    pub fn event_types(&self) -> EventTypeSet {
        match self {
            Node::EventTypes(set) => (**set).clone(),
            Node::And(items) => items.iter().fold(EventTypeSet::all(), |acc, n| {
                acc.intersection(&n.event_types())
            }),
            Node::Or(items) => items
                .iter()
                .fold(EventTypeSet::empty(), |acc, n| acc.union(&n.event_types())),
            Node::Not(inner) => match &**inner {
                Node::EventTypes(set) => set.complement(),
                _ => EventTypeSet::all(),
            },
            Node::Test(_) => EventTypeSet::all(),
        }
    }
}
