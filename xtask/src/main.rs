//! `cargo xtask corpus --count N --out DIR [--seed S]` writes the benchmark corpus.
#![forbid(unsafe_code)]
#![allow(clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
    };
    if args.first().map(String::as_str) != Some("corpus") {
        eprintln!("usage: cargo xtask corpus --count N --out DIR [--seed S]");
        return ExitCode::from(2);
    }
    let count: usize = value("--count")
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let seed: u64 = value("--seed").and_then(|v| v.parse().ok()).unwrap_or(42);
    let Some(out) = value("--out").map(PathBuf::from) else {
        eprintln!("corpus: --out DIR is required");
        return ExitCode::from(2);
    };
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("{}: {e}", out.display());
        return ExitCode::from(2);
    }
    for (name, text) in xtask::corpus(count, seed) {
        if let Err(e) = std::fs::write(out.join(&name), text) {
            eprintln!("{name}: {e}");
            return ExitCode::from(2);
        }
    }
    eprintln!("wrote {count} manifests to {}", out.display());
    ExitCode::SUCCESS
}
