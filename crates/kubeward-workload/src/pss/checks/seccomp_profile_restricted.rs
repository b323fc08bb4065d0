//! `seccompProfile_restricted` (restricted, v1.19+; replaces
//! `seccompProfile_baseline`): seccomp must be explicitly `RuntimeDefault` or
//! `Localhost`, at the pod level or in every container; `Unconfined` is
//! forbidden anywhere. From v1.25 Windows pods are exempt.

use super::*;

pub(in crate::pss) static CHECK: Check = Check {
    id: "seccompProfile_restricted",
    reason: "seccompProfile",
    level: Level::Restricted,
    since: 19,
    replaces: Some(("seccompProfile_baseline", 19)),
    run,
};

fn run(pod: &Pod<'_>, minor: u32, out: &mut Vec<Problem>) {
    if minor >= 25 && pod.is_windows() {
        return;
    }
    let pod_profile = pod.security("seccompProfile");
    let pod_valid = pod_profile.is_some_and(valid_seccomp_type);
    if let Some(p) = pod_profile.filter(|_| !pod_valid) {
        out.push(bad_profile(
            pod.path("securityContext.seccompProfile"),
            p,
            "pod",
            "seccompProfile",
        ));
    }
    for c in &pod.containers {
        match c.security("seccompProfile") {
            Some(p) if !valid_seccomp_type(p) => {
                out.push(bad_profile(c.path("securityContext.seccompProfile"), p, &c.label(), "seccompProfile"));
            }
            None if !pod_valid => out.push(container_problem(
                c,
                "seccompProfile",
                None,
                format!(
                    "pod or {} must set securityContext.seccompProfile.type to RuntimeDefault or Localhost",
                    c.label()
                ),
            )),
            _ => {}
        }
    }
}
