//! `kubeward scan`.

use kubeward_core::Severity;
use kubeward_core::config::Threshold;
use kubeward_core::load::{Excludes, LoadOptions, discover};
use kubeward_report::{Format, Report, TextOptions, render};
use kubeward_workload::rules::{RuleSet, Settings};
use kubeward_workload::scan::Scanner;

use crate::cli::{ColorWhen, ScanArgs};
use crate::config::Config;
use crate::output::{self, tell, write_report};

pub(crate) fn run(args: ScanArgs, color: ColorWhen) -> u8 {
    let config = match Config::for_paths(args.config.as_deref(), &args.paths) {
        Ok(c) => c,
        Err(e) => {
            output::error(&e.to_string());
            return 2;
        }
    };
    let mut rules_config = config.rules.clone();
    rules_config.select.extend(args.select.iter().cloned());
    rules_config.ignore.extend(args.ignore.iter().cloned());
    let rules = match RuleSet::from_config(&rules_config) {
        Ok(r) => r,
        Err(unknown) => {
            output::error(&unknown.to_string());
            return 2;
        }
    };
    let mut exclude = config.scan.exclude.clone();
    exclude.extend(args.exclude.iter().cloned());
    let excludes = match Excludes::new(&exclude) {
        Ok(e) => e,
        Err(message) => {
            output::error(&message);
            return 2;
        }
    };
    let mut allowed_registries = config.images.allowed_registries.clone();
    allowed_registries.extend(args.allowed_registry.iter().cloned());
    let scanner = Scanner::new(rules, Settings { allowed_registries });

    let (inputs, mut errors) = discover(&args.paths, &excludes);
    let mut result = scanner.scan(&inputs, &LoadOptions::default());
    errors.append(&mut result.errors);
    tell(&errors, &result.notices, args.output.quiet);

    let fail_on = match args
        .fail_on
        .or(config.scan.fail_on)
        .unwrap_or(Threshold::At(Severity::High))
    {
        Threshold::At(s) => Some(s),
        Threshold::Never => None,
    };
    let metas = scanner.rules.metas();
    let report = Report {
        tool_version: env!("CARGO_PKG_VERSION"),
        findings: &result.findings,
        rules: &metas,
        errors: &errors,
        notices: &result.notices,
        inputs: result.inputs,
        objects: result.objects,
        object_noun: "object",
        fail_on,
    };
    let text = TextOptions {
        show_suppressed: args.show_suppressed,
    };
    match write_report(
        args.output.output.as_deref(),
        color,
        args.format == Format::Text,
        |out| render(&report, args.format, text, out),
    ) {
        Ok(()) => report.exit_code(),
        Err(code) => code,
    }
}
