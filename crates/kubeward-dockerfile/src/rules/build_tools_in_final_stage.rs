use super::install;
use crate::rule::{Hit, Lint};
use crate::shell::commands;

rule! {
    /// ## What it does
    /// Flags compilers and build tools (`gcc`, `build-essential`, `make`,
    /// `golang`, `cargo`, `maven`, JDKs …) installed in the final stage of a
    /// build: in a single-stage Dockerfile, or in the last stage of a
    /// multi-stage one, or in a stage the last one is built `FROM`.
    ///
    /// ## Why is this bad?
    /// Build tools ship to production: hundreds of megabytes of packages to
    /// patch, and a compiler at hand for anyone who breaks in.
    ///
    /// ## How to fix
    /// Build in an earlier stage and copy only the result into a slim final
    /// stage (`COPY --from=build /out/app /app`).
    static RULE = {
        id: "KW708",
        slug: "dockerfile-build-tools-in-final-stage",
        title: "Build tools installed in the final image",
        severity: Medium,
        layer: Container,
        owasp: K02,
        references: ["NIST SP 800-190 4.1.1"],
        check: check,
    };
}

const TOOLS: [&str; 18] = [
    "gcc",
    "g++",
    "clang",
    "make",
    "cmake",
    "build-essential",
    "build-base",
    "automake",
    "autoconf",
    "libtool",
    "golang",
    "go",
    "cargo",
    "rustc",
    "maven",
    "gradle",
    "gcc-c++",
    "musl-dev",
];

fn is_tool(package: &str) -> bool {
    let name = package.split(['=', ':']).next().unwrap_or(package);
    TOOLS.contains(&name)
        || (name.starts_with("openjdk-") && name.ends_with("-jdk"))
        || name.ends_with("-jdk-headless")
}

fn check(l: &Lint<'_>, out: &mut Vec<Hit>) {
    let Some(last) = l.final_stage() else { return };
    // A final stage built FROM an earlier stage ships what that one installed.
    let shipped: std::collections::HashSet<usize> = l.lineage(last).into_iter().collect();
    for (i, ins) in l.each("RUN") {
        if !ins.stage.is_some_and(|s| shipped.contains(&s)) {
            continue;
        }
        let mut found: Vec<String> = Vec::new();
        for c in commands(&Lint::run_text(ins)) {
            if let Some(inst) = install(&c)
                && matches!(inst.manager, "apt" | "apk" | "rpm")
            {
                found.extend(
                    inst.packages
                        .iter()
                        .filter(|p| is_tool(p))
                        .map(|p| (*p).to_owned()),
                );
            }
        }
        if !found.is_empty() {
            let place = if l.df.stages.len() == 1 {
                "only stage (use a multi-stage build)".to_owned()
            } else if ins.stage == Some(last) {
                "final stage".to_owned()
            } else {
                let stage = ins.stage.map(|s| &l.df.stages[s]);
                format!(
                    "stage `{}`, which the final stage is built FROM",
                    stage.and_then(|s| s.name.as_deref()).unwrap_or("?")
                )
            };
            out.push(l.hit(
                i,
                format!("build tools installed in the {place}: {}", found.join(", ")),
            ));
        }
    }
}
