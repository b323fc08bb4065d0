//! The package database readers (dpkg status and lists, apk installed, rpm
//! header blobs in SQLite) and the language lockfile parsers on arbitrary bytes.
#![no_main]

use std::collections::BTreeMap;
use std::sync::Arc;

use kubeward_image::inventory::{self, Parser};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let path = match selector % 6 {
        0 => "var/lib/dpkg/status",
        1 => "var/lib/dpkg/info/pkg.list",
        2 => "var/lib/dpkg/status.d/pkg",
        3 => "lib/apk/db/installed",
        4 => "var/lib/rpm/rpmdb.sqlite",
        _ => "var/lib/dpkg/info/pkg.md5sums",
    };
    let mut files = BTreeMap::new();
    files.insert(path.to_owned(), Arc::new(body.to_vec()));
    files.insert("var/lib/dpkg/status".to_owned(), Arc::new(b"Package: pkg\nVersion: 1\n".to_vec()));
    let _ = inventory::read_os_db(&files);
    for parser in [Parser::CargoLock, Parser::NpmLock, Parser::NpmPackage, Parser::PythonMetadata, Parser::Requirements, Parser::PoetryLock] {
        let _ = inventory::parse(parser, "f", body);
    }
    let _ = inventory::binary("bin", body);
    let _ = inventory::java::archive("a.jar", body, 0);
    let _ = inventory::java::archive_stream("a.jar", body, 0);
});
