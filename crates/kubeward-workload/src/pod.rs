//! The one way to read a pod: every workload kind that carries a pod template
//! is turned into a [`Pod`] view (its spec, metadata, containers and JSON
//! paths), and every rule and Pod Security check is written against that view.

use kubeward_core::{Node, Object, Pos};

/// A pod spec inside an object, with the JSON paths of its parts.
#[derive(Debug)]
pub struct Pod<'a> {
    pub object: &'a Object,
    /// The `PodSpec` mapping.
    pub spec: &'a Node,
    /// JSON path of the spec within the object (`spec.template.spec`).
    pub spec_path: &'static str,
    /// The pod's `metadata` (of the template, for controllers), if present.
    pub metadata: Option<&'a Node>,
    pub metadata_path: &'static str,
    /// Init, regular and ephemeral containers, in that order.
    pub containers: Vec<Container<'a>>,
}

/// Where a kind keeps its pod: keys to follow, and the same as JSON paths.
#[derive(Debug)]
struct Layout {
    spec: &'static [&'static str],
    metadata: &'static [&'static str],
    spec_path: &'static str,
    metadata_path: &'static str,
}

const POD: Layout = Layout {
    spec: &["spec"],
    metadata: &["metadata"],
    spec_path: "spec",
    metadata_path: "metadata",
};
const POD_TEMPLATE: Layout = Layout {
    spec: &["template", "spec"],
    metadata: &["template", "metadata"],
    spec_path: "template.spec",
    metadata_path: "template.metadata",
};
const CONTROLLER: Layout = Layout {
    spec: &["spec", "template", "spec"],
    metadata: &["spec", "template", "metadata"],
    spec_path: "spec.template.spec",
    metadata_path: "spec.template.metadata",
};
const CRONJOB: Layout = Layout {
    spec: &["spec", "jobTemplate", "spec", "template", "spec"],
    metadata: &["spec", "jobTemplate", "spec", "template", "metadata"],
    spec_path: "spec.jobTemplate.spec.template.spec",
    metadata_path: "spec.jobTemplate.spec.template.metadata",
};

fn layout(object: &Object) -> Option<&'static Layout> {
    let meta = &object.meta;
    match (meta.group(), meta.kind.as_str()) {
        ("", "Pod") => Some(&POD),
        ("", "PodTemplate") => Some(&POD_TEMPLATE),
        ("", "ReplicationController")
        | ("apps" | "extensions", "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet")
        | ("batch", "Job") => Some(&CONTROLLER),
        ("batch", "CronJob") => Some(&CRONJOB),
        _ => None,
    }
}

/// Whether objects of this kind carry a pod spec (whether or not one is set).
pub fn carries_pod(object: &Object) -> bool {
    layout(object).is_some()
}

impl<'a> Pod<'a> {
    /// The pod of a workload object, if its kind carries one and it is set.
    pub fn of(object: &'a Object) -> Option<Self> {
        let layout = layout(object)?;
        let spec = object
            .root
            .lookup(layout.spec)
            .filter(|n| n.as_map().is_some())?;
        let spec_path = layout.spec_path;
        let mut containers = Vec::new();
        for kind in [
            ContainerKind::Init,
            ContainerKind::Regular,
            ContainerKind::Ephemeral,
        ] {
            for (index, node) in spec
                .field(kind.key())
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                containers.push(Container {
                    node,
                    kind,
                    name: node.field("name").and_then(Node::as_str).unwrap_or(""),
                    path: format!("{spec_path}.{}[{index}]", kind.key()),
                });
            }
        }
        Some(Self {
            object,
            spec,
            spec_path,
            metadata: object.root.lookup(layout.metadata),
            metadata_path: layout.metadata_path,
            containers,
        })
    }

    /// A field of the pod spec (unset when absent or `null`).
    pub fn field(&self, key: &str) -> Option<&'a Node> {
        self.spec.field(key)
    }

    /// A field of the pod-level `securityContext`.
    pub fn security(&self, key: &str) -> Option<&'a Node> {
        self.spec.lookup(&["securityContext", key])
    }

    /// The JSON path of something under the pod spec.
    pub fn path(&self, relative: &str) -> String {
        format!("{}.{relative}", self.spec_path)
    }

    /// A pod annotation (from the pod template for controllers).
    pub fn annotation(&self, key: &str) -> Option<&'a Node> {
        self.metadata?.lookup(&["annotations", key])
    }

    /// The pod's annotations, in source order.
    pub fn annotations(&self) -> impl Iterator<Item = (&'a str, &'a Node)> {
        self.metadata
            .and_then(|m| m.field("annotations"))
            .and_then(Node::as_map)
            .into_iter()
            .flat_map(|m| m.entries().iter().map(|e| (e.key.as_str(), &e.value)))
    }

    /// `spec.os.name: windows`.
    pub fn is_windows(&self) -> bool {
        self.spec.lookup(&["os", "name"]).and_then(Node::as_str) == Some("windows")
    }

    /// `spec.hostUsers: false`: the pod runs in a user namespace.
    pub fn in_user_namespace(&self) -> bool {
        self.field("hostUsers").and_then(Node::as_bool) == Some(false)
    }

    /// A security setting of a container, else of the pod (where the
    /// container inherits it), with the path it was found at.
    pub fn effective(&self, container: &Container<'a>, key: &str) -> Option<Setting<'a>> {
        if let Some(node) = container.security(key) {
            return Some(Setting {
                node,
                path: container.path(&format!("securityContext.{key}")),
            });
        }
        self.security(key).map(|node| Setting {
            node,
            path: self.path(&format!("securityContext.{key}")),
        })
    }

    /// The position to report a missing pod-level setting at: the pod
    /// `securityContext` if present, else the spec.
    pub fn security_pos(&self) -> Pos {
        self.field("securityContext").unwrap_or(self.spec).pos
    }

    /// The volumes of the pod.
    pub fn volumes(&self) -> impl Iterator<Item = (usize, &'a Node)> {
        self.field("volumes")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .enumerate()
    }
}

/// Which list of the pod spec a container is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    Init,
    Regular,
    Ephemeral,
}

impl ContainerKind {
    pub fn key(self) -> &'static str {
        match self {
            ContainerKind::Init => "initContainers",
            ContainerKind::Regular => "containers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            ContainerKind::Init => "init container",
            ContainerKind::Regular => "container",
            ContainerKind::Ephemeral => "ephemeral container",
        }
    }
}

/// One container of a pod.
#[derive(Debug)]
pub struct Container<'a> {
    pub node: &'a Node,
    pub kind: ContainerKind,
    pub name: &'a str,
    /// JSON path of the container within the object.
    pub path: String,
}

impl<'a> Container<'a> {
    pub fn field(&self, key: &str) -> Option<&'a Node> {
        self.node.field(key)
    }

    /// A field of the container's `securityContext`.
    pub fn security(&self, key: &str) -> Option<&'a Node> {
        self.node.lookup(&["securityContext", key])
    }

    pub fn path(&self, relative: &str) -> String {
        format!("{}.{relative}", self.path)
    }

    /// The position to report a missing container setting at: the
    /// container's `securityContext` if present, else the container.
    pub fn security_pos(&self) -> Pos {
        self.field("securityContext").unwrap_or(self.node).pos
    }

    /// `container "app"`, `init container "setup"`, for messages.
    pub fn label(&self) -> String {
        format!("{} \"{}\"", self.kind.noun(), self.name)
    }

    /// The entries of a list field (`env`, `envFrom`, `ports` …) with their indexes.
    pub fn list(&self, key: &str) -> impl Iterator<Item = (usize, &'a Node)> {
        self.field(key)
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .enumerate()
    }

    /// The container's image reference, if set.
    pub fn image(&self) -> Option<&'a Node> {
        self.field("image")
    }
}

/// A value found for a setting, with its path.
#[derive(Debug)]
pub struct Setting<'a> {
    pub node: &'a Node,
    pub path: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeward_core::load::{LoadOptions, load_text};

    fn object(text: &str) -> Object {
        load_text("t.yaml".into(), text, &LoadOptions::default())
            .objects
            .remove(0)
    }

    #[test]
    fn every_workload_kind_yields_its_pod() {
        let cases = [
            ("v1", "Pod", "spec:\n  containers: [{name: a}]", "spec"),
            (
                "v1",
                "PodTemplate",
                "template:\n  spec:\n    containers: [{name: a}]",
                "template.spec",
            ),
            (
                "v1",
                "ReplicationController",
                "spec:\n  template:\n    spec:\n      containers: [{name: a}]",
                "spec.template.spec",
            ),
            (
                "apps/v1",
                "Deployment",
                "spec:\n  template:\n    spec:\n      containers: [{name: a}]",
                "spec.template.spec",
            ),
            (
                "apps/v1",
                "StatefulSet",
                "spec:\n  template:\n    spec:\n      containers: [{name: a}]",
                "spec.template.spec",
            ),
            (
                "apps/v1",
                "DaemonSet",
                "spec:\n  template:\n    spec:\n      containers: [{name: a}]",
                "spec.template.spec",
            ),
            (
                "apps/v1",
                "ReplicaSet",
                "spec:\n  template:\n    spec:\n      containers: [{name: a}]",
                "spec.template.spec",
            ),
            (
                "batch/v1",
                "Job",
                "spec:\n  template:\n    spec:\n      containers: [{name: a}]",
                "spec.template.spec",
            ),
            (
                "batch/v1",
                "CronJob",
                "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: a}]",
                "spec.jobTemplate.spec.template.spec",
            ),
        ];
        for (api, kind, body, path) in cases {
            let o = object(&format!(
                "apiVersion: {api}\nkind: {kind}\nmetadata: {{name: x}}\n{body}\n"
            ));
            let pod = Pod::of(&o).unwrap_or_else(|| panic!("{kind}"));
            assert_eq!(pod.spec_path, path, "{kind}");
            assert_eq!(pod.containers[0].path, format!("{path}.containers[0]"));
            assert_eq!(pod.containers[0].name, "a");
        }
    }

    #[test]
    fn other_kinds_and_groups_carry_no_pod() {
        let o = object(
            "apiVersion: example.com/v1\nkind: Deployment\nspec:\n  template:\n    spec: {}\n",
        );
        assert!(Pod::of(&o).is_none());
        let o = object("apiVersion: v1\nkind: Service\nspec: {}\n");
        assert!(Pod::of(&o).is_none());
    }

    #[test]
    fn containers_of_all_three_lists_in_order() {
        let o = object(
            "apiVersion: v1\nkind: Pod\nspec:\n  ephemeralContainers: [{name: e}]\n  containers: [{name: c}, {name: d}]\n  initContainers: [{name: i}]\n",
        );
        let pod = Pod::of(&o).unwrap();
        let names: Vec<_> = pod.containers.iter().map(Container::label).collect();
        assert_eq!(
            names,
            [
                "init container \"i\"",
                "container \"c\"",
                "container \"d\"",
                "ephemeral container \"e\""
            ]
        );
        assert_eq!(pod.containers[3].path, "spec.ephemeralContainers[0]");
    }

    #[test]
    fn effective_settings_prefer_the_container() {
        let o = object(
            "apiVersion: v1\nkind: Pod\nspec:\n  securityContext: {runAsUser: 1000}\n  containers:\n  - name: a\n    securityContext: {runAsUser: 0}\n  - name: b\n",
        );
        let pod = Pod::of(&o).unwrap();
        let a = pod.effective(&pod.containers[0], "runAsUser").unwrap();
        assert_eq!(
            (a.node.as_i64(), a.path.as_str()),
            (Some(0), "spec.containers[0].securityContext.runAsUser")
        );
        let b = pod.effective(&pod.containers[1], "runAsUser").unwrap();
        assert_eq!(
            (b.node.as_i64(), b.path.as_str()),
            (Some(1000), "spec.securityContext.runAsUser")
        );
    }
}
