//! Just enough ELF to find a section by name, for embedded metadata. Every
//! offset is checked against the buffer; a malformed file yields nothing.

fn read_u16(b: &[u8], at: usize, le: bool) -> Option<u16> {
    let s: [u8; 2] = b.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(if le {
        u16::from_le_bytes(s)
    } else {
        u16::from_be_bytes(s)
    })
}

fn read_u32(b: &[u8], at: usize, le: bool) -> Option<u32> {
    let s: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(if le {
        u32::from_le_bytes(s)
    } else {
        u32::from_be_bytes(s)
    })
}

fn read_u64(b: &[u8], at: usize, le: bool) -> Option<u64> {
    let s: [u8; 8] = b.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(if le {
        u64::from_le_bytes(s)
    } else {
        u64::from_be_bytes(s)
    })
}

/// A word of the binary's width: 8 bytes when `wide`, else 4.
pub(super) fn read_word(b: &[u8], at: usize, wide: bool, le: bool) -> Option<u64> {
    if wide {
        read_u64(b, at, le)
    } else {
        read_u32(b, at, le).map(u64::from)
    }
}

/// One section header: name offset, file offset, size.
struct Section {
    name: u32,
    offset: u64,
    size: u64,
    kind: u32,
}

/// Whether an ELF file is 64-bit and little-endian.
fn class(b: &[u8]) -> Option<(bool, bool)> {
    if !b.starts_with(b"\x7fELF") {
        return None;
    }
    Some((*b.get(4)? == 2, *b.get(5)? == 1))
}

/// The file offset of each entry of a header table (section or program
/// headers), from the ELF header's fields for its offset, entry size and
/// entry count, at `fields` (64-bit layout, 32-bit layout).
fn table(
    b: &[u8],
    is64: bool,
    le: bool,
    fields: ([usize; 3], [usize; 3]),
) -> Option<impl Iterator<Item = Option<usize>>> {
    let [offset, size, count] = if is64 { fields.0 } else { fields.1 };
    let offset = read_word(b, offset, is64, le)?;
    let offset = usize::try_from(offset).ok()?;
    let size = usize::from(read_u16(b, size, le)?);
    let count = usize::from(read_u16(b, count, le)?);
    Some((0..count).map(move |i| offset.checked_add(i.checked_mul(size)?)))
}

fn sections(b: &[u8]) -> Option<(Vec<Section>, usize)> {
    let (is64, le) = class(b)?;
    let shstrndx = read_u16(b, if is64 { 0x3e } else { 0x32 }, le)?;
    let headers = table(b, is64, le, ([0x28, 0x3a, 0x3c], [0x20, 0x2e, 0x30]))?;
    let mut out = Vec::new();
    for at in headers {
        let at = at?;
        let s = if is64 {
            Section {
                name: read_u32(b, at, le)?,
                kind: read_u32(b, at.checked_add(4)?, le)?,
                offset: read_u64(b, at.checked_add(0x18)?, le)?,
                size: read_u64(b, at.checked_add(0x20)?, le)?,
            }
        } else {
            Section {
                name: read_u32(b, at, le)?,
                kind: read_u32(b, at.checked_add(4)?, le)?,
                offset: u64::from(read_u32(b, at.checked_add(0x10)?, le)?),
                size: u64::from(read_u32(b, at.checked_add(0x14)?, le)?),
            }
        };
        out.push(s);
    }
    Some((out, usize::from(shstrndx)))
}

fn data<'a>(b: &'a [u8], s: &Section) -> Option<&'a [u8]> {
    // SHT_NOBITS sections occupy no file bytes.
    if s.kind == 8 {
        return None;
    }
    let start = usize::try_from(s.offset).ok()?;
    let end = start.checked_add(usize::try_from(s.size).ok()?)?;
    b.get(start..end)
}

/// The contents of the section called `name`.
pub fn section<'a>(b: &'a [u8], name: &str) -> Option<&'a [u8]> {
    let (sections, strndx) = sections(b)?;
    let names = data(b, sections.get(strndx)?)?;
    sections.iter().find_map(|s| {
        let start = usize::try_from(s.name).ok()?;
        let rest = names.get(start..)?;
        let end = rest.iter().position(|&c| c == 0)?;
        (&rest[..end] == name.as_bytes())
            .then(|| data(b, s))
            .flatten()
    })
}

/// The file bytes of `len` bytes at virtual address `address`, found
/// through the loadable segments (`PT_LOAD`); `None` when no segment's file
/// image holds all of them.
pub fn at_address(b: &[u8], address: u64, len: u64) -> Option<&[u8]> {
    let (is64, le) = class(b)?;
    let mut headers = table(b, is64, le, ([0x20, 0x36, 0x38], [0x1c, 0x2a, 0x2c]))?;
    headers.find_map(|at| {
        let at = at?;
        let (kind, offset, vaddr, filesz) = if is64 {
            (
                read_u32(b, at, le)?,
                read_u64(b, at.checked_add(8)?, le)?,
                read_u64(b, at.checked_add(16)?, le)?,
                read_u64(b, at.checked_add(32)?, le)?,
            )
        } else {
            (
                read_u32(b, at, le)?,
                u64::from(read_u32(b, at.checked_add(4)?, le)?),
                u64::from(read_u32(b, at.checked_add(8)?, le)?),
                u64::from(read_u32(b, at.checked_add(16)?, le)?),
            )
        };
        const PT_LOAD: u32 = 1;
        let into = address.checked_sub(vaddr)?;
        if kind != PT_LOAD || into.checked_add(len)? > filesz {
            return None;
        }
        let start = usize::try_from(offset.checked_add(into)?).ok()?;
        b.get(start..start.checked_add(usize::try_from(len).ok()?)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sections_of_a_real_binary() {
        let bytes = std::fs::read("/bin/true").unwrap();
        assert!(section(&bytes, ".text").is_some_and(|t| !t.is_empty()));
        assert!(section(&bytes, ".no-such-section").is_none());
        assert!(section(b"\x7fELF\x02\x01garbage", ".text").is_none());
    }
}
