//! The condition language: its syntax tree, the parser, and the textual list
//! expansion Falco applies before parsing.

mod lists;
mod parse;

pub use lists::expand_lists;
pub use parse::{MAX_DEPTH, ParseError, parse_condition, parse_operand, parse_operand_prefix};

use std::fmt;

/// A parsed condition.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// A bare identifier: a macro reference.
    Macro(String),
    Check(Check),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub lhs: Operand,
    pub op: Op,
    pub rhs: Rhs,
}

/// A field, or a transformer applied to operands.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Field {
        name: String,
        arg: Option<String>,
    },
    Transform {
        kind: Transformer,
        arg: Box<Operand>,
    },
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Field { name, arg: None } => f.write_str(name),
            Self::Field {
                name,
                arg: Some(arg),
            } => write!(f, "{name}[{arg}]"),
            Self::Transform { kind, arg } => write!(f, "{}({arg})", kind.name()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transformer {
    ToLower,
    ToUpper,
    B64,
    Basename,
    Len,
}

impl Transformer {
    pub const ALL: [Transformer; 5] = [
        Self::ToLower,
        Self::ToUpper,
        Self::B64,
        Self::Basename,
        Self::Len,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::ToLower => "tolower",
            Self::ToUpper => "toupper",
            Self::B64 => "b64",
            Self::Basename => "basename",
            Self::Len => "len",
        }
    }
}

/// The right-hand side of a check.
#[derive(Clone, Debug, PartialEq)]
pub enum Rhs {
    /// `exists`.
    None,
    Value(String),
    List(Vec<String>),
    /// `val(field)` or a transformer: compared with another operand of the event.
    Operand(Operand),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
    IContains,
    BContains,
    StartsWith,
    BStartsWith,
    EndsWith,
    Glob,
    IGlob,
    Regex,
    In,
    Intersects,
    PMatch,
    Exists,
}

impl Op {
    /// Spellings, longest first where one is a prefix of another.
    pub const SPELLINGS: &[(&'static str, Op)] = &[
        ("exists", Op::Exists),
        ("bcontains", Op::BContains),
        ("bstartswith", Op::BStartsWith),
        ("icontains", Op::IContains),
        ("contains", Op::Contains),
        ("startswith", Op::StartsWith),
        ("endswith", Op::EndsWith),
        ("iglob", Op::IGlob),
        ("glob", Op::Glob),
        ("regex", Op::Regex),
        ("intersects", Op::Intersects),
        ("in", Op::In),
        ("pmatch", Op::PMatch),
        ("==", Op::Eq),
        ("=", Op::Eq),
        ("!=", Op::Ne),
        ("<=", Op::Le),
        ("<", Op::Lt),
        (">=", Op::Ge),
        (">", Op::Gt),
    ];

    pub fn name(self) -> &'static str {
        Self::SPELLINGS
            .iter()
            .find(|(_, op)| *op == self)
            .map_or("?", |(s, _)| s)
    }

    pub fn takes_list(self) -> bool {
        matches!(self, Op::In | Op::Intersects | Op::PMatch)
    }
}

/// Whether `comp` is an operator an exception may use (including the
/// `startswith oneof`-style modifier forms).
pub fn is_exception_operator(comp: &str) -> bool {
    let head = comp.split_whitespace().next().unwrap_or("");
    let tail: Vec<&str> = comp.split_whitespace().skip(1).collect();
    let known = Op::SPELLINGS
        .iter()
        .any(|(s, op)| *s == head && *op != Op::Exists);
    known && (tail.is_empty() || matches!(tail.as_slice(), ["oneof" | "anyof" | "allof"]))
}
