//! kubeward's own implementation of the CIS Kubernetes Benchmark's checks,
//! one file per check. A check's doc comment is its documentation
//! (`kubeward explain 1.2.1`); its test is written in a small vocabulary
//! ([`Test`]) over the node's facts, so that each file says *what* is
//! checked and this module says *how*, once.
//!
//! Ids are the benchmark's own (`1.2.1`); they live in their own catalogue,
//! apart from the manifest rules (`KW…`) and the host checks (`KH…`), and
//! kubeward's additions to the benchmark are numbered `KN…`.

mod controlplane;
mod encryption;
mod etcd;
mod etcd_ca;
mod files;
mod kubelet;
mod master;
mod node;
mod policies;

use kubeward_core::RuleMeta;
use kubeward_core::benchmark::{BenchmarkReport, CheckResult, Evidence, Status};

use crate::facts::{Component, NodeFacts, Seen, SettingSource};
use crate::root::Unreadable;
pub(crate) use files::Files;

/// The benchmark version the native checks implement.
pub const BENCHMARK: &str = "cis-1.12";

/// Declares a check: its doc comment becomes its documentation.
macro_rules! cis_check {
    (
        $(#[doc = $doc:literal])+
        static $name:ident = {
            id: $id:literal,
            slug: $slug:literal,
            title: $title:literal,
            target: $target:ident,
            automated: $automated:literal,
            severity: $severity:ident,
            owasp: $owasp:ident,
            test: $test:expr $(,)?
        };
    ) => {
        kubeward_core::declare_rule! {
            $(#[doc = $doc])+
            static $name: $crate::cis::CisCheck = {
                id: $id,
                slug: $slug,
                title: $title,
                severity: $severity,
                layer: Cluster,
                owasp: $owasp,
                references: [concat!("CIS Kubernetes Benchmark v1.12.0 ", $id)],
                target: $crate::cis::Target::$target,
                automated: $automated,
                test: $test,
            };
        }
    };
}
pub(crate) use cis_check;

/// What every check file uses.
mod prelude {
    pub(crate) use super::{Expect, Files, Outcome, Test, cis_check};
    pub(crate) use crate::facts::{Component, NodeFacts};
}

/// The part of the benchmark a check belongs to (kube-bench's file types).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Master,
    Etcd,
    ControlPlane,
    Node,
    Policies,
}

impl Target {
    pub const ALL: [Target; 5] = [
        Target::Master,
        Target::Etcd,
        Target::ControlPlane,
        Target::Node,
        Target::Policies,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Target::Master => "master",
            Target::Etcd => "etcd",
            Target::ControlPlane => "controlplane",
            Target::Node => "node",
            Target::Policies => "policies",
        }
    }
}

impl std::str::FromStr for Target {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Target::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                format!("unknown target `{s}` (master, etcd, controlplane, node, policies)")
            })
    }
}

/// One CIS check.
#[derive(Debug)]
pub struct CisCheck {
    pub meta: RuleMeta,
    pub target: Target,
    /// The benchmark's own classification: an automated check that fails is
    /// FAIL, a manual one WARN.
    pub automated: bool,
    pub test: Test,
}

/// What a check tests.
#[derive(Debug)]
pub enum Test {
    /// Needs a person (or a live cluster): always WARN.
    Manual,
    /// Every file's permissions are `max` or stricter.
    Mode { files: Files, max: u32 },
    /// Every file is owned by `owner` (`user:group`).
    Owner { files: Files, owner: &'static str },
    /// A component's flag, with the component's default when it is absent.
    Flag {
        component: Component,
        flag: &'static str,
        default: Option<&'static str>,
        expect: Expect,
    },
    /// A kubelet setting: the flag, else the configuration file, else the
    /// default (which differs with and without a configuration file).
    Kubelet {
        flag: &'static str,
        path: &'static [&'static str],
        config_default: Option<&'static str>,
        flag_default: Option<&'static str>,
        expect: Expect,
    },
    /// Anything else.
    Custom(fn(&NodeFacts) -> Outcome),
}

/// What a setting's value must be.
#[derive(Debug)]
pub enum Expect {
    Present,
    Absent,
    Is(&'static str),
    IsNot(&'static str),
    /// A comma-separated list that has this element.
    Includes(&'static str),
    /// A comma-separated list without this element.
    Excludes(&'static str),
    AtLeast(i64),
    /// A comma-separated list whose every element is one of these.
    OnlyFrom(&'static [&'static str]),
}

impl Expect {
    /// Whether a value (`None`: not set) meets the expectation, and the
    /// words for what was expected.
    pub fn test(&self, value: Option<&str>) -> (bool, String) {
        let elements = |v: &str| -> Vec<String> {
            v.split(',')
                .map(|e| e.trim().to_owned())
                .filter(|e| !e.is_empty())
                .collect()
        };
        match (self, value) {
            (Expect::Present, v) => (v.is_some(), self.describe()),
            (Expect::Absent, v) => (v.is_none(), self.describe()),
            (_, None) => (false, self.describe()),
            (Expect::Is(want), Some(v)) => (v.eq_ignore_ascii_case(want), self.describe()),
            (Expect::IsNot(bad), Some(v)) => (!v.eq_ignore_ascii_case(bad), self.describe()),
            (Expect::Includes(e), Some(v)) => (elements(v).iter().any(|x| x == e), self.describe()),
            (Expect::Excludes(e), Some(v)) => {
                (!elements(v).iter().any(|x| x == e), self.describe())
            }
            (Expect::AtLeast(n), Some(v)) => (
                v.trim().parse::<i64>().is_ok_and(|x| x >= *n),
                self.describe(),
            ),
            (Expect::OnlyFrom(allowed), Some(v)) => {
                let els = elements(v);
                (
                    !els.is_empty() && els.iter().all(|e| allowed.contains(&e.as_str())),
                    self.describe(),
                )
            }
        }
    }

    fn describe(&self) -> String {
        match self {
            Expect::Present => "expected to be set".into(),
            Expect::Absent => "expected not to be set".into(),
            Expect::Is(v) => format!("expected {v}"),
            Expect::IsNot(v) => format!("expected anything but {v}"),
            Expect::Includes(v) => format!("expected to include {v}"),
            Expect::Excludes(v) => format!("expected not to include {v}"),
            Expect::AtLeast(n) => format!("expected at least {n}"),
            Expect::OnlyFrom(list) => format!("expected only {}", list.join(", ")),
        }
    }
}

/// What a test found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// `Some(true)` passed, `Some(false)` failed, `None` could not decide.
    pub passed: Option<bool>,
    pub evidence: Vec<Evidence>,
}

impl Outcome {
    pub fn pass(evidence: Vec<Evidence>) -> Self {
        Self {
            passed: Some(true),
            evidence,
        }
    }

    pub fn fail(evidence: Vec<Evidence>) -> Self {
        Self {
            passed: Some(false),
            evidence,
        }
    }

    pub fn undecided(evidence: Vec<Evidence>) -> Self {
        Self {
            passed: None,
            evidence,
        }
    }

    pub fn of(passed: bool, evidence: Vec<Evidence>) -> Self {
        Self {
            passed: Some(passed),
            evidence,
        }
    }

    /// A pass over files that could not all be read is no pass: it becomes
    /// undecided, with each unreadable file as evidence. A failure found in
    /// what could be read stands.
    pub fn unless_unreadable<'a>(
        mut self,
        unreadable: impl IntoIterator<Item = &'a Unreadable>,
    ) -> Self {
        let before = self.evidence.len();
        self.evidence
            .extend(unreadable.into_iter().map(Unreadable::evidence));
        if self.evidence.len() > before && self.passed == Some(true) {
            // The pass's own note ("no NOPASSWD rule") is not known to be true.
            self.evidence.drain(..before);
            self.passed = None;
        }
        self
    }
}

/// Every native check, in benchmark order.
pub fn all() -> impl Iterator<Item = &'static CisCheck> {
    master::ALL
        .iter()
        .chain(etcd::ALL)
        .chain(controlplane::ALL)
        .chain(node::ALL)
        .chain(policies::ALL)
        .copied()
}

/// The check with this id or slug.
pub fn find(name: &str) -> Option<&'static CisCheck> {
    let name = name.strip_prefix("cis-").unwrap_or(name);
    all().find(|c| c.meta.is_named(name))
}

/// The targets that apply to a node when none are named: what runs there.
pub fn detect_targets(facts: &NodeFacts) -> Vec<Target> {
    let mut targets = Vec::new();
    // What runs: a process; a static pod manifest (the kubelet runs it).
    // Under --root (a node image, whose /proc, if any, is a copy), what
    // would run at boot too: an enabled unit, a kubelet configuration. On
    // the live host an installed but stopped unit is not a target. A
    // component whose manifest or unit cannot be read is there all the same.
    let processes_known = facts.root.base() == std::path::Path::new("/");
    let present = |c: Component| {
        facts.process(c).is_some()
            || c.manifest().is_some_and(|m| facts.root.exists(m))
            || facts.command_unreadable(c).is_some()
            || (!processes_known
                && (facts.unit_enabled(c.program())
                    || (c == Component::Kubelet && facts.kubelet_config().file.is_some())))
    };
    if present(Component::ApiServer) {
        targets.extend([Target::Master, Target::ControlPlane]);
    }
    if present(Component::Etcd) {
        targets.push(Target::Etcd);
    }
    if present(Component::Kubelet) {
        targets.push(Target::Node);
    }
    targets.sort_by_key(|t| Target::ALL.iter().position(|x| x == t));
    targets
}

/// Runs the checks of the targets [`detect_targets`] finds; with none, the
/// report's one error says no Kubernetes component was found.
pub fn run_detected(facts: &NodeFacts) -> BenchmarkReport {
    let targets = detect_targets(facts);
    let mut report = run(facts, &targets);
    if targets.is_empty() {
        report.errors.push(kubeward_core::Diagnostic::new(
            facts.root.base().display().to_string().into(),
            None,
            "no Kubernetes component found (no process, static pod manifest, enabled unit or kubelet configuration); name what to check with --targets",
        ));
    }
    report
}

/// Runs the checks of the given targets.
pub fn run(facts: &NodeFacts, targets: &[Target]) -> BenchmarkReport {
    let results = all()
        .filter(|c| targets.contains(&c.target))
        .map(|c| evaluate(c, facts))
        .collect();
    BenchmarkReport {
        benchmark: BENCHMARK.into(),
        results,
        errors: Vec::new(),
    }
}

/// Runs one check.
pub fn evaluate(check: &'static CisCheck, facts: &NodeFacts) -> CheckResult {
    let outcome = match &check.test {
        Test::Manual => Outcome::undecided(vec![Evidence::note(
            "a manual check: review it by hand (see the remediation)",
        )]),
        Test::Mode { files, max } => files::mode(facts, files, *max),
        Test::Owner { files, owner } => files::owner(facts, files, owner),
        Test::Flag {
            component,
            flag,
            default,
            expect,
        } => flag_outcome(facts, *component, flag, *default, expect),
        Test::Kubelet {
            flag,
            path,
            config_default,
            flag_default,
            expect,
        } => {
            if let Some(unreadable) = facts.command_unreadable(Component::Kubelet) {
                Outcome::undecided(vec![unreadable.evidence()])
            } else if facts.command(Component::Kubelet).is_none()
                && facts.kubelet_config().root.is_none()
            {
                Outcome::fail(vec![Evidence::note(
                    "no kubelet found (no process, no systemd unit, no configuration file where kube-bench looks)",
                )])
            } else {
                let seen = facts.kubelet_setting(flag, path, *config_default, *flag_default);
                seen_outcome(seen, expect)
            }
        }
        Test::Custom(f) => f(facts),
    };
    let status = match outcome.passed {
        Some(true) => Status::Pass,
        Some(false) if check.automated => Status::Fail,
        _ => Status::Warn,
    };
    CheckResult {
        id: check.meta.id.to_owned(),
        title: check.meta.title.to_owned(),
        status,
        evidence: outcome.evidence,
        remediation: check.meta.remediation(),
        meta: Some(&check.meta),
    }
}

/// Tests a component's flag.
pub(crate) fn flag_outcome(
    facts: &NodeFacts,
    component: Component,
    flag: &str,
    default: Option<&str>,
    expect: &Expect,
) -> Outcome {
    let Some(command) = facts.command(component) else {
        if let Some(unreadable) = facts.command_unreadable(component) {
            return Outcome::undecided(vec![unreadable.evidence()]);
        }
        return Outcome::fail(vec![Evidence::note(format!(
            "{} not found (no process, no static pod manifest)",
            component.program()
        ))]);
    };
    let seen = match command.get(flag) {
        Some(f) => Seen {
            value: Some(f.effective().to_owned()),
            source: SettingSource::Flag,
            evidence: Evidence::note(format!("set on {}'s command line", component.program()))
                .in_file(f.file.clone())
                .at_line(f.line)
                .setting(flag, Some(f.effective().to_owned())),
        },
        None => {
            let file = command.words.first().map(|w| w.file.clone());
            let note = match default {
                Some(d) => format!("not set on {}; its default is {d}", component.program()),
                None => format!("not set on {}", component.program()),
            };
            let mut evidence = Evidence::note(note).setting(flag, None);
            if let Some(file) = file {
                evidence = evidence.in_file(file);
            }
            Seen {
                value: default.map(str::to_owned),
                source: SettingSource::Default,
                evidence,
            }
        }
    };
    seen_outcome(seen, expect)
}

fn seen_outcome(seen: Seen, expect: &Expect) -> Outcome {
    // A default value counts as the value, except for presence tests, which
    // ask whether the setting is written at all.
    let value = match (expect, seen.source) {
        (Expect::Present | Expect::Absent, SettingSource::Default | SettingSource::Unset) => None,
        _ => seen.value.as_deref(),
    };
    if seen.source == SettingSource::Unknown {
        return Outcome::undecided(vec![seen.evidence]);
    }
    let (passed, wanted) = expect.test(value);
    let mut evidence = seen.evidence;
    if !passed {
        evidence.note = format!("{} ({wanted})", evidence.note);
    }
    Outcome::of(passed, vec![evidence])
}

/// Passes when every flag is set on the component.
pub(crate) fn flags_set(facts: &NodeFacts, component: Component, flags: &[&str]) -> Outcome {
    let outcomes: Vec<Outcome> = flags
        .iter()
        .map(|f| flag_outcome(facts, component, f, None, &Expect::Present))
        .collect();
    let passed = outcomes.iter().all(|o| o.passed == Some(true));
    Outcome::of(
        passed,
        outcomes.into_iter().flat_map(|o| o.evidence).collect(),
    )
}
