//! The `kubeward` command: parses the command line and wires the crates
//! together. No analysis lives here.
#![forbid(unsafe_code)]

mod cli;
mod commands;
mod config;
mod output;

use std::process::ExitCode;

use clap::Parser;

/// Parsing builds many small values and admission frees them per request;
/// mimalloc serves that pattern several times faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let code = match cli.command {
        cli::Command::Scan(args) => commands::scan::run(args, cli.color),
        cli::Command::Pss(args) => commands::pss::run(args, cli.color),
        cli::Command::Rules(mut args) => match args.action.take() {
            Some(cli::RulesAction::Check(check)) => commands::falco_rules::check(check),
            None => commands::rules::list(args, cli.color),
        },
        cli::Command::Explain(args) => commands::rules::explain(args, cli.color),
        cli::Command::Watch(args) => commands::watch::run(args),
        cli::Command::Trace(args) => commands::trace::run(args),
        cli::Command::Seccomp(args) => commands::seccomp::run(args),
        cli::Command::Serve(args) => commands::serve::run(args),
        cli::Command::Image(args) => commands::image::run(args, cli.color),
        cli::Command::Db(args) => commands::db::run(args, cli.color),
        cli::Command::Dockerfile(args) => commands::dockerfile::run(args, cli.color),
        cli::Command::Node(args) => commands::node::run(args, cli.color),
        cli::Command::Host(args) => commands::host::run(args, cli.color),
        cli::Command::Pki(args) => commands::pki::run(args, cli.color),
        cli::Command::Etcd(args) => commands::etcd::run(args, cli.color),
    };
    ExitCode::from(code)
}
