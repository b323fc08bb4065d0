//! Go binaries' embedded build information (`go version -m`): the Go
//! toolchain version (reported as the `stdlib` module, as OSV names it), the
//! main module and its dependencies, with `=>` replacements applied.
//!
//! Since Go 1.18 the information sits inline after a 16-byte-aligned
//! `\xff Go buildinf:` header. Older binaries (flag bit 2 unset) give two
//! pointers instead, each to a Go string header (data pointer, length) in
//! the data segment; those are followed through the ELF's loadable
//! segments when the binary is held whole. In a binary too large to hold
//! they cannot be, and a notice says so.

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

/// Flag bit: the strings follow the header (Go 1.18 and later).
const INLINE_STRINGS: u8 = 2;
const BIG_ENDIAN: u8 = 1;

/// What a binary's build information gave.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BuildInfo {
    pub packages: Vec<Package>,
    /// Why information that is there was not read.
    pub note: Option<String>,
}

/// The two strings that follow a Go 1.18+ header.
fn inline_strings(b: &[u8]) -> Option<[String; 2]> {
    let mut at = 32;
    let mut next = || {
        let (len, n) = b.get(at..).and_then(varint)?;
        at += n;
        let s = b.get(at..at.checked_add(len)?)?;
        at += len;
        Some(String::from_utf8_lossy(s).into_owned())
    };
    Some([next()?, next()?])
}

/// The two strings a pre-1.18 header points at, read through `binary`'s
/// loadable segments: the header holds the address of each string's
/// (data, length) header.
fn pointed_strings(header: &[u8], binary: &[u8]) -> Option<[String; 2]> {
    let size = usize::from(*header.get(14)?);
    if size != 4 && size != 8 {
        return None;
    }
    let big = header.get(15)? & BIG_ENDIAN != 0;
    let pointer = |b: &[u8]| super::elf::read_word(b, 0, size == 8, !big);
    let string = |at: usize| -> Option<String> {
        let address = pointer(header.get(at..)?)?;
        let string_header = super::elf::at_address(binary, address, 2 * size as u64)?;
        let data = pointer(string_header)?;
        let len = pointer(string_header.get(size..)?)?.min(MAX_INFO as u64);
        let bytes = super::elf::at_address(binary, data, len)?;
        Some(String::from_utf8_lossy(bytes).into_owned())
    };
    Some([string(16)?, string(16 + size)?])
}

/// Parses the bytes starting at the magic header; `binary` is the whole
/// file, when held, for the pointers of the pre-1.18 format.
fn parse_info(path: &str, b: &[u8], binary: Option<&[u8]>) -> BuildInfo {
    let Some(&flags) = b.get(15) else {
        return BuildInfo::default();
    };
    let strings = if flags & INLINE_STRINGS != 0 {
        inline_strings(b)
    } else {
        let Some(binary) = binary else {
            return BuildInfo {
                packages: Vec::new(),
                note: Some(format!(
                    "{path}: Go build information in the pre-1.18 format, which points into the binary; the binary is too large to hold, so its modules are not reported"
                )),
            };
        };
        match pointed_strings(b, binary) {
            Some(strings) => Some(strings),
            None => {
                return BuildInfo {
                    packages: Vec::new(),
                    note: Some(format!(
                        "{path}: Go build information in the pre-1.18 format whose pointers lead nowhere in the file; its modules are not reported"
                    )),
                };
            }
        }
    };
    let Some([go_version, modinfo]) = strings else {
        return BuildInfo::default();
    };
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
    BuildInfo {
        packages: out,
        note: None,
    }
}

/// Build information of a binary held whole.
pub fn from_binary(path: &str, bytes: &[u8]) -> BuildInfo {
    let section = super::elf::section(bytes, ".go.buildinfo");
    let haystack = section.unwrap_or(bytes);
    let mut at = 0;
    while let Some(pos) = find(&haystack[at..], MAGIC) {
        let start = at + pos;
        if start % 16 == 0 || section.is_some() {
            return parse_info(path, &haystack[start..], Some(bytes));
        }
        at = start + 1;
    }
    BuildInfo::default()
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

    pub fn finish(&mut self, path: &str) -> BuildInfo {
        self.found
            .take()
            .map(|info| parse_info(path, &info, None))
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

    /// (name, version) of each package found, after checking that no note
    /// came with them.
    fn read_cleanly(found: &BuildInfo) -> Vec<(&str, &str)> {
        assert_eq!(found.note, None);
        found
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect()
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
        assert_eq!(
            read_cleanly(&whole),
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

    /// A minimal ELF as Go before 1.18 linked it: one loadable segment
    /// mapping the whole file at 0x400000, a build-information header at
    /// 0x100 holding the addresses of two string headers (at 0x200), which
    /// hold the addresses and lengths of the strings (from 0x300).
    fn pointer_format_elf(is64: bool, big: bool, go: &str, modinfo: &str) -> Vec<u8> {
        const BASE: u64 = 0x40_0000;
        let size: usize = if is64 { 8 } else { 4 };
        let modinfo = format!("{}{modinfo}{}", "0".repeat(16), "1".repeat(16));
        let mut b = vec![0u8; 0x300];
        b.extend_from_slice(go.as_bytes());
        b.extend_from_slice(modinfo.as_bytes());
        let len = b.len() as u64;
        let put = |b: &mut Vec<u8>, at: usize, value: u64, width: usize| {
            let bytes = if big {
                value.to_be_bytes()[8 - width..].to_vec()
            } else {
                value.to_le_bytes()[..width].to_vec()
            };
            b[at..at + width].copy_from_slice(&bytes);
        };
        b[..4].copy_from_slice(b"\x7fELF");
        b[4] = if is64 { 2 } else { 1 };
        b[5] = if big { 2 } else { 1 };
        b[6] = 1;
        put(&mut b, 0x10, 2, 2); // e_type: executable
        put(&mut b, 0x14, 1, 4); // e_version
        // The program header table (no section headers) and its one
        // entry: (offset 64-bit, offset 32-bit, value, width 64, width 32).
        let entry_size = if is64 { 56 } else { 32 };
        for (at64, at32, value, width64, width32) in [
            (0x20, 0x1c, 0x40, 8, 4),       // e_phoff
            (0x36, 0x2a, entry_size, 2, 2), // e_phentsize
            (0x38, 0x2c, 1, 2, 2),          // e_phnum
            (0x40, 0x40, 1, 4, 4),          // p_type: PT_LOAD
            (0x48, 0x44, 0, 8, 4),          // p_offset
            (0x50, 0x48, BASE, 8, 4),       // p_vaddr
            (0x60, 0x50, len, 8, 4),        // p_filesz
            (0x68, 0x54, len, 8, 4),        // p_memsz
        ] {
            let (at, width) = if is64 {
                (at64, width64)
            } else {
                (at32, width32)
            };
            put(&mut b, at, value, width);
        }
        b[0x100..0x100 + MAGIC.len()].copy_from_slice(MAGIC);
        b[0x10e] = size as u8;
        b[0x10f] = u8::from(big); // flag bit 2 unset: pointers
        let headers = 0x200;
        put(&mut b, 0x110, BASE + headers as u64, size);
        put(
            &mut b,
            0x110 + size,
            BASE + (headers + 2 * size) as u64,
            size,
        );
        put(&mut b, headers, BASE + 0x300, size);
        put(&mut b, headers + size, go.len() as u64, size);
        put(
            &mut b,
            headers + 2 * size,
            BASE + 0x300 + go.len() as u64,
            size,
        );
        put(&mut b, headers + 3 * size, modinfo.len() as u64, size);
        b
    }

    #[test]
    fn reads_the_pointer_format_of_go_before_1_18() {
        let modinfo = "path\texample.com/old\nmod\texample.com/old\tv1.2.3\th1:a=\ndep\tgolang.org/x/text\tv0.3.5\th1:b=\n";
        for (is64, big) in [(true, false), (false, true), (false, false)] {
            let binary = pointer_format_elf(is64, big, "go1.16.15", modinfo);
            assert_eq!(
                read_cleanly(&from_binary("old", &binary)),
                [
                    ("stdlib", "v1.16.15"),
                    ("example.com/old", "v1.2.3"),
                    ("golang.org/x/text", "v0.3.5")
                ],
                "64-bit {is64}, big-endian {big}"
            );
            // Streamed (a binary too large to hold), the pointers cannot be
            // followed: a note says so.
            let mut scanner = StreamScanner::default();
            for chunk in binary.chunks(100) {
                scanner.feed(chunk);
            }
            let streamed = scanner.finish("old");
            assert!(streamed.packages.is_empty());
            assert!(
                streamed.note.as_deref().is_some_and(|n| n.starts_with(
                    "old: Go build information in the pre-1.18 format, which points into the binary; the binary is too large"
                )),
                "{streamed:?}"
            );
        }
        // A pointer past every segment: a note, no packages.
        let mut broken = pointer_format_elf(true, false, "go1.16.15", modinfo);
        broken[0x110..0x118].copy_from_slice(&0x7fff_0000u64.to_le_bytes());
        let found = from_binary("broken", &broken);
        assert!(found.packages.is_empty());
        assert_eq!(
            found.note.as_deref(),
            Some(
                "broken: Go build information in the pre-1.18 format whose pointers lead nowhere in the file; its modules are not reported"
            )
        );
    }

    #[test]
    fn real_go_binary_if_present() {
        // Debian's docker-registry is a Go program.
        let Ok(bytes) = std::fs::read("/usr/bin/docker-registry") else {
            return;
        };
        let found = from_binary("docker-registry", &bytes).packages;
        assert!(found.iter().any(|p| p.name == "stdlib"), "{found:?}");
    }
}
