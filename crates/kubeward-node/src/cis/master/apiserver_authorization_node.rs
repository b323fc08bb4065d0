use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `--authorization-mode` includes the `Node` authorizer.
    ///
    /// ## Why is this bad?
    /// The Node authorizer limits each kubelet to the objects of its own pods; without it a
    /// compromised node can read every Secret.
    ///
    /// ## How to fix
    /// Set `--authorization-mode=Node,RBAC`.
    static CHECK = {
        id: "1.2.7",
        slug: "apiserver-authorization-node",
        title: "API server authorization includes Node",
        target: Master,
        automated: true,
        severity: High,
        owasp: K03,
        test: Test::Flag { component: Component::ApiServer, flag: "--authorization-mode", default: Some("AlwaysAllow"), expect: Expect::Includes("Node") },
    };
}
