use crate::host::prelude::*;

host_check! {
    /// ## What it does
    /// Reads `/proc/modules` and reports any of the unneeded modules (see `unneeded-modules-
    /// disabled`) that is loaded now.
    ///
    /// ## Why is this bad?
    /// A loaded module is reachable attack surface, whatever the configuration says for the
    /// next boot.
    ///
    /// ## How to fix
    /// Unload it (`modprobe -r NAME`) after disabling it in `modprobe.d`.
    static CHECK = {
        id: "KH302",
        slug: "unneeded-modules-loaded",
        title: "Unneeded kernel modules are not loaded",
        severity: High,
        layer: Cluster,
        owasp: K09,
        references: [],
        check: check,
    };
}

fn check(facts: &HostFacts) -> Outcome {
    let text = match facts.root.read_existing("/proc/modules") {
        Ok(Some(text)) => text,
        Ok(None) => {
            return Outcome::undecided(vec![Evidence::note(
                "/proc/modules is absent (a kernel without loadable modules, or no /proc): nothing to check",
            )]);
        }
        Err(e) => return Outcome::undecided(vec![e.evidence()]),
    };
    let loaded: Vec<Evidence> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|m| {
            super::UNNEEDED_MODULES
                .iter()
                .any(|u| u.replace('-', "_") == *m)
        })
        .map(|m| Evidence::note(format!("{m} is loaded")).in_file("/proc/modules"))
        .collect();
    if loaded.is_empty() {
        Outcome::pass(vec![
            Evidence::note("none of them is loaded").in_file("/proc/modules"),
        ])
    } else {
        Outcome::fail(loaded)
    }
}
