//! Node trees for tests: a kubeadm control plane and a kubeadm worker, each
//! hardened or not, written into a temp dir with real modes and owners (the
//! tests run as root; the trees carry their own `/etc/passwd`).
// Helpers outside #[test] functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]
#![allow(dead_code)]

use std::fs;
use std::os::unix::fs::{PermissionsExt, chown};
use std::path::{Path, PathBuf};

pub(crate) const ETCD_UID: u32 = 102;
pub(crate) const ADMIN_UID: u32 = 1000;

pub(crate) struct Tree {
    pub(crate) dir: tempfile::TempDir,
}

impl Tree {
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn write(&self, path: &str, mode: u32, owner: (u32, u32), text: &str) -> PathBuf {
        let real = self.dir.path().join(path.trim_start_matches('/'));
        fs::create_dir_all(real.parent().unwrap()).unwrap();
        fs::write(&real, text).unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(mode)).unwrap();
        chown(&real, Some(owner.0), Some(owner.1)).unwrap();
        real
    }

    pub(crate) fn dir(&self, path: &str, mode: u32, owner: (u32, u32)) {
        let real = self.dir.path().join(path.trim_start_matches('/'));
        fs::create_dir_all(&real).unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(mode)).unwrap();
        chown(&real, Some(owner.0), Some(owner.1)).unwrap();
    }

    fn empty() -> Self {
        let tree = Tree {
            dir: tempfile::tempdir().unwrap(),
        };
        tree.write(
            "/etc/passwd",
            0o644,
            ROOT,
            "root:x:0:0:root:/root:/bin/bash\netcd:x:102:105::/var/lib/etcd:/usr/sbin/nologin\nadmin:x:1000:1000::/home/admin:/bin/bash\n",
        );
        tree.write(
            "/etc/group",
            0o644,
            ROOT,
            "root:x:0:\netcd:x:105:\nadmin:x:1000:\n",
        );
        tree
    }

    /// A kubeadm control-plane node (which also runs a kubelet).
    pub(crate) fn control_plane(hardened: bool) -> Self {
        let t = Tree::empty();
        let (file, owner, key) = if hardened {
            (0o600, ROOT, 0o600)
        } else {
            (0o644, ADMIN, 0o644)
        };
        t.write(
            "/etc/kubernetes/manifests/kube-apiserver.yaml",
            file,
            owner,
            &static_pod("kube-apiserver", &apiserver_flags(hardened)),
        );
        t.write(
            "/etc/kubernetes/manifests/kube-controller-manager.yaml",
            file,
            owner,
            &static_pod(
                "kube-controller-manager",
                &controller_manager_flags(hardened),
            ),
        );
        t.write(
            "/etc/kubernetes/manifests/kube-scheduler.yaml",
            file,
            owner,
            &static_pod("kube-scheduler", &scheduler_flags(hardened)),
        );
        t.write(
            "/etc/kubernetes/manifests/etcd.yaml",
            file,
            owner,
            &static_pod("etcd", &etcd_flags(hardened)),
        );
        let etcd_owner = if hardened { (ETCD_UID, 105) } else { ROOT };
        t.dir(
            "/var/lib/etcd",
            if hardened { 0o700 } else { 0o755 },
            etcd_owner,
        );
        t.write(
            "/var/lib/etcd/member/snap/db",
            0o600,
            etcd_owner,
            "etcd data\n",
        );
        for conf in [
            "admin.conf",
            "super-admin.conf",
            "scheduler.conf",
            "controller-manager.conf",
        ] {
            t.write(
                &format!("/etc/kubernetes/{conf}"),
                file,
                owner,
                "apiVersion: v1\nkind: Config\n",
            );
        }
        t.dir("/etc/kubernetes/pki", 0o755, ROOT);
        t.dir("/etc/kubernetes/pki/etcd", 0o755, ROOT);
        for cert in [
            "ca",
            "apiserver",
            "apiserver-kubelet-client",
            "apiserver-etcd-client",
            "front-proxy-ca",
            "front-proxy-client",
            "etcd/ca",
            "etcd/server",
            "etcd/peer",
            "etcd/healthcheck-client",
        ] {
            t.write(
                &format!("/etc/kubernetes/pki/{cert}.crt"),
                0o644,
                owner,
                "certificate\n",
            );
            t.write(
                &format!("/etc/kubernetes/pki/{cert}.key"),
                key,
                owner,
                "key\n",
            );
        }
        t.write("/etc/kubernetes/pki/sa.key", key, owner, "key\n");
        t.write("/etc/kubernetes/pki/sa.pub", 0o644, ROOT, "public key\n");
        let first = if hardened { "aescbc" } else { "identity" };
        let second = if hardened { "identity" } else { "aescbc" };
        t.write(
            "/etc/kubernetes/enc/encryption.yaml",
            0o600,
            ROOT,
            &format!(
                "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources:\n      - secrets\n    providers:\n      - {first}:\n          keys:\n            - name: key1\n              secret: c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/Cg==\n      - {second}: {{}}\n"
            ),
        );
        t.write(
            "/etc/kubernetes/audit-policy.yaml",
            0o600,
            ROOT,
            "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n",
        );
        t.write(
            "/etc/cni/net.d/10-bridge.conflist",
            file,
            owner,
            "{\"cniVersion\": \"1.0.0\", \"name\": \"bridge\", \"plugins\": []}\n",
        );
        t.write(
            "/var/lib/cni/networks/bridge/10.85.0.2",
            file,
            owner,
            "container-id\n",
        );
        t.kubelet(hardened);
        t
    }

    /// A running process: `/proc/PID/cmdline`.
    pub(crate) fn process(&self, pid: u32, args: &[&str]) {
        let mut cmdline = args.join("\0");
        cmdline.push('\0');
        self.write(&format!("/proc/{pid}/cmdline"), 0o444, ROOT, &cmdline);
    }

    /// A kubeadm worker node.
    pub(crate) fn worker(hardened: bool) -> Self {
        let t = Tree::empty();
        t.dir("/etc/kubernetes/pki", 0o755, ROOT);
        let owner = if hardened { ROOT } else { ADMIN };
        t.write(
            "/etc/kubernetes/pki/ca.crt",
            if hardened { 0o644 } else { 0o666 },
            owner,
            "certificate\n",
        );
        t.kubelet(hardened);
        t
    }

    fn kubelet(&self, hardened: bool) {
        let metrics = if hardened {
            "127.0.0.1:10249"
        } else {
            "0.0.0.0:10249"
        };
        self.process(
            4242,
            &[
                "/usr/local/bin/kube-proxy",
                "--config=/var/lib/kube-proxy/config.conf",
                "--hostname-override=node-1",
                &format!("--metrics-bind-address={metrics}"),
            ],
        );
        let (file, owner) = if hardened {
            (0o600, ROOT)
        } else {
            (0o644, ADMIN)
        };
        self.write(
            "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
            file,
            owner,
            "[Service]\nEnvironment=\"KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf\"\nEnvironment=\"KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml\"\nEnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env\nEnvironmentFile=-/etc/default/kubelet\nExecStart=\nExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS\n",
        );
        self.write(
            "/lib/systemd/system/kubelet.service",
            0o644,
            ROOT,
            "[Service]\nExecStart=/usr/bin/kubelet\n",
        );
        self.write(
            "/var/lib/kubelet/kubeadm-flags.env",
            0o644,
            ROOT,
            "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10\"\n",
        );
        let extra = if hardened {
            ""
        } else {
            "--hostname-override=node-1 --read-only-port=10255"
        };
        self.write(
            "/etc/default/kubelet",
            0o644,
            ROOT,
            &format!("KUBELET_EXTRA_ARGS=\"{extra}\"\n"),
        );
        self.write(
            "/etc/kubernetes/kubelet.conf",
            file,
            owner,
            "apiVersion: v1\nkind: Config\n",
        );
        let config = if hardened {
            "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: false\n  webhook:\n    enabled: true\n  x509:\n    clientCAFile: /etc/kubernetes/pki/ca.crt\nauthorization:\n  mode: Webhook\nreadOnlyPort: 0\nstreamingConnectionIdleTimeout: 5m0s\nmakeIPTablesUtilChains: true\neventRecordQPS: 50\ntlsCertFile: /var/lib/kubelet/pki/kubelet.crt\ntlsPrivateKeyFile: /var/lib/kubelet/pki/kubelet.key\nrotateCertificates: true\nfeatureGates:\n  RotateKubeletServerCertificate: true\ntlsCipherSuites:\n  - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\n  - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\npodPidsLimit: 4096\nseccompDefault: true\nprotectKernelDefaults: true\n"
        } else {
            "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true\n  webhook:\n    enabled: false\nauthorization:\n  mode: AlwaysAllow\nstreamingConnectionIdleTimeout: 0s\nmakeIPTablesUtilChains: false\neventRecordQPS: -1\nrotateCertificates: false\nfeatureGates:\n  RotateKubeletServerCertificate: false\ntlsCipherSuites:\n  - TLS_RSA_WITH_AES_128_CBC_SHA\n"
        };
        self.write("/var/lib/kubelet/config.yaml", file, owner, config);
    }
}

pub(crate) const ROOT: (u32, u32) = (0, 0);

/// `id:S` (first letter of the status) for every result, in order.
pub(crate) fn statuses(report: &kubeward_core::benchmark::BenchmarkReport) -> String {
    report
        .results
        .iter()
        .map(|r| format!("{}:{}", r.id, &r.status.as_str()[..1]))
        .collect::<Vec<_>>()
        .join(" ")
}
pub(crate) const ADMIN: (u32, u32) = (ADMIN_UID, ADMIN_UID);

fn static_pod(name: &str, flags: &[String]) -> String {
    let mut s = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: kube-system\nspec:\n  hostNetwork: true\n  containers:\n  - name: {name}\n    image: registry.k8s.io/{name}:v1.33.0\n    command:\n    - {name}\n"
    );
    for f in flags {
        s.push_str(&format!("    - {f}\n"));
    }
    s
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn apiserver_flags(hardened: bool) -> Vec<String> {
    let mut f = strings(&[
        "--advertise-address=10.0.0.10",
        "--allow-privileged=true",
        "--client-ca-file=/etc/kubernetes/pki/ca.crt",
        "--enable-bootstrap-token-auth=true",
        "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt",
        "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
        "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key",
        "--etcd-servers=https://127.0.0.1:2379",
        "--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt",
        "--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key",
        "--secure-port=6443",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=/etc/kubernetes/pki/sa.pub",
        "--service-account-signing-key-file=/etc/kubernetes/pki/sa.key",
        "--service-cluster-ip-range=10.96.0.0/12",
        "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
        "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
        "--encryption-provider-config=/etc/kubernetes/enc/encryption.yaml",
    ]);
    if hardened {
        f.extend(strings(&[
            "--anonymous-auth=false",
            "--authorization-mode=Node,RBAC",
            "--enable-admission-plugins=NodeRestriction,EventRateLimit,AlwaysPullImages,DenyServiceExternalIPs",
            "--admission-control-config-file=/etc/kubernetes/admission.yaml",
            "--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt",
            "--profiling=false",
            "--audit-log-path=/var/log/kubernetes/audit/audit.log",
            "--audit-log-maxage=30",
            "--audit-log-maxbackup=10",
            "--audit-log-maxsize=100",
            "--audit-policy-file=/etc/kubernetes/audit-policy.yaml",
            "--request-timeout=60s",
            "--service-account-lookup=true",
            "--service-account-extend-token-expiration=false",
            "--tls-cipher-suites=TLS_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        ]));
    } else {
        f.extend(strings(&[
            "--anonymous-auth=true",
            "--authorization-mode=AlwaysAllow",
            "--enable-admission-plugins=AlwaysAdmit",
            "--disable-admission-plugins=ServiceAccount,NamespaceLifecycle",
            "--token-auth-file=/etc/kubernetes/tokens.csv",
            "--profiling=true",
            "--audit-log-maxage=7",
            "--service-account-lookup=false",
            "--tls-cipher-suites=TLS_RSA_WITH_AES_128_CBC_SHA,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        ]));
    }
    f
}

fn controller_manager_flags(hardened: bool) -> Vec<String> {
    let mut f = strings(&[
        "--kubeconfig=/etc/kubernetes/controller-manager.conf",
        "--root-ca-file=/etc/kubernetes/pki/ca.crt",
        "--service-account-private-key-file=/etc/kubernetes/pki/sa.key",
    ]);
    if hardened {
        f.extend(strings(&[
            "--bind-address=127.0.0.1",
            "--profiling=false",
            "--use-service-account-credentials=true",
            "--terminated-pod-gc-threshold=10",
            "--feature-gates=RotateKubeletServerCertificate=true",
        ]));
    } else {
        f.extend(strings(&[
            "--bind-address=0.0.0.0",
            "--use-service-account-credentials=false",
            "--feature-gates=RotateKubeletServerCertificate=false",
        ]));
    }
    f
}

fn scheduler_flags(hardened: bool) -> Vec<String> {
    let mut f = strings(&["--kubeconfig=/etc/kubernetes/scheduler.conf"]);
    if hardened {
        f.extend(strings(&["--bind-address=127.0.0.1", "--profiling=false"]));
    } else {
        f.extend(strings(&["--bind-address=0.0.0.0"]));
    }
    f
}

fn etcd_flags(hardened: bool) -> Vec<String> {
    let mut f = strings(&[
        "--data-dir=/var/lib/etcd",
        "--listen-client-urls=https://127.0.0.1:2379",
    ]);
    if hardened {
        f.extend(strings(&[
            "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
            "--key-file=/etc/kubernetes/pki/etcd/server.key",
            "--client-cert-auth=true",
            "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt",
            "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key",
            "--peer-client-cert-auth=true",
            "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
            "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
        ]));
    } else {
        f.extend(strings(&["--auto-tls=true", "--peer-auto-tls=true"]));
    }
    f
}
