//! `seccompProfile_baseline` (baseline; replaced at restricted from v1.19 by
//! `seccompProfile_restricted`): seccomp may not be set to `Unconfined`.
//! Before v1.19 the `seccomp.security.alpha.kubernetes.io/pod` and
//! `container.seccomp.security.alpha.kubernetes.io/<container>` annotations are
//! checked (`runtime/default`, `docker/default` or `localhost/…`); from v1.19
//! the `seccompProfile.type` fields (`RuntimeDefault` or `Localhost`).

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "seccompProfile_baseline",
    reason: "seccompProfile",
    level: Level::Baseline,
    since: 0,
    replaces: None,
    run,
};

fn run(pod: &Pod<'_>, minor: u32, out: &mut Vec<Problem>) {
    if minor < 19 {
        annotations(pod, out);
    } else {
        fields(pod, out);
    }
}

fn annotations(pod: &Pod<'_>, out: &mut Vec<Problem>) {
    let allowed =
        |v: &str| v == "runtime/default" || v == "docker/default" || v.starts_with("localhost/");
    let mut check = |key: String| {
        if let Some(value) = pod.annotation(&key).filter(|v| !allowed(text(v))) {
            out.push(Problem::new(
                format!("{}.annotations[{key}]", pod.metadata_path),
                value.pos,
                format!(
                    "pod annotation {key} sets seccomp profile {}",
                    display(value)
                ),
            ));
        }
    };
    check(SECCOMP_POD_ANNOTATION.to_owned());
    for c in &pod.containers {
        check(format!("{SECCOMP_CONTAINER_ANNOTATION_PREFIX}{}", c.name));
    }
}

fn fields(pod: &Pod<'_>, out: &mut Vec<Problem>) {
    if let Some(p) = pod
        .security("seccompProfile")
        .filter(|p| !valid_seccomp_type(p))
    {
        out.push(bad_profile(
            pod.path("securityContext.seccompProfile"),
            p,
            "pod",
            "seccompProfile",
        ));
    }
    for c in &pod.containers {
        if let Some(p) = c
            .security("seccompProfile")
            .filter(|p| !valid_seccomp_type(p))
        {
            out.push(bad_profile(
                c.path("securityContext.seccompProfile"),
                p,
                &c.label(),
                "seccompProfile",
            ));
        }
    }
}
