//! CIS 2.7: etcd trusts a CA of its own.

use kubeward_core::benchmark::Evidence;

use super::{Expect, Outcome, flag_outcome};
use crate::facts::{Component, NodeFacts};

/// etcd's `--trusted-ca-file` is set and differs from the API server's
/// `--client-ca-file`.
pub(crate) fn unique(facts: &NodeFacts) -> Outcome {
    let set = flag_outcome(
        facts,
        Component::Etcd,
        "--trusted-ca-file",
        None,
        &Expect::Present,
    );
    if set.passed != Some(true) {
        return set;
    }
    let value = |c: Component, f: &str| {
        facts
            .command(c)
            .and_then(|cmd| cmd.get(f))
            .and_then(|f| f.value.clone())
    };
    let etcd_ca = value(Component::Etcd, "--trusted-ca-file");
    let cluster_ca = value(Component::ApiServer, "--client-ca-file");
    let mut evidence = set.evidence;
    if etcd_ca.is_some() && etcd_ca == cluster_ca {
        evidence.push(
            Evidence::note("etcd trusts the same CA as the API server's clients")
                .setting("--client-ca-file", cluster_ca),
        );
        return Outcome::fail(evidence);
    }
    Outcome::pass(evidence)
}
