//! The engine: runs the active rules over objects, in parallel over inputs,
//! then the rules that read the whole scanned set.

use rayon::prelude::*;

use kubeward_core::load::{Input, LoadOptions, load};
use kubeward_core::{Diagnostic, Finding, Object};

use crate::inventory::Inventory;
use crate::pod::Pod;
use crate::rules::{self, Check, Emit, RuleSet, Settings};

/// Rules and settings, ready to check objects.
#[derive(Clone, Debug)]
pub struct Scanner {
    pub rules: RuleSet,
    pub settings: Settings,
}

/// Everything a scan of inputs found.
#[derive(Debug, Default)]
pub struct ScanResult {
    /// Sorted by file, position and rule.
    pub findings: Vec<Finding>,
    pub errors: Vec<Diagnostic>,
    pub notices: Vec<Diagnostic>,
    pub inputs: usize,
    pub objects: usize,
}

impl Scanner {
    pub fn new(rules: RuleSet, settings: Settings) -> Self {
        Self { rules, settings }
    }

    /// Runs the per-object rules on one object and notes its facts for the
    /// set rules.
    pub fn check_object(&self, object: &Object, inventory: &mut Inventory, out: &mut Vec<Finding>) {
        let pod = Pod::of(object);
        inventory.record(object, pod.as_ref());
        self.check(object, pod.as_ref(), out);
    }

    /// Runs the per-object rules on one object whose pod (if it carries one)
    /// the caller already has.
    pub fn check(&self, object: &Object, pod: Option<&Pod<'_>>, out: &mut Vec<Finding>) {
        for (rule, severity) in self.rules.iter() {
            let mut emit = Emit::new(
                &rule.meta,
                severity,
                &self.settings,
                Some(&object.meta),
                out,
            );
            match &rule.check {
                Check::Pod(check) => {
                    if let Some(pod) = pod {
                        check(pod, &mut emit);
                    }
                }
                Check::Object { kinds, check } => {
                    if kinds.contains(&object.kind()) {
                        check(object, &mut emit);
                    }
                }
                Check::Set(_) => {}
            }
        }
    }

    /// Runs the rules that read the whole scanned set.
    pub fn check_set(&self, inventory: &Inventory, out: &mut Vec<Finding>) {
        for (rule, severity) in self.rules.iter() {
            if let Check::Set(check) = &rule.check {
                check(
                    inventory,
                    &mut Emit::new(&rule.meta, severity, &self.settings, None, out),
                );
            }
        }
    }

    /// Checks a set of objects already in memory (as a whole set).
    pub fn check_objects(&self, objects: &[Object]) -> Vec<Finding> {
        let mut inventory = Inventory::default();
        let mut findings = Vec::new();
        for object in objects {
            self.check_object(object, &mut inventory, &mut findings);
        }
        inventory.sort();
        self.check_set(&inventory, &mut findings);
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        findings
    }

    /// Loads and checks inputs in parallel; each object is dropped once
    /// checked, so memory follows the largest input, not the set.
    pub fn scan(&self, inputs: &[Input], options: &LoadOptions) -> ScanResult {
        let (mut result, mut inventory) = inputs
            .par_iter()
            .map(|input| {
                let loaded = load(input, options);
                let mut part = ScanResult {
                    inputs: 1,
                    objects: loaded.objects.len(),
                    errors: loaded.errors,
                    notices: loaded.notices,
                    ..ScanResult::default()
                };
                let mut inventory = Inventory::default();
                for object in &loaded.objects {
                    unknown_ignores(object, &mut part.notices);
                    self.check_object(object, &mut inventory, &mut part.findings);
                }
                (part, inventory)
            })
            .reduce(
                || (ScanResult::default(), Inventory::default()),
                |(mut a, mut ai), (b, bi)| {
                    a.findings.extend(b.findings);
                    a.errors.extend(b.errors);
                    a.notices.extend(b.notices);
                    a.inputs += b.inputs;
                    a.objects += b.objects;
                    ai.merge(bi);
                    (a, ai)
                },
            );
        inventory.sort();
        self.check_set(&inventory, &mut result.findings);
        result
            .findings
            .par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let by_place = |d: &Diagnostic| (d.file.clone(), d.line);
        result.errors.sort_by_key(by_place);
        result.notices.sort_by_key(by_place);
        result
    }
}

/// A notice for each rule an ignore annotation names that does not exist.
fn unknown_ignores(object: &Object, notices: &mut Vec<Diagnostic>) {
    for ignore in &object.meta.ignores {
        for name in &ignore.rules {
            if rules::find(name).is_none() {
                let at = object.meta.location();
                notices.push(Diagnostic::new(
                    at.origin.file.clone(),
                    Some(at.pos().line),
                    format!(
                        "{}: kubeward.io/ignore names unknown rule `{name}`",
                        object.meta
                    ),
                ));
            }
        }
    }
}
