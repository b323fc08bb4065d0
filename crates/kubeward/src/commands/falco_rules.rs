//! `kubeward rules check`: loads and compiles Falco rule files, and the
//! loading shared by `watch` and `trace`.

use std::io::Write;
use std::path::PathBuf;

use kubeward_falco::compile::{Compiled, compile};
use kubeward_falco::{Engine, EngineOptions, RuleSet};
use serde_json::json;

use crate::cli::{RulesCheckArgs, TextOrJson};
use crate::output::{self, write_report};

/// Loads and compiles rule files in order.
pub(crate) fn load(files: &[PathBuf]) -> Compiled {
    let mut set = RuleSet::new();
    for file in files {
        kubeward_runtime::rules::load(&mut set, file);
    }
    compile(&set)
}

/// Loads rules for `watch`/`trace`: errors are told and give exit code 2;
/// warnings are told unless `quiet`.
pub(crate) fn engine(files: &[PathBuf], options: EngineOptions, quiet: bool) -> Result<Engine, u8> {
    let compiled = load(files);
    tell(&compiled, !quiet);
    if !compiled.errors.is_empty() {
        return Err(2);
    }
    Ok(Engine::new(compiled, options))
}

/// Tells the load's warnings (when `warnings`) and errors on stderr: a
/// misspelt key or a rule of a source kubeward skips must not pass unseen.
fn tell(compiled: &Compiled, warnings: bool) {
    if warnings {
        for w in &compiled.warnings {
            output::notice(&w.to_string());
        }
    }
    for e in &compiled.errors {
        output::error(&e.to_string());
    }
}

pub(crate) fn check(args: RulesCheckArgs) -> u8 {
    let compiled = load(&args.files);
    let errors: Vec<String> = compiled.errors.iter().map(ToString::to_string).collect();
    let result = write_report(
        None,
        crate::cli::ColorWhen::Never,
        false,
        |out: &mut dyn Write| match args.format {
            TextOrJson::Json => {
                let report = json!({
                    "rules": compiled.rule_count,
                    "macros": compiled.macro_count,
                    "lists": compiled.list_count,
                    "errors": errors,
                    "warnings": compiled.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
                    "unsupported_fields": compiled.unsupported_fields,
                });
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                )
            }
            TextOrJson::Text => {
                writeln!(
                    out,
                    "{} rules ({} syscall, {} k8s_audit), {} macros, {} lists",
                    compiled.rule_count,
                    compiled.syscall.len(),
                    compiled.audit.len(),
                    compiled.macro_count,
                    compiled.list_count
                )?;
                if !compiled.unsupported_fields.is_empty() {
                    writeln!(
                        out,
                        "fields kubeward cannot supply yet (never have a value):"
                    )?;
                    for (rule, fields) in &compiled.unsupported_fields {
                        writeln!(out, "  {rule}: {}", fields.join(", "))?;
                    }
                }
                Ok(())
            }
        },
    );
    if let Err(code) = result {
        return code;
    }
    if args.format == TextOrJson::Text {
        tell(&compiled, true);
    }
    if errors.is_empty() { 0 } else { 2 }
}
