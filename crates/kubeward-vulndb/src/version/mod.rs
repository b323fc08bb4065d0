//! Version ordering, one module per scheme. Each `compare` returns `None`
//! when a version does not parse, so that a malformed advisory or package
//! never matches by accident.

pub mod apk;
pub mod dpkg;
pub mod go;
pub mod maven;
pub mod pep440;
pub mod rpm;
pub mod semver;
