//! `kubeward trace`: runs a command under ptrace and evaluates Falco rules
//! against its syscalls as they happen.

use std::process::Command;
use std::sync::atomic::Ordering;

use kubeward_falco::Engine;
use kubeward_falco::compile::Compiled;
use kubeward_runtime::trace::trace;

use crate::cli::TraceArgs;
use crate::commands::alerts::{AlertOutput, engine_options};
use crate::commands::falco_rules;
use crate::output;

/// A `Command` from `COMMAND [ARGS]`.
pub(crate) fn command(argv: &[std::ffi::OsString]) -> Command {
    let mut command = Command::new(&argv[0]);
    command.args(&argv[1..]);
    command
}

pub(crate) fn run(args: TraceArgs) -> u8 {
    let options = engine_options(&args.alerts);
    let engine = if args.rules.is_empty() {
        Engine::new(Compiled::default(), options)
    } else {
        match falco_rules::engine(&args.rules, options, args.alerts.quiet) {
            Ok(engine) => engine,
            Err(code) => return code,
        }
    };
    let alerts = AlertOutput::new(&args.alerts);
    let mut fired = Vec::new();
    let outcome = trace(&mut command(&args.command), &mut |event| {
        alerts.events.fetch_add(1, Ordering::Relaxed);
        if engine.wants(event.etype) {
            engine.on_syscall(event, &mut fired);
            for alert in fired.drain(..) {
                alerts.emit(&alert);
            }
        }
    });
    let code = alerts.finish();
    match outcome {
        Ok(outcome) => {
            if !args.alerts.quiet {
                output::notice(&format!(
                    "{} exited with status {}",
                    args.command[0].to_string_lossy(),
                    outcome.exit.status()
                ));
            }
            code
        }
        Err(e) => {
            output::error(&format!("{}: {e}", args.command[0].to_string_lossy()));
            2
        }
    }
}
