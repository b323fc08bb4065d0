//! Field catalogues: each event source names its fields, resolves a field
//! name (and argument) to an accessor once, at compile time, and extracts a
//! value from an event through that accessor with no string lookup.

pub mod audit;
pub mod syscall;

use std::fmt::Debug;

use crate::event::EventType;
use crate::value::Val;

pub use audit::{AuditField, AuditSource};
pub use syscall::{SysField, SyscallSource};

/// How a field's values compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    Str,
    Int,
    Bool,
    Ip,
    /// An address compared with networks (`fd.net = 10.0.0.0/8`).
    Net,
    /// `evt.type`: compiled to bit-set tests.
    EventType,
    /// A list of strings.
    List,
}

/// The result of resolving a field name.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup<F> {
    Found(F, FieldType),
    /// A Falco field this engine cannot supply yet: it never has a value.
    Unsupported,
    /// Not a field of this source at all.
    Unknown(String),
}

/// An event source: its event type and field catalogue.
pub trait Source: 'static {
    type Event<'a>;
    type Field: Clone + Debug + Send + Sync + 'static;
    /// The rule `source:` this catalogue serves.
    const NAME: &'static str;

    fn lookup(name: &str, arg: Option<&str>) -> Lookup<Self::Field>;
    fn extract<'b>(field: &Self::Field, event: &'b Self::Event<'_>) -> Val<'b>;
    /// The event's type, for the rule index (a source without types uses one).
    fn event_type(event: &Self::Event<'_>) -> EventType;
    /// Whether an event of this source can be the given Falco event name at all.
    fn has_event_types() -> bool;
}

/// Whether `name` starts with a field class Falco knows for syscall events
/// (used to tell an unsupported field from a misspelt one).
pub(crate) fn has_known_prefix(name: &str, classes: &[&str]) -> bool {
    name.split_once('.')
        .is_some_and(|(class, _)| classes.contains(&class))
}
