//! A kubeconfig for an issued client certificate, with the CA, certificate
//! and key embedded (as `kubeadm kubeconfig user` writes them).

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::PkiError;

/// The kubeconfig text for `DIR/NAME.{crt,key}` talking to `server`.
pub fn kubeconfig(dir: &Path, name: &str, server: &str, cluster: &str) -> Result<String, PkiError> {
    if !(server.starts_with("https://")) {
        return Err(PkiError::Usage(format!(
            "server `{server}` must be an https:// URL"
        )));
    }
    let read = |file: &str| crate::read_small(&dir.join(file));
    let ca = read("ca.crt")?;
    let cert = read(&format!("{name}.crt"))?;
    let key = read(&format!("{name}.key"))?;
    let facts = crate::inspect::with_certificate(&cert, crate::inspect::inspect)
        .map_err(|e| PkiError::invalid(dir.join(format!("{name}.crt")), e))?;
    if !facts.is_client() {
        // The API server would refuse it: a kubeconfig that cannot log in.
        return Err(PkiError::Usage(format!(
            "{name}.crt is not a client certificate (its extended key usage lacks clientAuth)"
        )));
    }
    let user = facts.user;
    let context = format!("{user}@{cluster}");
    let q = |s: &str| format!("{s:?}");
    Ok(format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: {cluster_q}\n  cluster:\n    server: {server_q}\n    certificate-authority-data: {ca}\ncontexts:\n- name: {context_q}\n  context:\n    cluster: {cluster_q}\n    user: {user_q}\ncurrent-context: {context_q}\nusers:\n- name: {user_q}\n  user:\n    client-certificate-data: {cert}\n    client-key-data: {key}\n",
        cluster_q = q(cluster),
        server_q = q(server),
        context_q = q(&context),
        user_q = q(&user),
        ca = STANDARD.encode(ca),
        cert = STANDARD.encode(cert),
        key = STANDARD.encode(key),
    ))
}
