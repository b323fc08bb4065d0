use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags volumes with a `hostPath` source. Paths that are dangerous in
    /// themselves are also reported by `sensitive-host-path`.
    ///
    /// ## Why is this bad?
    /// A hostPath volume gives the pod a piece of the node's filesystem. Even
    /// a harmless-looking path can be a way out: symlinks placed in it are
    /// followed by node agents, and a writable mount lets the pod plant files
    /// that the node later trusts.
    ///
    /// ## How to fix
    /// Use `emptyDir`, a ConfigMap, a Secret or a PersistentVolumeClaim. If
    /// host access is truly needed, mount it `readOnly` and document the
    /// exception.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: cache
    ///     emptyDir: {}
    /// ```
    static RULE = {
        id: "KW113",
        slug: "host-path-volume",
        title: "Pod mounts a host path",
        severity: Medium,
        layer: Cluster,
        owasp: K01,
        references: ["CIS Kubernetes 1.12 5.2.11", "PSS baseline: hostPathVolumes"],
        check: Check::Pod(check),
    };
}

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    for (i, volume) in pod.volumes() {
        if let Some(host_path) = volume.field("hostPath") {
            let path = host_path.field("path").and_then(Node::as_str).unwrap_or("");
            let name = volume.field("name").and_then(Node::as_str).unwrap_or("");
            emit.at(
                host_path.pos,
                pod.path(&format!("volumes[{i}].hostPath")),
                format!("volume \"{name}\" mounts host path {path:?}"),
            );
        }
    }
}
