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

/// `licenseDeclared` values: SPDX expressions of listed licences as they
/// are; anything else (`BSD`, `Proprietary`, npm's `UNLICENSED`) as a
/// `LicenseRef-` whose text goes in `hasExtractedLicensingInfos`, which is
/// what SPDX 2.3 asks of licences not on its list.
#[derive(Default)]
struct Licenses {
    /// Original text → its `LicenseRef-` id.
    extracted: std::collections::BTreeMap<String, String>,
}

impl Licenses {
    fn declared(&mut self, licenses: &[String]) -> String {
        // Several licences (Debian copyright files) say nothing of how they
        // combine.
        let [one] = licenses else {
            return "NOASSERTION".to_owned();
        };
        let one = one.trim();
        if one.is_empty() {
            return "NOASSERTION".to_owned();
        }
        // Deprecated ids (`GPL-2.0`) are still on the list and valid, and
        // `+` is the expression syntax's "or later".
        let mode = spdx::ParseMode {
            allow_deprecated: true,
            allow_postfix_plus_on_gpl: true,
            ..spdx::ParseMode::STRICT
        };
        if spdx::Expression::parse_mode(one, mode).is_ok() {
            return one.to_owned();
        }
        if let Some(id) = self.extracted.get(one) {
            return id.clone();
        }
        let clean: String = one
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let mut id = format!("LicenseRef-{clean}");
        let mut n = 1;
        while self.extracted.values().any(|v| *v == id) {
            n += 1;
            id = format!("LicenseRef-{clean}-{n}");
        }
        self.extracted.insert(one.to_owned(), id.clone());
        id
    }

    /// The `hasExtractedLicensingInfos` entries.
    fn infos(&self) -> Vec<Value> {
        self.extracted
            .iter()
            .map(|(text, id)| {
                json!({
                    "licenseId": id,
                    "name": text,
                    "extractedText": format!("The package declares its licence as \"{text}\", which is not an SPDX licence identifier."),
                })
            })
            .collect()
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
    let mut licenses = Licenses::default();
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
            "licenseDeclared": licenses.declared(&p.licenses),
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
    let mut document = json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": image.reference,
        "documentNamespace": format!("https://kubeward.dev/spdx/{}", uuid_from(&format!("{digest}{created}"))),
        "creationInfo": {"created": created, "creators": [format!("Tool: kubeward-{}", report.tool_version)]},
        "packages": packages,
        "relationships": relationships,
    });
    let infos = licenses.infos();
    if !infos.is_empty() {
        document["hasExtractedLicensingInfos"] = Value::Array(infos);
    }
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_licences_are_spdx_expressions_or_license_refs() {
        let mut l = Licenses::default();
        let one = |s: &str| vec![s.to_owned()];
        assert_eq!(l.declared(&one("MIT")), "MIT");
        assert_eq!(l.declared(&one("Apache-2.0 OR MIT")), "Apache-2.0 OR MIT");
        assert_eq!(l.declared(&one("GPL-2.0+")), "GPL-2.0+");
        assert_eq!(l.declared(&[]), "NOASSERTION");
        assert_eq!(
            l.declared(&[one("MIT"), one("BSD")].concat()),
            "NOASSERTION"
        );
        // Not on the SPDX licence list.
        assert_eq!(l.declared(&one("BSD")), "LicenseRef-BSD");
        assert_eq!(l.declared(&one("UNLICENSED")), "LicenseRef-UNLICENSED");
        assert_eq!(l.declared(&one("GPL v2")), "LicenseRef-GPL-v2");
        assert_eq!(l.declared(&one("GPL-v2")), "LicenseRef-GPL-v2-2");
        assert_eq!(l.declared(&one("BSD")), "LicenseRef-BSD");
        let infos = l.infos();
        assert_eq!(infos.len(), 4);
        assert!(
            infos
                .iter()
                .any(|i| i["licenseId"] == "LicenseRef-BSD" && i["name"] == "BSD")
        );
    }
}
