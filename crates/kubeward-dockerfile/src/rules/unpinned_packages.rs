use super::install;
use crate::rule::{Hit, Lint};
use crate::shell::commands;

rule! {
    /// ## What it does
    /// Flags package installs without versions: `apt-get install curl`
    /// (not `curl=7.88.1-10+deb12u5`), `apk add curl` (not `curl=8.5.0-r0`),
    /// `pip install flask` (not `flask==3.0.0`), `npm install -g x` (not
    /// `x@1.2.3`), `gem install x` (without `-v`).
    ///
    /// ## Why is this bad?
    /// Each build installs whatever is newest that day: builds are not
    /// reproducible, and a scanned image says nothing about the next build.
    ///
    /// ## How to fix
    /// Pin versions (or install from a lockfile: `pip install -r
    /// requirements.txt` with hashes, `npm ci`).
    static RULE = {
        id: "KW706",
        slug: "dockerfile-unpinned-packages",
        title: "Package installed without a pinned version",
        severity: Low,
        layer: Container,
        owasp: K02,
        references: ["hadolint DL3008", "hadolint DL3018", "hadolint DL3013"],
        check: check,
    };
}

fn pinned(manager: &str, package: &str, command: &[String]) -> bool {
    match manager {
        "apt" | "apk" => {
            package.contains('=') || package.ends_with(".deb") || package.contains('/')
        }
        "pip" => {
            package.contains("==")
                || package.contains('/')
                || package.starts_with('.')
                || package.contains("@")
        }
        "npm" => package
            .rsplit_once('@')
            .is_some_and(|(name, _)| !name.is_empty()),
        "gem" => command
            .iter()
            .any(|w| w == "-v" || w == "--version" || w.starts_with("--version=")),
        _ => true, // rpm versions cannot be told from names
    }
}

fn check(l: &Lint<'_>, out: &mut Vec<Hit>) {
    for (i, ins) in l.each("RUN") {
        for c in commands(&Lint::run_text(ins)) {
            let Some(inst) = install(&c) else { continue };
            let loose: Vec<&str> = inst
                .packages
                .iter()
                .copied()
                .filter(|p| !pinned(inst.manager, p, inst.command))
                .collect();
            if !loose.is_empty() {
                out.push(l.hit(
                    i,
                    format!(
                        "{} installs without pinned versions: {}",
                        inst.manager,
                        loose.join(", ")
                    ),
                ));
            }
        }
    }
}
