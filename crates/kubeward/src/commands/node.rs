//! `kubeward node`: the CIS Kubernetes Benchmark over a node (or a node
//! tree), natively or from kube-bench control files.

use kubeward_core::benchmark::BenchmarkReport;
use kubeward_node::cis::{self, Target};
use kubeward_node::controls::{self, ShellPolicy};
use kubeward_node::{NodeFacts, Root};
use kubeward_report::render_benchmark;

use crate::cli::{BenchmarkOutputArgs, ColorWhen, NodeArgs};
use crate::output::{self, tell, write_report};

pub(crate) fn run(args: NodeArgs, color: ColorWhen) -> u8 {
    if args.benchmark != cis::BENCHMARK {
        output::error(&format!(
            "unknown benchmark `{}` (kubeward implements {}; use --controls for kube-bench files of other versions)",
            args.benchmark,
            cis::BENCHMARK
        ));
        return 2;
    }
    if args.allow_shell && args.root.is_some() {
        output::error("--allow-shell runs audits on this host; it cannot be combined with --root");
        return 2;
    }
    let root = match open_root(args.root.as_deref()) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let facts = NodeFacts::new(root);
    let report = if args.controls.is_empty() {
        let targets = if args.targets.is_empty() {
            cis::detect_targets(&facts)
        } else {
            args.targets.clone()
        };
        cis::run(&facts, &targets)
    } else {
        let shell = if args.allow_shell {
            ShellPolicy::Host
        } else {
            ShellPolicy::Never
        };
        let targets: Option<&[Target]> = (!args.targets.is_empty()).then_some(&args.targets);
        controls::run_files(
            &args.controls,
            args.config.as_deref(),
            targets,
            &facts,
            shell,
        )
    };
    finish(report, &args.report, color)
}

/// The machine to check: `--root DIR`, else this host.
pub(crate) fn open_root(dir: Option<&std::path::Path>) -> Result<Root, u8> {
    match dir {
        Some(dir) if !dir.is_dir() => {
            output::error(&format!("{}: not a directory", dir.display()));
            Err(2)
        }
        Some(dir) => Ok(Root::new(dir)),
        None => Ok(Root::host()),
    }
}

/// Keeps the asked-for checks, tells errors, writes the report, and returns
/// the exit code (shared with `kubeward host`).
pub(crate) fn finish(
    mut report: BenchmarkReport,
    args: &BenchmarkOutputArgs,
    color: ColorWhen,
) -> u8 {
    if !args.check.is_empty() {
        report
            .results
            .retain(|r| args.check.iter().any(|id| id == &r.id));
    }
    tell(&report.errors, &[], false);
    write(&report, args.format, args.output.output.as_deref(), color)
}

/// Writes a benchmark report and returns the exit code it implies.
pub(crate) fn write(
    report: &BenchmarkReport,
    format: kubeward_report::Format,
    path: Option<&std::path::Path>,
    color: ColorWhen,
) -> u8 {
    match write_report(
        path,
        color,
        format == kubeward_report::Format::Text,
        |out| render_benchmark(report, format, env!("CARGO_PKG_VERSION"), out),
    ) {
        Ok(()) => report.exit_code(),
        Err(code) => code,
    }
}
