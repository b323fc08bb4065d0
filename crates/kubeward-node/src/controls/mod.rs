//! kube-bench control files (`kubeward node --controls FILE`): loaded,
//! their `$variables` substituted from kube-bench's `cfg/config.yaml`, their
//! audits evaluated offline against the node ([`audit`]), and their test
//! items judged with kube-bench's semantics ([`items`]).

pub mod audit;
pub mod items;
pub mod jsonpath;
pub mod model;
mod shell;
pub mod vars;

use kubeward_core::benchmark::{CheckResult, Evidence, Status};

use crate::facts::NodeFacts;
use items::{ItemResult, Outputs, Used, run_item};
use model::{Check, Controls};
use vars::Vars;

/// How audits that kubeward cannot evaluate offline are treated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ShellPolicy {
    /// Report them as WARN (the default).
    #[default]
    Never,
    /// Run them with `/bin/sh` on this host (`--allow-shell`; live host only).
    Host,
}

/// How long a shell audit, and every process it starts, may run.
const SHELL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

fn evaluate_audit(
    script: &str,
    facts: &NodeFacts,
    shell: ShellPolicy,
) -> Result<audit::Run, audit::Unsupported> {
    if script.trim().is_empty() {
        return Ok(audit::Run {
            ok: true,
            ..audit::Run::default()
        });
    }
    match audit::evaluate(script, facts) {
        Err(why) if shell == ShellPolicy::Host => {
            shell::run(script, SHELL_TIMEOUT).map_err(|_| why)
        }
        other => other,
    }
}

/// Runs every check of a controls file.
pub fn run(
    controls: &Controls,
    vars: &Vars,
    facts: &NodeFacts,
    shell: ShellPolicy,
) -> Vec<CheckResult> {
    let mut results = Vec::new();
    for group in &controls.groups {
        for check in &group.checks {
            let status_of = |failed: bool| match (failed, check.scored) {
                (false, _) => Status::Pass,
                (true, true) => Status::Fail,
                (true, false) => Status::Warn,
            };
            let (status, evidence) = if group.kind == "skip" || check.kind == "skip" {
                (Status::Info, vec![Evidence::note("marked skip")])
            } else {
                run_check(check, vars, facts, shell, status_of)
            };
            results.push(CheckResult {
                id: check.id.clone(),
                title: check.text.clone(),
                status,
                evidence,
                remediation: vars.substitute(check.remediation.trim()),
                meta: None,
            });
        }
    }
    results
}

fn run_check(
    check: &Check,
    vars: &Vars,
    facts: &NodeFacts,
    shell: ShellPolicy,
    status_of: impl Fn(bool) -> Status,
) -> (Status, Vec<Evidence>) {
    if check.kind == "manual" {
        return (Status::Warn, vec![Evidence::note("marked manual")]);
    }
    let Some(tests) = check.tests.as_ref() else {
        return if check.scored && check.kind.trim().is_empty() {
            (Status::Warn, vec![Evidence::note("the check has no tests")])
        } else {
            (
                status_of(true),
                vec![Evidence::note("the check has no tests")],
            )
        };
    };
    if tests.items.is_empty() {
        return (status_of(true), vec![Evidence::note("no test items")]);
    }
    let audit = vars.substitute(&check.audit);
    let audit_config = vars.substitute(&check.audit_config);
    let audit_env = vars.substitute(&check.audit_env);
    let mut files = Vec::new();
    let mut run = |script: &str| -> Result<audit::Run, String> {
        let r = evaluate_audit(script, facts, shell).map_err(|u| {
            format!(
                "audit not evaluated offline ({}): {}",
                u.0,
                script.trim().lines().next().unwrap_or("")
            )
        })?;
        files.extend(r.files.iter().cloned());
        Ok(r)
    };
    let unsupported = |why: String| (Status::Warn, vec![Evidence::note(why)]);
    let env = match run(&audit_env) {
        Ok(r) => r,
        Err(why) => return unsupported(why),
    };
    let main = match run(&audit) {
        Ok(r) => r,
        Err(why) => return unsupported(why),
    };
    let config = if audit_config.trim().is_empty() {
        None
    } else {
        match run(&audit_config) {
            Ok(r) if r.ok => Some(r.output),
            // A missing configuration file does not matter when the audit
            // (or the environment) already printed something.
            Ok(_) if !main.output.trim().is_empty() || !env.output.trim().is_empty() => {
                Some(String::new())
            }
            Ok(r) => {
                return (
                    status_of(true),
                    vec![Evidence::note(format!(
                        "audit_config failed: {}",
                        first_line(&r.output)
                    ))],
                );
            }
            Err(why) => return unsupported(why),
        }
    };
    let file = files.first().cloned();
    if !env.ok && !audit_env.trim().is_empty() || !main.ok && !audit.trim().is_empty() {
        let failed = if main.ok { &env } else { &main };
        let mut e = Evidence::note(format!(
            "audit command failed: {}",
            first_line(&failed.output)
        ));
        e.file = file;
        return (status_of(true), vec![e]);
    }
    let outputs = Outputs {
        audit: main.output,
        config,
        env: env.output,
    };
    let results: Vec<ItemResult> = tests
        .items
        .iter()
        .map(|i| run_item(i, &outputs, check.use_multiple_values))
        .collect();
    let passed = match tests.bin_op.as_str() {
        "" | "and" => results.iter().all(|r| r.passed),
        "or" => results.iter().any(|r| r.passed),
        other => {
            return (
                status_of(true),
                vec![Evidence::note(format!("unknown bin_op {other:?}"))],
            );
        }
    };
    let evidence = tests
        .items
        .iter()
        .zip(&results)
        .map(|(item, r)| {
            let setting = match r.used {
                Used::Audit => &item.flag,
                Used::Config => &item.path,
                Used::Env => &item.env,
            };
            let mut e = Evidence::note(format!(
                "{}: {}",
                if r.passed {
                    "as expected"
                } else {
                    "not as expected"
                },
                r.expected
            ))
            .setting(setting.clone(), r.value.clone());
            e.file = file.clone();
            e
        })
        .collect();
    (status_of(!passed), evidence)
}

fn first_line(text: &str) -> &str {
    text.trim().lines().next().unwrap_or("no output")
}

use std::path::{Path, PathBuf};

use kubeward_core::Diagnostic;
use kubeward_core::benchmark::BenchmarkReport;

use crate::cis::Target;

/// The controls files named: files as they are, directories for their
/// `*.yaml` files other than `config.yaml`, sorted.
pub fn expand_paths(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_dir() {
            match std::fs::read_dir(path) {
                Ok(entries) => {
                    let mut found: Vec<PathBuf> = entries
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| {
                            p.extension().is_some_and(|e| e == "yaml" || e == "yml")
                                && p.file_stem().is_some_and(|s| s != "config")
                        })
                        .collect();
                    found.sort();
                    files.extend(found);
                }
                Err(e) => errors.push(Diagnostic::new(
                    path.display().to_string().into(),
                    None,
                    e.to_string(),
                )),
            }
        } else {
            files.push(path.clone());
        }
    }
    (files, errors)
}

/// kube-bench's `cfg/config.yaml` beside a controls folder (`cfg/cis-1.12/x.yaml`
/// → `cfg/config.yaml`), when there is one.
pub fn find_config(controls_file: &Path) -> Option<PathBuf> {
    let candidate = controls_file.parent()?.parent()?.join("config.yaml");
    candidate.is_file().then_some(candidate)
}

/// The most bytes read from a controls or config file.
const MAX_CONTROLS_BYTES: u64 = 4 << 20;

fn read_bounded(path: &Path) -> std::io::Result<String> {
    let bytes = kubeward_core::bounded::read_file(path, MAX_CONTROLS_BYTES)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Loads controls files and runs the checks of the chosen targets (all when
/// `None`) against the node. Bad files are reported and skipped.
pub fn run_files(
    paths: &[PathBuf],
    config: Option<&Path>,
    targets: Option<&[Target]>,
    facts: &NodeFacts,
    shell: ShellPolicy,
) -> BenchmarkReport {
    let (files, mut errors) = expand_paths(paths);
    let mut report = BenchmarkReport::default();
    let mut versions: Vec<String> = Vec::new();
    for file in files {
        let name: std::sync::Arc<str> = file.display().to_string().into();
        let text = match read_bounded(&file) {
            Ok(t) => t,
            Err(e) => {
                errors.push(Diagnostic::new(name, None, e.to_string()));
                continue;
            }
        };
        let controls = match model::parse(&text) {
            Ok(c) => c,
            Err(e) => {
                errors.push(Diagnostic::new(name, Some(e.line), e.message));
                continue;
            }
        };
        if let Some(targets) = targets
            && !targets.iter().any(|t| t.as_str() == controls.node_type)
        {
            continue;
        }
        let config_path = config.map(Path::to_path_buf).or_else(|| find_config(&file));
        let config_text = match &config_path {
            Some(p) => match read_bounded(p) {
                Ok(t) => Some(t),
                Err(e) => {
                    errors.push(Diagnostic::new(
                        p.display().to_string().into(),
                        None,
                        e.to_string(),
                    ));
                    continue;
                }
            },
            None => None,
        };
        let vars = match Vars::resolve(config_text.as_deref(), &controls.node_type, facts) {
            Ok(v) => v,
            Err(e) => {
                let p =
                    config_path.map_or_else(|| "config".to_owned(), |p| p.display().to_string());
                errors.push(Diagnostic::new(p.into(), Some(e.line), e.message));
                continue;
            }
        };
        if !controls.version.is_empty() && !versions.contains(&controls.version) {
            versions.push(controls.version.clone());
        }
        report.results.extend(run(&controls, &vars, facts, shell));
    }
    report.benchmark = if versions.is_empty() {
        "kube-bench controls".into()
    } else {
        versions.join(",")
    };
    report.errors = errors;
    report
}
