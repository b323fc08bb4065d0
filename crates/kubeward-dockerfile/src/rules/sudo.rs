use crate::rule::{Hit, Lint};
use crate::shell::{pipelines, program};

rule! {
    /// ## What it does
    /// Flags `sudo` in `RUN` steps.
    ///
    /// ## Why is this bad?
    /// Build steps already run as the current `USER`; `sudo` in an image
    /// means sudo is installed and configured, so any process in the
    /// container that can run it can become root.
    ///
    /// ## How to fix
    /// Switch users explicitly (`USER root` … `USER 10001`) around the steps
    /// that need root, and do not install sudo.
    static RULE = {
        id: "KW709",
        slug: "dockerfile-sudo",
        title: "sudo used in the build",
        severity: Medium,
        layer: Container,
        owasp: K01,
        references: ["hadolint DL3004"],
        check: check,
    };
}

fn check(l: &Lint<'_>, out: &mut Vec<Hit>) {
    for (i, ins) in l.each("RUN") {
        let uses = pipelines(&Lint::run_text(ins))
            .iter()
            .flatten()
            .any(|c| program(c) == "sudo");
        if uses {
            out.push(l.hit(i, "RUN uses sudo".to_owned()));
        }
    }
}
