//! `appArmorProfile` (baseline, v1.0+): AppArmor may not be disabled or
//! overridden. Annotations `container.apparmor.security.beta.kubernetes.io/*`
//! must be empty, `runtime/default` or `localhost/…`; `appArmorProfile.type`
//! fields (pod and containers) must be `RuntimeDefault` or `Localhost`.

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "appArmorProfile",
    reason: "forbidden AppArmor profile(s)",
    level: Level::Baseline,
    since: 0,
    replaces: None,
    run,
};

fn run(pod: &Pod<'_>, _minor: u32, out: &mut Vec<Problem>) {
    for (key, value) in pod.annotations() {
        if !key.starts_with(APPARMOR_CONTAINER_ANNOTATION_PREFIX) {
            continue;
        }
        let v = text(value);
        if !(v.is_empty() || v == "runtime/default" || v.starts_with("localhost/")) {
            out.push(Problem::new(
                format!("{}.annotations[{key}]", pod.metadata_path),
                value.pos,
                format!("annotation {key}={}", display(value)),
            ));
        }
    }
    let valid = |profile: &Node| {
        matches!(
            profile.field("type").map(text),
            Some("RuntimeDefault" | "Localhost")
        )
    };
    if let Some(p) = pod.security("appArmorProfile").filter(|p| !valid(p)) {
        out.push(bad_profile(
            pod.path("securityContext.appArmorProfile"),
            p,
            "pod",
            "appArmorProfile",
        ));
    }
    for c in &pod.containers {
        if let Some(p) = c.security("appArmorProfile").filter(|p| !valid(p)) {
            out.push(bad_profile(
                c.path("securityContext.appArmorProfile"),
                p,
                &c.label(),
                "appArmorProfile",
            ));
        }
    }
}
