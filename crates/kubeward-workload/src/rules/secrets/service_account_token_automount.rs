use crate::rules::prelude::*;

rule! {
    /// ## What it does
    /// Flags ServiceAccounts that do not set
    /// `automountServiceAccountToken: false`, and pods that get a token
    /// mounted: the pod sets `automountServiceAccountToken: true`, or leaves it
    /// unset while its ServiceAccount (looked up in the scanned set, same
    /// namespace) does not set it to false.
    ///
    /// ## Why is this bad?
    /// A mounted token lets anything that compromises the pod call the
    /// Kubernetes API as the pod's account. Most applications never call the
    /// API, so the token is only of use to an attacker.
    ///
    /// ## How to fix
    /// Set `automountServiceAccountToken: false` on the ServiceAccount (and on
    /// the pod), and mount a projected token only into pods that talk to the
    /// API.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata: {name: checkout}
    /// automountServiceAccountToken: false
    /// ```
    static RULE = {
        id: "KW304",
        slug: "service-account-token-automount",
        title: "Service account token mounted automatically",
        severity: Medium,
        layer: Cluster,
        owasp: K03,
        references: ["CIS Kubernetes 1.12 5.1.6"],
        check: Check::Set(check),
    };
}

fn check(inventory: &Inventory, emit: &mut Emit<'_>) {
    for account in &inventory.service_accounts {
        if account.automount != Some(false) {
            emit.on(
                &account.meta,
                account.automount_pos,
                "automountServiceAccountToken",
                "ServiceAccount does not set automountServiceAccountToken: false",
            );
        }
    }
    for workload in &inventory.workloads {
        let message = match workload.automount {
            Some(false) => continue,
            Some(true) => "pod sets automountServiceAccountToken: true".to_owned(),
            None => {
                let account = inventory.service_accounts.iter().find(|a| {
                    a.meta.name == workload.service_account
                        && a.meta.namespace == workload.meta.namespace
                });
                match account {
                    Some(a) if a.automount == Some(false) => continue,
                    Some(_) => format!(
                        "pod leaves automountServiceAccountToken unset and its ServiceAccount {:?} does not disable it",
                        workload.service_account
                    ),
                    None => format!(
                        "pod leaves automountServiceAccountToken unset (ServiceAccount {:?} is not in the scanned set)",
                        workload.service_account
                    ),
                }
            }
        };
        emit.on(
            &workload.meta,
            workload.automount_pos,
            workload.automount_path.clone(),
            message,
        );
    }
}
