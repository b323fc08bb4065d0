//! Field catalogues: each event source names its fields, resolves a field
//! name (and argument) to an accessor once, at compile time, and extracts a
//! value from an event through that accessor with no string lookup.

pub mod audit;
mod catalogue;
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

/// Whether `name` is a Falco field of the given catalogue, so that a field
/// kubeward cannot supply is told from a misspelt one.
pub(crate) fn is_falco_field(catalogue: &[&str], name: &str) -> bool {
    if catalogue.binary_search(&name).is_ok()
        || catalogue::GENERIC_FIELDS.binary_search(&name).is_ok()
    {
        return true;
    }
    // Fields whose argument may follow a dot (`evt.arg.path`, `evt.abspath.src`).
    ["evt.arg", "evt.rawarg", "evt.abspath"]
        .iter()
        .any(|field| {
            name.strip_prefix(field)
                .is_some_and(|rest| rest.len() > 1 && rest.starts_with('.'))
                && catalogue.binary_search(field).is_ok()
        })
}

#[cfg(test)]
mod tests {
    use super::catalogue::{AUDIT_FIELDS, EVENT_ARGS, GENERIC_FIELDS, SYSCALL_FIELDS};
    use super::is_falco_field;

    #[test]
    fn catalogues_are_sorted_and_tell_fields_from_typos() {
        for list in [SYSCALL_FIELDS, AUDIT_FIELDS, GENERIC_FIELDS, EVENT_ARGS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]));
        }
        for name in [
            "proc.exe_ino.ctime",
            "k8s.pod.name",
            "evt.arg.path",
            "fd.sip.name",
        ] {
            assert!(is_falco_field(SYSCALL_FIELDS, name), "{name}");
        }
        for name in ["proc.nmae", "proc.nobody", "evt.arg.", "ka.verb"] {
            assert!(!is_falco_field(SYSCALL_FIELDS, name), "{name}");
        }
        assert!(is_falco_field(
            AUDIT_FIELDS,
            "ka.req.pod.initContainers.host_port"
        ));
        assert!(!is_falco_field(AUDIT_FIELDS, "ka.verbb"));
    }
}
