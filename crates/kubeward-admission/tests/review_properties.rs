//! What every review endpoint promises whatever it is sent: an answer, never
//! a panic; a 400 for a body it cannot read; and for a readable review, a
//! JSON response that echoes the request's uid.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::sync::LazyLock;

use hyper::body::Body as _;
use kubeward_admission::config::ServeConfig;
use kubeward_admission::server::{App, review_endpoint};
use kubeward_core::Severity;
use kubeward_core::config::{ImagesConfig, RulesConfig, Threshold};
use kubeward_workload::pss::Level;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Restricted everywhere, so that every Pod Security check runs.
static APP: LazyLock<App> = LazyLock::new(|| {
    let mut serve = ServeConfig::default();
    let defaults = &mut serve.defaults;
    defaults.enforce = Level::Restricted;
    defaults.audit = Level::Restricted;
    defaults.warn = Level::Baseline;
    serve.deny_on = Threshold::At(Severity::Medium);
    let images = ImagesConfig {
        allowed_registries: vec!["registry.k8s.io".into()],
    };
    App::from_config(&serve, &RulesConfig::default(), &images).unwrap()
});

const ENDPOINTS: [&str; 3] = ["validate", "mutate", "imagepolicy"];

/// The status and body of an answer.
fn answer(endpoint: &'static str, body: &[u8]) -> (u16, Vec<u8>) {
    let response = review_endpoint(&APP, endpoint, body);
    let status = response.status().as_u16();
    let bytes = body_bytes(response.into_body());
    (status, bytes)
}

/// A response body's bytes: it is one buffer in memory, ready at the first poll.
fn body_bytes(body: http_body_util::Full<bytes::Bytes>) -> Vec<u8> {
    let mut body = std::pin::pin!(body);
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    let mut out = Vec::new();
    while let std::task::Poll::Ready(Some(frame)) = body.as_mut().poll_frame(&mut cx) {
        if let Ok(data) = frame.unwrap().into_data() {
            out.extend_from_slice(&data);
        }
    }
    out
}

/// Any JSON value, with the keys and shapes of pod specs mixed in so that
/// the rules get past their first lookups.
fn any_json() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec![
        "spec",
        "template",
        "containers",
        "initContainers",
        "securityContext",
        "image",
        "name",
        "hostNetwork",
        "hostPath",
        "volumes",
        "capabilities",
        "add",
        "drop",
        "privileged",
        "runAsUser",
        "runAsNonRoot",
        "ports",
        "hostPort",
        "metadata",
        "annotations",
        "labels",
        "seccompProfile",
        "type",
        "env",
        "valueFrom",
        "sysctls",
        "resources",
        "limits",
        "jobTemplate",
        "items",
        "rules",
        "subjects",
        "roleRef",
        "x",
    ])
    .prop_map(str::to_owned);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        "[a-zA-Z0-9:/._@-]{0,12}".prop_map(Value::from),
        prop::sample::select(vec![
            "Localhost",
            "RuntimeDefault",
            "ALL",
            "SYS_ADMIN",
            "0",
            "true"
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn kind() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "Pod",
        "Deployment",
        "CronJob",
        "Namespace",
        "ClusterRoleBinding",
        "Service",
        "Secret",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Bytes that are not a review get a 400 from every endpoint.
    #[test]
    fn any_bytes_get_an_answer(body in prop::collection::vec(any::<u8>(), 0..256)) {
        for endpoint in ENDPOINTS {
            let (status, _) = answer(endpoint, &body);
            prop_assert!(status == 200 || status == 400, "{endpoint}: {status}");
        }
    }

    /// A readable review, whatever its object, is answered with its uid.
    #[test]
    fn any_object_is_answered_with_its_uid(
        kind in kind(),
        spec in any_json(),
        old_spec in any_json(),
        operation in prop::sample::select(vec!["CREATE", "UPDATE", "DELETE", "CONNECT"]),
        dry_run in any::<bool>(),
        uid in "[a-f0-9-]{1,36}",
    ) {
        let object = |spec: &Value| json!({
            "apiVersion": "v1", "kind": kind,
            "metadata": {"name": "n", "namespace": "apps"},
            "spec": spec,
        });
        let review = json!({
            "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": {
                "uid": uid, "operation": operation, "dryRun": dry_run,
                "kind": {"group": "", "version": "v1", "kind": kind},
                "name": "n", "namespace": "apps",
                "object": object(&spec), "oldObject": object(&old_spec),
            }
        });
        for endpoint in ["validate", "mutate"] {
            let (status, body) = answer(endpoint, review.to_string().as_bytes());
            prop_assert_eq!(status, 200);
            let response: Value = serde_json::from_slice(&body).unwrap();
            prop_assert_eq!(&response["response"]["uid"], &json!(uid));
            prop_assert!(response["response"]["allowed"].is_boolean());
        }
    }

    /// An image review with any containers and annotations gets a verdict.
    #[test]
    fn any_image_review_gets_a_verdict(
        images in prop::collection::vec("[a-z.:/@0-9-]{0,40}", 0..4),
        annotations in prop::collection::btree_map("[a-z./-]{1,30}", "[a-z]{0,5}", 0..3),
    ) {
        let review = json!({
            "apiVersion": "imagepolicy.k8s.io/v1alpha1", "kind": "ImageReview",
            "spec": {
                "containers": images.iter().map(|i| json!({"image": i})).collect::<Vec<_>>(),
                "annotations": annotations, "namespace": "apps",
            }
        });
        let (status, body) = answer("imagepolicy", review.to_string().as_bytes());
        prop_assert_eq!(status, 200);
        let response: Value = serde_json::from_slice(&body).unwrap();
        prop_assert!(response["status"]["allowed"].is_boolean());
    }
}
