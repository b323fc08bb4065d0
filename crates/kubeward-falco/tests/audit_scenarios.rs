//! kubeward's own Kubernetes audit scenarios against the upstream
//! `k8s_audit_rules.yaml` (read in place): events that must raise a given
//! rule and events that must not. The events are written here, in the shape
//! the API server logs.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use kubeward_falco::compile::compile;
use kubeward_falco::event::AuditEvent;
use kubeward_falco::{Engine, EngineOptions, RuleMatching, RuleSet};
use serde_json::{Value, json};

/// An audit event: `verb` on `resource` (optionally `resource/subresource`)
/// named `name` in `namespace`, by `user`, with a request object.
struct Request<'a> {
    stage: &'a str,
    verb: &'a str,
    user: &'a str,
    resource: &'a str,
    namespace: Option<&'a str>,
    name: &'a str,
    uri: String,
    code: u16,
    decision: &'a str,
    object: Value,
}

impl<'a> Request<'a> {
    fn new(verb: &'a str, resource: &'a str, namespace: Option<&'a str>, name: &'a str) -> Self {
        let base = match namespace {
            Some(ns) => format!(
                "/api/v1/namespaces/{ns}/{}",
                resource.split('/').next().unwrap_or("")
            ),
            None => format!("/apis/rbac.authorization.k8s.io/v1/{resource}"),
        };
        Self {
            stage: "ResponseComplete",
            verb,
            user: "kubernetes-admin",
            resource,
            namespace,
            name,
            uri: base,
            code: if verb == "create" { 201 } else { 200 },
            decision: "allow",
            object: Value::Null,
        }
    }

    fn event(&self) -> AuditEvent {
        let (resource, subresource) = match self.resource.split_once('/') {
            Some((r, s)) => (r, Some(s)),
            None => (self.resource, None),
        };
        let mut object_ref = json!({"resource": resource, "name": self.name, "apiVersion": "v1"});
        if let Some(ns) = self.namespace {
            object_ref["namespace"] = json!(ns);
        }
        if let Some(sub) = subresource {
            object_ref["subresource"] = json!(sub);
        }
        let mut event = json!({
            "kind": "Event",
            "apiVersion": "audit.k8s.io/v1",
            "level": "RequestResponse",
            "auditID": "5f0c8b9e-1d2a-4c3b-9e8f-000000000001",
            "stage": self.stage,
            "requestURI": self.uri,
            "verb": self.verb,
            "user": {"username": self.user, "groups": ["system:authenticated"]},
            "sourceIPs": ["10.20.30.40"],
            "userAgent": "kubectl/v1.31.0",
            "objectRef": object_ref,
            "responseStatus": {"code": self.code},
            "requestReceivedTimestamp": "2026-11-20T08:15:00.000000Z",
            "stageTimestamp": "2026-11-20T08:15:00.120000Z",
            "annotations": {"authorization.k8s.io/decision": self.decision, "authorization.k8s.io/reason": ""},
        });
        if !self.object.is_null() {
            event["requestObject"] = self.object.clone();
            event["responseObject"] = json!({"metadata": {"name": self.name}});
        }
        AuditEvent::from_value(event).unwrap()
    }
}

fn pod(spec: Value) -> Value {
    json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "shop-web"}, "spec": spec})
}

fn container(image: &str, security: Value) -> Value {
    json!({"name": "app", "image": image, "securityContext": security})
}

fn role(rules: Value) -> Value {
    json!({"kind": "ClusterRole", "apiVersion": "rbac.authorization.k8s.io/v1", "metadata": {"name": "ops"}, "rules": rules})
}

/// Each scenario: a name, the event, rules that must fire, rules that must not.
fn scenarios() -> Vec<(
    &'static str,
    AuditEvent,
    Vec<&'static str>,
    Vec<&'static str>,
)> {
    let mut v = Vec::new();

    let mut exec = Request::new("create", "pods/exec", Some("shop"), "shop-web-7d9f");
    exec.stage = "ResponseStarted";
    exec.uri = "/api/v1/namespaces/shop/pods/shop-web-7d9f/exec?command=sh&container=app&stdin=true&tty=true".into();
    v.push((
        "exec into a pod",
        exec.event(),
        vec!["Attach/Exec Pod"],
        vec![],
    ));

    let mut attach = Request::new("get", "pods/attach", Some("shop"), "shop-web-7d9f");
    attach.stage = "ResponseStarted";
    v.push((
        "attach to a pod",
        attach.event(),
        vec!["Attach/Exec Pod"],
        vec![],
    ));

    let mut exec_done = Request::new("create", "pods/exec", Some("shop"), "shop-web-7d9f");
    exec_done.uri = "/api/v1/namespaces/shop/pods/shop-web-7d9f/exec?command=ls".into();
    v.push((
        "exec reported at completion only",
        exec_done.event(),
        vec![],
        vec!["Attach/Exec Pod"],
    ));

    let mut privileged = Request::new("create", "pods", Some("shop"), "shop-web");
    privileged.object = pod(
        json!({"containers": [container("registry.example/shop/web:2.1", json!({"privileged": true}))]}),
    );
    v.push((
        "privileged pod",
        privileged.event(),
        vec!["Create Privileged Pod"],
        vec![],
    ));

    let mut privileged_init = Request::new("create", "pods", Some("shop"), "shop-web");
    privileged_init.object = pod(json!({
        "initContainers": [container("busybox:1.36", json!({"privileged": true}))],
        "containers": [container("registry.example/shop/web:2.1", json!({"privileged": false}))],
    }));
    v.push((
        "privileged init container",
        privileged_init.event(),
        vec!["Create Privileged Pod"],
        vec![],
    ));

    let mut unprivileged = Request::new("create", "pods", Some("shop"), "shop-web");
    unprivileged.object = pod(
        json!({"containers": [container("registry.example/shop/web:2.1", json!({"privileged": false, "runAsNonRoot": true}))]}),
    );
    v.push((
        "unprivileged pod",
        unprivileged.event(),
        vec![],
        vec![
            "Create Privileged Pod",
            "Create Sensitive Mount Pod",
            "Create HostNetwork Pod",
            "Pod Created in Kube Namespace",
        ],
    ));

    let mut etc_mount = Request::new("create", "pods", Some("shop"), "shop-web");
    etc_mount.object = pod(json!({
        "containers": [container("registry.example/shop/web:2.1", json!({}))],
        "volumes": [{"name": "cfg", "configMap": {"name": "web"}}, {"name": "hostetc", "hostPath": {"path": "/etc"}}],
    }));
    v.push((
        "hostPath /etc",
        etc_mount.event(),
        vec!["Create Sensitive Mount Pod"],
        vec![],
    ));

    let mut data_mount = Request::new("create", "pods", Some("shop"), "shop-web");
    data_mount.object = pod(json!({
        "containers": [container("registry.example/shop/web:2.1", json!({}))],
        "volumes": [{"name": "data", "hostPath": {"path": "/srv/shop-data"}}],
    }));
    v.push((
        "hostPath outside the sensitive list",
        data_mount.event(),
        vec![],
        vec!["Create Sensitive Mount Pod"],
    ));

    for (flag, rule) in [
        ("hostNetwork", "Create HostNetwork Pod"),
        ("hostPID", "Create HostPid Pod"),
        ("hostIPC", "Create HostIPC Pod"),
    ] {
        let mut host = Request::new("create", "pods", Some("shop"), "shop-web");
        let mut spec =
            json!({"containers": [container("registry.example/shop/web:2.1", json!({}))]});
        spec[flag] = json!(true);
        host.object = pod(spec);
        v.push((rule, host.event(), vec![rule], vec![]));
    }

    let mut kube_system_pod = Request::new("create", "pods", Some("kube-system"), "debug-shell");
    kube_system_pod.object = pod(json!({"containers": [container("alpine:3.20", json!({}))]}));
    v.push((
        "pod in kube-system",
        kube_system_pod.event(),
        vec!["Pod Created in Kube Namespace"],
        vec![],
    ));

    let mut node_port = Request::new("create", "services", Some("shop"), "shop-web");
    node_port.object = json!({"kind": "Service", "spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 31080}]}});
    v.push((
        "NodePort service",
        node_port.event(),
        vec!["Create NodePort Service"],
        vec![],
    ));

    let mut cluster_ip = Request::new("create", "services", Some("shop"), "shop-web");
    cluster_ip.object =
        json!({"kind": "Service", "spec": {"type": "ClusterIP", "ports": [{"port": 80}]}});
    v.push((
        "ClusterIP service",
        cluster_ip.event(),
        vec!["K8s Service Created"],
        vec!["Create NodePort Service"],
    ));

    let mut secret_cm = Request::new("update", "configmaps", Some("shop"), "web-settings");
    // `contains "password"` is case-sensitive: the key is lower case.
    secret_cm.object = json!({"kind": "ConfigMap", "data": {"db_host": "db.shop", "db_password": "not-a-real-secret"}});
    v.push((
        "configmap with a password",
        secret_cm.event(),
        vec!["Create/Modify Configmap With Private Credentials"],
        vec![],
    ));

    let mut plain_cm = Request::new("create", "configmaps", Some("shop"), "web-settings");
    plain_cm.object =
        json!({"kind": "ConfigMap", "data": {"LOG_LEVEL": "info", "FEATURES": "search,cart"}});
    v.push((
        "configmap without credentials",
        plain_cm.event(),
        vec!["K8s ConfigMap Created"],
        vec!["Create/Modify Configmap With Private Credentials"],
    ));

    let mut anonymous = Request::new("list", "secrets", Some("shop"), "");
    anonymous.user = "system:anonymous";
    v.push((
        "anonymous request allowed",
        anonymous.event(),
        vec!["Anonymous Request Allowed"],
        vec![],
    ));

    let mut anonymous_denied = Request::new("list", "secrets", Some("shop"), "");
    anonymous_denied.user = "system:anonymous";
    anonymous_denied.decision = "forbid";
    anonymous_denied.code = 403;
    v.push((
        "anonymous request forbidden",
        anonymous_denied.event(),
        vec![],
        vec!["Anonymous Request Allowed"],
    ));

    let mut anonymous_health = Request::new("get", "", None, "");
    anonymous_health.user = "system:anonymous";
    anonymous_health.uri = "/healthz".into();
    v.push((
        "anonymous health check",
        anonymous_health.event(),
        vec![],
        vec!["Anonymous Request Allowed"],
    ));

    let mut sa = Request::new("create", "serviceaccounts", Some("kube-public"), "backdoor");
    sa.object = json!({"kind": "ServiceAccount", "metadata": {"name": "backdoor"}});
    v.push((
        "service account in kube-public",
        sa.event(),
        vec!["Service Account Created in Kube Namespace"],
        vec![],
    ));

    let mut wildcard = Request::new("create", "clusterroles", None, "ops");
    wildcard.object =
        role(json!([{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["*"]}]));
    v.push((
        "ClusterRole with wildcard verbs",
        wildcard.event(),
        vec!["ClusterRole With Wildcard Created"],
        vec![],
    ));

    let mut pod_exec_role = Request::new("create", "clusterroles", None, "ops");
    pod_exec_role.object = role(
        json!([{"apiGroups": [""], "resources": ["pods", "pods/exec"], "verbs": ["get", "create"]}]),
    );
    v.push((
        "ClusterRole granting pods/exec",
        pod_exec_role.event(),
        vec![
            "ClusterRole With Pod Exec Created",
            "ClusterRole With Write Privileges Created",
        ],
        vec![],
    ));

    let mut reader = Request::new("create", "clusterroles", None, "ops");
    reader.object = role(
        json!([{"apiGroups": [""], "resources": ["pods", "services"], "verbs": ["get", "list", "watch"]}]),
    );
    v.push((
        "read-only ClusterRole",
        reader.event(),
        vec!["K8s ClusterRole Created"],
        vec![
            "ClusterRole With Wildcard Created",
            "ClusterRole With Write Privileges Created",
            "ClusterRole With Pod Exec Created",
        ],
    ));

    let mut admin_binding = Request::new("create", "clusterrolebindings", None, "ci-bot-admin");
    admin_binding.object = json!({"kind": "ClusterRoleBinding", "roleRef": {"kind": "ClusterRole", "name": "cluster-admin"}, "subjects": [{"kind": "ServiceAccount", "name": "ci-bot", "namespace": "ci"}]});
    v.push((
        "binding to cluster-admin",
        admin_binding.event(),
        vec!["Attach to cluster-admin Role"],
        vec![],
    ));

    let mut view_binding = Request::new("create", "clusterrolebindings", None, "ci-bot-view");
    view_binding.object = json!({"kind": "ClusterRoleBinding", "roleRef": {"kind": "ClusterRole", "name": "view"}, "subjects": [{"kind": "ServiceAccount", "name": "ci-bot", "namespace": "ci"}]});
    v.push((
        "binding to view",
        view_binding.event(),
        vec!["K8s ClusterRoleBinding Created"],
        vec!["Attach to cluster-admin Role"],
    ));

    let mut system_role = Request::new("patch", "clusterroles", None, "system:node");
    system_role.object =
        role(json!([{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]));
    v.push((
        "system ClusterRole patched",
        system_role.event(),
        vec!["System ClusterRole Modified/Deleted"],
        vec![],
    ));

    let coredns = Request::new("delete", "clusterroles", None, "system:coredns");
    v.push((
        "allowed system role deleted",
        coredns.event(),
        vec![],
        vec!["System ClusterRole Modified/Deleted"],
    ));

    let mut namespace = Request::new("create", "namespaces", None, "crypto-miner");
    namespace.uri = "/api/v1/namespaces".into();
    v.push((
        "unexpected namespace",
        namespace.event(),
        vec!["Create Disallowed Namespace", "K8s Namespace Created"],
        vec![],
    ));

    let mut default_ns = Request::new("create", "namespaces", None, "default");
    default_ns.uri = "/api/v1/namespaces".into();
    v.push((
        "allowed namespace",
        default_ns.event(),
        vec![],
        vec!["Create Disallowed Namespace"],
    ));

    let forward = Request::new("create", "pods/portforward", Some("shop"), "shop-db-0");
    v.push((
        "port-forward",
        forward.event(),
        vec!["port-forward"],
        vec![],
    ));

    let mut debug = Request::new(
        "patch",
        "pods/ephemeralcontainers",
        Some("shop"),
        "shop-web-7d9f",
    );
    debug.object =
        json!({"spec": {"ephemeralContainers": [{"name": "debugger", "image": "busybox:1.36"}]}});
    v.push((
        "ephemeral debug container",
        debug.event(),
        vec!["EphemeralContainers Created"],
        vec![],
    ));

    let mut ingress = Request::new("create", "ingresses", Some("shop"), "shop");
    ingress.object = json!({"kind": "Ingress", "spec": {"rules": [{"host": "shop.example"}]}});
    v.push((
        "ingress without TLS",
        ingress.event(),
        vec!["Ingress Object without TLS Certificate Created"],
        vec![],
    ));

    let mut tls_ingress = Request::new("create", "ingresses", Some("shop"), "shop");
    tls_ingress.object = json!({"kind": "Ingress", "spec": {"tls": [{"hosts": ["shop.example"], "secretName": "shop-tls"}]}});
    v.push((
        "ingress with TLS",
        tls_ingress.event(),
        vec![],
        vec!["Ingress Object without TLS Certificate Created"],
    ));

    let mut stranger = Request::new("get", "secrets", Some("shop"), "db");
    stranger.user = "mallory";
    v.push((
        "unknown user",
        stranger.event(),
        vec!["Disallowed K8s User", "K8s Secret Get Successfully"],
        vec![],
    ));

    let mut no_id = Request::new("create", "pods", Some("kube-system"), "x").event();
    no_id.json.as_object_mut().unwrap().remove("auditID");
    v.push((
        "event without auditID",
        no_id,
        vec![],
        vec!["Pod Created in Kube Namespace", "Create Disallowed Pod"],
    ));
    v
}

#[test]
fn own_audit_scenarios_fire_the_upstream_rules() {
    let Some(dir) = kubeward_testkit::conformance_dir("falco") else {
        return;
    };
    let mut set = RuleSet::new();
    let file = dir.join("rules/k8s_audit_rules.yaml");
    set.load_str(
        file.display().to_string().into(),
        &std::fs::read_to_string(&file).unwrap(),
    );
    let compiled = compile(&set);
    assert!(compiled.errors.is_empty(), "{:?}", compiled.errors);
    let options = EngineOptions {
        rule_matching: RuleMatching::All,
        ..EngineOptions::default()
    };
    let engine = Engine::new(compiled, options);
    let all = scenarios();
    let firing = all.iter().filter(|s| !s.2.is_empty()).count();
    let quiet = all.iter().filter(|s| !s.3.is_empty()).count();
    assert!(
        firing >= 15 && quiet >= 10,
        "{firing} firing and {quiet} non-firing scenarios"
    );
    let mut problems = Vec::new();
    for (name, event, must, must_not) in &all {
        let mut alerts = Vec::new();
        engine.on_audit(event, &mut alerts);
        let fired: BTreeSet<&str> = alerts.iter().map(|a| a.rule.as_str()).collect();
        for rule in must {
            if !fired.contains(rule) {
                problems.push(format!("{name}: `{rule}` did not fire (fired: {fired:?})"));
            }
        }
        for rule in must_not {
            if fired.contains(rule) {
                problems.push(format!("{name}: `{rule}` fired"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
