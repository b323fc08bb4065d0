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

/// The declared licence as an SPDX expression when it is one (identifiers
/// of the SPDX licence list, deprecated ones such as `GPL-2.0+` included, joined with AND for
/// several), else NOASSERTION: a name such as `BSD` or `UNLICENSED` is not an
/// SPDX expression, and a document carrying it is invalid.
fn license(licenses: &[String]) -> String {
    if licenses.is_empty() {
        return "NOASSERTION".to_owned();
    }
    let joined = if licenses.len() == 1 {
        licenses[0].clone()
    } else {
        licenses
            .iter()
            .map(|l| format!("({l})"))
            .collect::<Vec<_>>()
            .join(" AND ")
    };
    let mode = spdx::ParseMode {
        allow_deprecated: true,
        allow_postfix_plus_on_gpl: true,
        ..spdx::ParseMode::STRICT
    };
    match spdx::Expression::parse_mode(&joined, mode) {
        Ok(_) => joined,
        Err(_) => "NOASSERTION".to_owned(),
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

#[cfg(test)]
mod tests {
    use super::license;

    #[test]
    fn only_spdx_expressions_are_declared() {
        let one = |l: &str| license(&[l.to_owned()]);
        assert_eq!(one("MIT"), "MIT");
        assert_eq!(one("Apache-2.0 OR MIT"), "Apache-2.0 OR MIT");
        assert_eq!(one("GPL-2.0+"), "GPL-2.0+");
        for not_spdx in ["BSD", "GPL", "UNLICENSED", "Proprietary", "", "MIT OR"] {
            assert_eq!(one(not_spdx), "NOASSERTION", "{not_spdx}");
        }
        assert_eq!(
            license(&["MIT".to_owned(), "Apache-2.0 OR MIT".to_owned()]),
            "(MIT) AND (Apache-2.0 OR MIT)"
        );
        assert_eq!(
            license(&["MIT".to_owned(), "BSD".to_owned()]),
            "NOASSERTION"
        );
        assert_eq!(license(&[]), "NOASSERTION");
    }
}
