//! SPDX 2.3 JSON: a document describing the image package, which contains
//! every package found, each with its purl as an external reference.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{now_rfc3339, uuid_from};
use crate::report::ImageReport;

/// An SPDX element id from free text (letters, digits, `.` and `-` only).
fn spdx_id(prefix: &str, text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("SPDXRef-{prefix}-{clean}")
}

/// A licence string if it is a plain SPDX identifier, else NOASSERTION.
fn license(licenses: &[String]) -> String {
    match licenses {
        [one]
            if !one.is_empty()
                && one
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+')) =>
        {
            one.clone()
        }
        _ => "NOASSERTION".to_owned(),
    }
}

pub(crate) fn render(report: &ImageReport<'_>, out: &mut dyn Write) -> io::Result<()> {
    let image = report.image;
    let os = image.os.as_ref();
    let digest = image
        .manifest_digest
        .clone()
        .unwrap_or_else(|| image.config_digest.clone());
    let image_id = spdx_id("Image", &digest);
    let mut packages: Vec<Value> = vec![json!({
        "name": image.reference,
        "SPDXID": image_id,
        "versionInfo": digest,
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": false,
        "primaryPackagePurpose": "CONTAINER",
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": "NOASSERTION",
        "copyrightText": "NOASSERTION",
    })];
    let mut relationships = vec![json!({
        "spdxElementId": "SPDXRef-DOCUMENT",
        "relationshipType": "DESCRIBES",
        "relatedSpdxElement": image_id,
    })];
    if let Some(os) = os {
        let id = spdx_id("OperatingSystem", &format!("{}-{}", os.id, os.version_id));
        packages.push(json!({
            "name": os.id,
            "SPDXID": id,
            "versionInfo": os.version_id,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": false,
            "primaryPackagePurpose": "OPERATING-SYSTEM",
            "licenseConcluded": "NOASSERTION",
            "licenseDeclared": "NOASSERTION",
            "copyrightText": "NOASSERTION",
        }));
        relationships.push(json!({"spdxElementId": image_id, "relationshipType": "CONTAINS", "relatedSpdxElement": id}));
    }
    for (i, p) in image.packages.iter().enumerate() {
        let id = spdx_id("Package", &format!("{}-{i}", p.kind.as_str()));
        packages.push(json!({
            "name": p.name,
            "SPDXID": id,
            "versionInfo": p.version,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": false,
            "primaryPackagePurpose": "LIBRARY",
            "licenseConcluded": "NOASSERTION",
            "licenseDeclared": license(&p.licenses),
            "copyrightText": "NOASSERTION",
            "sourceInfo": format!("layer {} at /{}", p.layer, p.path),
            "externalRefs": [{
                "referenceCategory": "PACKAGE-MANAGER",
                "referenceType": "purl",
                "referenceLocator": p.purl(os),
            }],
        }));
        relationships.push(json!({"spdxElementId": image_id, "relationshipType": "CONTAINS", "relatedSpdxElement": id}));
    }
    let created = now_rfc3339();
    let document = json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": image.reference,
        "documentNamespace": format!("https://kubeward.dev/spdx/{}", uuid_from(&format!("{digest}{created}"))),
        "creationInfo": {"created": created, "creators": [format!("Tool: kubeward-{}", report.tool_version)]},
        "packages": packages,
        "relationships": relationships,
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
