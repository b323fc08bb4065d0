//! Tests of the rule catalogue as a whole and of rule semantics that are easy
//! to get wrong.

use std::collections::HashSet;

use kubeward_core::config::RulesConfig;
use kubeward_core::credential::literal_credential;
use kubeward_core::load::{Excludes, LoadOptions, discover, load_text};
use kubeward_core::{Counts, Finding};

use super::*;
use crate::scan::Scanner;

fn scan_with(text: &str, settings: Settings) -> Vec<Finding> {
    let loaded = load_text("t.yaml".into(), text, &LoadOptions::default());
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    Scanner::new(RuleSet::all(), settings).check_objects(&loaded.objects)
}

fn scan(text: &str) -> Vec<Finding> {
    scan_with(text, Settings::default())
}

/// `(rule id, path)` of each unsuppressed finding.
fn fired(findings: &[Finding]) -> Vec<(&'static str, String)> {
    findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .map(|f| (f.rule.id, f.path.clone()))
        .collect()
}

fn ids(findings: &[Finding]) -> HashSet<&'static str> {
    fired(findings).into_iter().map(|(id, _)| id).collect()
}

const HARDENED_POD: &str = "apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  serviceAccountName: app
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: app
    image: registry.example.com/app:1@sha256:abc
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities: {drop: [ALL]}
    resources:
      requests: {cpu: 10m, memory: 10Mi}
      limits: {cpu: 10m, memory: 10Mi}
";

#[test]
fn metadata_is_complete_and_unique() {
    let mut ids = HashSet::new();
    let mut slugs = HashSet::new();
    for rule in ALL {
        let m = &rule.meta;
        assert!(ids.insert(m.id), "duplicate id {}", m.id);
        assert!(slugs.insert(m.slug), "duplicate slug {}", m.slug);
        assert!(m.id.starts_with("KW") && m.id.len() == 5, "{}", m.id);
        assert!(
            m.slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-' || b.is_ascii_digit())
        );
        assert!(!m.title.is_empty());
        for section in ["What it does", "Why is this bad?", "How to fix"] {
            assert!(!m.section(section).is_empty(), "{} lacks `{section}`", m.id);
        }
    }
    assert!(ALL.len() >= 40, "{} rules", ALL.len());
    let sorted: Vec<_> = ALL.iter().map(|r| r.meta.id).collect();
    let mut again = sorted.clone();
    again.sort_unstable();
    assert_eq!(sorted, again, "ALL is in id order");
}

#[test]
fn examples_insecure_trips_every_rule_and_hardened_none() {
    let root = kubeward_testkit::repo_root().join("examples");
    let config = kubeward_core::config::ConfigFile::load(&root.join("kubeward.toml")).unwrap();
    let images: kubeward_core::config::ImagesConfig = config.section("images").unwrap();
    let settings = Settings {
        allowed_registries: images.allowed_registries,
    };
    let scanner = Scanner::new(RuleSet::all(), settings);
    let (inputs, errors) = discover(&[root.join("insecure")], &Excludes::default());
    assert!(errors.is_empty());
    let result = scanner.scan(&inputs, &LoadOptions::default());
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    let fired = ids(&result.findings);
    let silent: Vec<_> = ALL
        .iter()
        .map(|r| r.meta.id)
        .filter(|id| !fired.contains(id))
        .collect();
    assert!(
        silent.is_empty(),
        "rules that never fire on examples/insecure: {silent:?}"
    );

    let (inputs, _) = discover(&[root.join("hardened")], &Excludes::default());
    let result = scanner.scan(&inputs, &LoadOptions::default());
    let found: Vec<String> = result
        .findings
        .iter()
        .map(|f| format!("{}: {}", f.location, f.message))
        .collect();
    assert!(
        found.is_empty(),
        "findings on examples/hardened: {found:#?}"
    );
}

#[test]
fn hardened_pod_is_clean() {
    let sa = "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app, namespace: shop}\nautomountServiceAccountToken: false\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}}\n";
    let findings = scan(&format!("{HARDENED_POD}{sa}"));
    assert_eq!(fired(&findings), []);
}

#[test]
fn findings_point_at_the_field() {
    let text = HARDENED_POD.replace(
        "allowPrivilegeEscalation: false",
        "allowPrivilegeEscalation: true",
    );
    let f = scan(&text)
        .into_iter()
        .find(|f| f.rule.id == "KW105")
        .unwrap();
    assert_eq!(
        f.path,
        "spec.containers[0].securityContext.allowPrivilegeEscalation"
    );
    assert_eq!(f.location.to_string(), "t.yaml:14:33");
}

#[test]
fn missing_fields_point_at_the_nearest_parent() {
    let text = HARDENED_POD.replace("      readOnlyRootFilesystem: true\n", "");
    let f = scan(&text)
        .into_iter()
        .find(|f| f.rule.id == "KW108")
        .unwrap();
    assert_eq!(
        f.path,
        "spec.containers[0].securityContext.readOnlyRootFilesystem"
    );
    assert_eq!(f.location.pos().line, 14, "the container's securityContext");
}

#[test]
fn run_as_root_accepts_non_zero_uid_and_pod_inheritance() {
    let uid = HARDENED_POD.replace("runAsNonRoot: true", "runAsUser: 1000");
    assert!(!ids(&scan(&uid)).contains("KW101"));
    let none = HARDENED_POD.replace("runAsNonRoot: true", "fsGroup: 2000");
    assert!(ids(&scan(&none)).contains("KW101"));
    let root = HARDENED_POD.replace("runAsNonRoot: true", "runAsUser: 0");
    let found = ids(&scan(&root));
    assert!(found.contains("KW102") && !found.contains("KW101"));
}

#[test]
fn automount_follows_the_service_account() {
    let pod = HARDENED_POD.replace("  automountServiceAccountToken: false\n", "");
    let sa = |automount: &str| {
        format!(
            "{pod}---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: app, namespace: shop}}\n{automount}"
        )
    };
    assert!(!ids(&scan(&sa("automountServiceAccountToken: false\n"))).contains("KW304"));
    let both = fired(&scan(&sa("")));
    let kw304: Vec<_> = both.iter().filter(|(id, _)| *id == "KW304").collect();
    assert_eq!(kw304.len(), 2, "the pod and its ServiceAccount: {both:?}");
    // An account of the same name in another namespace does not count.
    let other = format!(
        "{pod}---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {{name: app, namespace: other}}\nautomountServiceAccountToken: false\n"
    );
    assert!(ids(&scan(&other)).contains("KW304"));
}

#[test]
fn default_deny_is_per_namespace() {
    let policy = |ns: &str| {
        format!(
            "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: d, namespace: {ns}}}\nspec: {{podSelector: {{}}, policyTypes: [Ingress]}}\n"
        )
    };
    assert!(!ids(&scan(&format!("{HARDENED_POD}{}", policy("shop")))).contains("KW505"));
    assert!(ids(&scan(&format!("{HARDENED_POD}{}", policy("other")))).contains("KW505"));
}

#[test]
fn default_deny_for_workloads_without_a_namespace() {
    let pod = HARDENED_POD.replace(
        "metadata: {name: p, namespace: shop}",
        "metadata: {name: p}",
    );
    let messages = |text: &str| -> Vec<String> {
        scan(text)
            .into_iter()
            .filter(|f| f.rule.id == "KW505")
            .map(|f| f.message)
            .collect()
    };
    assert_eq!(
        messages(&pod),
        [
            "workloads without a namespace have no default-deny ingress NetworkPolicy \
             (also without a namespace) in the scanned set"
        ]
    );
    let policy = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: d}\nspec: {podSelector: {}}\n";
    assert_eq!(messages(&format!("{pod}{policy}")), Vec::<String>::new());
    assert_eq!(
        messages(&format!("{HARDENED_POD}{policy}")),
        [
            "namespace \"shop\" has workloads but no default-deny ingress NetworkPolicy in the scanned set"
        ]
    );
}

#[test]
fn ignore_annotation_suppresses_but_counts() {
    let text = HARDENED_POD.replace(
        "metadata: {name: p, namespace: shop}",
        "metadata:\n  name: p\n  namespace: shop\n  annotations:\n    kubeward.io/ignore: \"KW505, service-account-token-automount: reviewed\"",
    );
    let findings = scan(&text);
    let kw505 = findings.iter().find(|f| f.rule.id == "KW505").unwrap();
    assert_eq!(kw505.suppressed.as_deref(), Some("reviewed"));
    assert!(fired(&findings).is_empty());
    assert_eq!(Counts::of(&findings).suppressed, 1);
}

#[test]
fn registry_allowlist() {
    let settings = |list: &[&str]| Settings {
        allowed_registries: list.iter().map(|s| (*s).to_owned()).collect(),
    };
    assert!(
        !ids(&scan_with(
            HARDENED_POD,
            settings(&["registry.example.com"])
        ))
        .contains("KW203")
    );
    assert!(ids(&scan_with(HARDENED_POD, settings(&["ghcr.io"]))).contains("KW203"));
    assert!(!ids(&scan_with(HARDENED_POD, settings(&[]))).contains("KW203"));
}

#[test]
fn credentials_are_located_never_printed() {
    let text = HARDENED_POD.replace(
        "    resources:",
        "    env:\n    - {name: API_TOKEN, value: s3cr3t-v4lue}\n    - {name: TOKEN_FILE, value: /run/token}\n    resources:",
    );
    let findings = scan(&text);
    let creds: Vec<_> = findings.iter().filter(|f| f.rule.id == "KW301").collect();
    assert_eq!(creds.len(), 1);
    assert!(creds[0].message.contains("API_TOKEN"));
    for f in &findings {
        assert!(!f.message.contains("s3cr3t"), "{}", f.message);
    }
}

#[test]
fn rule_selection_from_config() {
    let config = RulesConfig {
        select: vec!["KW101".into(), "privileged-container".into()],
        ignore: vec!["KW101".into()],
        severity: [("KW104".to_owned(), Severity::Low)].into(),
    };
    let set = RuleSet::from_config(&config).unwrap();
    let active: Vec<_> = set.iter().map(|(r, s)| (r.meta.id, s)).collect();
    assert_eq!(active, [("KW104", Severity::Low)]);
    let bad = RulesConfig {
        ignore: vec!["KW999".into()],
        ..RulesConfig::default()
    };
    assert_eq!(
        RuleSet::from_config(&bad).unwrap_err().to_string(),
        "unknown rule `KW999`"
    );
}

#[test]
fn rbac_bootstrap_binding_is_not_reported() {
    let text = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: cluster-admin}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects:\n- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: 'system:masters'}\n";
    assert!(fired(&scan(text)).is_empty());
    let other = text.replace("name: 'system:masters'", "name: devs");
    assert!(ids(&scan(&other)).contains("KW401"));
}

#[test]
fn load_balancers_internal_or_restricted_are_fine() {
    let svc = |extra: &str| {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n{extra}spec:\n  type: LoadBalancer\n"
        )
    };
    assert!(ids(&scan(&svc(""))).contains("KW502"));
    let internal = svc("  annotations:\n    networking.gke.io/load-balancer-type: Internal\n");
    assert!(!ids(&scan(&internal)).contains("KW502"));
    let ranged = format!("{}  loadBalancerSourceRanges: [10.0.0.0/8]\n", svc(""));
    assert!(!ids(&scan(&ranged)).contains("KW502"));
}

#[test]
fn host_paths_that_hold_a_sensitive_tree_are_sensitive() {
    let text = "apiVersion: v1
kind: Pod
metadata: {name: p, namespace: n}
spec:
  containers: [{name: c, image: 'x:1'}]
  volumes:
  - {name: v0, hostPath: {path: /var}}
  - {name: v1, hostPath: {path: /var/lib}}
  - {name: v2, hostPath: {path: /var/lib/kubelet/../../}}
  - {name: v3, hostPath: {path: /var/lib/app}}
";
    let findings = scan(text);
    let sensitive: Vec<_> = findings.iter().filter(|f| f.rule.id == "KW114").collect();
    let paths: Vec<_> = sensitive.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "spec.volumes[0].hostPath.path",
            "spec.volumes[1].hostPath.path",
            "spec.volumes[2].hostPath.path"
        ]
    );
    assert!(
        sensitive[2]
            .message
            .starts_with(
                "volume \"v2\" mounts \"/var/lib/kubelet/../../\", a directory that holds /var/run, /var/lib/kubelet,"
            ),
        "{}",
        sensitive[2].message
    );
}

#[test]
fn rbac_resource_slash_star_grants_nothing_but_is_reported() {
    let role = "apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: logs-reader, namespace: n}
rules:
- apiGroups: [\"\"]
  resources: [\"pods/*\"]
  verbs: [\"get\", \"create\"]
";
    let findings = scan(role);
    assert_eq!(
        fired(&findings),
        [("KW402", "rules[0]".to_owned())],
        "no exec, attach or other grant: RBAC has no `resource/*` form"
    );
    assert_eq!(
        findings[0].message,
        "Role rules[0] names \"pods/*\" in resources, which RBAC does not expand (it grants no subresource)"
    );
    assert_eq!(findings[0].location.pos().line, 6);
    let both = role.replace("verbs: [\"get\", \"create\"]", "verbs: [\"*\"]");
    let findings = scan(&both);
    assert_eq!(
        findings[0].message,
        "Role rules[0] grants * in verbs; names \"pods/*\" in resources, which RBAC does not expand (it grants no subresource)"
    );
    let exact = role.replace("pods/*", "pods/exec");
    let kinds = ids(&scan(&exact));
    assert!(
        kinds.contains("KW404") && !kinds.contains("KW402"),
        "{kinds:?}"
    );
}

#[test]
fn ingress_tls_without_hosts_covers_every_host() {
    let ingress = |tls: &str| {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {{name: i, namespace: n}}\nspec:\n{tls}  rules:\n  - host: shop.example.com\n  - host: api.example.com\n"
        )
    };
    for tls in [
        "  tls: [{}]\n",
        "  tls: [{secretName: wildcard-cert}]\n",
        "  tls: [{hosts: [], secretName: wildcard-cert}]\n",
        "  tls: [{hosts: null}]\n",
        "  tls: [{hosts: [shop.example.com]}, {secretName: default}]\n",
    ] {
        assert!(!ids(&scan(&ingress(tls))).contains("KW504"), "{tls}");
    }
    let partial = scan(&ingress("  tls: [{hosts: [shop.example.com]}]\n"));
    assert_eq!(
        fired(&partial),
        [("KW504", "spec.rules[1].host".to_owned())]
    );
    let none = scan(&ingress(""));
    assert_eq!(fired(&none), [("KW504", "spec.tls".to_owned())]);
}

/// The review's configuration variables, with their values: settings
/// about a credential (a provider, a header, an algorithm, a duration, a
/// key name), none of them a credential.
const NOT_CREDENTIALS: [(&str, &str); 11] = [
    ("TOKEN_AUDIENCE", "sts.amazonaws.com"),
    ("SECRETS_PROVIDER", "vault"),
    ("AUTH_TOKEN_HEADER", "X-Auth-Token"),
    ("PASSWORD_HASH_ALGORITHM", "bcrypt"),
    ("TOKEN_EXPIRY", "1h"),
    ("VAULT_SECRET_MOUNT", "kv"),
    ("SECRET_STORE", "aws-secrets-manager"),
    ("KEYCLOAK_CLIENT_SECRET_KEY", "client-secret"),
    ("PASSWORD_POLICY", "strong"),
    ("CSRF_TOKEN_COOKIE", "csrftoken"),
    ("SECRET_MANAGER_REGION", "us-east-1"),
];

#[test]
fn settings_about_credentials_are_not_credentials() {
    let mut env: String = NOT_CREDENTIALS
        .iter()
        .map(|(name, value)| format!("    - {{name: {name}, value: {value:?}}}\n"))
        .collect();
    env.push_str("    - {name: DB_PASSWORD, value: hunter2}\n");
    let text = HARDENED_POD.replace("    resources:", &format!("    env:\n{env}    resources:"));
    let findings = scan(&text);
    let credentials: Vec<_> = findings
        .iter()
        .filter(|f| f.rule.id == "KW301")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        credentials,
        ["container \"app\" env DB_PASSWORD holds a literal value that is named like a credential"]
    );
    for (name, value) in NOT_CREDENTIALS {
        assert_eq!(literal_credential(name, value), None, "{name}");
    }
    let configmap: String = NOT_CREDENTIALS
        .iter()
        .map(|(name, value)| format!("  {name}: {value:?}\n"))
        .collect();
    let configmap = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c, namespace: shop}}\ndata:\n{configmap}  app.properties: |\n    token.audience=sts\n    db.password=hunter2\n"
    );
    let findings = scan(&configmap);
    let kw306: Vec<_> = fired(&findings)
        .into_iter()
        .filter(|(id, _)| *id == "KW306")
        .collect();
    assert_eq!(kw306, [("KW306", "data[\"app.properties\"]".to_owned())]);
}

#[test]
fn legacy_seccomp_annotations_set_to_unconfined() {
    let pod = |annotations: &str, security: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: n\n  annotations:\n{annotations}spec:\n  containers:\n  - name: nginx\n    image: nginx:1\n{security}"
        )
    };
    let unconfined = |text: &str| -> Vec<(String, String)> {
        scan(text)
            .into_iter()
            .filter(|f| f.rule.id == "KW116")
            .map(|f| (f.path, f.message))
            .collect()
    };
    let container = "    container.seccomp.security.alpha.kubernetes.io/nginx: unconfined\n";
    assert_eq!(
        unconfined(&pod(container, "")),
        [(
            "metadata.annotations[container.seccomp.security.alpha.kubernetes.io/nginx]"
                .to_owned(),
            "legacy annotation container.seccomp.security.alpha.kubernetes.io/nginx turns seccomp off for container \"nginx\"".to_owned()
        )]
    );
    let whole_pod = "    seccomp.security.alpha.kubernetes.io/pod: unconfined\n";
    let found = unconfined(&pod(whole_pod, ""));
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].1,
        "legacy annotation seccomp.security.alpha.kubernetes.io/pod turns seccomp off for the pod"
    );
    // The field, where set, is what counts.
    let field = "    securityContext: {seccompProfile: {type: RuntimeDefault}}\n";
    assert_eq!(unconfined(&pod(container, field)), []);
    for allowed in ["runtime/default", "docker/default", "localhost/x.json"] {
        let text = pod(&container.replace("unconfined", allowed), "");
        assert_eq!(unconfined(&text), [], "{allowed}");
    }
    let windows = pod(container, "").replace("spec:\n", "spec:\n  os: {name: windows}\n");
    assert_eq!(unconfined(&windows), []);
}
