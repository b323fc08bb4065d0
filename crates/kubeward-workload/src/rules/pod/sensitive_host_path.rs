use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags hostPath volumes that mount a part of the node that hands over
    /// the node: `/`, `/etc`, `/root`, `/home`, `/boot`, `/dev`, `/proc`,
    /// `/sys`, `/var/run` and `/run` (runtime sockets),
    /// `/var/lib/kubelet`, `/etc/kubernetes`, `/var/lib/etcd`,
    /// `/var/lib/docker`, `/var/lib/containerd`, `/var/log`, and container
    /// runtime sockets wherever they are (`docker.sock`, `containerd.sock`,
    /// `crio.sock`). The path is normalised (`//`, `.`, `..`, trailing `/`)
    /// before it is compared.
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
        let why = if path == "/" {
            Some("the node's whole filesystem")
        } else if RUNTIME_SOCKETS
            .iter()
            .any(|s| path.ends_with(&format!("/{s}")))
        {
            Some("a container runtime socket")
        } else if SENSITIVE_TREES.iter().any(|t| {
            path == *t
                || path
                    .strip_prefix(t)
                    .is_some_and(|rest| rest.starts_with('/'))
        }) {
            Some("a sensitive node directory")
        } else {
            None
        };
        if let Some(why) = why {
            let name = volume.field("name").and_then(Node::as_str).unwrap_or("");
            emit.at(
                path_node.pos,
                pod.path(&format!("volumes[{i}].hostPath.path")),
                format!("volume \"{name}\" mounts {raw:?}, {why}"),
            );
        }
    }
}
