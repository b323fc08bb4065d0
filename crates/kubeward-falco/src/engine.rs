//! The engine: compiled rules indexed by event type, evaluated against
//! events in definition order.

use crate::alert::Alert;
use crate::compile::{Compiled, CompiledRule};
use crate::event::{AuditEvent, EventType, SyscallEvent};
use crate::fields::{AuditSource, Source, SyscallSource};
use crate::priority::Priority;

/// Whether an event stops at the first matching rule (Falco's default) or
/// fires every rule that matches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RuleMatching {
    #[default]
    First,
    All,
}

#[derive(Clone, Debug)]
pub struct EngineOptions {
    pub rule_matching: RuleMatching,
    /// Rules less severe than this are not loaded.
    pub min_priority: Priority,
    /// Host name written into alerts (empty unless the caller, which knows
    /// where its events come from, says).
    pub hostname: String,
}

impl Default for EngineOptions {
    fn default() -> Self {
        Self {
            rule_matching: RuleMatching::First,
            min_priority: Priority::Debug,
            hostname: String::new(),
        }
    }
}

/// The rules of one source and, per event type, the rules that can match it.
#[derive(Debug)]
struct Indexed<S: Source> {
    rules: Vec<CompiledRule<S>>,
    by_type: Vec<Box<[u32]>>,
}

impl<S: Source> Indexed<S> {
    fn new(rules: Vec<CompiledRule<S>>, options: &EngineOptions) -> Self {
        let rules: Vec<CompiledRule<S>> = rules
            .into_iter()
            .filter(|r| r.enabled && r.priority <= options.min_priority)
            .collect();
        let types = if S::has_event_types() {
            EventType::count()
        } else {
            1
        };
        let by_type = (0..types)
            .map(|t| {
                let t = EventType(u16::try_from(t).unwrap_or(u16::MAX));
                rules
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| !S::has_event_types() || r.event_types.contains(t))
                    .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
                    .collect()
            })
            .collect();
        Self { rules, by_type }
    }

    #[inline]
    fn candidates(&self, t: EventType) -> &[u32] {
        self.by_type.get(usize::from(t.0)).map_or(&[], |b| &b[..])
    }

    #[inline]
    fn matching(
        &self,
        event: &S::Event<'_>,
        first: bool,
        mut found: impl FnMut(&CompiledRule<S>),
    ) -> usize {
        let mut n = 0;
        for &i in self.candidates(S::event_type(event)) {
            let rule = &self.rules[i as usize];
            if rule.condition.eval(event) {
                found(rule);
                n += 1;
                if first {
                    break;
                }
            }
        }
        n
    }
}

/// Evaluates events of every source against the loaded rules.
#[derive(Debug)]
pub struct Engine {
    syscall: Indexed<SyscallSource>,
    audit: Indexed<AuditSource>,
    options: EngineOptions,
}

impl Engine {
    pub fn new(compiled: Compiled, options: EngineOptions) -> Self {
        Self {
            syscall: Indexed::new(compiled.syscall, &options),
            audit: Indexed::new(compiled.audit, &options),
            options,
        }
    }

    pub fn syscall_rules(&self) -> usize {
        self.syscall.rules.len()
    }

    pub fn audit_rules(&self) -> usize {
        self.audit.rules.len()
    }

    /// Whether any loaded rule can match events of this type (sources may
    /// skip decoding the others).
    pub fn wants(&self, t: EventType) -> bool {
        !self.syscall.candidates(t).is_empty()
    }

    fn first(&self) -> bool {
        self.options.rule_matching == RuleMatching::First
    }

    /// Counts the rules a syscall event matches (no alert is built).
    #[inline]
    pub fn count_syscall(&self, event: &SyscallEvent<'_>) -> usize {
        self.syscall.matching(event, self.first(), |_| {})
    }

    /// The alerts a syscall event raises.
    pub fn on_syscall(&self, event: &SyscallEvent<'_>, alerts: &mut Vec<Alert>) {
        let host = &self.options.hostname;
        self.syscall.matching(event, self.first(), |rule| {
            alerts.push(Alert::new(rule, event, event.ts, host))
        });
    }

    /// Counts the rules an audit event matches.
    pub fn count_audit(&self, event: &AuditEvent) -> usize {
        self.audit.matching(event, self.first(), |_| {})
    }

    /// The alerts an audit event raises.
    pub fn on_audit(&self, event: &AuditEvent, alerts: &mut Vec<Alert>) {
        let host = &self.options.hostname;
        self.audit.matching(event, self.first(), |rule| {
            alerts.push(Alert::new(rule, event, event.time_ns, host))
        });
    }
}
