use crate::rule::{Hit, Lint};

rule! {
    /// ## What it does
    /// Notes a final stage without a `HEALTHCHECK` (`HEALTHCHECK NONE` counts
    /// as a deliberate choice).
    ///
    /// ## Why is this bad?
    /// Outside Kubernetes (Docker, Compose, Swarm) nothing tells a hung
    /// process from a healthy one. In Kubernetes the probes in the pod spec
    /// do this job, so this is information only.
    ///
    /// ## How to fix
    /// Add `HEALTHCHECK CMD …`, or `HEALTHCHECK NONE` when the image only
    /// ever runs under Kubernetes probes.
    static RULE = {
        id: "KW712",
        slug: "dockerfile-missing-healthcheck",
        title: "No HEALTHCHECK in the final stage",
        severity: Info,
        layer: Container,
        owasp: K05,
        references: ["CIS Docker 4.6"],
        check: check,
    };
}

fn check(l: &Lint<'_>, out: &mut Vec<Hit>) {
    let Some(last) = l.final_stage() else { return };
    if l.each("HEALTHCHECK").any(|(_, i)| i.stage == Some(last)) {
        return;
    }
    out.push(l.hit(
        l.df.stages[last].from,
        "the final stage has no HEALTHCHECK".to_owned(),
    ));
}
