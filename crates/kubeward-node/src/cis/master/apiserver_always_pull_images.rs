use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the `AlwaysPullImages` admission plugin is enabled.
    ///
    /// ## Why is this bad?
    /// Without it, a pod can run a private image already cached on its node without having the
    /// credentials to pull it.
    ///
    /// ## How to fix
    /// Add `AlwaysPullImages` to `--enable-admission-plugins` (weigh the registry load).
    static CHECK = {
        id: "1.2.11",
        slug: "apiserver-always-pull-images",
        title: "API server forces image pulls",
        target: Master,
        automated: false,
        severity: Medium,
        owasp: K02,
        test: Test::Flag { component: Component::ApiServer, flag: "--enable-admission-plugins", default: None, expect: Expect::Includes("AlwaysPullImages") },
    };
}
