use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the `NodeRestriction` admission plugin is enabled.
    ///
    /// ## Why is this bad?
    /// It stops a kubelet from changing other nodes and pods not bound to it; without it one
    /// compromised node can take over others.
    ///
    /// ## How to fix
    /// Add `NodeRestriction` to `--enable-admission-plugins`.
    static CHECK = {
        id: "1.2.14",
        slug: "apiserver-node-restriction",
        title: "API server enables NodeRestriction",
        target: Master,
        automated: true,
        severity: High,
        owasp: K04,
        test: Test::Flag { component: Component::ApiServer, flag: "--enable-admission-plugins", default: None, expect: Expect::Includes("NodeRestriction") },
    };
}
