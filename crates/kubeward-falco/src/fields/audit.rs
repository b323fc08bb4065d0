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

use super::catalogue::AUDIT_FIELDS;
use super::{FieldType, Lookup, Source, is_falco_field};
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
        array: Path,
        inner: Path,
        pod: Path,
        index: Option<usize>,
    },
    /// Each container's `command` or `args`, its words joined by spaces.
    Joined {
        array: Path,
        key: &'static str,
        index: Option<usize>,
    },
    /// Each port's `hostPort`, or its `containerPort` when it has none (as
    /// with `hostNetwork`), for every container.
    HostPorts {
        array: Path,
        index: Option<usize>,
    },
    /// `ka.req.container.privileged`: `true` when any container is
    /// privileged, else `false`.
    AnyPrivileged,
    /// The names of binding subjects of one kind; service accounts in
    /// `namespace:name` form when `namespaced`.
    SubjectNames {
        kind: &'static str,
        namespaced: bool,
    },
    /// `ka.req.volume.hostpath[PATH]`: `true` when a hostPath volume is
    /// PATH, or starts with it when PATH ends in `*`, else `false`.
    VolumeHostPath(String),
    /// A fixed text (`ka.req.binding.subject.has_name`, kept by the plugin
    /// for old rules).
    Fixed(&'static str),
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

const CONTAINERS: Path = &["requestObject", "spec", "containers"];
const INIT_CONTAINERS: Path = &["requestObject", "spec", "initContainers"];
const EPHEMERAL_CONTAINERS: Path = &["requestObject", "spec", "ephemeralContainers"];

fn each(array: Path, inner: Path, arg: Option<&str>) -> Lookup<AuditField> {
    each_kind(array, inner, arg, false)
}

/// An index argument (`[0]`), or none.
fn index(arg: Option<&str>) -> Result<Option<usize>, Lookup<AuditField>> {
    match arg.map(str::parse::<usize>) {
        None => Ok(None),
        Some(Ok(i)) => Ok(Some(i)),
        Some(Err(_)) => Err(Lookup::Unknown(format!(
            "`{}` is not an index",
            arg.unwrap_or("")
        ))),
    }
}

/// A list field of the plugin: a list even when indexed, as the plugin
/// declares it (so only `in`, `intersects` and `exists` apply).
fn each_kind(array: Path, inner: Path, arg: Option<&str>, repository: bool) -> Lookup<AuditField> {
    match index(arg) {
        Ok(index) => Lookup::Found(
            AuditField::Each {
                array,
                inner,
                index,
                repository,
            },
            FieldType::List,
        ),
        Err(e) => e,
    }
}

/// The first container's value of a per-container field, as one string
/// (`ka.req.container.image`).
fn first_container(inner: Path, repository: bool) -> Lookup<AuditField> {
    match each_kind(CONTAINERS, inner, Some("0"), repository) {
        Lookup::Found(field, _) => Lookup::Found(field, FieldType::Str),
        other => other,
    }
}

/// The fields every container list has (`ka.req.pod.containers.*`,
/// `initContainers.*`, `ephemeralContainers.*`); ephemeral containers have
/// no ports.
fn container_field(array: Path, field: &str, arg: Option<&str>) -> Option<Lookup<AuditField>> {
    use AuditField as A;
    let at = |inner: Path| each(array, inner, arg);
    let index = match index(arg) {
        Ok(i) => i,
        Err(e) => return Some(e),
    };
    let list = |f: AuditField| Lookup::Found(f, FieldType::List);
    let effective = |key: &'static [&'static str], pod: Path| {
        list(A::Effective {
            array,
            inner: key,
            pod,
            index,
        })
    };
    Some(match field {
        "name" => at(&["name"]),
        "image" => at(&["image"]),
        "image.repository" => each_kind(array, &["image"], arg, true),
        "command" | "args" => list(A::Joined {
            array,
            key: if field == "command" {
                "command"
            } else {
                "args"
            },
            index,
        }),
        "privileged" => at(&["securityContext", "privileged"]),
        "allow_privilege_escalation" => at(&["securityContext", "allowPrivilegeEscalation"]),
        "read_only_fs" => at(&["securityContext", "readOnlyRootFilesystem"]),
        "run_as_user" => at(&["securityContext", "runAsUser"]),
        "run_as_group" => at(&["securityContext", "runAsGroup"]),
        "proc_mount" => at(&["securityContext", "procMount"]),
        "add_capabilities" => at(&["securityContext", "capabilities", "add"]),
        "eff_run_as_user" => effective(
            &["securityContext", "runAsUser"],
            &["requestObject", "spec", "securityContext", "runAsUser"],
        ),
        "eff_run_as_group" => effective(
            &["securityContext", "runAsGroup"],
            &["requestObject", "spec", "securityContext", "runAsGroup"],
        ),
        "host_port" if array != EPHEMERAL_CONTAINERS => list(A::HostPorts { array, index }),
        _ => return None,
    })
}

const CONTAINER_LISTS: &[(&str, Path)] = &[
    ("ka.req.pod.containers.", CONTAINERS),
    ("ka.req.pod.initContainers.", INIT_CONTAINERS),
    ("ka.req.pod.ephemeralContainers.", EPHEMERAL_CONTAINERS),
];

impl AuditField {
    fn lookup(name: &str, arg: Option<&str>) -> Lookup<Self> {
        use AuditField as A;
        use FieldType::{Int, List, Str};
        let at = |p: Path| Lookup::Found(A::At(p), Str);
        let annotation = |key: &'static str| Lookup::Found(A::Annotation(key), Str);
        let subjects = |kind: &'static str, namespaced: bool| {
            Lookup::Found(A::SubjectNames { kind, namespaced }, List)
        };
        if let Some(found) = CONTAINER_LISTS.iter().find_map(|(prefix, array)| {
            name.strip_prefix(prefix)
                .and_then(|field| container_field(array, field, arg))
        }) {
            return found;
        }
        match name {
            "ka.auditid" => at(&["auditID"]),
            "ka.stage" => at(&["stage"]),
            "ka.auth.decision" => annotation("authorization.k8s.io/decision"),
            "ka.auth.reason" => annotation("authorization.k8s.io/reason"),
            "ka.auth.openshift.decision" => annotation("authentication.openshift.io/decision"),
            "ka.auth.openshift.username" => annotation("authentication.openshift.io/username"),
            "ka.validations.admission.policy.failure" => {
                annotation("validation.policy.admission.k8s.io/validation_failure")
            }
            "ka.security.pod.violations" => {
                annotation("pod-security.kubernetes.io/audit-violations")
            }
            "ka.cluster.name" => annotation("cluster_name"),
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
            "ka.req.binding.subjects" => each(&["requestObject", "subjects"], &[], None),
            "ka.req.binding.subjects.user_names" => subjects("User", false),
            "ka.req.binding.subjects.serviceaccount_names" => subjects("ServiceAccount", false),
            "ka.req.binding.subjects.serviceaccount_ns_names" => subjects("ServiceAccount", true),
            "ka.req.binding.subjects.group_names" => subjects("Group", false),
            "ka.req.binding.subject.has_name" => match arg {
                Some(_) => Lookup::Found(A::Fixed("true"), Str),
                None => Lookup::Unknown(
                    "`ka.req.binding.subject.has_name` needs a name argument".to_owned(),
                ),
            },
            "ka.req.binding.role" => at(&["requestObject", "roleRef", "name"]),
            "ka.req.configmap.obj" => at(&["requestObject", "data"]),
            "ka.req.container.image" => first_container(&["image"], false),
            "ka.req.container.image.repository" => first_container(&["image"], true),
            "ka.req.pod.host_ipc" => at(&["requestObject", "spec", "hostIPC"]),
            "ka.req.pod.host_network" | "ka.req.container.host_network" => {
                at(&["requestObject", "spec", "hostNetwork"])
            }
            "ka.req.pod.host_pid" => at(&["requestObject", "spec", "hostPID"]),
            "ka.req.container.privileged" => Lookup::Found(A::AnyPrivileged, Str),
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
            "ka.req.volume.hostpath" => match arg {
                Some(path) => Lookup::Found(A::VolumeHostPath(path.to_owned()), Str),
                None => Lookup::Unknown(
                    "`ka.req.volume.hostpath` needs a path argument, e.g. ka.req.volume.hostpath[/etc*]"
                        .to_owned(),
                ),
            },
            "ka.req.role.rules" => each(&["requestObject", "rules"], &[], None),
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
            _ if is_falco_field(AUDIT_FIELDS, name) => Lookup::Unsupported,
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
            let Some(items) = selected(json, array, *index) else {
                return Val::Missing;
            };
            let mut out = Vec::new();
            for item in items {
                collect(item, inner, &mut out, *repository);
            }
            match (index, out.len()) {
                (_, 0) => Val::Missing,
                (Some(_), _) => Val::Str(out.swap_remove(0)),
                (None, _) => Val::List(out),
            }
        }
        A::Effective {
            array,
            inner,
            pod,
            index,
        } => {
            let Some(list) = selected(json, array, *index) else {
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
        A::Joined { array, key, index } => {
            let Some(list) = selected(json, array, *index) else {
                return Val::Missing;
            };
            let joined: Vec<Cow<'_, str>> = list
                .iter()
                .filter_map(|c| c.get(*key)?.as_array())
                .map(|words| {
                    let words: Vec<&str> = words.iter().filter_map(Value::as_str).collect();
                    Cow::Owned(words.join(" "))
                })
                .collect();
            list_or_missing(joined)
        }
        A::HostPorts { array, index } => {
            let Some(list) = selected(json, array, *index) else {
                return Val::Missing;
            };
            let ports: Vec<Cow<'_, str>> = list
                .iter()
                .filter_map(|c| c.get("ports")?.as_array())
                .flatten()
                .filter_map(|port| {
                    port.get("hostPort")
                        .or_else(|| port.get("containerPort"))
                        .and_then(render)
                })
                .collect();
            list_or_missing(ports)
        }
        A::AnyPrivileged => match walk(json, CONTAINERS) {
            Some(Value::Array(list)) => {
                let any = list.iter().any(|c| {
                    walk(c, &["securityContext", "privileged"]).and_then(Value::as_bool)
                        == Some(true)
                });
                Val::Str(Cow::Borrowed(if any { "true" } else { "false" }))
            }
            _ => Val::Missing,
        },
        A::SubjectNames { kind, namespaced } => {
            let Some(Value::Array(list)) = walk(json, &["requestObject", "subjects"]) else {
                return Val::Missing;
            };
            let names: Vec<Cow<'_, str>> = list
                .iter()
                .filter(|s| s.get("kind").and_then(Value::as_str) == Some(*kind))
                .filter_map(|s| {
                    let name = s.get("name").and_then(render)?;
                    if !namespaced {
                        return Some(name);
                    }
                    let ns = s.get("namespace").and_then(render)?;
                    Some(Cow::Owned(format!("{ns}:{name}")))
                })
                .collect();
            list_or_missing(names)
        }
        A::VolumeHostPath(wanted) => {
            let Some(Value::Array(volumes)) = walk(json, &["requestObject", "spec", "volumes"])
            else {
                return Val::Missing;
            };
            let prefix = wanted.strip_suffix('*');
            let used = volumes
                .iter()
                .filter_map(|v| walk(v, &["hostPath", "path"]).and_then(render))
                .any(|path| match prefix {
                    Some(p) => path.starts_with(p),
                    None => path == wanted.as_str(),
                });
            Val::Str(Cow::Borrowed(if used { "true" } else { "false" }))
        }
        A::Fixed(text) => Val::Str(Cow::Borrowed(text)),
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

/// The values of a list field: missing when there are none.
fn list_or_missing(values: Vec<Cow<'_, str>>) -> Val<'_> {
    if values.is_empty() {
        Val::Missing
    } else {
        Val::List(values)
    }
}

/// The elements of the array at `array`, or the one at `index`.
fn selected(json: &Value, array: Path, index: Option<usize>) -> Option<&[Value]> {
    let Value::Array(list) = walk(json, array)? else {
        return None;
    };
    match index {
        None => Some(list),
        Some(i) => list.get(i..=i),
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

    fn field(ev: &AuditEvent, name: &str, arg: Option<&str>) -> Option<String> {
        let Lookup::Found(f, _) = AuditField::lookup(name, arg) else {
            panic!("{name} is not a field");
        };
        extract(&f, ev).render().map(|v| v.into_owned())
    }

    fn event(json: Value) -> AuditEvent {
        let mut json = json;
        json["auditID"] = "a".into();
        json["stageTimestamp"] = "2024-01-01T00:00:00Z".into();
        AuditEvent::from_value(json).unwrap()
    }

    /// The fields as the k8saudit plugin extracts them (its extract.go).
    #[test]
    fn plugin_fields() {
        let ev = event(serde_json::json!({
            "annotations": {
                "authentication.openshift.io/decision": "allow",
                "authentication.openshift.io/username": "kube:admin",
                "validation.policy.admission.k8s.io/validation_failure": "[{}]",
                "pod-security.kubernetes.io/audit-violations": "privileged",
            },
            "requestObject": {
                "subjects": [
                    {"kind": "User", "name": "alice"},
                    {"kind": "ServiceAccount", "name": "builder", "namespace": "ci"},
                    {"kind": "Group", "name": "devs"},
                    {"kind": "ServiceAccount", "name": "lost"},
                ],
                "spec": {
                    "hostNetwork": true,
                    "containers": [
                        {"name": "web", "image": "nginx", "command": ["nginx", "-g", "daemon off;"],
                         "ports": [{"containerPort": 8080}, {"containerPort": 80, "hostPort": 8081}]},
                        {"name": "side", "image": "busybox", "args": ["sleep", "1"],
                         "securityContext": {"privileged": false}},
                    ],
                    "initContainers": [
                        {"name": "init", "image": "alpine", "securityContext": {"privileged": true},
                         "ports": [{"containerPort": 9000}]},
                    ],
                    "volumes": [
                        {"name": "a", "emptyDir": {}},
                        {"name": "b", "hostPath": {"path": "/etc/kubernetes"}},
                    ],
                },
            },
        }));
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            ("ka.auth.openshift.decision", None, Some("allow")),
            ("ka.auth.openshift.username", None, Some("kube:admin")),
            (
                "ka.validations.admission.policy.failure",
                None,
                Some("[{}]"),
            ),
            ("ka.security.pod.violations", None, Some("privileged")),
            ("ka.req.binding.subjects.user_names", None, Some("(alice)")),
            (
                "ka.req.binding.subjects.serviceaccount_names",
                None,
                Some("(builder,lost)"),
            ),
            (
                "ka.req.binding.subjects.serviceaccount_ns_names",
                None,
                Some("(ci:builder)"),
            ),
            ("ka.req.binding.subjects.group_names", None, Some("(devs)")),
            ("ka.req.binding.subject.has_name", Some("x"), Some("true")),
            ("ka.req.pod.containers.name", None, Some("(web,side)")),
            (
                "ka.req.pod.containers.command",
                None,
                Some("(nginx -g daemon off;)"),
            ),
            ("ka.req.pod.containers.args", None, Some("(sleep 1)")),
            ("ka.req.pod.containers.args", Some("0"), None),
            ("ka.req.pod.containers.host_port", None, Some("(8080,8081)")),
            ("ka.req.pod.containers.host_port", Some("1"), None),
            ("ka.req.pod.initContainers.host_port", None, Some("(9000)")),
            ("ka.req.pod.initContainers.name", None, Some("(init)")),
            ("ka.req.pod.initContainers.privileged", None, Some("(true)")),
            ("ka.req.pod.ephemeralContainers.name", None, None),
            ("ka.req.container.privileged", None, Some("false")),
            ("ka.req.pod.containers.privileged", None, Some("(false)")),
            ("ka.req.volume.hostpath", Some("/etc*"), Some("true")),
            ("ka.req.volume.hostpath", Some("/etc"), Some("false")),
            (
                "ka.req.volume.hostpath",
                Some("/etc/kubernetes"),
                Some("true"),
            ),
        ];
        for (name, arg, want) in cases {
            assert_eq!(field(&ev, name, *arg).as_deref(), *want, "{name}[{arg:?}]");
        }
        // Ephemeral containers have no ports; the OpenShift reason is no
        // plugin field.
        for name in [
            "ka.req.pod.ephemeralContainers.host_port",
            "ka.auth.openshift.reason",
        ] {
            assert!(
                matches!(AuditField::lookup(name, None), Lookup::Unknown(e) if e.starts_with("unknown field")),
                "{name}"
            );
        }
        // No containers at all: no value; none privileged: false.
        let bare = event(serde_json::json!({"requestObject": {"spec": {}}}));
        assert_eq!(field(&bare, "ka.req.container.privileged", None), None);
        assert_eq!(field(&bare, "ka.req.volume.hostpath", Some("/")), None);
    }

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
