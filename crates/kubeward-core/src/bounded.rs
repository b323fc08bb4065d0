//! Reading input with a size limit. A file larger than the limit, or a device
//! or FIFO that never ends (`/dev/zero`), is an error rather than a memory
//! blow-up; the size a file claims is not trusted, only what is read.

use std::io::{self, Read};
use std::path::Path;

/// Reads `reader` to its end, or fails once it passes `max` bytes.
pub fn read_to_end(reader: impl Read, max: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("larger than the {max}-byte input limit"),
        ));
    }
    Ok(bytes)
}

/// Reads the file at `path`, of at most `max` bytes.
pub fn read_file(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    read_to_end(std::fs::File::open(path)?, max)
}

/// Reads UTF-8 text from `reader`, of at most `max` bytes.
pub fn read_text_from(reader: impl Read, max: u64) -> io::Result<String> {
    String::from_utf8(read_to_end(reader, max)?)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not valid UTF-8"))
}

/// Reads the UTF-8 text file at `path`, of at most `max` bytes.
pub fn read_text(path: &Path, max: u64) -> io::Result<String> {
    read_text_from(std::fs::File::open(path)?, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endless_input_stops_at_the_limit() {
        let err = read_to_end(io::repeat(0), 1024).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
        assert_eq!(err.to_string(), "larger than the 1024-byte input limit");
        let err = read_file(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
    }

    #[test]
    fn input_up_to_the_limit_is_read_whole() {
        assert_eq!(read_to_end(&b"abcd"[..], 4).unwrap(), b"abcd");
        assert!(read_to_end(&b"abcde"[..], 4).is_err());
        assert_eq!(read_to_end(&b""[..], 0).unwrap(), b"");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert_eq!(read_file(&path, 2).unwrap(), [0xff, 0xfe]);
        assert_eq!(
            read_text(&path, 2).unwrap_err().to_string(),
            "not valid UTF-8"
        );
    }
}
