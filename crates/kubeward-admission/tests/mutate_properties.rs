//! The mutation promise, over generated workloads: applying `/mutate`'s patch
//! to an object with no explicit violation gives one that meets the
//! restricted Pod Security level, and the patch never changes a set value.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use std::sync::Arc;

use kubeward_admission::config::MutateConfig;
use kubeward_admission::mutate::patch;
use kubeward_core::object::objects_from;
use kubeward_core::{Node, Origin};
use kubeward_workload::pod::Pod;
use kubeward_workload::pss::{self, Level, Version};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// A setting that is either left unset or set to a compliant value.
fn maybe(value: Value) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![Just(None), Just(Some(value))]
}

fn container(name: String) -> impl Strategy<Value = Value> {
    (
        maybe(json!(false)),
        maybe(json!({"drop": ["ALL"]})),
        maybe(json!({"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]})),
        maybe(json!(true)),
        maybe(json!({"type": "RuntimeDefault"})),
        any::<bool>(),
    )
        .prop_map(
            move |(ape, drop, drop_add, non_root, seccomp, empty_context)| {
                let mut security = Map::new();
                if let Some(v) = ape {
                    security.insert("allowPrivilegeEscalation".into(), v);
                }
                if let Some(v) = drop_add.or(drop) {
                    security.insert("capabilities".into(), v);
                }
                if let Some(v) = non_root {
                    security.insert("runAsNonRoot".into(), v);
                }
                if let Some(v) = seccomp {
                    security.insert("seccompProfile".into(), v);
                }
                let mut c = json!({"name": name, "image": "registry.k8s.io/pause:3.9"});
                if !security.is_empty() || empty_context {
                    c["securityContext"] = Value::Object(security);
                }
                c
            },
        )
}

fn pod_spec() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(container("c".into()), 1..3),
        prop::collection::vec(container("i".into()), 0..2),
        maybe(json!(true)),
        maybe(json!({"type": "RuntimeDefault"})),
        maybe(json!(1000)),
        any::<bool>(),
    )
        .prop_map(
            |(mut containers, mut init, non_root, seccomp, uid, windows)| {
                for (i, c) in containers.iter_mut().enumerate() {
                    c["name"] = json!(format!("c{i}"));
                }
                for (i, c) in init.iter_mut().enumerate() {
                    c["name"] = json!(format!("i{i}"));
                }
                let mut security = Map::new();
                if let Some(v) = non_root {
                    security.insert("runAsNonRoot".into(), v);
                }
                if let Some(v) = seccomp {
                    security.insert("seccompProfile".into(), v);
                }
                if let Some(v) = uid {
                    security.insert("runAsUser".into(), v);
                }
                let mut spec = json!({"containers": containers});
                if !init.is_empty() {
                    spec["initContainers"] = json!(init);
                }
                if !security.is_empty() {
                    spec["securityContext"] = Value::Object(security);
                }
                if windows {
                    // Windows pods cannot carry Linux-only settings at all.
                    for list in ["containers", "initContainers"] {
                        for c in spec[list].as_array_mut().into_iter().flatten() {
                            if let Some(s) =
                                c.get_mut("securityContext").and_then(Value::as_object_mut)
                            {
                                s.retain(|k, _| k == "runAsNonRoot");
                            }
                        }
                    }
                    if let Some(s) = spec
                        .get_mut("securityContext")
                        .and_then(Value::as_object_mut)
                    {
                        s.remove("seccompProfile");
                    }
                    spec["os"] = json!({"name": "windows"});
                }
                spec
            },
        )
}

fn workload() -> impl Strategy<Value = Value> {
    (pod_spec(), 0..3usize).prop_map(|(spec, kind)| match kind {
        0 => json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}),
        1 => json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
                    "spec": {"template": {"spec": spec}}}),
        _ => json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"},
                    "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}),
    })
}

fn with_pod<T>(value: &Value, f: impl FnOnce(&Pod<'_>) -> T) -> T {
    let node: Node = serde_json::from_value(value.clone()).unwrap();
    let mut objects = Vec::new();
    objects_from(
        node,
        &Arc::new(Origin::input("generated".into())),
        &mut objects,
        &mut Vec::new(),
    );
    f(&Pod::of(&objects[0]).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn patched_workloads_meet_restricted(original in workload()) {
        let ops = with_pod(&original, |pod| patch(pod, &MutateConfig::default()));
        let patch: json_patch::Patch = serde_json::from_value(serde_json::to_value(&ops).unwrap()).unwrap();
        let mut patched = original.clone();
        json_patch::patch(&mut patched, &patch).unwrap();
        let denied = with_pod(&patched, |pod| pss::denying_checks(pod, Level::Restricted, Version::Latest));
        prop_assert!(denied.is_empty(), "{denied:?}\n{patched:#}");
        // Nothing that was set changed.
        let mut before = Vec::new();
        common::leaves(&original, String::new(), &mut before);
        for (pointer, value) in before {
            prop_assert_eq!(patched.pointer(&pointer), Some(&value), "{}", pointer);
        }
    }
}
