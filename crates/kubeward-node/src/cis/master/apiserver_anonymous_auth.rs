use crate::cis::prelude::*;

cis_check! {
    /// ## What it does
    /// Checks that the API server's `--anonymous-auth` is `false` (it defaults to `true`).
    ///
    /// ## Why is this bad?
    /// Anonymous requests reach the authorizer as `system:anonymous`; one careless binding then
    /// opens the API to anyone who can reach it.
    ///
    /// ## How to fix
    /// Set `--anonymous-auth=false` in `/etc/kubernetes/manifests/kube-apiserver.yaml` (health
    /// probes need an authenticated or `/livez`-only path).
    static CHECK = {
        id: "1.2.1",
        slug: "apiserver-anonymous-auth",
        title: "API server rejects anonymous requests",
        target: Master,
        automated: false,
        severity: High,
        owasp: K06,
        test: Test::Flag { component: Component::ApiServer, flag: "--anonymous-auth", default: Some("true"), expect: Expect::Is("false") },
    };
}
