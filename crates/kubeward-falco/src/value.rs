//! Values extracted from events for comparison and output.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::net::IpAddr;

/// A field's value for one event.
#[derive(Clone, Debug, PartialEq)]
pub enum Val<'a> {
    /// The field does not apply to this event: every comparison is false.
    Missing,
    Str(Cow<'a, str>),
    Int(i64),
    Bool(bool),
    Ip(IpAddr),
    /// A list-valued field (`ka.req.pod.containers.image`): `in` needs every
    /// element in the set, `intersects` one.
    List(Vec<Cow<'a, str>>),
    /// Several candidates of which one must match (`proc.aname` without an
    /// index: any ancestor).
    AnyOf(Vec<Cow<'a, str>>),
}

impl Val<'_> {
    pub fn is_missing(&self) -> bool {
        matches!(self, Val::Missing)
    }

    /// The value as text: lists as `(a,b)`, booleans as `true`/`false`;
    /// `None` when missing.
    pub fn render(&self) -> Option<Cow<'_, str>> {
        Some(match self {
            Val::Missing => return None,
            Val::Str(s) => Cow::Borrowed(s.as_ref()),
            Val::Int(i) => Cow::Owned(i.to_string()),
            Val::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Val::Ip(ip) => Cow::Owned(ip.to_string()),
            Val::List(items) | Val::AnyOf(items) => {
                let mut out = String::from("(");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "{item}");
                }
                out.push(')');
                Cow::Owned(out)
            }
        })
    }
}
