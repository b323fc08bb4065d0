//! Rule metadata: what every check in kubeward says about itself. The metadata
//! is the documentation: `kubeward rules`, `kubeward explain`, SARIF rule
//! descriptors and the docs are all rendered from it.

use std::fmt;
use std::str::FromStr;

/// How bad a finding is. Ordered from `Info` (least) to `Critical`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown severity `{s}` (critical, high, medium, low, info)"))
    }
}

impl<'de> serde::Deserialize<'de> for Severity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for Severity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The layer of the cloud-native "4C" model a rule protects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    Code,
    Container,
    Cluster,
    Cloud,
}

impl Layer {
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Code => "code",
            Layer::Container => "container",
            Layer::Cluster => "cluster",
            Layer::Cloud => "cloud",
        }
    }
}

/// The OWASP Kubernetes Top 10 (2022) categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owasp {
    K01,
    K02,
    K03,
    K04,
    K05,
    K06,
    K07,
    K08,
    K09,
    K10,
}

impl Owasp {
    pub fn id(self) -> &'static str {
        self.parts().0
    }

    pub fn title(self) -> &'static str {
        self.parts().1
    }

    fn parts(self) -> (&'static str, &'static str) {
        match self {
            Owasp::K01 => ("K01", "Insecure Workload Configurations"),
            Owasp::K02 => ("K02", "Supply Chain Vulnerabilities"),
            Owasp::K03 => ("K03", "Overly Permissive RBAC Configurations"),
            Owasp::K04 => ("K04", "Lack of Centralized Policy Enforcement"),
            Owasp::K05 => ("K05", "Inadequate Logging and Monitoring"),
            Owasp::K06 => ("K06", "Broken Authentication Mechanisms"),
            Owasp::K07 => ("K07", "Missing Network Segmentation Controls"),
            Owasp::K08 => ("K08", "Secrets Management Failures"),
            Owasp::K09 => ("K09", "Misconfigured Cluster Components"),
            Owasp::K10 => ("K10", "Outdated and Vulnerable Kubernetes Components"),
        }
    }
}

/// Declares a rule as a `static` whose doc comment is its documentation: the
/// fields up to `references` become its `meta` ([`RuleMeta`]), the ones after
/// are the rest of `$ty` as written. Each family of rules (workload rules,
/// image checks, CIS controls …) wraps this in a macro of its own that names
/// `$ty` and fills in what the family shares.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        static $name:ident: $ty:path = {
            id: $id:literal,
            slug: $slug:literal,
            title: $title:literal,
            severity: $severity:ident,
            layer: $layer:ident,
            owasp: $owasp:ident,
            references: [$($reference:expr),* $(,)?],
            $($field:ident: $value:expr),* $(,)?
        };
    ) => {
        $(#[doc = $doc])+
        pub(crate) static $name: $ty = {
            // A `path` fragment cannot name a struct literal; an alias can.
            type Declared = $ty;
            Declared {
                meta: $crate::RuleMeta {
                    id: $id,
                    slug: $slug,
                    title: $title,
                    severity: $crate::Severity::$severity,
                    layer: $crate::Layer::$layer,
                    owasp: $crate::Owasp::$owasp,
                    references: &[$($reference),*],
                    doc: concat!($($doc, "\n"),+),
                },
                $($field: $value),*
            }
        };
    };
}

/// Everything a rule says about itself.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable identifier, e.g. `KW103`. Never reused.
    pub id: &'static str,
    /// Stable kebab-case name, e.g. `privileged-container`.
    pub slug: &'static str,
    /// One line saying what is wrong when the rule fires.
    pub title: &'static str,
    pub severity: Severity,
    pub layer: Layer,
    pub owasp: Owasp,
    /// Benchmark and standard references (`CIS 1.12 5.2.2`, `PSS baseline: privileged`).
    pub references: &'static [&'static str],
    /// The rule's documentation: Markdown with the sections `What it does`,
    /// `Why is this bad?`, `How to fix` and optionally `Example`.
    pub doc: &'static str,
}

impl RuleMeta {
    /// The documentation with the one-space indent of `///` comments removed.
    pub fn documentation(&self) -> String {
        let mut out = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_owned()
    }

    /// The text of one `## Heading` section of the documentation.
    pub fn section(&self, heading: &str) -> String {
        let doc = self.documentation();
        let mut lines = doc
            .lines()
            .skip_while(|l| l.trim_start_matches('#').trim() != heading);
        if lines.next().is_none() {
            return String::new();
        }
        let body: Vec<&str> = lines.take_while(|l| !l.starts_with("## ")).collect();
        body.join("\n").trim().to_owned()
    }

    /// Why the rule matters.
    pub fn rationale(&self) -> String {
        self.section("Why is this bad?")
    }

    /// What to do about a finding.
    pub fn remediation(&self) -> String {
        self.section("How to fix")
    }

    /// The rule's one-paragraph description.
    pub fn summary(&self) -> String {
        let what = self.section("What it does");
        what.split("\n\n")
            .next()
            .unwrap_or_default()
            .replace('\n', " ")
    }

    /// Whether `name` is this rule's id or slug (case-insensitive).
    pub fn is_named(&self, name: &str) -> bool {
        self.id.eq_ignore_ascii_case(name) || self.slug.eq_ignore_ascii_case(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static META: RuleMeta = RuleMeta {
        id: "KW000",
        slug: "example",
        title: "An example",
        severity: Severity::Low,
        layer: Layer::Cluster,
        owasp: Owasp::K01,
        references: &[],
        doc: " ## What it does\n Flags things.\n More words.\n\n Second paragraph.\n ## Why is this bad?\n Because.\n ## How to fix\n Do not.\n",
    };

    #[test]
    fn sections_come_from_the_doc() {
        assert_eq!(META.summary(), "Flags things. More words.");
        assert_eq!(META.rationale(), "Because.");
        assert_eq!(META.remediation(), "Do not.");
        assert_eq!(META.section("Example"), "");
        assert!(META.is_named("example") && META.is_named("kw000"));
    }

    #[test]
    fn severities_order_and_parse() {
        assert!(Severity::Critical > Severity::High && Severity::Low > Severity::Info);
        assert_eq!("HIGH".parse::<Severity>(), Ok(Severity::High));
        assert!("severe".parse::<Severity>().is_err());
    }
}
