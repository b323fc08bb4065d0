//! Fields of Kubernetes audit events: the `ka.*` fields of Falco's k8saudit
//! plugin and the `jevt.*`/`json.*` fields of its json plugin.
//!
//! Values are strings (non-string JSON is rendered as compact JSON text, so a
//! boolean reads `true` and a number its digits); list fields collect every
//! element, skipping elements that lack the value. An event without an
//! `auditID` has no `ka.*` field, as in the plugin.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;
use serde_json::Value;

use super::{FieldType, Lookup, Source, has_known_prefix};
use crate::event::{AuditEvent, EventType};
use crate::time::format_rfc3339;
use crate::value::Val;

type Path = &'static [&'static str];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditField {
    /// A scalar (or JSON text) at a path.
    At(Path),
    /// An annotation of the event.
    Annotation(&'static str),
    /// A query parameter of `requestURI`.
    UriParam(String),
    /// Values inside each element of the array at `array` (nested arrays
    /// flattened); `index` selects one element.
    Each {
        array: Path,
        inner: Path,
        index: Option<usize>,
        repository: bool,
    },
    /// Like `Each`, but the inner value falls back to a pod-level value
    /// (`eff_run_as_user`): per container, else the pod's, else 0.
    Effective {
        inner: Path,
        pod: Path,
    },
    /// `ka.target.pod.name`: the response's name for pod objects.
    TargetPodName,
    /// The volume kinds of each pod volume (`hostPath`, `secret` …).
    VolumeTypes,
    /// `jevt.value[/json/pointer]`.
    Pointer(String),
    /// The whole event as JSON text.
    Object,
    Time,
    RawTime,
}

/// The Kubernetes audit source.
#[derive(Debug)]
pub struct AuditSource;

const CLASSES: &[&str] = &["ka", "jevt", "json", "evt"];

const CONTAINERS: Path = &["requestObject", "spec", "containers"];
const INIT_CONTAINERS: Path = &["requestObject", "spec", "initContainers"];
const EPHEMERAL_CONTAINERS: Path = &["requestObject", "spec", "ephemeralContainers"];

fn each(array: Path, inner: Path, arg: Option<&str>) -> Lookup<AuditField> {
    each_kind(array, inner, arg, false)
}

fn each_kind(array: Path, inner: Path, arg: Option<&str>, repository: bool) -> Lookup<AuditField> {
    let index = match arg.map(str::parse::<usize>) {
        None => None,
        Some(Ok(i)) => Some(i),
        Some(Err(_)) => return Lookup::Unknown(format!("`{}` is not an index", arg.unwrap_or(""))),
    };
    let kind = if index.is_some() {
        FieldType::Str
    } else {
        FieldType::List
    };
    Lookup::Found(
        AuditField::Each {
            array,
            inner,
            index,
            repository,
        },
        kind,
    )
}

impl AuditField {
    fn lookup(name: &str, arg: Option<&str>) -> Lookup<Self> {
        use AuditField as A;
        use FieldType::{Int, List, Str};
        let at = |p: Path| Lookup::Found(A::At(p), Str);
        let containers = |inner: Path| each(CONTAINERS, inner, arg);
        match name {
            "ka.auditid" => at(&["auditID"]),
            "ka.stage" => at(&["stage"]),
            "ka.auth.decision" => {
                Lookup::Found(A::Annotation("authorization.k8s.io/decision"), Str)
            }
            "ka.auth.reason" => Lookup::Found(A::Annotation("authorization.k8s.io/reason"), Str),
            "ka.auth.openshift.decision" => {
                Lookup::Found(A::Annotation("authorization.openshift.io/decision"), Str)
            }
            "ka.auth.openshift.reason" => {
                Lookup::Found(A::Annotation("authorization.openshift.io/reason"), Str)
            }
            "ka.cluster.name" => Lookup::Found(A::Annotation("cluster_name"), Str),
            "ka.user.name" => at(&["user", "username"]),
            "ka.user.groups" => Lookup::Found(
                A::Each {
                    array: &["user", "groups"],
                    inner: &[],
                    index: None,
                    repository: false,
                },
                List,
            ),
            "ka.impuser.name" => at(&["impersonatedUser", "username"]),
            "ka.verb" => at(&["verb"]),
            "ka.uri" => at(&["requestURI"]),
            "ka.uri.param" => match arg {
                Some(key) => Lookup::Found(A::UriParam(key.to_owned()), Str),
                None => Lookup::Unknown(
                    "`ka.uri.param` needs a parameter name, e.g. ka.uri.param[command]".to_owned(),
                ),
            },
            "ka.useragent" => at(&["userAgent"]),
            "ka.sourceips" => Lookup::Found(
                A::Each {
                    array: &["sourceIPs"],
                    inner: &[],
                    index: None,
                    repository: false,
                },
                List,
            ),
            "ka.target.name" | "ka.req.configmap.name" => at(&["objectRef", "name"]),
            "ka.target.namespace" => at(&["objectRef", "namespace"]),
            "ka.target.resource" => at(&["objectRef", "resource"]),
            "ka.target.subresource" => at(&["objectRef", "subresource"]),
            "ka.target.pod.name" => Lookup::Found(A::TargetPodName, Str),
            "ka.req.binding.subjects" => at(&["requestObject", "subjects"]),
            "ka.req.binding.role" => at(&["requestObject", "roleRef", "name"]),
            "ka.req.configmap.obj" => at(&["requestObject", "data"]),
            "ka.req.pod.containers.image" => containers(&["image"]),
            "ka.req.container.image" => each(CONTAINERS, &["image"], Some(arg.unwrap_or("0"))),
            "ka.req.pod.containers.image.repository" => {
                each_kind(CONTAINERS, &["image"], arg, true)
            }
            "ka.req.container.image.repository" => {
                each_kind(CONTAINERS, &["image"], Some(arg.unwrap_or("0")), true)
            }
            "ka.req.pod.initContainers.image" => each(INIT_CONTAINERS, &["image"], arg),
            "ka.req.pod.initContainers.image.repository" => {
                each_kind(INIT_CONTAINERS, &["image"], arg, true)
            }
            "ka.req.pod.ephemeralContainers.image" => each(EPHEMERAL_CONTAINERS, &["image"], arg),
            "ka.req.pod.ephemeralContainers.image.repository" => {
                each_kind(EPHEMERAL_CONTAINERS, &["image"], arg, true)
            }
            "ka.req.pod.host_ipc" => at(&["requestObject", "spec", "hostIPC"]),
            "ka.req.pod.host_network" | "ka.req.container.host_network" => {
                at(&["requestObject", "spec", "hostNetwork"])
            }
            "ka.req.pod.host_pid" => at(&["requestObject", "spec", "hostPID"]),
            "ka.req.pod.containers.host_port" => containers(&["ports", "hostPort"]),
            "ka.req.pod.containers.privileged" | "ka.req.container.privileged" => {
                containers(&["securityContext", "privileged"])
            }
            "ka.req.pod.initContainers.privileged" => {
                each(INIT_CONTAINERS, &["securityContext", "privileged"], arg)
            }
            "ka.req.pod.ephemeralContainers.privileged" => each(
                EPHEMERAL_CONTAINERS,
                &["securityContext", "privileged"],
                arg,
            ),
            "ka.req.pod.containers.allow_privilege_escalation" => {
                containers(&["securityContext", "allowPrivilegeEscalation"])
            }
            "ka.req.pod.containers.read_only_fs" => {
                containers(&["securityContext", "readOnlyRootFilesystem"])
            }
            "ka.req.pod.containers.run_as_user" => containers(&["securityContext", "runAsUser"]),
            "ka.req.pod.containers.run_as_group" => containers(&["securityContext", "runAsGroup"]),
            "ka.req.pod.containers.proc_mount" => containers(&["securityContext", "procMount"]),
            "ka.req.pod.containers.add_capabilities" => {
                containers(&["securityContext", "capabilities", "add"])
            }
            "ka.req.pod.containers.eff_run_as_user" => Lookup::Found(
                A::Effective {
                    inner: &["securityContext", "runAsUser"],
                    pod: &["requestObject", "spec", "securityContext", "runAsUser"],
                },
                List,
            ),
            "ka.req.pod.containers.eff_run_as_group" => Lookup::Found(
                A::Effective {
                    inner: &["securityContext", "runAsGroup"],
                    pod: &["requestObject", "spec", "securityContext", "runAsGroup"],
                },
                List,
            ),
            "ka.req.pod.run_as_user" => {
                at(&["requestObject", "spec", "securityContext", "runAsUser"])
            }
            "ka.req.pod.run_as_group" => {
                at(&["requestObject", "spec", "securityContext", "runAsGroup"])
            }
            "ka.req.pod.supplemental_groups" => each(
                &[
                    "requestObject",
                    "spec",
                    "securityContext",
                    "supplementalGroups",
                ],
                &[],
                arg,
            ),
            "ka.req.pod.fs_group" => at(&["requestObject", "spec", "securityContext", "fsGroup"]),
            "ka.req.pod.volumes.hostpath" => each(
                &["requestObject", "spec", "volumes"],
                &["hostPath", "path"],
                arg,
            ),
            "ka.req.pod.volumes.flexvolume_driver" => each(
                &["requestObject", "spec", "volumes"],
                &["flexVolume", "driver"],
                arg,
            ),
            "ka.req.pod.volumes.volume_type" => Lookup::Found(A::VolumeTypes, List),
            "ka.req.role.rules" => at(&["requestObject", "rules"]),
            "ka.req.role.rules.apiGroups" => each(&["requestObject", "rules"], &["apiGroups"], arg),
            "ka.req.role.rules.nonResourceURLs" => {
                each(&["requestObject", "rules"], &["nonResourceURLs"], arg)
            }
            "ka.req.role.rules.resources" => each(&["requestObject", "rules"], &["resources"], arg),
            "ka.req.role.rules.verbs" => each(&["requestObject", "rules"], &["verbs"], arg),
            "ka.req.service.type" => at(&["requestObject", "spec", "type"]),
            "ka.req.service.ports" => each(&["requestObject", "spec", "ports"], &[], arg),
            "ka.resp.name" => at(&["responseObject", "metadata", "name"]),
            "ka.response.code" => at(&["responseStatus", "code"]),
            "ka.response.reason" => at(&["responseStatus", "reason"]),
            "jevt.value" | "json.value" => match arg {
                Some(pointer) if pointer.is_empty() || pointer.starts_with('/') => {
                    Lookup::Found(A::Pointer(pointer.to_owned()), Str)
                }
                _ => Lookup::Unknown(format!(
                    "`{name}` needs a JSON pointer argument, e.g. {name}[/stage]"
                )),
            },
            "jevt.obj" | "json.obj" => Lookup::Found(A::Object, Str),
            "jevt.time" | "json.time" | "evt.time" | "jevt.time.iso8601" | "evt.time.iso8601" => {
                Lookup::Found(A::Time, Str)
            }
            "jevt.rawtime" | "json.rawtime" | "evt.rawtime" => Lookup::Found(A::RawTime, Int),
            _ if has_known_prefix(name, CLASSES) => Lookup::Unsupported,
            _ => Lookup::Unknown(format!("unknown field `{name}` for k8s_audit rules")),
        }
    }
}

fn walk<'v>(mut value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    for key in path {
        value = value.get(key)?;
    }
    Some(value)
}

/// A JSON value as a field value: strings as they are, others as JSON text.
fn render(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(Cow::Borrowed(s.as_str())),
        other => Some(Cow::Owned(other.to_string())),
    }
}

fn scalar(value: Option<&Value>) -> Val<'_> {
    value.and_then(render).map_or(Val::Missing, Val::Str)
}

/// Image repository: the image without its digest and tag (a `:` after the
/// last `/` starts the tag, so registry ports survive).
fn repository(image: &str) -> &str {
    let image = image.split('@').next().unwrap_or(image);
    let slash = image.rfind('/').map_or(0, |i| i + 1);
    match image[slash..].find(':') {
        Some(colon) => &image[..slash + colon],
        None => image,
    }
}

fn collect<'v>(value: &'v Value, inner: &[&str], out: &mut Vec<Cow<'v, str>>, repo: bool) {
    let Some(found) = walk(value, inner) else {
        return;
    };
    match found {
        Value::Array(items) => {
            for item in items {
                collect(item, &[], out, repo);
            }
        }
        other => {
            if let Some(text) = render(other) {
                out.push(match (repo, text) {
                    (true, Cow::Borrowed(s)) => Cow::Borrowed(repository(s)),
                    (_, t) => t,
                });
            }
        }
    }
}

fn extract<'b>(field: &AuditField, ev: &'b AuditEvent) -> Val<'b> {
    use AuditField as A;
    let json = &ev.json;
    let is_ka = !matches!(field, A::Pointer(_) | A::Object | A::Time | A::RawTime);
    if is_ka && json.get("auditID").is_none() {
        return Val::Missing;
    }
    match field {
        A::At(path) => scalar(walk(json, path)),
        A::Annotation(key) => scalar(json.get("annotations").and_then(|a| a.get(*key))),
        A::UriParam(key) => {
            let Some(uri) = json.get("requestURI").and_then(Value::as_str) else {
                return Val::Missing;
            };
            let query = uri.split_once('?').map_or("", |(_, q)| q);
            query
                .split('&')
                .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
                .find(|(k, _)| *k == key)
                .map_or(Val::Missing, |(_, v)| Val::Str(percent_decode(v)))
        }
        A::Each {
            array,
            inner,
            index,
            repository,
        } => {
            let Some(items) = walk(json, array) else {
                return Val::Missing;
            };
            let mut out = Vec::new();
            match (items, index) {
                (Value::Array(list), Some(i)) => {
                    if let Some(item) = list.get(*i) {
                        collect(item, inner, &mut out, *repository);
                    }
                }
                (Value::Array(list), None) => {
                    for item in list {
                        collect(item, inner, &mut out, *repository);
                    }
                }
                (_, _) => return Val::Missing,
            }
            match (index, out.len()) {
                (_, 0) => Val::Missing,
                (Some(_), _) => Val::Str(out.swap_remove(0)),
                (None, _) => Val::List(out),
            }
        }
        A::Effective { inner, pod } => {
            let Some(Value::Array(list)) = walk(json, CONTAINERS) else {
                return Val::Missing;
            };
            let pod_value = walk(json, pod).and_then(render);
            Val::List(
                list.iter()
                    .map(|c| {
                        walk(c, inner)
                            .and_then(render)
                            .or_else(|| pod_value.clone())
                            .unwrap_or(Cow::Borrowed("0"))
                    })
                    .collect(),
            )
        }
        A::TargetPodName => {
            let is_pod = walk(json, &["objectRef", "resource"]).and_then(Value::as_str)
                == Some("pods")
                && walk(json, &["objectRef", "subresource"]).is_none();
            if is_pod {
                scalar(walk(json, &["responseObject", "metadata", "name"]))
            } else {
                Val::Missing
            }
        }
        A::VolumeTypes => match walk(json, &["requestObject", "spec", "volumes"]) {
            Some(Value::Array(volumes)) => Val::List(
                volumes
                    .iter()
                    .filter_map(Value::as_object)
                    .flat_map(|v| {
                        v.keys()
                            .filter(|k| *k != "name")
                            .map(|k| Cow::Borrowed(k.as_str()))
                    })
                    .collect(),
            ),
            _ => Val::Missing,
        },
        A::Pointer(pointer) => scalar(json.pointer(pointer)),
        A::Object => Val::Str(Cow::Owned(json.to_string())),
        A::Time => Val::Str(Cow::Owned(format_rfc3339(ev.time_ns))),
        A::RawTime => Val::Int(i64::try_from(ev.time_ns).unwrap_or(i64::MAX)),
    }
}

/// A query value as text: form encoding, so `+` is a space.
fn percent_decode(s: &str) -> Cow<'_, str> {
    if s.contains('+') {
        let spaced = s.replace('+', " ");
        return Cow::Owned(percent_decode_str(&spaced).decode_utf8_lossy().into_owned());
    }
    percent_decode_str(s).decode_utf8_lossy()
}

impl Source for AuditSource {
    type Event<'a> = AuditEvent;
    type Field = AuditField;
    const NAME: &'static str = "k8s_audit";

    fn lookup(name: &str, arg: Option<&str>) -> Lookup<AuditField> {
        AuditField::lookup(name, arg)
    }

    fn extract<'b>(field: &AuditField, event: &'b AuditEvent) -> Val<'b> {
        extract(field, event)
    }

    fn event_type(_: &AuditEvent) -> EventType {
        EventType(0)
    }

    fn has_event_types() -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories_and_query_parameters() {
        assert_eq!(repository("nginx"), "nginx");
        assert_eq!(repository("nginx:1.2"), "nginx");
        assert_eq!(
            repository("registry:5000/team/app:v1"),
            "registry:5000/team/app"
        );
        assert_eq!(repository("app@sha256:abc"), "app");
        assert_eq!(percent_decode("a%20b+c"), "a b c");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
