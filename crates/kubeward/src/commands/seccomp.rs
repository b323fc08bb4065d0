//! `kubeward seccomp record|check|run`: profiles from traces, checked against
//! the runtime default, enforced by the kernel.

use std::io::Write;
use std::path::Path;

use kubeward_runtime::seccomp::{self, Profile};
use kubeward_runtime::trace::trace;

use crate::cli::{
    SeccompAction, SeccompArgs, SeccompCheckArgs, SeccompRecordArgs, SeccompRunArgs, TextOrJson,
};
use crate::commands::trace::command;
use crate::output::{self, write_report};

/// Largest profile read.
const MAX_PROFILE_BYTES: u64 = 4 * 1024 * 1024;

pub(crate) fn run(args: SeccompArgs) -> u8 {
    match args.action {
        SeccompAction::Record(a) => record(a),
        SeccompAction::Check(a) => check(a),
        SeccompAction::Run(a) => run_confined(a),
    }
}

fn load(path: &Path) -> Result<Profile, u8> {
    let text = match kubeward_core::bounded::read_text(path, MAX_PROFILE_BYTES) {
        Ok(text) => text,
        Err(e) => {
            output::error(&format!("{}: {e}", path.display()));
            return Err(2);
        }
    };
    seccomp::parse_profile(&text).map_err(|e| {
        output::error(&format!("{}: {e}", path.display()));
        2
    })
}

fn record(args: SeccompRecordArgs) -> u8 {
    let outcome = match trace(&mut command(&args.command), &mut |_| {}) {
        Ok(outcome) => outcome,
        Err(e) => {
            output::error(&format!("{}: {e}", args.command[0].to_string_lossy()));
            return 2;
        }
    };
    let profile = seccomp::profile_from_syscalls(&outcome.syscalls);
    let text = serde_json::to_string_pretty(&profile).unwrap_or_default();
    if let Err(e) = std::fs::write(&args.output, format!("{text}\n")) {
        output::error(&format!("{}: {e}", args.output.display()));
        return 2;
    }
    output::notice(&format!(
        "{}: {} syscalls allowed; the command exited with status {}",
        args.output.display(),
        profile.syscalls.first().map_or(0, |r| r.names.len()),
        outcome.exit.status()
    ));
    0
}

fn check(args: SeccompCheckArgs) -> u8 {
    let profile = match load(&args.profile) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let report = seccomp::check(&profile);
    let written = write_report(
        None,
        crate::cli::ColorWhen::Never,
        false,
        |out: &mut dyn Write| match args.format {
            TextOrJson::Json => writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            ),
            TextOrJson::Text => {
                writeln!(out, "{}: {}", args.profile.display(), report.summary())?;
                for w in &report.warnings {
                    writeln!(out, "warning: {w}")?;
                }
                if !report.beyond_runtime_default.is_empty() {
                    writeln!(
                        out,
                        "allowed beyond the container runtime's default profile: {}",
                        report.beyond_runtime_default.join(", ")
                    )?;
                }
                for (name, why) in &report.dangerous {
                    writeln!(out, "dangerous: {name} ({why})")?;
                }
                Ok(())
            }
        },
    );
    if let Err(code) = written {
        return code;
    }
    for e in &report.errors {
        output::error(&format!("{}: {e}", args.profile.display()));
    }
    if !report.errors.is_empty() {
        2
    } else if report.dangerous.is_empty() {
        0
    } else {
        1
    }
}

fn run_confined(args: SeccompRunArgs) -> u8 {
    let profile = match load(&args.profile) {
        Ok(p) => p,
        Err(code) => return code,
    };
    match seccomp::run(&profile, &mut command(&args.command)) {
        Ok(status) => match (
            status.code(),
            std::os::unix::process::ExitStatusExt::signal(&status),
        ) {
            (Some(code), _) => u8::try_from(code).unwrap_or(1),
            (None, Some(signal)) => u8::try_from(128 + signal).unwrap_or(1),
            _ => 1,
        },
        Err(e) => {
            output::error(&format!("{}: {e}", args.command[0].to_string_lossy()));
            2
        }
    }
}
