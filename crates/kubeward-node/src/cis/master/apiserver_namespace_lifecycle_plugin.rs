use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that `NamespaceLifecycle` is not among `--disable-admission-plugins`.
    ///
    /// ## Why is this bad?
    /// Without it, objects can be created in namespaces that are being deleted or do not exist,
    /// escaping their cleanup.
    ///
    /// ## How to fix
    /// Remove `NamespaceLifecycle` from `--disable-admission-plugins`.
    static CHECK = {
        id: "1.2.13",
        slug: "apiserver-namespace-lifecycle-plugin",
        title: "API server keeps the NamespaceLifecycle admission plugin",
        target: Master,
        automated: true,
        severity: Medium,
        owasp: K04,
        test: Test::Flag { component: Component::ApiServer, flag: "--disable-admission-plugins", default: Some(""), expect: Expect::Excludes("NamespaceLifecycle") },
    };
}
