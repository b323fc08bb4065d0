//! Go binaries' embedded build information (`go version -m`): the Go
//! toolchain version (reported as the `stdlib` module, as OSV names it), the
//! main module and its dependencies, with `=>` replacements applied.
//!
//! Since Go 1.18 the information sits inline after a 16-byte-aligned
//! `\xff Go buildinf:` header; older binaries point into the data segment
//! instead, which is not read (their modules are not reported).

use super::{Package, PackageType};

const MAGIC: &[u8] = b"\xff Go buildinf:";
/// Bytes after the header kept for the strings (real ones are a few KiB).
const MAX_INFO: usize = 256 << 10;

fn varint(b: &[u8]) -> Option<(usize, usize)> {
    let mut value: u64 = 0;
    for (i, &byte) in b.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((usize::try_from(value).ok()?, i + 1));
        }
    }
    None
}

/// Parses the bytes starting at the magic header.
fn parse_info(path: &str, b: &[u8]) -> Vec<Package> {
    let Some(&flags) = b.get(15) else {
        return Vec::new();
    };
    if flags & 2 == 0 {
        return Vec::new();
    }
    let mut at = 32;
    let mut strings = Vec::new();
    for _ in 0..2 {
        let Some((len, n)) = b.get(at..).and_then(varint) else {
            return Vec::new();
        };
        at += n;
        let Some(s) = b.get(at..at.saturating_add(len)) else {
            return Vec::new();
        };
        strings.push(String::from_utf8_lossy(s).into_owned());
        at += len;
    }
    let (go_version, modinfo) = (&strings[0], &strings[1]);
    // The module information is wrapped in 16-byte sentinels.
    let modinfo = if modinfo.len() >= 33 {
        modinfo.get(16..modinfo.len() - 16).unwrap_or("")
    } else {
        ""
    };
    let mut out = Vec::new();
    if let Some(v) = go_version.strip_prefix("go") {
        let v = v.split([' ', '-']).next().unwrap_or(v);
        out.push(Package::new(
            PackageType::Golang,
            "stdlib",
            format!("v{v}"),
            path,
        ));
    }
    for line in modinfo.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["mod", module, version, ..] if *version != "(devel)" => {
                out.push(Package::new(PackageType::Golang, *module, *version, path));
            }
            ["dep", module, version, ..] => {
                out.push(Package::new(PackageType::Golang, *module, *version, path));
            }
            ["=>", module, version, ..] => {
                if let Some(last) = out.last_mut().filter(|p| p.name != "stdlib") {
                    last.name = (*module).to_owned();
                    last.version = (*version).to_owned();
                }
            }
            _ => {}
        }
    }
    out
}

/// Build information of a binary held whole.
pub fn from_binary(path: &str, bytes: &[u8]) -> Vec<Package> {
    let section = super::elf::section(bytes, ".go.buildinfo");
    let haystack = section.unwrap_or(bytes);
    let mut at = 0;
    while let Some(pos) = find(&haystack[at..], MAGIC) {
        let start = at + pos;
        if start % 16 == 0 || section.is_some() {
            return parse_info(path, &haystack[start..]);
        }
        at = start + 1;
    }
    Vec::new()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// Finds build information in a binary too large to hold, as it streams by.
#[derive(Debug, Default)]
pub struct StreamScanner {
    /// Stream offset of `window[0]`.
    base: u64,
    window: Vec<u8>,
    /// Bytes from the magic on, once found.
    found: Option<Vec<u8>>,
}

impl StreamScanner {
    pub fn feed(&mut self, data: &[u8]) {
        if let Some(info) = &mut self.found {
            let room = MAX_INFO.saturating_sub(info.len());
            info.extend_from_slice(&data[..data.len().min(room)]);
            return;
        }
        self.window.extend_from_slice(data);
        let mut at = 0;
        while let Some(pos) = find(&self.window[at..], MAGIC) {
            let start = at + pos;
            if (self.base + start as u64).is_multiple_of(16) {
                let mut info = self.window[start..].to_vec();
                info.truncate(MAX_INFO);
                self.found = Some(info);
                self.window = Vec::new();
                return;
            }
            at = start + 1;
        }
        // Keep only a possible partial magic at the end.
        let keep = MAGIC.len() - 1;
        if self.window.len() > keep {
            let drop = self.window.len() - keep;
            self.window.drain(..drop);
            self.base += drop as u64;
        }
    }

    pub fn finish(&mut self, path: &str) -> Vec<Package> {
        self.found
            .take()
            .map(|info| parse_info(path, &info))
            .unwrap_or_default()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A Go 1.18+ build-information blob.
    pub(crate) fn buildinfo(go: &str, modinfo: &str) -> Vec<u8> {
        let mut b = MAGIC.to_vec();
        b.push(8);
        b.push(2);
        b.resize(32, 0);
        for s in [
            go.to_owned(),
            format!("{}{modinfo}{}", "0".repeat(16), "1".repeat(16)),
        ] {
            let mut len = s.len();
            loop {
                let byte = (len & 0x7f) as u8;
                len >>= 7;
                if len == 0 {
                    b.push(byte);
                    break;
                }
                b.push(byte | 0x80);
            }
            b.extend_from_slice(s.as_bytes());
        }
        b
    }

    #[test]
    fn reads_modules_whole_and_streamed() {
        let info = buildinfo(
            "go1.21.3",
            "path\texample.com/app\nmod\texample.com/app\t(devel)\t\ndep\tgolang.org/x/net\tv0.17.0\th1:x=\ndep\tgithub.com/a/b\tv1.0.0\th1:y=\n=>\tgithub.com/fork/b\tv1.0.1\th1:z=\n",
        );
        let mut binary = vec![0u8; 48];
        binary.extend_from_slice(&info);
        binary.extend_from_slice(&[0u8; 100]);
        let whole = from_binary("app", &binary);
        let names: Vec<(&str, &str)> = whole
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("stdlib", "v1.21.3"),
                ("golang.org/x/net", "v0.17.0"),
                ("github.com/fork/b", "v1.0.1")
            ]
        );
        let mut scanner = StreamScanner::default();
        for chunk in binary.chunks(7) {
            scanner.feed(chunk);
        }
        assert_eq!(scanner.finish("app"), whole);
    }

    #[test]
    fn real_go_binary_if_present() {
        // Debian's docker-registry is a Go program.
        let Ok(bytes) = std::fs::read("/usr/bin/docker-registry") else {
            return;
        };
        let found = from_binary("docker-registry", &bytes);
        assert!(found.iter().any(|p| p.name == "stdlib"), "{found:?}");
    }
}
