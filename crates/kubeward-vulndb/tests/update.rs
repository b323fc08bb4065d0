//! `db import` and `db update` against real servers on 127.0.0.1: the real
//! openssl (`s_server -WWW`) serving fixture exports over HTTPS, and a small
//! HTTP server that answers conditional requests with 304.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use kubeward_testkit::openssl::ca_and_server_cert;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use kubeward_net::client::HttpOptions;
use kubeward_vulndb::store::Store;
use kubeward_vulndb::update::{Outcome, update};
use serde_json::json;

fn record(id: &str, ecosystem: &str, name: &str, fixed: &str) -> serde_json::Value {
    json!({
        "id": id,
        "modified": "2025-03-01T00:00:00Z",
        "aliases": [format!("CVE-{id}")],
        "summary": format!("{name} advisory"),
        "affected": [{"package": {"ecosystem": ecosystem, "name": name},
                      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}],
    })
}

fn zip_of(path: &Path, records: &[serde_json::Value]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for r in records {
        zip.start_file(
            format!("{}.json", r["id"].as_str().unwrap()),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(r.to_string().as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

struct Openssl(Child);

impl Drop for Openssl {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for(addr: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(addr).is_err() {
        assert!(Instant::now() < deadline, "no server on {addr}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Serves `root` over HTTPS with `openssl s_server -WWW`; returns the server and its CA.
fn https_server(root: &Path) -> (Openssl, String, PathBuf) {
    let (ca, cert, key) = ca_and_server_cert(root, "mirror CA");
    let port = kubeward_testkit::free_port();
    let child = Command::new("openssl")
        .args(["s_server", "-quiet", "-WWW", "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("-cert")
        .arg(&cert)
        .arg("-key")
        .arg(&key)
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl s_server");
    let addr = format!("127.0.0.1:{port}");
    wait_for(&addr);
    (Openssl(child), format!("https://{addr}/osv"), ca)
}

#[test]
fn update_over_https_then_import_replaces() {
    let root = tempfile::tempdir().unwrap();
    zip_of(
        &root.path().join("osv/Debian/all.zip"),
        &[
            record("DSA-1", "Debian:12", "openssl", "3.0.11-1~deb12u2"),
            record("DSA-2", "Debian:11", "curl", "7.74.0-1.3+deb11u10"),
        ],
    );
    zip_of(
        &root.path().join("osv/PyPI/all.zip"),
        &[record("PYSEC-1", "PyPI", "Django", "3.2.1")],
    );
    let (_server, mirror, ca) = https_server(root.path());
    let db = root.path().join("db/vulns.redb");
    let http = HttpOptions {
        ca_file: Some(ca),
        read_timeout: Some(Duration::from_secs(10)),
        ..HttpOptions::default()
    };
    let report = update(
        &db,
        &mirror,
        &["Debian".into(), "PyPI".into()],
        &http,
        &mut |_| {},
    )
    .unwrap();
    assert!(
        report
            .outcomes
            .iter()
            .all(|(_, o)| matches!(o, Outcome::Downloaded { .. }))
    );
    let store = Store::open(&db).unwrap();
    assert_eq!(store.info().ecosystems["Debian"].advisories, 2);
    assert_eq!(
        store.info().ecosystems["PyPI"].source,
        format!("{mirror}/PyPI/all.zip")
    );
    let hits = store
        .matches(&["Debian:12".into()], "openssl", "3.0.11-1~deb12u1")
        .unwrap();
    assert_eq!(hits[0].fixed.as_deref(), Some("3.0.11-1~deb12u2"));
    assert!(
        store
            .matches(&["PyPI".into()], "django", "3.2.0")
            .unwrap()
            .len()
            == 1,
        "PyPI names are normalised"
    );
    drop(store);
    // Without the CA the mirror is refused, and the database is untouched.
    let err = update(
        &db,
        &mirror,
        &["Debian".into()],
        &HttpOptions::default(),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("certificate") || err.to_string().contains("Certificate"),
        "{err}"
    );
    assert_eq!(Store::open(&db).unwrap().info().ecosystems.len(), 2);
    assert_eq!(
        files_in(db.parent().unwrap()),
        ["vulns.redb"],
        "a failed update removes its build files"
    );
    // Leftover temporary files of an interrupted import do not matter.
    std::fs::write(db.with_file_name("vulns.redb.tmp-1"), b"half written").unwrap();
    let (info, skipped) =
        kubeward_vulndb::import::import(&db, &[root.path().join("osv/PyPI/all.zip")], true)
            .unwrap();
    assert!(skipped.is_empty());
    assert_eq!(info.ecosystems.keys().collect::<Vec<_>>(), ["PyPI"]);
}

/// An HTTP/1.1 server on 127.0.0.1, one request per connection: `respond`
/// gets the request line and the header lines (lower case) and returns the
/// whole response.
fn http_server(respond: impl Fn(&str, &str) -> Vec<u8> + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            let mut headers = String::new();
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                headers.push_str(&line.to_ascii_lowercase());
                line.clear();
            }
            let _ = stream.write_all(&respond(&request, &headers));
            let _ = stream.flush();
            let mut rest = Vec::new();
            let _ = reader.read_to_end(&mut rest);
        }
    });
    format!("http://{addr}")
}

fn response(status: &str, extra: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// A one-route HTTP/1.1 server with an entity tag, counting full downloads.
fn etag_server(body: Vec<u8>) -> (String, Arc<AtomicUsize>) {
    let downloads = Arc::new(AtomicUsize::new(0));
    let counter = downloads.clone();
    let url = http_server(move |_, headers| {
        if headers.contains("if-none-match: \"v1\"") {
            response("304 Not Modified", "ETag: \"v1\"\r\n", b"")
        } else {
            counter.fetch_add(1, Ordering::SeqCst);
            response("200 OK", "ETag: \"v1\"\r\n", &body)
        }
    });
    (url, downloads)
}

/// Serves the files under `root` by path, 404 for any other path.
fn files_server(root: PathBuf) -> String {
    http_server(move |request, _| {
        let path = request.split(' ').nth(1).unwrap_or("/").replace("%20", " ");
        match std::fs::read(root.join(path.trim_start_matches('/'))) {
            Ok(body) => response("200 OK", "", &body),
            Err(_) => response("404 Not Found", "", b"not found"),
        }
    })
}

#[test]
fn unchanged_exports_are_not_downloaded_again() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("all.zip");
    zip_of(&zip, &[record("GHSA-1", "npm", "lodash", "4.17.21")]);
    let (mirror, downloads) = etag_server(std::fs::read(&zip).unwrap());
    let db = dir.path().join("v.redb");
    let first = update(
        &db,
        &mirror,
        &["npm".into()],
        &HttpOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    assert!(matches!(first.outcomes[0].1, Outcome::Downloaded { .. }));
    let second = update(
        &db,
        &mirror,
        &["npm".into()],
        &HttpOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(second.outcomes[0].1, Outcome::Unchanged);
    assert_eq!(downloads.load(Ordering::SeqCst), 1);
    // What was carried over still answers.
    let store = Store::open(&db).unwrap();
    assert_eq!(
        store
            .matches(&["npm".into()], "lodash", "4.17.20")
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store.info().ecosystems["npm"].etag.as_deref(),
        Some("\"v1\"")
    );
    let npm = &store.info().ecosystems["npm"];
    assert_eq!((npm.advisories, npm.packages), (1, 1));
    assert_eq!(files_in(dir.path()), ["all.zip", "v.redb"]);
}

/// The names in a directory, sorted.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn entries_are_grouped_by_package_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let mut twice = record("GHSA-A", "npm", "lodash", "4.17.12");
    let first = twice["affected"][0].clone();
    twice["affected"].as_array_mut().unwrap().push(first);
    // GHSA-A names lodash twice and comes in both exports; GHSA-B names it
    // too, in the other export; GHSA-C names another package.
    zip_of(
        &dir.path().join("one/all.zip"),
        &[twice.clone(), record("GHSA-C", "npm", "minimist", "1.2.6")],
    );
    zip_of(
        &dir.path().join("two/all.zip"),
        &[record("GHSA-B", "npm", "lodash", "4.17.21"), twice],
    );
    let db = dir.path().join("v.redb");
    let (info, skipped) = kubeward_vulndb::import::import(
        &db,
        &[dir.path().join("one"), dir.path().join("two")],
        false,
    )
    .unwrap();
    assert!(skipped.is_empty());
    assert_eq!(
        (
            info.ecosystems["npm"].advisories,
            info.ecosystems["npm"].packages
        ),
        (3, 2)
    );
    let store = Store::open(&db).unwrap();
    let mut hits: Vec<String> = store
        .matches(&["npm".into()], "lodash", "4.17.11")
        .unwrap()
        .into_iter()
        .map(|m| m.advisory.id)
        .collect();
    hits.sort();
    assert_eq!(hits, ["GHSA-A", "GHSA-B"]);
    assert_eq!(
        store
            .matches(&["npm".into()], "lodash", "4.17.12")
            .unwrap()
            .len(),
        1,
        "only GHSA-B affects 4.17.12"
    );
    assert_eq!(
        store
            .matches(&["npm".into()], "minimist", "1.2.5")
            .unwrap()
            .len(),
        1
    );
    assert_eq!(files_in(dir.path()), ["one", "two", "v.redb"]);
}

#[test]
fn bad_exports_are_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("all.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&zip).unwrap());
    w.start_file("good.json", zip::write::SimpleFileOptions::default())
        .unwrap();
    w.write_all(
        record("GHSA-2", "crates.io", "smallvec", "1.6.1")
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    w.start_file("bad.json", zip::write::SimpleFileOptions::default())
        .unwrap();
    w.write_all(b"{not json").unwrap();
    w.finish().unwrap();
    let db = dir.path().join("v.redb");
    let (info, skipped) = kubeward_vulndb::import::import(&db, &[zip], false).unwrap();
    assert_eq!(info.ecosystems["crates.io"].advisories, 1);
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0].contains("bad.json"));
    let mut not_zip = std::fs::File::create(dir.path().join("x.zip")).unwrap();
    not_zip.write_all(b"plain text").unwrap();
    // A file named that is not an export is skipped and told, not fatal.
    let (_, skipped) =
        kubeward_vulndb::import::import(&db, &[dir.path().join("x.zip")], false).unwrap();
    assert!(
        skipped.len() == 1 && skipped[0].contains("x.zip"),
        "{skipped:?}"
    );

    // In a directory, a file that cannot be read is skipped and told like a
    // bad record in an archive; the others are imported.
    let folder = dir.path().join("records");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("a.json"), "{\"id\": \"X\", \"affected\": [").unwrap();
    std::fs::write(
        folder.join("b.json"),
        record("GHSA-3", "crates.io", "smallvec", "1.6.1").to_string(),
    )
    .unwrap();
    std::fs::write(folder.join("c.zip"), "junk").unwrap();
    let (info, skipped) = kubeward_vulndb::import::import(&db, &[folder], false).unwrap();
    assert_eq!(info.ecosystems["crates.io"].advisories, 1);
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].contains("a.json") && skipped[1].contains("c.zip"));
}

/// An update of some ecosystems keeps the others; an ecosystem the mirror
/// does not have is skipped (what the database had for it is kept), not a
/// failure of the whole update.
#[test]
fn update_refreshes_only_what_it_names() {
    let root = tempfile::tempdir().unwrap();
    let debian = root.path().join("osv/Debian/all.zip");
    zip_of(
        &debian,
        &[record("DSA-1", "Debian:12", "openssl", "3.0.11-1~deb12u2")],
    );
    zip_of(
        &root.path().join("osv/PyPI/all.zip"),
        &[record("PYSEC-1", "PyPI", "Django", "3.2.1")],
    );
    // openssl's s_server answers 200 for a missing file: this one 404s.
    let mirror = format!("{}/osv", files_server(root.path().to_owned()));
    let db = root.path().join("db/vulns.redb");
    let http = HttpOptions::default();
    update(
        &db,
        &mirror,
        &["Debian".into(), "PyPI".into()],
        &http,
        &mut |_| {},
    )
    .unwrap();
    zip_of(
        &debian,
        &[
            record("DSA-1", "Debian:12", "openssl", "3.0.11-1~deb12u2"),
            record("DSA-2", "Debian:12", "curl", "7.88.1-10+deb12u1"),
        ],
    );
    let report = update(
        &db,
        &mirror,
        &["Debian".into(), "npm".into()],
        &http,
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(
        report.outcomes,
        [
            (
                "Debian".to_owned(),
                Outcome::Downloaded {
                    bytes: std::fs::metadata(&debian).unwrap().len()
                }
            ),
            ("npm".to_owned(), Outcome::NotOnMirror),
        ]
    );
    let store = Store::open(&db).unwrap();
    let ecosystems = &store.info().ecosystems;
    assert_eq!(ecosystems.keys().collect::<Vec<_>>(), ["Debian", "PyPI"]);
    assert_eq!(ecosystems["Debian"].advisories, 2);
    assert_eq!(
        ecosystems["PyPI"].advisories, 1,
        "PyPI was not asked for: kept"
    );
    assert_eq!(
        store
            .matches(&["PyPI".into()], "django", "3.2.0")
            .unwrap()
            .len(),
        1
    );
}

/// Offline, the update says in one line that the mirror cannot be reached
/// and what to do instead, and leaves the database as it was.
#[test]
fn an_unreachable_mirror_says_what_to_do_instead() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.redb");
    let mirror = format!("http://127.0.0.1:{}", kubeward_testkit::free_port());
    let err = update(
        &db,
        &mirror,
        &["Debian".into()],
        &HttpOptions::default(),
        &mut |_| {},
    )
    .unwrap_err()
    .to_string();
    assert_eq!(err.lines().count(), 1, "{err}");
    for wanted in [
        mirror.as_str(),
        "--mirror",
        "kubeward db import",
        "--skip-vulnerabilities",
    ] {
        assert!(err.contains(wanted), "{wanted}: {err}");
    }
    assert!(!db.exists());
}

/// `db import` adds: an ecosystem it imports replaces the old one, the
/// others are kept; `replace` builds from the inputs alone. A file named
/// on the command line that cannot be read is skipped and told.
#[test]
fn import_adds_and_replaces_only_what_it_imports() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("v.redb");
    zip_of(
        &d.join("debian.zip"),
        &[record("DSA-1", "Debian:12", "openssl", "3.0.11-1~deb12u2")],
    );
    zip_of(
        &d.join("pypi.zip"),
        &[record("PYSEC-1", "PyPI", "Django", "3.2.1")],
    );
    zip_of(
        &d.join("debian-new.zip"),
        &[
            record("DSA-2", "Debian:12", "curl", "7.88.1-10+deb12u1"),
            record("DSA-3", "Debian:12", "bash", "5.2.15-2+b2"),
        ],
    );
    std::fs::write(d.join("broken.zip"), "not a zip").unwrap();
    let import = |inputs: &[&str], replace| {
        let paths: Vec<PathBuf> = inputs.iter().map(|i| d.join(i)).collect();
        kubeward_vulndb::import::import(&db, &paths, replace).unwrap()
    };
    let (info, skipped) = import(&["debian.zip", "broken.zip", "pypi.zip"], false);
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0].contains("broken.zip"), "{skipped:?}");
    assert_eq!(
        info.ecosystems.keys().collect::<Vec<_>>(),
        ["Debian", "PyPI"]
    );

    let (info, _) = import(&["debian-new.zip"], false);
    assert_eq!(info.ecosystems["Debian"].advisories, 2);
    assert_eq!(info.ecosystems["PyPI"].advisories, 1);
    let store = Store::open(&db).unwrap();
    assert!(
        store.advisory("DSA-1").unwrap().is_none(),
        "Debian was replaced whole"
    );
    assert!(store.advisory("PYSEC-1").unwrap().is_some());
    drop(store);

    let (info, _) = import(&["pypi.zip"], true);
    assert_eq!(info.ecosystems.keys().collect::<Vec<_>>(), ["PyPI"]);
}
