//! Java archives (`.jar`, `.war`, `.ear`): Maven coordinates from
//! `META-INF/maven/<group>/<artifact>/pom.properties`, else from the manifest
//! (`Implementation-Title`/`-Version`, `Bundle-SymbolicName`/`-Version`), else
//! from the file name; archives nested inside (`BOOT-INF/lib/`, `WEB-INF/lib/`)
//! are opened too, two levels deep, each within the size limit.

use std::cell::Cell;
use std::io::{Cursor, Read};

use super::{Package, PackageType, zipstream};

const MAX_DEPTH: usize = 2;
const MAX_ENTRY: u64 = 32 << 20;
/// Most bytes of entry content read from one streamed archive and the
/// archives nested in it, all together.
const STREAM_BUDGET: u64 = 4 << 30;

fn properties(text: &str) -> (Option<String>, Option<String>, Option<String>) {
    let (mut g, mut a, mut v) = (None, None, None);
    for line in text.lines() {
        if let Some((key, value)) = line.split_once('=') {
            let value = Some(value.trim().to_owned());
            match key.trim() {
                "groupId" => g = value,
                "artifactId" => a = value,
                "version" => v = value,
                _ => {}
            }
        }
    }
    (g, a, v)
}

fn manifest(text: &str) -> Option<(String, String)> {
    let get = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix(':')))
            .map(|v| v.trim().to_owned())
    };
    let name = get("Implementation-Title").or_else(|| {
        get("Bundle-SymbolicName").map(|s| s.split(';').next().unwrap_or("").to_owned())
    })?;
    let version = get("Implementation-Version").or_else(|| get("Bundle-Version"))?;
    let group = get("Implementation-Vendor-Id");
    Some((
        group.map_or(name.clone(), |g| format!("{g}:{name}")),
        version,
    ))
}

/// `commons-text-1.9.jar` → (`commons-text`, `1.9`).
fn from_file_name(path: &str) -> Option<(String, String)> {
    let name = path.rsplit('/').next()?;
    let stem = name.rsplit_once('.')?.0;
    let split = stem
        .char_indices()
        .find(|&(i, c)| c == '-' && stem[i + 1..].starts_with(|d: char| d.is_ascii_digit()))?
        .0;
    Some((stem[..split].to_owned(), stem[split + 1..].to_owned()))
}

/// What is read of an archive's entries.
enum Wanted {
    PomProperties,
    Manifest,
    Nested,
}

fn wanted(name: &str, depth: usize) -> Option<Wanted> {
    if name.ends_with("/pom.properties") && name.starts_with("META-INF/maven/") {
        Some(Wanted::PomProperties)
    } else if name == "META-INF/MANIFEST.MF" {
        Some(Wanted::Manifest)
    } else if depth < MAX_DEPTH && (name.ends_with(".jar") || name.ends_with(".war")) {
        Some(Wanted::Nested)
    } else {
        None
    }
}

/// What one archive's entries have told so far.
#[derive(Default)]
struct Found {
    packages: Vec<Package>,
    manifest: Option<(String, String)>,
}

impl Found {
    fn read(&mut self, path: &str, wanted: &Wanted, data: &[u8]) {
        match wanted {
            Wanted::Manifest => self.manifest = manifest(&String::from_utf8_lossy(data)),
            Wanted::PomProperties => {
                if let (Some(g), Some(a), Some(v)) = properties(&String::from_utf8_lossy(data)) {
                    self.packages.push(Package::new(
                        PackageType::Maven,
                        format!("{g}:{a}"),
                        v,
                        path,
                    ));
                }
            }
            Wanted::Nested => {}
        }
    }

    /// The packages, with the archive itself named by its manifest or file
    /// name when no `pom.properties` named it, ahead of those `nested`.
    fn finish(mut self, path: &str, nested: Vec<Package>) -> Vec<Package> {
        if self.packages.is_empty() {
            let coordinates = self.manifest.or_else(|| from_file_name(path));
            if let Some((name, version)) = coordinates {
                self.packages
                    .push(Package::new(PackageType::Maven, name, version, path));
            }
        }
        self.packages.extend(nested);
        self.packages
    }
}

/// Packages in an archive held whole.
pub fn archive(path: &str, bytes: &[u8], depth: usize) -> Vec<Package> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let mut found = Found::default();
    let mut nested = Vec::new();
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else {
            continue;
        };
        let name = entry.name().to_owned();
        let Some(wanted) = wanted(&name, depth) else {
            continue;
        };
        if entry.size() > MAX_ENTRY {
            continue;
        }
        let mut data = Vec::new();
        if entry
            .by_ref()
            .take(MAX_ENTRY)
            .read_to_end(&mut data)
            .is_err()
        {
            continue;
        }
        match wanted {
            Wanted::Nested => nested.push((format!("{path}/{name}"), data)),
            _ => found.read(path, &wanted, &data),
        }
    }
    let nested = nested
        .into_iter()
        .flat_map(|(inner, data)| archive(&inner, &data, depth + 1))
        .collect();
    found.finish(path, nested)
}

/// Packages in an archive read as a stream, front to back, for one too large
/// to hold: only the entries [`archive`] reads are kept, each within the
/// same limit; a nested archive larger than that (or of unknown size) is
/// streamed in turn. Also why reading stopped early, if it did: the packages
/// found before that are still returned.
pub fn archive_stream(
    path: &str,
    input: impl Read,
    depth: usize,
) -> (Vec<Package>, Option<String>) {
    stream(path, input, depth, &Cell::new(STREAM_BUDGET))
}

/// [`archive_stream`], charging the content read to `budget`.
fn stream(
    path: &str,
    input: impl Read,
    depth: usize,
    budget: &Cell<u64>,
) -> (Vec<Package>, Option<String>) {
    let mut found = Found::default();
    let mut nested = Vec::new();
    let mut trouble = None;
    let walked = zipstream::entries(input, budget, |entry, body| {
        let Some(wanted) = wanted(&entry.name, depth) else {
            return Ok(());
        };
        let inner = format!("{path}/{}", entry.name);
        if matches!(wanted, Wanted::Nested) && entry.size.is_none_or(|size| size > MAX_ENTRY) {
            let (packages, stopped) = stream(&inner, body, depth + 1, budget);
            nested.extend(packages);
            trouble = trouble.take().or(stopped);
            return Ok(());
        }
        let mut data = Vec::new();
        body.take(MAX_ENTRY + 1).read_to_end(&mut data)?;
        if data.len() as u64 > MAX_ENTRY {
            return Ok(());
        }
        match wanted {
            Wanted::Nested => nested.extend(archive(&inner, &data, depth + 1)),
            _ => found.read(path, &wanted, &data),
        }
        Ok(())
    });
    if let Err(e) = walked {
        trouble = trouble.or(Some(format!("{path}: {e}; read no further")));
    }
    (found.finish(path, nested), trouble)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    pub(crate) fn jar(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in files {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// An archive made by the `zip` crate: each entry stored or deflated;
    /// `streamed` writes as to a pipe, sizes after each entry's data.
    /// A name given twice is written once.
    fn zip_with(files: &[(String, Vec<u8>, bool)], streamed: bool) -> Vec<u8> {
        use zip::CompressionMethod::{Deflated, Stored};
        let mut names = std::collections::HashSet::new();
        let files: Vec<_> = files.iter().filter(|f| names.insert(&f.0)).collect();
        let options = |deflate: bool| {
            zip::write::SimpleFileOptions::default().compression_method(if deflate {
                Deflated
            } else {
                Stored
            })
        };
        if streamed {
            let mut w = zip::ZipWriter::new_stream(Vec::new());
            for (name, data, deflate) in files {
                w.start_file(name.as_str(), options(*deflate)).unwrap();
                w.write_all(data).unwrap();
            }
            w.finish().unwrap().into_inner()
        } else {
            let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
            for (name, data, deflate) in files {
                w.start_file(name.as_str(), options(*deflate)).unwrap();
                w.write_all(data).unwrap();
            }
            w.finish().unwrap().into_inner()
        }
    }

    fn entry_strategy() -> impl Strategy<Value = (String, Vec<u8>, bool)> {
        let pom = (0u8..3, 0u8..3).prop_map(|(a, v)| {
            (
                format!("META-INF/maven/org.example/a{a}/pom.properties"),
                format!("groupId=org.example\nartifactId=a{a}\nversion=1.{v}\n").into_bytes(),
            )
        });
        let manifest = Just((
            "META-INF/MANIFEST.MF".to_owned(),
            b"Implementation-Title: app\nImplementation-Version: 2.0\n".to_vec(),
        ));
        let class = ("[a-z]{1,8}", prop::collection::vec(any::<u8>(), 0..2048))
            .prop_map(|(n, data)| (format!("com/example/{n}.class"), data));
        let nested = (0u8..3, any::<bool>()).prop_map(|(v, deflate)| {
            let inner = zip_with(
                &[(
                    "META-INF/maven/org.lib/lib/pom.properties".to_owned(),
                    format!("groupId=org.lib\nartifactId=lib\nversion=3.{v}\n").into_bytes(),
                    deflate,
                )],
                deflate,
            );
            (format!("BOOT-INF/lib/lib-3.{v}.jar"), inner)
        });
        (prop_oneof![pom, manifest, class, nested], any::<bool>())
            .prop_map(|((name, data), deflate)| (name, data, deflate))
    }

    proptest! {
        /// Read front to back, an archive gives what its central directory
        /// gives, whether its entries are stored or deflated, sized in the
        /// header or after the data (deflated only: the end of a stored
        /// entry sized after its data cannot be found, and the JDK neither
        /// writes nor reads such entries as a stream).
        #[test]
        fn streamed_reads_as_whole(
            mut files in prop::collection::vec(entry_strategy(), 0..8),
            streamed: bool,
        ) {
            if streamed {
                for file in &mut files {
                    file.2 = true;
                }
            }
            let bytes = zip_with(&files, streamed);
            let (found, stopped) = archive_stream("app.jar", Cursor::new(&bytes), 0);
            prop_assert_eq!(stopped, None);
            prop_assert_eq!(found, archive("app.jar", &bytes, 0));
        }

        /// Damaged archives stop the stream with a reason, never a panic.
        #[test]
        fn damaged_streams_end_cleanly(
            files in prop::collection::vec(entry_strategy(), 1..4),
            flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
            cut in any::<prop::sample::Index>(),
        ) {
            let mut bytes = zip_with(&files, true);
            for (at, value) in flips {
                let i = at.index(bytes.len());
                bytes[i] ^= value;
            }
            bytes.truncate(cut.index(bytes.len() + 1));
            let _ = archive_stream("app.jar", Cursor::new(&bytes), 0);
        }
    }

    #[test]
    fn nested_streams_share_one_budget() {
        // A MiB of zeros deflated inside a JAR of unknown size, inside
        // another: the inner walk reads the MiB.
        let inner = zip_with(&[("data.bin".into(), vec![0u8; 1 << 20], true)], true);
        let outer = zip_with(&[("BOOT-INF/lib/big.jar".into(), inner, true)], true);
        let (_, stopped) = stream("app.jar", Cursor::new(&outer), 0, &Cell::new(8 << 20));
        assert_eq!(stopped, None);
        let (_, stopped) = stream("app.jar", Cursor::new(&outer), 0, &Cell::new(512 << 10));
        assert_eq!(
            stopped.as_deref(),
            Some(
                "app.jar/BOOT-INF/lib/big.jar: its entries decompress to more bytes than kubeward reads of one archive; read no further"
            )
        );
    }

    #[test]
    fn a_stream_that_is_not_an_archive_says_so() {
        let (found, stopped) = archive_stream("x.jar", Cursor::new(b"plain text"), 0);
        assert!(found.is_empty());
        assert_eq!(
            stopped.as_deref(),
            Some(
                "x.jar: not a ZIP archive (no ZIP header in the first 65536 bytes); read no further"
            )
        );
        let mut cut = jar(&[(
            "META-INF/MANIFEST.MF",
            b"Implementation-Title: a\nImplementation-Version: 1\n",
        )]);
        cut.truncate(20);
        let (_, stopped) = archive_stream("y.jar", Cursor::new(&cut), 0);
        assert!(stopped.unwrap().starts_with("y.jar: "));
        let manifest = b"Implementation-Title: a\nImplementation-Version: 1\n".to_vec();
        let sized_after = zip_with(&[("META-INF/MANIFEST.MF".into(), manifest, false)], true);
        assert_eq!(
            archive_stream("z.jar", Cursor::new(&sized_after), 0),
            (
                Vec::new(),
                Some("z.jar: entry `META-INF/MANIFEST.MF` gives no size and is not deflated, so its end cannot be found; read no further".into())
            )
        );
    }

    #[test]
    fn coordinates() {
        let inner = jar(&[(
            "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties",
            b"groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n",
        )]);
        let outer = jar(&[
            (
                "META-INF/MANIFEST.MF",
                b"Implementation-Title: app\nImplementation-Version: 1.0\n",
            ),
            ("BOOT-INF/lib/log4j-core-2.14.1.jar", &inner),
        ]);
        let found = archive("app.jar", &outer, 0);
        let names: Vec<(&str, &str)> = found
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("app", "1.0"),
                ("org.apache.logging.log4j:log4j-core", "2.14.1")
            ]
        );
        assert_eq!(
            from_file_name("lib/commons-text-1.9.jar"),
            Some(("commons-text".into(), "1.9".into()))
        );
    }
}
