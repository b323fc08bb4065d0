//! Project automation. The corpus generator writes realistic Kubernetes
//! manifests (Deployments, StatefulSets, CronJobs, Pods, Services, Ingresses,
//! Roles, RoleBindings, NetworkPolicies, ConfigMaps, ServiceAccounts) with
//! varied security settings, deterministic for a seed, for benchmarks.
#![forbid(unsafe_code)]

/// A small deterministic generator (xorshift64*): benchmarks need the same
/// corpus on every machine, not statistical quality.
#[derive(Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[usize::try_from(self.below(items.len() as u64)).unwrap_or(0)]
    }
}

const NAMESPACES: &[&str] = &[
    "shop",
    "payments",
    "search",
    "default",
    "monitoring",
    "batch",
];
const IMAGES: &[&str] = &[
    "nginx:1.27",
    "nginx:latest",
    "ghcr.io/acme/api:2.3.1",
    "ghcr.io/acme/api:2.3.1@sha256:6f1c5d0c2b8e4a7f9d3e1b2c4a6f8e0d2c4b6a8f0e2d4c6b8a0f2e4d6c8b0a2f",
    "redis",
    "registry.k8s.io/pause:3.9",
    "docker.io/bitnami/postgresql:16.2.0",
    "quay.io/prometheus/node-exporter:v1.8.1",
];

/// One manifest file of the corpus: (file name, text).
pub fn manifest(index: usize, rng: &mut Rng) -> (String, String) {
    let ns = rng.pick(NAMESPACES);
    let name = format!("app-{index}");
    let text = match rng.below(10) {
        0..=3 => format!(
            "{}---\n{}",
            workload("apps/v1", "Deployment", &name, ns, rng),
            service(&name, ns, rng)
        ),
        4 => workload("apps/v1", "StatefulSet", &name, ns, rng),
        5 => workload("batch/v1", "CronJob", &name, ns, rng),
        6 => workload("v1", "Pod", &name, ns, rng),
        7 => rbac(&name, ns, rng),
        8 => network_policy(&name, ns, rng),
        _ => config(&name, ns, rng),
    };
    (format!("{index:05}-{name}.yaml"), text)
}

/// The whole corpus, in memory.
pub fn corpus(count: usize, seed: u64) -> Vec<(String, String)> {
    let mut rng = Rng::new(seed);
    (0..count).map(|i| manifest(i, &mut rng)).collect()
}

fn security_context(rng: &mut Rng, indent: &str) -> String {
    let mut lines = Vec::new();
    if rng.chance(60) {
        lines.push(format!("allowPrivilegeEscalation: {}", !rng.chance(85)));
    }
    if rng.chance(50) {
        lines.push(format!("readOnlyRootFilesystem: {}", rng.chance(80)));
    }
    if rng.chance(10) {
        lines.push("privileged: true".to_owned());
    }
    if rng.chance(40) {
        lines.push("runAsNonRoot: true".to_owned());
    }
    if rng.chance(15) {
        lines.push(format!(
            "runAsUser: {}",
            rng.pick(&["0", "1000", "65534", "10001"])
        ));
    }
    if rng.chance(55) {
        lines.push("capabilities:".to_owned());
        lines.push("  drop: [\"ALL\"]".to_owned());
        if rng.chance(20) {
            lines.push(format!(
                "  add: [\"{}\"]",
                rng.pick(&["NET_BIND_SERVICE", "NET_ADMIN", "SYS_ADMIN", "NET_RAW"])
            ));
        }
    }
    if rng.chance(30) {
        lines.push(format!(
            "seccompProfile: {{type: {}}}",
            rng.pick(&["RuntimeDefault", "RuntimeDefault", "Unconfined"])
        ));
    }
    if lines.is_empty() {
        return String::new();
    }
    let body: String = lines.iter().map(|l| format!("{indent}  {l}\n")).collect();
    format!("{indent}securityContext:\n{body}")
}

fn container(name: &str, rng: &mut Rng, indent: &str) -> String {
    let mut c = format!(
        "{indent}- name: {name}\n{indent}  image: {}\n",
        rng.pick(IMAGES)
    );
    c.push_str(&format!(
        "{indent}  ports:\n{indent}  - containerPort: {}\n",
        8000 + rng.below(100)
    ));
    if rng.chance(5) {
        c.push_str(&format!("{indent}    hostPort: {}\n", 80 + rng.below(10)));
    }
    if rng.chance(70) {
        c.push_str(&format!(
            "{indent}  resources:\n{indent}    requests: {{cpu: {}m, memory: {}Mi}}\n",
            50 + rng.below(400),
            64 + rng.below(512)
        ));
        if rng.chance(60) {
            c.push_str(&format!(
                "{indent}    limits: {{cpu: \"1\", memory: {}Mi}}\n",
                256 + rng.below(1024)
            ));
        }
    }
    c.push_str(&format!(
        "{indent}  env:\n{indent}  - name: LOG_LEVEL\n{indent}    value: info\n"
    ));
    if rng.chance(10) {
        c.push_str(&format!(
            "{indent}  - name: DB_PASSWORD\n{indent}    value: hunter2-{}\n",
            rng.below(1000)
        ));
    }
    if rng.chance(25) {
        c.push_str(&format!(
            "{indent}  - name: API_KEY\n{indent}    valueFrom:\n{indent}      secretKeyRef: {{name: {name}-secrets, key: api-key}}\n"
        ));
    }
    c.push_str(&format!(
        "{indent}  readinessProbe:\n{indent}    httpGet: {{path: /healthz, port: 8080}}\n{indent}  volumeMounts:\n{indent}  - {{name: tmp, mountPath: /tmp}}\n"
    ));
    c.push_str(&security_context(rng, &format!("{indent}  ")));
    c
}

fn pod_spec(name: &str, rng: &mut Rng, indent: &str) -> String {
    let mut s = String::new();
    if rng.chance(50) {
        s.push_str(&format!("{indent}serviceAccountName: {name}\n"));
    }
    if rng.chance(40) {
        s.push_str(&format!("{indent}automountServiceAccountToken: false\n"));
    }
    for key in ["hostNetwork", "hostPID", "hostIPC"] {
        if rng.chance(4) {
            s.push_str(&format!("{indent}{key}: true\n"));
        }
    }
    if rng.chance(50) {
        s.push_str(&format!(
            "{indent}securityContext:\n{indent}  runAsNonRoot: true\n{indent}  runAsUser: {}\n{indent}  fsGroup: 2000\n{indent}  seccompProfile: {{type: RuntimeDefault}}\n",
            1000 + rng.below(60000)
        ));
    }
    if rng.chance(30) {
        s.push_str(&format!(
            "{indent}initContainers:\n{}",
            container("init", rng, indent)
        ));
    }
    s.push_str(&format!(
        "{indent}containers:\n{}",
        container(name, rng, indent)
    ));
    if rng.chance(30) {
        s.push_str(&container("sidecar", rng, indent));
    }
    s.push_str(&format!(
        "{indent}volumes:\n{indent}- name: tmp\n{indent}  emptyDir: {{}}\n"
    ));
    if rng.chance(6) {
        let path = rng.pick(&["/var/run/docker.sock", "/var/log", "/data", "/etc"]);
        s.push_str(&format!(
            "{indent}- name: host\n{indent}  hostPath: {{path: {path}}}\n"
        ));
    }
    s
}

fn workload(api: &str, kind: &str, name: &str, ns: &str, rng: &mut Rng) -> String {
    let head = format!(
        "apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: {ns}\n  labels:\n    app.kubernetes.io/name: {name}\n    app.kubernetes.io/part-of: corpus\n"
    );
    match kind {
        "Pod" => format!("{head}spec:\n{}", pod_spec(name, rng, "  ")),
        "CronJob" => format!(
            "{head}spec:\n  schedule: \"*/15 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n{}",
            pod_spec(name, rng, "          ")
        ),
        _ => format!(
            "{head}spec:\n  replicas: {}\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n    spec:\n{}",
            1 + rng.below(5),
            pod_spec(name, rng, "      ")
        ),
    }
}

fn service(name: &str, ns: &str, rng: &mut Rng) -> String {
    let kind = rng.pick(&[
        "ClusterIP",
        "ClusterIP",
        "ClusterIP",
        "NodePort",
        "LoadBalancer",
    ]);
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  type: {kind}\n  selector: {{app: {name}}}\n  ports:\n  - port: 80\n    targetPort: 8080\n"
    )
}

fn rbac(name: &str, ns: &str, rng: &mut Rng) -> String {
    let verbs = rng.pick(&[
        "[\"get\", \"list\"]",
        "[\"get\", \"list\", \"watch\"]",
        "[\"*\"]",
        "[\"create\", \"delete\"]",
    ]);
    let resources = rng.pick(&[
        "[\"configmaps\"]",
        "[\"secrets\"]",
        "[\"pods\", \"pods/exec\"]",
        "[\"deployments\"]",
        "[\"*\"]",
    ]);
    format!(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: {name}\n  namespace: {ns}\nrules:\n- apiGroups: [\"\", \"apps\"]\n  resources: {resources}\n  verbs: {verbs}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: {name}\n  namespace: {ns}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: {name}\nsubjects:\n- kind: ServiceAccount\n  name: {name}\n  namespace: {ns}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {name}\n  namespace: {ns}\n{}",
        if rng.chance(50) {
            "automountServiceAccountToken: false\n"
        } else {
            ""
        }
    )
}

fn network_policy(name: &str, ns: &str, rng: &mut Rng) -> String {
    if rng.chance(50) {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}-default-deny\n  namespace: {ns}\nspec:\n  podSelector: {{}}\n  policyTypes: [Ingress, Egress]\n"
        )
    } else {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  podSelector:\n    matchLabels: {{app: {name}}}\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels: {{role: frontend}}\n    ports:\n    - {{protocol: TCP, port: 8080}}\n"
        )
    }
}

fn config(name: &str, ns: &str, rng: &mut Rng) -> String {
    let password = if rng.chance(20) {
        "    db.password=changeme\n"
    } else {
        ""
    };
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {ns}\ndata:\n  LOG_LEVEL: info\n  app.properties: |\n    server.port=8080\n    cache.ttl=300\n{password}"
    )
}
