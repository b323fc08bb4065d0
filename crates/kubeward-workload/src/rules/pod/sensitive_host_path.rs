use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags hostPath volumes that mount a part of the node that hands over
    /// the node: `/`, `/etc`, `/root`, `/home`, `/boot`, `/dev`, `/proc`,
    /// `/sys`, `/var/run` and `/run` (runtime sockets),
    /// `/var/lib/kubelet`, `/etc/kubernetes`, `/var/lib/etcd`,
    /// `/var/lib/docker`, `/var/lib/containerd`, `/var/log`, and container
    /// runtime sockets wherever they are (`docker.sock`, `containerd.sock`,
    /// `crio.sock`). A directory that holds one of these trees is flagged as
    /// well: `/var` and `/var/lib` hand over `/var/lib/kubelet`, `/var/run`
    /// and the rest, and the finding names what they hold. The path is
    /// normalised (`//`, `.`, `..`, trailing `/`) before it is compared, so
    /// `/var/lib/kubelet/../../` is `/var`.
    ///
    /// ## Why is this bad?
    /// The container runtime socket starts privileged containers on request;
    /// `/etc/kubernetes` and `/var/lib/kubelet` hold cluster credentials;
    /// `/`, `/etc` and `/root` allow rewriting the node's users, cron jobs and
    /// SSH keys; `/proc` and `/sys` expose the kernel's controls; a writable
    /// `/var/log` lets symlinks trick the kubelet into reading any host file.
    ///
    /// ## How to fix
    /// Do not mount these paths into workloads. Node agents that need one
    /// should mount the narrowest file read-only, run in a dedicated
    /// namespace, and carry a documented exception.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: config
    ///     configMap:
    ///       name: app-config
    /// ```
    static RULE = {
        id: "KW114",
        slug: "sensitive-host-path",
        title: "Pod mounts a sensitive host path",
        severity: Critical,
        layer: Cluster,
        owasp: K01,
        references: ["CIS Kubernetes 1.12 5.2.11"],
        check: Check::Pod(check),
    };
}

/// Directories that are sensitive along with everything below them.
const SENSITIVE_TREES: [&str; 16] = [
    "/etc",
    "/root",
    "/home",
    "/boot",
    "/dev",
    "/proc",
    "/sys",
    "/var/run",
    "/run",
    "/var/lib/kubelet",
    "/etc/kubernetes",
    "/var/lib/etcd",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/lib/crio",
    "/var/log",
];

const RUNTIME_SOCKETS: [&str; 3] = ["docker.sock", "containerd.sock", "crio.sock"];

fn check(pod: &Pod<'_>, emit: &mut Emit<'_>) {
    for (i, volume) in pod.volumes() {
        let Some(path_node) = volume.lookup(&["hostPath", "path"]) else {
            continue;
        };
        let Some(raw) = path_node.as_str() else {
            continue;
        };
        let path = kubeward_core::path::lexical_absolute(raw);
        if let Some(why) = exposure(&path) {
            let name = volume.field("name").and_then(Node::as_str).unwrap_or("");
            emit.at(
                path_node.pos,
                pod.path(&format!("volumes[{i}].hostPath.path")),
                format!("volume \"{name}\" mounts {raw:?}, {why}"),
            );
        }
    }
}

/// What mounting `path` (normalised) hands over, if it is sensitive.
fn exposure(path: &str) -> Option<String> {
    let below = |dir: &str, tree: &str| {
        dir.strip_prefix(tree)
            .is_some_and(|rest| rest.starts_with('/'))
    };
    if path == "/" {
        return Some("the node's whole filesystem".to_owned());
    }
    if RUNTIME_SOCKETS
        .iter()
        .any(|s| path.ends_with(&format!("/{s}")))
    {
        return Some("a container runtime socket".to_owned());
    }
    if SENSITIVE_TREES.iter().any(|t| path == *t || below(path, t)) {
        return Some("a sensitive node directory".to_owned());
    }
    let held: Vec<&str> = SENSITIVE_TREES
        .iter()
        .copied()
        .filter(|t| below(t, path))
        .collect();
    (!held.is_empty()).then(|| format!("a directory that holds {}", held.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::exposure;

    #[test]
    fn trees_and_what_is_below_them() {
        assert_eq!(
            exposure("/").as_deref(),
            Some("the node's whole filesystem")
        );
        for path in ["/etc", "/var/lib/etcd", "/var/lib/kubelet/pods", "/run"] {
            assert_eq!(
                exposure(path).as_deref(),
                Some("a sensitive node directory"),
                "{path}"
            );
        }
        assert_eq!(
            exposure("/opt/docker.sock").as_deref(),
            Some("a container runtime socket")
        );
        for path in [
            "/opt",
            "/data",
            "/var/lib/app",
            "/variable",
            "/var/lib/kubelets",
        ] {
            assert_eq!(exposure(path), None, "{path}");
        }
    }

    #[test]
    fn ancestors_of_sensitive_trees_name_what_they_hold() {
        assert_eq!(
            exposure("/var/lib").as_deref(),
            Some(
                "a directory that holds /var/lib/kubelet, /var/lib/etcd, /var/lib/docker, \
                 /var/lib/containerd, /var/lib/crio"
            )
        );
        let var = exposure("/var").unwrap_or_default();
        for tree in ["/var/run", "/var/lib/kubelet", "/var/lib/etcd", "/var/log"] {
            assert!(var.contains(tree), "{var}");
        }
    }
}
