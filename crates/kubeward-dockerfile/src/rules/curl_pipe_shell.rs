use crate::rule::{Hit, Lint};
use crate::shell::{pipelines, program, strip_prefixes};

rule! {
    /// ## What it does
    /// Flags `RUN` steps that pipe a download (`curl`, `wget`) straight into
    /// a shell or interpreter (`| sh`, `| bash`, `| python` …).
    ///
    /// ## Why is this bad?
    /// Whatever the server sends is executed as root in the build, unchecked:
    /// a compromised server, a DNS hijack or a truncated download runs
    /// arbitrary code, and the image cannot be rebuilt reproducibly.
    ///
    /// ## How to fix
    /// Download to a file, verify its pinned checksum or signature, then run it.
    static RULE = {
        id: "KW705",
        slug: "dockerfile-curl-pipe-shell",
        title: "Download piped into a shell",
        severity: High,
        layer: Container,
        owasp: K02,
        references: ["hadolint DL4006"],
        check: check,
    };
}

const FETCHERS: [&str; 2] = ["curl", "wget"];
const RUNNERS: [&str; 9] = [
    "sh", "bash", "zsh", "ash", "dash", "ksh", "python", "python3", "perl",
];

fn check(l: &Lint<'_>, out: &mut Vec<Hit>) {
    for (i, ins) in l.each("RUN") {
        for pipeline in pipelines(&Lint::run_text(ins)) {
            let programs: Vec<String> = pipeline
                .into_iter()
                .map(|c| program(&strip_prefixes(c)).to_owned())
                .collect();
            let fetch = programs.iter().position(|p| FETCHERS.contains(&p.as_str()));
            if let Some(f) = fetch
                && let Some(runner) = programs[f + 1..]
                    .iter()
                    .find(|p| RUNNERS.contains(&p.as_str()))
            {
                out.push(l.hit(i, format!("{} output is piped into {runner}", programs[f])));
            }
        }
    }
}
