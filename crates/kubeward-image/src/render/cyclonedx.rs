//! CycloneDX 1.5 JSON: the image as the described component, every package
//! as a library (the OS as an operating-system component) with its purl, its
//! layer and path as properties, and the vulnerabilities found.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{now_rfc3339, uuid_from};
use crate::report::ImageReport;

pub(crate) fn render(report: &ImageReport<'_>, out: &mut dyn Write) -> io::Result<()> {
    let image = report.image;
    let os = image.os.as_ref();
    let image_ref = image
        .manifest_digest
        .clone()
        .unwrap_or_else(|| image.config_digest.clone());
    let mut components: Vec<Value> = Vec::new();
    let mut refs: Vec<String> = Vec::new();
    if let Some(os) = os {
        components.push(json!({
            "type": "operating-system",
            "bom-ref": format!("os:{}-{}", os.id, os.version_id),
            "name": os.id,
            "version": os.version_id,
            "description": os.pretty_name,
        }));
        refs.push(format!("os:{}-{}", os.id, os.version_id));
    }
    for (i, p) in image.packages.iter().enumerate() {
        let purl = p.purl(os);
        let bom_ref = format!("{purl}#{i}");
        let mut c = json!({
            "type": "library",
            "bom-ref": bom_ref,
            "name": p.name,
            "version": p.version,
            "purl": purl,
            "properties": [
                {"name": "kubeward:package:type", "value": p.kind.as_str()},
                {"name": "kubeward:layer", "value": p.layer.to_string()},
                {"name": "kubeward:path", "value": p.path},
            ],
        });
        if !p.licenses.is_empty() {
            c["licenses"] = json!(
                p.licenses
                    .iter()
                    .map(|l| json!({"license": {"name": l}}))
                    .collect::<Vec<_>>()
            );
        }
        refs.push(bom_ref);
        components.push(c);
    }
    let vulnerabilities: Vec<Value> = report
        .vulnerabilities
        .iter()
        .map(|v| {
            let affects: Vec<Value> = image
                .packages
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    p.name == v.package && p.version == v.installed && p.path == v.path
                })
                .map(|(i, p)| json!({"ref": format!("{}#{i}", p.purl(os))}))
                .collect();
            let mut rating =
                json!({"severity": v.severity.as_str(), "source": {"name": "kubeward"}});
            if let Some(score) = v.score {
                rating["score"] = json!(score);
            }
            if let Some(vector) = &v.vector {
                rating["vector"] = json!(vector);
                rating["method"] = json!(if vector.starts_with("CVSS:4") {
                    "CVSSv4"
                } else if vector.starts_with("CVSS:3.1") {
                    "CVSSv31"
                } else if vector.starts_with("CVSS:3") {
                    "CVSSv3"
                } else {
                    "CVSSv2"
                });
            }
            let mut entry = json!({
                "id": v.id,
                "ratings": [rating],
                "description": v.summary,
                "affects": affects,
            });
            if let Some(fixed) = &v.fixed {
                entry["recommendation"] = json!(format!("upgrade {} to {fixed}", v.package));
            }
            if !v.aliases.is_empty() {
                entry["references"] = json!(
                    v.aliases
                        .iter()
                        .map(|a| json!({"id": a, "source": {"name": "alias"}}))
                        .collect::<Vec<_>>()
                );
            }
            entry
        })
        .collect();
    let mut bom = json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": format!("urn:uuid:{}", uuid_from(&format!("{image_ref}{}", now_rfc3339()))),
        "version": 1,
        "metadata": {
            "timestamp": now_rfc3339(),
            "tools": {"components": [{"type": "application", "name": "kubeward", "version": report.tool_version}]},
            "component": {
                "type": "container",
                "bom-ref": image_ref,
                "name": image.reference,
                "version": image_ref,
            },
        },
        "components": components,
        "dependencies": [{"ref": image_ref, "dependsOn": refs}],
    });
    if report.database.is_some() {
        bom["vulnerabilities"] = json!(vulnerabilities);
    }
    serde_json::to_writer_pretty(&mut *out, &bom)?;
    writeln!(out)
}
