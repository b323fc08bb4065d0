//! `kubeward serve` with real traffic: the real binary on 127.0.0.1 with a
//! generated certificate, real AdmissionReview and ImageReview bodies in the
//! shapes the API server sends, over HTTPS with a real client.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use bytes::Bytes;
use kubeward_admission::client::Connection;
use kubeward_net::tls::client_config;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use serde_json::{Value, json};

/// A new CA named after `tag`.
fn new_ca(tag: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, format!("kubeward test CA {tag}"));
    CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap()
}

/// A CA and a server certificate for 127.0.0.1 and localhost, as PEM files.
fn write_pki(dir: &Path, tag: &str) -> (PathBuf, PathBuf, PathBuf) {
    let ca = new_ca(tag);
    let key = KeyPair::generate().unwrap();
    let params =
        CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
    let cert = params.signed_by(&key, &ca).unwrap();
    let paths = (
        dir.join(format!("ca-{tag}.crt")),
        dir.join("tls.crt"),
        dir.join("tls.key"),
    );
    std::fs::write(&paths.0, ca.pem()).unwrap();
    std::fs::write(&paths.1, cert.pem()).unwrap();
    std::fs::write(&paths.2, key.serialize_pem()).unwrap();
    paths
}

/// A client certificate (as the API server's) signed by `ca`, as PEM files
/// `<tag>.crt` and `<tag>.key`.
fn write_client_cert(
    dir: &Path,
    ca: &CertifiedIssuer<'_, KeyPair>,
    tag: &str,
) -> (PathBuf, PathBuf) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "kube-apiserver-webhook-client");
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
    let cert = params.signed_by(&key, ca).unwrap();
    let paths = (
        dir.join(format!("{tag}.crt")),
        dir.join(format!("{tag}.key")),
    );
    std::fs::write(&paths.0, cert.pem()).unwrap();
    std::fs::write(&paths.1, key.serialize_pem()).unwrap();
    paths
}

struct Server {
    child: Child,
    addr: SocketAddr,
    ca: PathBuf,
    dir: tempfile::TempDir,
    /// The client certificate and key presented, when the server asks for one.
    client: Option<(PathBuf, PathBuf)>,
    /// The server's log lines so far.
    log: Arc<Mutex<Vec<String>>>,
}

const NAMESPACES: &str = "apiVersion: v1
kind: Namespace
metadata:
  name: locked
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: v1
kind: Namespace
metadata:
  name: watched
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/warn: restricted
    pod-security.kubernetes.io/audit: restricted
    pod-security.kubernetes.io/audit-version: v1.30
";

impl Server {
    fn start() -> Self {
        Self::start_with("")
    }

    /// A server whose configuration ends with `extra` (further tables).
    fn start_with(extra: &str) -> Self {
        Self::start_configured("", extra)
    }

    /// A server whose `[serve]` table also holds `serve_keys`, and whose
    /// configuration ends with `extra`.
    fn start_configured(serve_keys: &str, extra: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self::start_in(dir, serve_keys, extra, None)
    }

    /// A server that requires client certificates from a CA of its own
    /// (`[serve] client-ca`), with `serve_keys` in `[serve]`; the tests'
    /// client presents one that CA signed.
    fn start_mtls(serve_keys: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let client_ca = new_ca("clients");
        let ca_path = dir.path().join("client-ca.crt");
        std::fs::write(&ca_path, client_ca.pem()).unwrap();
        let client = write_client_cert(dir.path(), &client_ca, "apiserver");
        let keys = format!("client-ca = {ca_path:?}\n{serve_keys}");
        Self::start_in(dir, &keys, "", Some(client))
    }

    fn config_text(dir: &Path, serve_keys: &str, extra: &str) -> String {
        let (cert, key) = (dir.join("tls.crt"), dir.join("tls.key"));
        format!(
            "[images]\nallowed-registries = [\"ghcr.io/acme\", \"registry.k8s.io\"]\n\n[serve]\ntls-cert = {cert:?}\ntls-key = {key:?}\ntls-reload-seconds = 1\nrequest-timeout-ms = 1500\nnamespaces = {:?}\n{serve_keys}\n[serve.exemptions]\nnamespaces = [\"kube-system\"]\nusernames = [\"system:admin-exempt\"]\nruntime-classes = [\"kata\"]\n{extra}",
            dir.join("namespaces.yaml")
        )
    }

    fn start_in(
        dir: tempfile::TempDir,
        serve_keys: &str,
        extra: &str,
        client: Option<(PathBuf, PathBuf)>,
    ) -> Self {
        let (ca, _, _) = write_pki(dir.path(), "one");
        std::fs::write(dir.path().join("namespaces.yaml"), NAMESPACES).unwrap();
        std::fs::write(
            dir.path().join("kubeward.toml"),
            Self::config_text(dir.path(), serve_keys, extra),
        )
        .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_kubeward"))
            .args(["serve", "--listen", "127.0.0.1:0", "--config"])
            .arg(dir.path().join("kubeward.toml"))
            .env("KUBEWARD_LOG", "info")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, rx) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("serving https://").nth(1) {
                    let addr = rest.split_whitespace().next().unwrap().to_owned();
                    let _ = tx.send(addr);
                }
                lines.lock().unwrap().push(line);
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("the server starts")
            .parse()
            .unwrap();
        Self {
            child,
            addr,
            ca,
            dir,
            client,
            log,
        }
    }

    fn tls(&self) -> Arc<rustls::ClientConfig> {
        let identity = self
            .client
            .as_ref()
            .map(|(c, k)| (c.as_path(), k.as_path()));
        Arc::new(client_config(&self.ca, identity, rustls::ALL_VERSIONS).unwrap())
    }

    async fn connect(&self) -> Connection {
        Connection::open(self.addr, "localhost", self.tls())
            .await
            .unwrap()
    }

    /// Posts a review of `object` (no old object, not a dry run) to
    /// `/validate`, expecting an answer.
    async fn validate(&self, operation: &str, object: &Value) -> Value {
        let (status, body) = self
            .post("/validate", &review(operation, object, None, false))
            .await;
        assert_eq!(status, 200, "{body}");
        body
    }

    async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let mut conn = self.connect().await;
        let response = conn
            .send(
                "POST",
                path,
                Some(Bytes::from(serde_json::to_vec(body).unwrap())),
            )
            .await
            .unwrap();
        let status = response.status().as_u16();
        let value = serde_json::from_slice(response.body()).unwrap_or(Value::Null);
        (status, value)
    }

    async fn raw(&self, method: &str, path: &str, body: &[u8]) -> (u16, String) {
        let mut conn = self.connect().await;
        let body = (method == "POST").then(|| Bytes::copy_from_slice(body));
        let response = conn.send(method, path, body).await.unwrap();
        (
            response.status().as_u16(),
            String::from_utf8_lossy(response.body()).into_owned(),
        )
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An AdmissionReview as the API server sends it.
fn review(operation: &str, object: &Value, old: Option<&Value>, dry_run: bool) -> Value {
    let api_version = object["apiVersion"].as_str().unwrap_or("v1");
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let kind = object["kind"].as_str().unwrap();
    let gvk = json!({"group": group, "version": version, "kind": kind});
    let resource = json!({"group": group, "version": version, "resource": format!("{}s", kind.to_lowercase())});
    json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": format!("uid-{operation}-{}", object["metadata"]["name"].as_str().unwrap_or("x")),
            "kind": gvk, "resource": resource, "requestKind": gvk, "requestResource": resource,
            "name": object["metadata"]["name"],
            "namespace": object["metadata"]["namespace"],
            "operation": operation,
            "userInfo": {"username": "alice", "uid": "1", "groups": ["system:authenticated"]},
            "object": object,
            "oldObject": old,
            "dryRun": dry_run,
            "options": {"apiVersion": "meta.k8s.io/v1", "kind": format!("{}Options", operation[..1].to_owned() + &operation[1..].to_lowercase())}
        }
    })
}

fn pod(namespace: &str, name: &str, container_security: Value, pod_security: Value) -> Value {
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "securityContext": pod_security,
            "containers": [{"name": "app", "image": "ghcr.io/acme/app:1.0@sha256:abc", "securityContext": container_security,
                            "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}, "limits": {"cpu": "100m", "memory": "64Mi"}}}]
        }
    })
}

/// A pod that meets baseline but not restricted, with no finding above medium.
fn baseline_pod(namespace: &str) -> Value {
    pod(
        namespace,
        "baseline",
        json!({"readOnlyRootFilesystem": true}),
        json!({"runAsUser": 1000}),
    )
}

fn restricted_pod(namespace: &str) -> Value {
    pod(
        namespace,
        "restricted",
        json!({"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "capabilities": {"drop": ["ALL"]}}),
        json!({"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}}),
    )
}

fn restricted_namespace(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name,
        "labels": {"pod-security.kubernetes.io/enforce": "restricted"}}})
}

fn response(v: &Value) -> &Value {
    &v["response"]
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_denies_and_allows_by_namespace_level() {
    let server = Server::start();
    let privileged = pod("watched", "bad", json!({"privileged": true}), json!({}));
    let (status, body) = server
        .post("/validate", &review("CREATE", &privileged, None, false))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["apiVersion"], "admission.k8s.io/v1");
    assert_eq!(body["kind"], "AdmissionReview");
    let r = response(&body);
    assert_eq!(r["uid"], "uid-CREATE-bad");
    assert_eq!(r["allowed"], false);
    assert_eq!(r["status"]["code"], 403);
    let message = r["status"]["message"].as_str().unwrap();
    assert!(
        message.contains("violates PodSecurity \"baseline:latest\": privileged"),
        "{message}"
    );
    assert!(
        message.contains("spec.containers[0].securityContext.privileged"),
        "{message}"
    );
    assert!(message.contains("KW104 privileged-container"), "{message}");

    // Baseline-level pod: allowed where baseline is enforced, with restricted
    // warnings and audit annotations; denied where restricted is enforced.
    let body = server.validate("CREATE", &baseline_pod("watched")).await;
    let r = response(&body);
    assert_eq!(r["allowed"], true, "{r}");
    let warnings: Vec<&str> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("would violate PodSecurity \"restricted:latest\"")),
        "{warnings:?}"
    );
    assert!(
        r["auditAnnotations"]["audit-violations"]
            .as_str()
            .unwrap()
            .starts_with("would violate PodSecurity \"restricted:v1.30\"")
    );
    let body = server.validate("CREATE", &baseline_pod("locked")).await;
    assert_eq!(response(&body)["allowed"], false);
    let body = server.validate("CREATE", &restricted_pod("locked")).await;
    assert_eq!(response(&body)["allowed"], true, "{body}");
    // Exempt namespace.
    let body = server.validate("CREATE", &privileged.clone()).await;
    assert_eq!(response(&body)["allowed"], false);
    let mut exempt = privileged;
    exempt["metadata"]["namespace"] = json!("kube-system");
    let body = server.validate("CREATE", &exempt).await;
    assert_eq!(response(&body)["allowed"], true);
    assert_eq!(response(&body)["auditAnnotations"]["exempt"], "namespace");
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_other_kinds_updates_and_dry_run() {
    let server = Server::start();
    let deployment: Value = serde_json::from_str(include_str!(
        "../../kubeward-admission/testdata/review-deployment.json"
    ))
    .unwrap();
    let (_, body) = server.post("/validate", &deployment).await;
    assert_eq!(
        response(&body)["uid"],
        "705ab4f5-6393-11e8-b7cc-42010a800002"
    );
    assert_eq!(response(&body)["allowed"], true, "{body}");

    let binding = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
        "metadata": {"name": "ci-admin"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
        "subjects": [{"kind": "ServiceAccount", "name": "deployer", "namespace": "ci"}]});
    let body = server.validate("CREATE", &binding).await;
    assert_eq!(response(&body)["allowed"], false);
    assert!(
        response(&body)["status"]["message"]
            .as_str()
            .unwrap()
            .contains("KW401 cluster-admin-binding")
    );

    // UPDATE that only scales a workload admitted earlier with a high finding:
    // the finding is a warning, not a denial.
    let mut before = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "legacy", "namespace": "watched"},
        "spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "app", "image": "ghcr.io/acme/app:1",
            "env": [{"name": "DB_PASSWORD", "value": "hunter2"}]}]}}}});
    let body = server.validate("CREATE", &before).await;
    assert_eq!(
        response(&body)["allowed"],
        false,
        "a new credential is denied"
    );
    let mut after = before.clone();
    after["spec"]["replicas"] = json!(3);
    let (_, body) = server
        .post("/validate", &review("UPDATE", &after, Some(&before), false))
        .await;
    let r = response(&body);
    assert_eq!(r["allowed"], true, "{r}");
    assert!(
        r["warnings"]
            .to_string()
            .contains("already present before this update")
    );
    before["spec"]["template"]["spec"]["hostPID"] = json!(false);
    after["spec"]["template"]["spec"]["hostPID"] = json!(true);
    let (_, body) = server
        .post("/validate", &review("UPDATE", &after, Some(&before), false))
        .await;
    assert_eq!(
        response(&body)["allowed"],
        false,
        "a new violation on update is denied"
    );

    // Without client-ca, Namespace reviews never change what the server
    // knows: a pod in that namespace is judged by the defaults (baseline).
    let body = server
        .validate("CREATE", &restricted_namespace("fresh"))
        .await;
    assert_eq!(response(&body)["allowed"], true);
    let body = server.validate("CREATE", &baseline_pod("fresh")).await;
    assert_eq!(
        response(&body)["allowed"],
        true,
        "still the default (baseline) level"
    );
    // DELETE is not checked.
    let body = server.validate("DELETE", &baseline_pod("locked")).await;
    assert_eq!(response(&body)["allowed"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn mutate_adds_defaults_that_pass_restricted() {
    let server = Server::start();
    let bare = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "bare", "namespace": "locked"},
        "spec": {"template": {"spec": {
            "initContainers": [{"name": "init", "image": "registry.k8s.io/pause:3.9"}],
            "containers": [{"name": "app", "image": "registry.k8s.io/pause:3.9", "securityContext": {"readOnlyRootFilesystem": true}},
                           {"name": "side", "image": "registry.k8s.io/pause:3.9", "securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE"]}}}]}}}});
    let (_, before) = server
        .post("/validate", &review("CREATE", &bare, None, false))
        .await;
    assert_eq!(response(&before)["allowed"], false);
    let (status, body) = server
        .post("/mutate", &review("CREATE", &bare, None, false))
        .await;
    assert_eq!(status, 200);
    let r = response(&body);
    assert_eq!(r["patchType"], "JSONPatch");
    use base64::Engine as _;
    let patch_bytes = base64::engine::general_purpose::STANDARD
        .decode(r["patch"].as_str().unwrap())
        .unwrap();
    let patch: json_patch::Patch = serde_json::from_slice(&patch_bytes).unwrap();
    let mut patched = bare.clone();
    json_patch::patch(&mut patched, &patch).unwrap();
    assert_eq!(
        patched["spec"]["template"]["spec"]["automountServiceAccountToken"],
        false
    );
    assert_eq!(
        patched["spec"]["template"]["spec"]["containers"][0]["securityContext"]["readOnlyRootFilesystem"],
        true
    );
    let (_, after) = server
        .post("/validate", &review("CREATE", &patched, None, false))
        .await;
    let message = response(&after)["status"]["message"].as_str().unwrap_or("");
    assert!(
        !message.contains("PodSecurity"),
        "restricted after patching: {message}"
    );

    // Values that are set are never changed.
    let explicit = pod(
        "locked",
        "explicit",
        json!({"allowPrivilegeEscalation": true, "capabilities": {"drop": ["NET_RAW"]}}),
        json!({"runAsNonRoot": false}),
    );
    let (_, body) = server
        .post("/mutate", &review("CREATE", &explicit, None, false))
        .await;
    let patch_bytes = base64::engine::general_purpose::STANDARD
        .decode(response(&body)["patch"].as_str().unwrap())
        .unwrap();
    let ops: Vec<Value> = serde_json::from_slice(&patch_bytes).unwrap();
    let paths: Vec<&str> = ops.iter().map(|o| o["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "/spec/securityContext/seccompProfile",
            "/spec/automountServiceAccountToken"
        ]
    );
}

fn image_review(images: &[&str], annotations: Value) -> Value {
    json!({"apiVersion": "imagepolicy.k8s.io/v1alpha1", "kind": "ImageReview",
           "spec": {"containers": images.iter().map(|i| json!({"image": i})).collect::<Vec<_>>(),
                    "annotations": annotations, "namespace": "shop"}})
}

#[tokio::test(flavor = "multi_thread")]
async fn image_policy_reviews() {
    let server = Server::start();
    let review = image_review;
    let (status, body) = server
        .post(
            "/imagepolicy",
            &review(&["ghcr.io/acme/api:1.2"], json!({})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["kind"], "ImageReview");
    assert_eq!(body["status"]["allowed"], true);
    let (_, body) = server
        .post(
            "/imagepolicy",
            &review(&["ghcr.io/acme/api:1.2", "nginx:1.27"], json!({})),
        )
        .await;
    assert_eq!(body["status"]["allowed"], false);
    assert!(
        body["status"]["reason"]
            .as_str()
            .unwrap()
            .contains("docker.io/library/nginx, outside the allowed registries")
    );
    let (_, body) = server
        .post(
            "/imagepolicy",
            &review(&["ghcr.io/acme/api:latest"], json!({})),
        )
        .await;
    assert!(
        body["status"]["reason"]
            .as_str()
            .unwrap()
            .contains("latest")
    );
    let (_, body) = server
        .post(
            "/imagepolicy",
            &review(
                &["nginx"],
                json!({"kubeward.image-policy.k8s.io/break-glass": "true"}),
            ),
        )
        .await;
    assert_eq!(body["status"]["allowed"], true);
    assert!(body["status"]["auditAnnotations"]["break-glass"].is_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_requests_get_clear_answers() {
    let server = Server::start();
    let (status, message) = server.raw("POST", "/validate", b"{not json").await;
    assert_eq!(status, 400);
    assert!(message.contains("not valid JSON"), "{message}");
    let (status, message) = server
        .raw("POST", "/validate", br#"{"apiVersion": "admission.k8s.io/v1beta1", "kind": "AdmissionReview", "request": {"uid": "1"}}"#)
        .await;
    assert_eq!(status, 400);
    assert!(
        message.contains("expected apiVersion admission.k8s.io/v1"),
        "{message}"
    );
    let (status, message) = server
        .raw("POST", "/validate", br#"{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"operation": "CREATE"}}"#)
        .await;
    assert_eq!(status, 400);
    assert!(message.contains("no uid"));
    let (status, _) = server
        .raw(
            "POST",
            "/imagepolicy",
            br#"{"apiVersion": "v1", "kind": "Pod"}"#,
        )
        .await;
    assert_eq!(status, 400);
    // Too large, declared up front: refused before the body is read.
    let declared = raw_exchange(
        &server,
        "content-length: 3145729\r\n",
        b"",
        Duration::from_secs(5),
    )
    .await;
    assert!(declared.starts_with("HTTP/1.1 413"), "{declared}");
    assert!(declared.contains("larger than 3145728 bytes"), "{declared}");
    // Too large, streamed in chunks with no length: refused once over the limit.
    let chunk = format!("100000\r\n{}\r\n", " ".repeat(0x10_0000));
    let chunked = raw_exchange(
        &server,
        "transfer-encoding: chunked\r\n",
        chunk.repeat(4).as_bytes(),
        Duration::from_secs(5),
    )
    .await;
    assert!(chunked.starts_with("HTTP/1.1 413"), "{chunked}");
    assert_eq!(server.raw("GET", "/validate", b"").await.0, 405);
    assert_eq!(server.raw("GET", "/nope", b"").await.0, 404);
    assert_eq!(
        server.raw("GET", "/healthz", b"").await,
        (200, "ok\n".to_owned())
    );
    assert_eq!(server.raw("GET", "/readyz", b"").await.0, 200);

    // A client that sends headers and then stalls gets 408, and the server
    // keeps serving others meanwhile.
    let slow = raw_exchange(
        &server,
        "content-length: 1000\r\n",
        b"{\"apiVersion\":",
        Duration::from_millis(2500),
    )
    .await;
    assert!(slow.starts_with("HTTP/1.1 408"), "{slow}");
    assert!(slow.contains("not received within"), "{slow}");

    let (_, metrics) = server.raw("GET", "/metrics", b"").await;
    assert!(
        metrics.contains("kubeward_admission_requests_total{endpoint=\"validate\",code=\"400\"} 3"),
        "{metrics}"
    );
    assert!(
        metrics.contains("kubeward_admission_requests_total{endpoint=\"validate\",code=\"413\"} 2")
    );
    assert!(
        metrics.contains("kubeward_admission_requests_total{endpoint=\"validate\",code=\"408\"} 1")
    );
    assert!(metrics.contains("kubeward_admission_request_duration_seconds_bucket{le="));
}

/// A raw TLS stream to the server, sent `POST /validate` with the given
/// extra header lines (for requests a well-behaved client would not send).
async fn raw_post(
    server: &Server,
    headers: &str,
) -> tokio_rustls::client::TlsStream<tokio::net::TcpStream> {
    use tokio::io::AsyncWriteExt;
    let tcp = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let mut tls = tokio_rustls::TlsConnector::from(server.tls())
        .connect(name, tcp)
        .await
        .unwrap();
    let head = format!(
        "POST /validate HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n{headers}\r\n"
    );
    tls.write_all(head.as_bytes()).await.unwrap();
    tls
}

/// Sends `POST /validate` with the given extra header lines and body bytes
/// (write errors ignored: the server may answer and close early), and returns
/// the raw response read within `wait`.
async fn raw_exchange(server: &Server, headers: &str, body: &[u8], wait: Duration) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut tls = raw_post(server, headers).await;
    let _ = tls.write_all(body).await;
    let _ = tls.flush().await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(wait, tls.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_beyond_the_limit_wait_for_one_to_close() {
    let server = Server::start_configured("max-connections = 1\n", "");
    let mut first = server.connect().await;
    let healthz = first.send("GET", "/healthz", None).await.unwrap();
    assert_eq!(healthz.status(), 200);
    // The one slot is taken: a second client's TLS handshake is not answered.
    let refused = tokio::time::timeout(Duration::from_millis(800), server.connect()).await;
    assert!(refused.is_err(), "a second connection was served");
    let second = tokio::spawn({
        let (addr, tls) = (server.addr, server.tls());
        async move {
            let mut conn = Connection::open(addr, "localhost", tls).await.unwrap();
            conn.send("GET", "/healthz", None).await.unwrap().status()
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !second.is_finished(),
        "served while the first connection is open"
    );
    drop(first);
    let status = tokio::time::timeout(Duration::from_secs(5), second)
        .await
        .expect("served once the first connection closed")
        .unwrap();
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_beyond_the_limit_wait_their_turn() {
    use tokio::io::AsyncReadExt;
    // One request in flight; each has 1.5 s to send its body.
    let server = Server::start_configured("max-in-flight = 1\n", "");
    let read_all = |mut tls: tokio_rustls::client::TlsStream<tokio::net::TcpStream>| async move {
        let mut out = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(5), tls.read_to_end(&mut out)).await;
        String::from_utf8_lossy(&out).into_owned()
    };
    // Two clients that send headers and stall: the first holds the turn until
    // its 408 at 1.5 s, the second then holds it until 3 s.
    let first = tokio::spawn(read_all(
        raw_post(&server, "content-length: 1000\r\n").await,
    ));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let second = tokio::spawn(read_all(
        raw_post(&server, "content-length: 1000\r\n").await,
    ));
    tokio::time::sleep(Duration::from_millis(300)).await;
    // A whole review sent now waits behind both, and gives up at 2.1 s.
    let object = restricted_pod("team-b");
    let waiting = tokio::spawn({
        let body = serde_json::to_vec(&review("CREATE", &object, None, false)).unwrap();
        let (addr, tls) = (server.addr, server.tls());
        async move {
            let mut conn = Connection::open(addr, "localhost", tls).await.unwrap();
            let answer = conn
                .send("POST", "/validate", Some(body.into()))
                .await
                .unwrap();
            (
                answer.status().as_u16(),
                String::from_utf8_lossy(answer.body()).into_owned(),
            )
        }
    });
    // Requests without a body are not held back.
    let started = Instant::now();
    assert_eq!(server.raw("GET", "/healthz", b"").await.0, 200);
    assert!(started.elapsed() < Duration::from_secs(1));

    let (status, message) = waiting.await.unwrap();
    assert_eq!(status, 503, "{message}");
    assert!(message.contains("too many requests in flight"), "{message}");
    assert!(first.await.unwrap().starts_with("HTTP/1.1 408"));
    assert!(second.await.unwrap().starts_with("HTTP/1.1 408"));
    // With the turn free again, a review is answered.
    let answer = server.validate("CREATE", &object).await;
    assert_eq!(response(&answer)["allowed"], true, "{answer}");
    let (_, metrics) = server.raw("GET", "/metrics", b"").await;
    assert!(
        metrics.contains("kubeward_admission_requests_refused_total 1"),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn tls_versions_metrics_and_certificate_reload() {
    let server = Server::start();
    for version in [&rustls::version::TLS12, &rustls::version::TLS13] {
        let tls = Arc::new(client_config(&server.ca, None, &[version]).unwrap());
        let mut conn = Connection::open(server.addr, "localhost", tls)
            .await
            .unwrap();
        assert_eq!(
            conn.send("GET", "/healthz", None).await.unwrap().status(),
            200
        );
    }
    let (_, body) = server
        .post(
            "/validate",
            &review(
                "CREATE",
                &pod("watched", "bad", json!({"privileged": true}), json!({})),
                None,
                false,
            ),
        )
        .await;
    assert_eq!(response(&body)["allowed"], false);
    let (_, metrics) = server.raw("GET", "/metrics", b"").await;
    assert!(
        metrics.contains(
            "kubeward_admission_verdicts_total{endpoint=\"validate\",outcome=\"denied\"} 1"
        ),
        "{metrics}"
    );
    assert!(metrics.contains("kubeward_admission_rule_fired_total{rule=\"KW104\"} 1"));

    // Rotate: a new CA and certificate written over the files.
    let (new_ca, _, _) = write_pki(server.dir.path(), "two");
    let new_tls = Arc::new(client_config(&new_ca, None, rustls::ALL_VERSIONS).unwrap());
    let mut rotated = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        if Connection::open(server.addr, "localhost", new_tls.clone())
            .await
            .is_ok()
        {
            rotated = true;
            break;
        }
    }
    assert!(rotated, "the new certificate is served without a restart");
    assert!(
        Connection::open(server.addr, "localhost", server.tls())
            .await
            .is_err(),
        "the old CA no longer verifies"
    );
    let mut conn = Connection::open(server.addr, "localhost", new_tls)
        .await
        .unwrap();
    let metrics = conn.send("GET", "/metrics", None).await.unwrap();
    assert!(
        String::from_utf8_lossy(metrics.body()).contains("kubeward_admission_tls_reloads_total 1")
    );
}

#[test]
fn sigterm_finishes_in_flight_requests_and_exits_zero() {
    let mut server = Server::start();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // Start a request, send half its body, then SIGTERM, then the rest.
    let body =
        serde_json::to_vec(&review("CREATE", &restricted_pod("locked"), None, false)).unwrap();
    let (first, rest) = body.split_at(body.len() / 2);
    let answer = runtime.block_on(async {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let headers = format!("connection: close\r\ncontent-length: {}\r\n", body.len());
        let mut tls = raw_post(&server, &headers).await;
        tls.write_all(first).await.unwrap();
        tls.flush().await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        server.terminate();
        tokio::time::sleep(Duration::from_millis(300)).await;
        // No new connections once shutdown started.
        assert!(TcpStream::connect_timeout(&server.addr, Duration::from_millis(500)).is_err());
        tls.write_all(rest).await.unwrap();
        tls.flush().await.unwrap();
        let mut out = Vec::new();
        tls.read_to_end(&mut out).await.unwrap();
        String::from_utf8_lossy(&out).into_owned()
    });
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"allowed\":true"), "{answer}");
    let status = server.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

/// Scans an image built here (OCI layout) and records its verdict in `store`,
/// as a CI job would; returns the manifest digest.
fn scan_and_record(dir: &Path, user: Option<&str>, store: &Path) -> String {
    use kubeward_image::synth::{Compression, LayerBuilder, write_oci_layout};
    let mut layer = LayerBuilder::new();
    layer.entry("app/", b'5', 0o755, b"", "");
    layer.entry("app/config.txt", b'0', 0o644, b"greeting = hello\n", "");
    let digest =
        write_oci_layout(dir, &[layer.finish()], Compression::Gzip, user, &json!({})).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args([
            "image",
            "scan",
            "--skip-vulnerabilities",
            "--fail-on",
            "high",
            "--quiet",
            "--record",
        ])
        .arg(store)
        .arg("--input")
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    digest
}

#[tokio::test(flavor = "multi_thread")]
async fn image_policy_reads_prescanned_verdicts() {
    let work = tempfile::tempdir().unwrap();
    let store = work.path().join("verdicts");
    let clean = scan_and_record(&work.path().join("clean"), Some("1000"), &store);
    // No USER: runs as root (KW801, high), which fails a `--fail-on high` scan.
    let root = scan_and_record(&work.path().join("root"), None, &store);
    let unknown = format!("sha256:{}", "0".repeat(64));
    let image = |digest: &str| format!("ghcr.io/acme/api@{digest}");
    let status = |body: Value| body["status"].clone();

    let server = Server::start_with(&format!("\n[serve.image-policy]\nverdicts = {store:?}\n"));
    let (code, body) = server
        .post("/imagepolicy", &image_review(&[&image(&clean)], json!({})))
        .await;
    assert_eq!(code, 200);
    assert_eq!(status(body)["allowed"], true);
    let (_, body) = server
        .post("/imagepolicy", &image_review(&[&image(&root)], json!({})))
        .await;
    let refused = status(body);
    assert_eq!(refused["allowed"], false);
    let reason = refused["reason"].as_str().unwrap();
    assert!(
        reason.contains("failed its scan") && reason.contains("KW801"),
        "{reason}"
    );
    for (reference, why) in [
        (image(&unknown), "has no pre-scanned verdict"),
        ("ghcr.io/acme/api:1.2".to_owned(), "not pinned by digest"),
    ] {
        let (_, body) = server
            .post("/imagepolicy", &image_review(&[&reference], json!({})))
            .await;
        let s = status(body);
        assert_eq!(s["allowed"], false, "{reference}");
        assert!(s["reason"].as_str().unwrap().contains(why), "{s}");
    }
    server.terminate();

    // With `allow-unscanned`, only failing verdicts refuse.
    let lenient = Server::start_with(&format!(
        "\n[serve.image-policy]\nverdicts = {store:?}\nallow-unscanned = true\n"
    ));
    for (reference, allowed) in [
        (image(&unknown), true),
        (image(&root), false),
        ("ghcr.io/acme/api:1.2".to_owned(), true),
    ] {
        let (_, body) = lenient
            .post("/imagepolicy", &image_review(&[&reference], json!({})))
            .await;
        assert_eq!(status(body)["allowed"], allowed, "{reference}");
    }
}

/// Opens a connection and asks for `/healthz`: the status, or why not.
async fn healthz(server: &Server, tls: Arc<rustls::ClientConfig>) -> Result<u16, String> {
    let mut conn = Connection::open(server.addr, "localhost", tls)
        .await
        .map_err(|e| e.to_string())?;
    // With TLS 1.3 the server's refusal of a client certificate arrives
    // after the client's side of the handshake: on the first exchange.
    let answer = conn
        .send("GET", "/healthz", None)
        .await
        .map_err(|e| e.to_string())?;
    Ok(answer.status().as_u16())
}

#[tokio::test(flavor = "multi_thread")]
async fn with_a_client_ca_only_verified_clients_are_served_and_may_set_namespace_levels() {
    let server = Server::start_mtls("learn-namespaces = true\n");
    // No client certificate: refused at the handshake, for every endpoint.
    for version in [&rustls::version::TLS12, &rustls::version::TLS13] {
        let anonymous = Arc::new(client_config(&server.ca, None, &[version]).unwrap());
        assert!(
            healthz(&server, anonymous).await.is_err(),
            "served without a certificate"
        );
    }
    // A certificate from another CA: refused too.
    let stranger_ca = new_ca("stranger");
    let stranger = write_client_cert(server.dir.path(), &stranger_ca, "stranger");
    let forged = Arc::new(
        client_config(
            &server.ca,
            Some((&stranger.0, &stranger.1)),
            rustls::ALL_VERSIONS,
        )
        .unwrap(),
    );
    assert!(healthz(&server, forged).await.is_err(), "served a stranger");
    // The API server's certificate: served, and its Namespace reviews count.
    assert_eq!(healthz(&server, server.tls()).await, Ok(200));
    let (_, body) = server
        .post(
            "/validate",
            &review("CREATE", &restricted_namespace("fresh"), None, true),
        )
        .await;
    assert_eq!(response(&body)["allowed"], true);
    let body = server.validate("CREATE", &baseline_pod("fresh")).await;
    assert_eq!(response(&body)["allowed"], true, "a dry run is not learned");
    let body = server
        .validate("CREATE", &restricted_namespace("fresh"))
        .await;
    assert_eq!(response(&body)["allowed"], true);
    let body = server.validate("CREATE", &baseline_pod("fresh")).await;
    assert_eq!(response(&body)["allowed"], false, "now restricted: {body}");
    assert!(
        server
            .log
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("clients must present a certificate signed by"))
    );
}

/// Runs `kubeward serve` with the configuration `toml` and returns its exit
/// code and stderr (for configurations it must refuse before serving).
fn serve_refuses(dir: &Path, toml: &str) -> (Option<i32>, String) {
    let config = dir.join("refused.toml");
    std::fs::write(&config, toml).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args(["serve", "--listen", "127.0.0.1:0", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn learning_namespaces_needs_a_client_ca_and_a_bad_ca_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_pki(dir.path(), "one");
    let base = Server::config_text(dir.path(), "", "");
    let (code, stderr) = serve_refuses(
        dir.path(),
        &base.replace("[serve]\n", "[serve]\nlearn-namespaces = true\n"),
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("learn-namespaces needs client-ca"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    let junk = dir.path().join("junk.crt");
    std::fs::write(&junk, "not a certificate").unwrap();
    let (code, stderr) = serve_refuses(
        dir.path(),
        &base.replace("[serve]\n", &format!("[serve]\nclient-ca = {junk:?}\n")),
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("client CA (--client-ca)"), "{stderr}");
    // Invalid Pod Security labels in the namespace manifests.
    std::fs::write(
        dir.path().join("namespaces.yaml"),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  labels:\n    pod-security.kubernetes.io/warn: strict\n",
    )
    .unwrap();
    let (code, stderr) = serve_refuses(dir.path(), &base);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("namespaces.yaml:1: Namespace x: label pod-security.kubernetes.io/warn"),
        "{stderr}"
    );
}

/// Every audit annotation key a response carries.
fn audit_keys(body: &Value) -> Vec<String> {
    let annotations = if body["kind"] == "ImageReview" {
        &body["status"]["auditAnnotations"]
    } else {
        &body["response"]["auditAnnotations"]
    };
    annotations
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_annotation_keys_are_bare_and_ignore_annotations_are_not_honoured() {
    let server = Server::start_configured("deny-on = \"high\"\n", "");
    let mut keys = Vec::new();
    // Findings and audit-mode violations (the `watched` namespace audits restricted).
    let body = server.validate("CREATE", &baseline_pod("watched")).await;
    keys.extend(audit_keys(&body));
    // An exempt request, to /validate and /mutate.
    let exempt = pod("kube-system", "sys", json!({}), json!({}));
    keys.extend(audit_keys(&server.validate("CREATE", &exempt).await));
    let (_, body) = server
        .post("/mutate", &review("CREATE", &exempt, None, false))
        .await;
    keys.extend(audit_keys(&body));
    // Break glass.
    let (_, body) = server
        .post(
            "/imagepolicy",
            &image_review(
                &["nginx"],
                json!({"kubeward.image-policy.k8s.io/break-glass": "true"}),
            ),
        )
        .await;
    keys.extend(audit_keys(&body));
    // The object's own ignore annotation: not honoured, and the answer says so.
    let binding = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
        "metadata": {"name": "x", "annotations": {"kubeward.io/ignore": "cluster-admin-binding"}},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
        "subjects": [{"kind": "Group", "name": "system:anonymous", "apiGroup": "rbac.authorization.k8s.io"}]});
    let body = server.validate("CREATE", &binding).await;
    let r = response(&body);
    assert_eq!(r["allowed"], false, "{r}");
    let message = r["status"]["message"].as_str().unwrap();
    assert!(
        message.contains("KW401 cluster-admin-binding (high) at roleRef")
            && message.contains("(kubeward.io/ignore is not honoured at admission here)"),
        "{message}"
    );
    keys.extend(audit_keys(&body));
    for expected in ["audit-violations", "findings", "exempt", "break-glass"] {
        assert!(keys.iter().any(|k| k == expected), "{expected} in {keys:?}");
    }
    for key in &keys {
        assert!(
            !key.contains('/')
                && key.len() <= 63
                && key.starts_with(|c: char| c.is_ascii_alphanumeric())
                && key.ends_with(|c: char| c.is_ascii_alphanumeric())
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
            "{key} is not a valid name part"
        );
    }

    // Where the operator lets it, the annotation is honoured, and still shown.
    let lenient = Server::start_configured("honour-ignore-annotations = [\"*\"]\n", "");
    let body = lenient.validate("CREATE", &binding).await;
    let r = response(&body);
    assert_eq!(r["allowed"], true, "{r}");
    assert!(
        r["warnings"]
            .to_string()
            .contains("(silenced by kubeward.io/ignore)"),
        "{r}"
    );
    assert_eq!(r["auditAnnotations"]["suppressed"], "KW401", "{r}");
}

/// Applies the patch of a `/mutate` answer to `object`.
fn patched(body: &Value, object: &Value) -> Value {
    use base64::Engine as _;
    let mut out = object.clone();
    if let Some(patch) = response(body)["patch"].as_str() {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(patch)
            .unwrap();
        let patch: json_patch::Patch = serde_json::from_slice(&bytes).unwrap();
        json_patch::patch(&mut out, &patch).unwrap();
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn mutate_respects_exemptions_uid_zero_containers_and_seccomp_annotations() {
    let server = Server::start();
    let mutate = |object: Value, user: &'static str| {
        let server = &server;
        async move {
            let mut body = review("CREATE", &object, None, false);
            body["request"]["userInfo"]["username"] = json!(user);
            let (status, answer) = server.post("/mutate", &body).await;
            assert_eq!(status, 200);
            (answer.clone(), patched(&answer, &object))
        }
    };
    // Exempt by namespace, user or runtime class: left as it is.
    let bare = |namespace: &str, runtime_class: &str| {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": namespace},
               "spec": {"runtimeClassName": runtime_class, "containers": [{"name": "c", "image": "x:1"}]}})
    };
    for (object, user, why) in [
        (bare("kube-system", "runc"), "alice", "namespace"),
        (bare("apps", "runc"), "system:admin-exempt", "username"),
        (bare("apps", "kata"), "alice", "runtimeClass"),
    ] {
        let (answer, after) = mutate(object.clone(), user).await;
        assert_eq!(after, object, "{why}");
        assert_eq!(response(&answer)["auditAnnotations"]["exempt"], why);
    }
    let (_, after) = mutate(bare("apps", "runc"), "alice").await;
    assert_eq!(after["spec"]["automountServiceAccountToken"], false);

    // A container that runs as UID 0 on purpose gets no pod runAsNonRoot.
    let root = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "root", "namespace": "apps"},
        "spec": {"containers": [{"name": "c", "image": "x:1", "securityContext": {"runAsUser": 0}}]}});
    let (_, after) = mutate(root, "alice").await;
    assert_eq!(
        after["spec"]["securityContext"].get("runAsNonRoot"),
        None,
        "{after}"
    );
    assert_eq!(
        after["spec"]["securityContext"]["seccompProfile"]["type"],
        "RuntimeDefault"
    );

    // The legacy seccomp annotation: no field that could disagree with it.
    let annotated = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "apps"},
        "spec": {"template": {"metadata": {"annotations": {"seccomp.security.alpha.kubernetes.io/pod": "localhost/profiles/app.json"}},
                              "spec": {"containers": [{"name": "c", "image": "x:1"}]}}}});
    let (_, after) = mutate(annotated, "alice").await;
    let pod_security = &after["spec"]["template"]["spec"]["securityContext"];
    assert_eq!(pod_security["runAsNonRoot"], true, "{after}");
    assert_eq!(pod_security.get("seccompProfile"), None, "{after}");
}

#[tokio::test(flavor = "multi_thread")]
async fn warnings_fit_the_api_servers_limits_and_secrets_are_not_flagged() {
    let server = Server::start_configured("deny-on = \"low\"\n", "");
    // Pods in `watched` are warned at restricted.
    let containers: Vec<Value> = ["web", "sidecar", "metrics", "proxy"]
        .iter()
        .map(|name| json!({"name": name, "image": "ghcr.io/acme/app:1@sha256:abc", "securityContext": {"runAsNonRoot": true}}))
        .collect();
    let deployment = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "watched"},
        "spec": {"template": {"spec": {"containers": containers}}}});
    let body = server.validate("CREATE", &deployment).await;
    let warnings: Vec<&str> = response(&body)["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    let escalation: Vec<&&str> = warnings
        .iter()
        .filter(|w| w.contains("allowPrivilegeEscalation != false"))
        .collect();
    assert_eq!(escalation.len(), 1, "{warnings:?}");
    assert!(
        escalation[0].contains(r#"(containers "web", "sidecar", "metrics", "proxy" must set securityContext.allowPrivilegeEscalation=false)"#),
        "{}",
        escalation[0]
    );
    assert!(
        warnings.iter().all(|w| w.chars().count() <= 256),
        "{warnings:?}"
    );
    let total: usize = warnings.iter().map(|w| w.chars().count()).sum();
    assert!(total <= 4096, "{total}");

    // Every Secret at the API carries data: KW303 is for manifests in Git.
    let secret = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "apps"},
        "type": "Opaque", "data": {"password": "aHVudGVyMg=="}, "stringData": {"token": "x"}});
    let body = server.validate("CREATE", &secret).await;
    assert_eq!(response(&body)["allowed"], true, "{body}");
    assert!(!body.to_string().contains("KW303"), "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn namespace_labels_are_checked_and_template_annotations_count_as_changes() {
    let server = Server::start_mtls("learn-namespaces = true\ndeny-on = \"none\"\n");
    // Invalid Pod Security labels are refused, exempt user or not.
    let mut bogus = restricted_namespace("typo");
    bogus["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] = json!("bogus");
    let mut by_admin = review("CREATE", &bogus, None, false);
    by_admin["request"]["userInfo"]["username"] = json!("system:admin-exempt");
    let (_, body) = server.post("/validate", &by_admin).await;
    let r = response(&body);
    assert_eq!(r["allowed"], false, "{r}");
    assert_eq!(r["status"]["code"], 422);
    assert!(
        r["status"]["message"].as_str().unwrap().contains(
            "invalid Pod Security labels: label pod-security.kubernetes.io/enforce: unknown Pod Security level `bogus`"
        ),
        "{r}"
    );
    // A valid Namespace from an exempt identity is exempt, and still learned.
    let mut by_admin = review("CREATE", &restricted_namespace("team-a"), None, false);
    by_admin["request"]["userInfo"]["username"] = json!("system:admin-exempt");
    let (_, body) = server.post("/validate", &by_admin).await;
    assert_eq!(response(&body)["auditAnnotations"]["exempt"], "username");
    let body = server.validate("CREATE", &baseline_pod("team-a")).await;
    assert_eq!(response(&body)["allowed"], false, "learned: {body}");

    // An UPDATE that only adds an AppArmor annotation to the template is
    // checked against enforce (baseline in `watched`); a restart stamp is not.
    let before = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "watched"},
        "spec": {"template": {"metadata": {"annotations": {}}, "spec": {"containers": [{"name": "c", "image": "ghcr.io/acme/app:1"}]}}}});
    let mut restarted = before.clone();
    restarted["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"] =
        json!("2025-01-01T00:00:00Z");
    let (_, body) = server
        .post(
            "/validate",
            &review("UPDATE", &restarted, Some(&before), false),
        )
        .await;
    assert_eq!(response(&body)["allowed"], true, "{body}");
    let mut unconfined = before.clone();
    unconfined["spec"]["template"]["metadata"]["annotations"]["container.apparmor.security.beta.kubernetes.io/c"] =
        json!("unconfined");
    let (_, body) = server
        .post(
            "/validate",
            &review("UPDATE", &unconfined, Some(&before), false),
        )
        .await;
    let r = response(&body);
    assert_eq!(r["allowed"], false, "{r}");
    assert!(
        r["status"]["message"]
            .as_str()
            .unwrap()
            .contains("violates PodSecurity \"baseline:latest\""),
        "{r}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_certificate_on_disk_is_logged_once() {
    let server = Server::start();
    let cert = server.dir.path().join("tls.crt");
    std::fs::write(&cert, "junk").unwrap();
    // Reloads are checked every second: give it four checks.
    tokio::time::sleep(Duration::from_millis(4500)).await;
    let complaints = |server: &Server| {
        server
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains("keeping the old certificate"))
            .count()
    };
    assert_eq!(complaints(&server), 1);
    // Still serving the old certificate; a further bad write is reported again.
    assert_eq!(server.raw("GET", "/healthz", b"").await.0, 200);
    std::fs::write(&cert, "more junk").unwrap();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(complaints(&server), 2);
}
