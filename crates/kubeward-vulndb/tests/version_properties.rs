//! Property tests of the version orderings: each is a total order, and each
//! follows the rules its ecosystem documents. dpkg and rpm are also checked
//! against the real tools (`dpkg --compare-versions`, rpm's own `rpm.vercmp`)
//! on generated versions.

use std::cmp::Ordering;
use std::io::Write;
use std::process::{Command, Stdio};

use kubeward_vulndb::Scheme;
use proptest::prelude::*;

fn cmp(s: Scheme, a: &str, b: &str) -> Ordering {
    s.compare(a, b)
        .unwrap_or_else(|| panic!("{s:?} cannot compare {a:?} and {b:?}"))
}

/// Antisymmetry and transitivity on three versions.
fn total_order(s: Scheme, a: &str, b: &str, c: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        cmp(s, a, b),
        cmp(s, b, a).reverse(),
        "antisymmetric {} {}",
        a,
        b
    );
    prop_assert_eq!(cmp(s, a, a), Ordering::Equal);
    let (ab, bc, ac) = (cmp(s, a, b), cmp(s, b, c), cmp(s, a, c));
    if ab != Ordering::Greater && bc != Ordering::Greater {
        prop_assert_ne!(ac, Ordering::Greater, "transitive {} <= {} <= {}", a, b, c);
    }
    Ok(())
}

fn debian_version() -> impl Strategy<Value = String> {
    (
        prop::option::of(0u8..3),
        "[0-9][0-9a-z.+~]{0,8}",
        prop::option::of("[0-9a-z+.~]{1,6}"),
    )
        .prop_map(|(epoch, upstream, revision)| {
            let mut v = String::new();
            if let Some(e) = epoch {
                v.push_str(&format!("{e}:"));
            }
            v.push_str(&upstream);
            if let Some(r) = revision {
                v.push('-');
                v.push_str(&r);
            }
            v
        })
}

fn rpm_version() -> impl Strategy<Value = String> {
    (
        prop::option::of(0u8..3),
        "[0-9][0-9a-z.~^]{0,8}",
        prop::option::of("[0-9a-z.~^]{1,5}"),
    )
        .prop_map(|(e, v, r)| {
            let mut s = String::new();
            if let Some(e) = e {
                s.push_str(&format!("{e}:"));
            }
            s.push_str(&v);
            if let Some(r) = r {
                s.push('-');
                s.push_str(&r);
            }
            s
        })
}

fn semver() -> impl Strategy<Value = String> {
    // Numeric pre-release identifiers have no leading zeros (SemVer item 9).
    (
        0u32..4,
        0u32..4,
        0u32..4,
        prop::option::of(prop::collection::vec(
            prop_oneof!["0|[1-9][0-9]?", "[a-z]{1,3}"],
            1..3,
        )),
    )
        .prop_map(|(a, b, c, pre)| match pre {
            Some(p) => format!("{a}.{b}.{c}-{}", p.join(".")),
            None => format!("{a}.{b}.{c}"),
        })
}

fn pep440() -> impl Strategy<Value = String> {
    (
        prop::option::of(1u8..3),
        prop::collection::vec(0u8..12, 1..4),
        prop::option::of((prop_oneof![Just("a"), Just("b"), Just("rc")], 0u8..3)),
        prop::option::of(0u8..3),
        prop::option::of(0u8..3),
    )
        .prop_map(|(epoch, release, pre, post, dev)| {
            let mut v = String::new();
            if let Some(e) = epoch {
                v.push_str(&format!("{e}!"));
            }
            v.push_str(
                &release
                    .iter()
                    .map(u8::to_string)
                    .collect::<Vec<_>>()
                    .join("."),
            );
            if let Some((k, n)) = pre {
                v.push_str(&format!("{k}{n}"));
            }
            if let Some(p) = post {
                v.push_str(&format!(".post{p}"));
            }
            if let Some(d) = dev {
                v.push_str(&format!(".dev{d}"));
            }
            v
        })
}

fn apk_version() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(0u8..20, 1..4),
        prop::option::of("[a-z]"),
        prop::collection::vec(
            (
                prop_oneof![
                    Just("alpha"),
                    Just("beta"),
                    Just("pre"),
                    Just("rc"),
                    Just("git"),
                    Just("p")
                ],
                prop::option::of(0u8..5),
            ),
            0..2,
        ),
        prop::option::of(0u8..12),
    )
        .prop_map(|(nums, letter, suffixes, rev)| {
            let mut v = nums.iter().map(u8::to_string).collect::<Vec<_>>().join(".");
            if let Some(l) = letter {
                v.push_str(&l);
            }
            for (s, n) in suffixes {
                v.push('_');
                v.push_str(s);
                if let Some(n) = n {
                    v.push_str(&n.to_string());
                }
            }
            if let Some(r) = rev {
                v.push_str(&format!("-r{r}"));
            }
            v
        })
}

fn maven() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(0u8..12, 1..4),
        prop::option::of(prop_oneof![
            Just("alpha"),
            Just("beta"),
            Just("milestone"),
            Just("rc"),
            Just("SNAPSHOT"),
            Just("ga"),
            Just("final"),
            Just("sp"),
            Just("foo")
        ]),
        prop::option::of(0u8..5),
    )
        .prop_map(|(nums, q, n)| {
            let mut v = nums.iter().map(u8::to_string).collect::<Vec<_>>().join(".");
            if let Some(q) = q {
                v.push('-');
                v.push_str(q);
                if let Some(n) = n {
                    v.push_str(&n.to_string());
                }
            }
            v
        })
}

/// Asks the real tool about many pairs at once: one shell, one line per pair.
fn oracle(
    script_for: impl Fn(&str, &str) -> String,
    pairs: &[(String, String)],
) -> Option<Vec<Ordering>> {
    let mut script = String::new();
    for (a, b) in pairs {
        script.push_str(&script_for(a, b));
        script.push('\n');
    }
    let mut child = Command::new("sh")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(script.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let answers: Vec<Ordering> = text
        .lines()
        .map(|l| match l.trim() {
            "-1" | "lt" => Ordering::Less,
            "0" | "eq" => Ordering::Equal,
            _ => Ordering::Greater,
        })
        .collect();
    (answers.len() == pairs.len()).then_some(answers)
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn tool(name: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn dpkg_agrees_with_dpkg_compare_versions() {
    if !tool("dpkg") {
        eprintln!("notice: dpkg not found; skipping");
        return;
    }
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(1));
    let pairs_strategy = prop::collection::vec((debian_version(), debian_version()), 300);
    runner
        .run(&pairs_strategy, |pairs| {
            let pairs: Vec<(String, String)> = pairs.into_iter().filter(|(a, b)| Scheme::Dpkg.is_valid(a) && Scheme::Dpkg.is_valid(b)).collect();
            let answers = oracle(
                |a, b| format!("if dpkg --compare-versions {0} lt {1}; then echo lt; elif dpkg --compare-versions {0} eq {1}; then echo eq; else echo gt; fi", quote(a), quote(b)),
                &pairs,
            )
            .expect("dpkg answers");
            for ((a, b), want) in pairs.iter().zip(answers) {
                prop_assert_eq!(cmp(Scheme::Dpkg, a, b), want, "{} vs {}", a, b);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn rpm_agrees_with_rpm_vercmp() {
    if !tool("rpm") {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(!ci, "rpm is missing under CI (scripts/test installs it)");
        eprintln!("notice: rpm not found; skipping");
        return;
    }
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(1));
    runner
        .run(
            &prop::collection::vec((rpm_version(), rpm_version()), 300),
            |pairs| {
                // rpm.vercmp compares whole EVR strings as rpmvercmp does.
                let lua = pairs
                    .iter()
                    .map(|(a, b)| format!("print(rpm.vercmp([[{a}]], [[{b}]]) .. \"\\n\")"))
                    .collect::<Vec<_>>()
                    .join(" ");
                let out = Command::new("rpm")
                    .arg("--eval")
                    .arg(format!("%{{lua: {lua}}}"))
                    .output()
                    .expect("rpm runs");
                let text = String::from_utf8_lossy(&out.stdout);
                let answers: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
                prop_assert_eq!(answers.len(), pairs.len());
                for ((a, b), want) in pairs.iter().zip(answers) {
                    let want = match want.trim() {
                        "-1" => Ordering::Less,
                        "0" => Ordering::Equal,
                        _ => Ordering::Greater,
                    };
                    prop_assert_eq!(cmp(Scheme::Rpm, a, b), want, "{} vs {}", a, b);
                }
                Ok(())
            },
        )
        .unwrap();
}

proptest! {
    #[test]
    fn every_scheme_is_a_total_order(
        d in prop::array::uniform3(debian_version()),
        r in prop::array::uniform3(rpm_version()),
        s in prop::array::uniform3(semver()),
        p in prop::array::uniform3(pep440()),
        a in prop::array::uniform3(apk_version()),
        m in prop::array::uniform3(maven()),
    ) {
        if d.iter().all(|v| Scheme::Dpkg.is_valid(v)) {
            total_order(Scheme::Dpkg, &d[0], &d[1], &d[2])?;
        }
        total_order(Scheme::Rpm, &r[0], &r[1], &r[2])?;
        total_order(Scheme::Semver, &s[0], &s[1], &s[2])?;
        total_order(Scheme::Pep440, &p[0], &p[1], &p[2])?;
        total_order(Scheme::Apk, &a[0], &a[1], &a[2])?;
        total_order(Scheme::Maven, &m[0], &m[1], &m[2])?;
    }

    /// deb-version(7): the epoch dominates, `~` sorts before the end, a
    /// revision bump is newer.
    #[test]
    fn dpkg_rules(up in "[0-9][0-9a-z.+]{0,6}", rev in "[0-9][0-9a-z+.]{0,4}", tail in "[0-9a-z]{1,4}") {
        let v = format!("{up}-{rev}");
        prop_assert_eq!(cmp(Scheme::Dpkg, &v, &format!("1:{v}")), Ordering::Less);
        prop_assert_eq!(cmp(Scheme::Dpkg, &format!("{up}~{tail}-{rev}"), &v), Ordering::Less);
        prop_assert_eq!(cmp(Scheme::Dpkg, &format!("0:{v}"), &v), Ordering::Equal);
    }

    /// rpmvercmp: `~` before the base version, `^` after it but before the next segment.
    #[test]
    fn rpm_tilde_and_caret(base in "[0-9]{1,2}\\.[0-9]{1,2}", tail in "[a-z0-9]{1,4}") {
        prop_assert_eq!(cmp(Scheme::Rpm, &format!("{base}~{tail}"), &base), Ordering::Less);
        prop_assert_eq!(cmp(Scheme::Rpm, &base, &format!("{base}^{tail}")), Ordering::Less);
        prop_assert_eq!(cmp(Scheme::Rpm, &format!("{base}^{tail}"), &format!("{base}.1")), Ordering::Less);
        prop_assert_eq!(cmp(Scheme::Rpm, &format!("{base}~{tail}"), &format!("{base}^{tail}")), Ordering::Less);
    }

    /// SemVer 2.0 items 9 and 11: a pre-release precedes its release (numeric
    /// identifiers carry no leading zero); build metadata is ignored.
    #[test]
    fn semver_rules(v in "[0-9]\\.[0-9]\\.[0-9]", pre in "[a-z][a-z0-9]{0,4}|0|[1-9][0-9]{0,3}", build in "[a-z0-9]{1,5}") {
        prop_assert_eq!(cmp(Scheme::Semver, &format!("{v}-{pre}"), &v), Ordering::Less);
        prop_assert_eq!(cmp(Scheme::Semver, &format!("{v}+{build}"), &v), Ordering::Equal);
    }

    /// PEP 440: dev < a < b < rc < release < post; epochs dominate; spelling normalises.
    #[test]
    fn pep440_rules(release in "[0-9]{1,2}(\\.[0-9]{1,2}){0,2}", n in 0u8..9) {
        let chain = [format!("{release}.dev{n}"), format!("{release}a{n}"), format!("{release}b{n}"), format!("{release}rc{n}"), release.clone(), format!("{release}.post{n}")];
        for w in chain.windows(2) {
            prop_assert_eq!(cmp(Scheme::Pep440, &w[0], &w[1]), Ordering::Less, "{:?}", w);
        }
        prop_assert_eq!(cmp(Scheme::Pep440, &format!("{release}-ALPHA{n}"), &format!("{release}a{n}")), Ordering::Equal);
        prop_assert_eq!(cmp(Scheme::Pep440, &format!("v{release}"), &release), Ordering::Equal);
        prop_assert_eq!(cmp(Scheme::Pep440, &format!("{release}+local.{n}"), &release), Ordering::Greater);
        prop_assert_eq!(cmp(Scheme::Pep440, "99!0", &format!("1!{release}")), Ordering::Greater);
    }

    /// apk: pre-release suffixes before the release, post-release ones and revisions after.
    #[test]
    fn apk_rules(base in "[0-9]{1,2}(\\.[0-9]{1,2}){0,2}", n in 0u8..9) {
        let chain = [format!("{base}_alpha{n}"), format!("{base}_beta{n}"), format!("{base}_pre{n}"), format!("{base}_rc{n}"), base.clone(), format!("{base}-r{n}"), format!("{base}_p{n}")];
        for w in chain.windows(2) {
            prop_assert_eq!(cmp(Scheme::Apk, &w[0], &w[1]), Ordering::Less, "{:?}", w);
        }
    }

    /// Maven: trailing zeros and release qualifiers do not count; qualifiers
    /// order alpha < beta < milestone < rc < snapshot < release < sp.
    #[test]
    fn maven_rules(nums in prop::collection::vec(1u8..20, 1..3), n in 1u8..5) {
        let base = nums.iter().map(u8::to_string).collect::<Vec<_>>().join(".");
        prop_assert_eq!(cmp(Scheme::Maven, &format!("{base}.0.0"), &base), Ordering::Equal);
        prop_assert_eq!(cmp(Scheme::Maven, &format!("{base}-ga"), &base), Ordering::Equal);
        prop_assert_eq!(cmp(Scheme::Maven, &format!("{base}.Final"), &base), Ordering::Equal);
        let chain = [format!("{base}-alpha{n}"), format!("{base}-beta{n}"), format!("{base}-milestone{n}"), format!("{base}-rc{n}"), format!("{base}-SNAPSHOT"), base.clone(), format!("{base}-sp{n}"), format!("{base}.1")];
        for w in chain.windows(2) {
            prop_assert_eq!(cmp(Scheme::Maven, &w[0], &w[1]), Ordering::Less, "{:?}", w);
        }
    }

    /// Go pseudo-versions sit after the release they derive from and before
    /// the next, ordered by their timestamps.
    #[test]
    fn go_pseudo_versions(major in 0u8..3, minor in 0u8..9, patch in 0u8..9, t1 in 20_190_101_000_000u64..20_291_231_000_000, t2 in 20_190_101_000_000u64..20_291_231_000_000, hash in "[0-9a-f]{12}") {
        let base = format!("v{major}.{minor}.{patch}");
        let next = format!("v{major}.{minor}.{}", patch + 1);
        let p1 = format!("{next}-0.{t1}-{hash}");
        let p2 = format!("{next}-0.{t2}-{hash}");
        prop_assert_eq!(cmp(Scheme::Go, &base, &p1), Ordering::Less);
        prop_assert_eq!(cmp(Scheme::Go, &p1, &next), Ordering::Less);
        prop_assert_eq!(cmp(Scheme::Go, &p1, &p2), t1.cmp(&t2));
        prop_assert_eq!(cmp(Scheme::Go, &format!("v{major}.0.0-{t1}-{hash}"), &format!("v{major}.0.0")), Ordering::Less);
        prop_assert_eq!(cmp(Scheme::Go, &format!("{base}+incompatible"), &base), Ordering::Equal);
    }
}
