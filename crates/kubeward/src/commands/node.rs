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
    let report = if args.controls.is_empty() && args.targets.is_empty() {
        cis::run_detected(&facts)
    } else if args.controls.is_empty() {
        cis::run(&facts, &args.targets)
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
    let known = |id: &str| args.controls.is_empty() && cis::find(id).is_some();
    finish(report, &args.report, color, &known)
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
/// the exit code (shared with `kubeward host`). A `--check` id that the
/// report does not hold is a usage error, not an empty, clean report:
/// `known` tells a mistyped id from one of a target that was not run.
pub(crate) fn finish(
    mut report: BenchmarkReport,
    args: &BenchmarkOutputArgs,
    color: ColorWhen,
    known: &dyn Fn(&str) -> bool,
) -> u8 {
    let missing = args
        .check
        .iter()
        .find(|id| !report.results.iter().any(|r| &r.id == *id));
    if let Some(id) = missing {
        output::error(&if known(id) {
            format!(
                "check `{id}` is not run here: its target is not among --targets (or not detected on this node)"
            )
        } else {
            format!("unknown check `{id}`")
        });
        return 2;
    }
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
