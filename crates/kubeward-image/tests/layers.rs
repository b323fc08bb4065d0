//! Layered images built here, scanned through the OCI layout and docker
//! archive readers: whiteouts, a deleted package database, unowned and
//! modified executables, hostile entries, bombs and corrupt streams.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use kubeward_image::checks;
use kubeward_image::layer::{LayerError, Limits};
use kubeward_image::scan::{ScanError, ScannedImage, scan};
use kubeward_image::source::{Platform, archive, layout};
use kubeward_image::synth::{Compression, LayerBuilder, write_docker_archive, write_oci_layout};
use md5::{Digest, Md5};
use serde_json::json;

fn md5_hex(data: &[u8]) -> String {
    kubeward_image::source::digest::hex(&Md5::digest(data))
}

/// A real ELF binary from the machine.
fn elf() -> Vec<u8> {
    std::fs::read("/bin/true").expect("/bin/true")
}

fn scan_layout(
    layers: &[Vec<u8>],
    compression: Compression,
    user: Option<&str>,
) -> Result<ScannedImage, ScanError> {
    scan_layout_with(layers, compression, user, &json!({}))
}

/// As `scan_layout`, with `config` merged into the image configuration.
fn scan_layout_with(
    layers: &[Vec<u8>],
    compression: Compression,
    user: Option<&str>,
    config: &serde_json::Value,
) -> Result<ScannedImage, ScanError> {
    let dir = tempfile::tempdir().unwrap();
    write_oci_layout(dir.path(), layers, compression, user, config).unwrap();
    let image = layout::open(dir.path(), None, &Platform::default()).unwrap();
    scan(image, &Limits::default(), &|_, _| {})
}

/// A base layer with two dpkg packages, their file lists and checksums.
fn base_layer() -> Vec<u8> {
    let tool = elf();
    let status = "Package: tool\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\n\nPackage: libfoo1\nStatus: install ok installed\nSource: foo (2.0-3)\nVersion: 2.0-3+b1\nArchitecture: amd64\n";
    let mut l = LayerBuilder::new();
    l.dir("etc", 0o755)
        .file(
            "etc/os-release",
            0o644,
            b"ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n",
        )
        .dir("usr/bin", 0o755)
        .symlink("bin", "usr/bin")
        .file("usr/bin/tool", 0o755, &tool)
        .file("usr/lib/libfoo.so.1", 0o644, b"not really a library")
        .dir("tmp", 0o1777)
        .dir("var/lib/dpkg/info", 0o755)
        .file("var/lib/dpkg/status", 0o644, status.as_bytes())
        .file(
            "var/lib/dpkg/info/tool.list",
            0o644,
            b"/.\n/bin\n/bin/tool\n",
        )
        .file(
            "var/lib/dpkg/info/tool.md5sums",
            0o644,
            format!("{}  bin/tool\n", md5_hex(&tool)).as_bytes(),
        )
        .file(
            "var/lib/dpkg/info/libfoo1:amd64.list",
            0o644,
            b"/usr/lib/libfoo.so.1\n",
        )
        .file(
            "var/lib/dpkg/info/libfoo1:amd64.md5sums",
            0o644,
            format!(
                "{}  usr/lib/libfoo.so.1\n",
                md5_hex(b"not really a library")
            )
            .as_bytes(),
        );
    l.finish()
}

#[test]
fn packages_layers_and_a_clean_image() {
    for compression in [Compression::None, Compression::Gzip, Compression::Zstd] {
        let image = scan_layout(&[base_layer()], compression, Some("10001")).unwrap();
        assert_eq!(image.os.as_ref().unwrap().id, "debian");
        let names: Vec<(&str, &str, usize)> = image
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.layer))
            .collect();
        assert_eq!(names, [("tool", "1.0-1", 0), ("libfoo1", "2.0-3+b1", 0)]);
        assert_eq!(image.packages[1].source_name.as_deref(), Some("foo"));
        assert!(
            image.tamper.unowned_executables.is_empty(),
            "{:?}",
            image.tamper
        );
        assert!(image.tamper.modified_files.is_empty());
        let findings: Vec<&str> = checks::run(&image).iter().map(|f| f.rule.id).collect();
        assert!(
            !findings.contains(&"KW801") && !findings.contains(&"KW807"),
            "{findings:?}"
        );
    }
}

#[test]
fn malicious_compliance_is_seen() {
    let mut top = LayerBuilder::new();
    top.whiteout("var/lib/dpkg/status")
        .file("usr/local/bin/dropped", 0o755, &elf())
        .file(
            "usr/bin/tool",
            0o755,
            &[elf(), b"patched".to_vec()].concat(),
        )
        .dir("srv/shared", 0o777)
        .file("usr/bin/su", 0o4755, b"#!/bin/sh\n");
    let image = scan_layout(&[base_layer(), top.finish()], Compression::Gzip, None).unwrap();
    // The deleted database's packages are still reported, flagged.
    assert_eq!(image.packages.len(), 2);
    assert!(image.packages.iter().all(|p| p.from_deleted_database));
    let d = &image.tamper.deleted_databases[0];
    assert_eq!(
        (
            d.path.as_str(),
            d.packages,
            d.last_seen_layer,
            d.removed_in_layer
        ),
        ("var/lib/dpkg/status", 2, 0, 1)
    );
    assert_eq!(image.tamper.unowned_executables, ["usr/local/bin/dropped"]);
    assert_eq!(image.tamper.modified_files.len(), 1);
    assert_eq!(image.tamper.modified_files[0].path, "usr/bin/tool");
    assert_eq!(image.tamper.modified_files[0].layer, 1);
    let mut ids: Vec<&str> = checks::run(&image).iter().map(|f| f.rule.id).collect();
    ids.dedup();
    for id in ["KW801", "KW806", "KW807", "KW810", "KW811", "KW812"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
}

/// Layers whose build step ran no package manager are not hashed on the
/// first read; their packaged files are hashed by a second one, which sees
/// the copy the image keeps (the last), a hard link's content, and a layer
/// that did install packages alike.
#[test]
fn packaged_files_of_any_layer_are_verified() {
    let patched = [elf(), b"patched".to_vec()].concat();
    let verify = |top: &LayerBuilder, created_by: &str| {
        let history =
            json!({"history": [{"created_by": "ADD rootfs.tar /"}, {"created_by": created_by}]});
        let layers = [base_layer(), top.finish()];
        let image = scan_layout_with(&layers, Compression::Gzip, None, &history).unwrap();
        image
            .tamper
            .modified_files
            .iter()
            .map(|m| (m.path.clone(), m.layer))
            .collect::<Vec<_>>()
    };
    let mut decoy = LayerBuilder::new();
    decoy
        .file("usr/bin/tool", 0o755, &elf())
        .file("usr/bin/tool", 0o755, &patched);
    let mut linked = LayerBuilder::new();
    linked
        .file("opt/tool", 0o755, &patched)
        .entry("usr/bin/tool", b'1', 0o755, b"", "opt/tool");
    let mut untouched = LayerBuilder::new();
    untouched.file("srv/app", 0o644, b"data");
    for created_by in ["COPY . /app", "RUN apt-get install -y tool"] {
        let expected = [("usr/bin/tool".to_owned(), 1)];
        assert_eq!(verify(&decoy, created_by), expected, "{created_by}");
        assert_eq!(verify(&linked, created_by), expected, "{created_by}");
        assert_eq!(verify(&untouched, created_by), [], "{created_by}");
    }
}

#[test]
fn upgrades_are_attributed_to_their_layer_and_opaque_dirs_hide() {
    let status2 = "Package: tool\nStatus: install ok installed\nVersion: 1.0-2\nArchitecture: amd64\n\nPackage: libfoo1\nStatus: install ok installed\nSource: foo (2.0-3)\nVersion: 2.0-3+b1\nArchitecture: amd64\n";
    let mut top = LayerBuilder::new();
    top.file("var/lib/dpkg/status", 0o644, status2.as_bytes())
        .dir("var/lib/dpkg/info", 0o755)
        .file("var/lib/dpkg/info/.wh..wh..opq", 0o644, b"");
    let image = scan_layout(&[base_layer(), top.finish()], Compression::None, None).unwrap();
    let layers: Vec<(&str, usize)> = image
        .packages
        .iter()
        .map(|p| (p.version.as_str(), p.layer))
        .collect();
    assert_eq!(layers, [("1.0-2", 1), ("2.0-3+b1", 0)]);
    // The opaque directory hid the file lists: the tool binary is now unowned.
    assert_eq!(image.tamper.unowned_executables, ["usr/bin/tool"]);
}

#[test]
fn docker_archives_read_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("image.tar");
    write_docker_archive(&path, &[base_layer()], "example/app:1").unwrap();
    let image = scan(
        archive::open(&path).unwrap(),
        &Limits::default(),
        &|_, _| {},
    )
    .unwrap();
    assert_eq!(image.packages.len(), 2);
    assert_eq!(image.repo_tags, ["example/app:1"]);
}

fn layer_error(result: Result<ScannedImage, ScanError>) -> LayerError {
    match result {
        Err(ScanError::Layer { error, .. }) => error,
        other => panic!("expected a layer error, got {other:?}"),
    }
}

#[test]
fn hostile_entries_are_refused() {
    let mut climb = LayerBuilder::new();
    climb.file("../../etc/passwd", 0o644, b"x");
    assert!(matches!(
        layer_error(scan_layout(&[climb.finish()], Compression::Gzip, None)),
        LayerError::Escape { .. }
    ));
    let mut absolute = LayerBuilder::new();
    absolute.file("/etc/passwd", 0o644, b"x");
    assert!(matches!(
        layer_error(scan_layout(&[absolute.finish()], Compression::None, None)),
        LayerError::Escape { .. }
    ));
    let mut link = LayerBuilder::new();
    link.symlink("lib", "../../../tmp");
    let mut through = LayerBuilder::new();
    through.file("lib/evil", 0o644, b"x");
    let err = layer_error(scan_layout(
        &[link.finish(), through.finish()],
        Compression::None,
        None,
    ));
    assert!(err.to_string().contains("out of the image root"), "{err}");
    let mut missing = LayerBuilder::new();
    missing.entry("h", b'1', 0o644, b"", "nonexistent");
    let err = layer_error(scan_layout(&[missing.finish()], Compression::None, None));
    assert!(matches!(err, LayerError::MissingLinkTarget { .. }), "{err}");
    let mut hard = LayerBuilder::new();
    hard.entry("x", b'1', 0o644, b"", "../outside");
    assert!(matches!(
        layer_error(scan_layout(&[hard.finish()], Compression::None, None)),
        LayerError::Escape { .. }
    ));
}

#[test]
fn bombs_and_corrupt_streams_are_refused() {
    // 100 MiB of one letter compress to a few KiB: far above the ratio cap.
    let mut bomb = LayerBuilder::new();
    bomb.file("letters", 0o644, &vec![b'A'; 100 << 20]);
    let err = layer_error(scan_layout(&[bomb.finish()], Compression::Zstd, None));
    assert!(
        matches!(&err, LayerError::Bomb(why) if why.contains("ratio above 200:1")),
        "{err}"
    );
    // Absolute cap.
    let dir = tempfile::tempdir().unwrap();
    let mut big = LayerBuilder::new();
    big.file("data", 0o644, &vec![7u8; 4 << 20]);
    write_oci_layout(
        dir.path(),
        &[big.finish()],
        Compression::None,
        None,
        &json!({}),
    )
    .unwrap();
    let limits = Limits {
        max_layer_bytes: 1 << 20,
        ..Limits::default()
    };
    let err = match scan(
        layout::open(dir.path(), None, &Platform::default()).unwrap(),
        &limits,
        &|_, _| {},
    ) {
        Err(ScanError::Layer { error, .. }) => error,
        other => panic!("{other:?}"),
    };
    assert!(matches!(err, LayerError::Bomb(_)), "{err}");
    // Corrupt gzip: flip bytes in the middle of a compressed layer.
    let dir = tempfile::tempdir().unwrap();
    write_oci_layout(
        dir.path(),
        &[base_layer()],
        Compression::Gzip,
        None,
        &json!({}),
    )
    .unwrap();
    for entry in std::fs::read_dir(dir.path().join("blobs/sha256")).unwrap() {
        let path = entry.unwrap().path();
        let mut bytes = std::fs::read(&path).unwrap();
        if bytes.starts_with(&[0x1f, 0x8b]) {
            let mid = bytes.len() / 2;
            for b in &mut bytes[mid..mid + 16] {
                *b ^= 0x5a;
            }
            std::fs::write(&path, bytes).unwrap();
        }
    }
    let err = match scan(
        layout::open(dir.path(), None, &Platform::default()).unwrap(),
        &Limits::default(),
        &|_, _| {},
    ) {
        Err(ScanError::Layer { error, .. }) => error,
        other => panic!("{other:?}"),
    };
    assert!(
        matches!(err, LayerError::Compression { .. } | LayerError::Tar(_)),
        "{err}"
    );
}

/// The layer blob of a one-layer layout (its path), found by its media type.
fn layer_blob(dir: &std::path::Path) -> std::path::PathBuf {
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    let blob = |digest: &str| dir.join("blobs/sha256").join(&digest[7..]);
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(blob(index["manifests"][0]["digest"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    blob(manifest["layers"][0]["digest"].as_str().unwrap())
}

/// A layout whose layer blob was swapped for other content (keeping the
/// manifest, hence the manifest digest a verdict is recorded under) fails
/// at the end of that layer, compressed or not.
#[test]
fn layout_layers_must_match_their_digest() {
    let mut decoy = LayerBuilder::new();
    decoy.file("etc/os-release", 0o644, b"ID=debian\nVERSION_ID=12\n");
    for compression in [Compression::None, Compression::Gzip, Compression::Zstd] {
        let dir = tempfile::tempdir().unwrap();
        write_oci_layout(dir.path(), &[base_layer()], compression, None, &json!({})).unwrap();
        let swapped = kubeward_image::synth::compress(&decoy.finish(), compression).unwrap();
        std::fs::write(layer_blob(dir.path()), swapped).unwrap();
        let image = layout::open(dir.path(), None, &Platform::default()).unwrap();
        let err = layer_error(scan(image, &Limits::default(), &|_, _| {}));
        assert!(
            matches!(&err, LayerError::Digest(m) if m.contains("does not match its digest")),
            "{compression:?}: {err}"
        );
    }
}

/// A docker archive has no blob digests: its layers are checked against the
/// configuration's `rootfs.diff_ids` instead.
#[test]
fn docker_archive_layers_must_match_their_diff_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("image.tar");
    write_docker_archive(&path, &[base_layer()], "example/app:1").unwrap();
    // Rewrite the layer member in place with other content of the same size.
    let mut bytes = std::fs::read(&path).unwrap();
    let needle = b"VERSION_ID=\"12\"";
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap();
    bytes[at + 12] = b'3';
    std::fs::write(&path, bytes).unwrap();
    let err = layer_error(scan(
        archive::open(&path).unwrap(),
        &Limits::default(),
        &|_, _| {},
    ));
    assert!(
        matches!(&err, LayerError::Digest(m) if m.contains("does not match")),
        "{err}"
    );
}

/// Two tagged images and no platform to tell them apart (what skopeo writes
/// for `oci:DIR:a` and `oci:DIR:b`): the error names them.
#[test]
fn a_layout_of_several_tagged_images_names_them() {
    let dir = tempfile::tempdir().unwrap();
    write_oci_layout(
        dir.path(),
        &[base_layer()],
        Compression::None,
        None,
        &json!({}),
    )
    .unwrap();
    let path = dir.path().join("index.json");
    let mut index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let one = index["manifests"][0].clone();
    let tagged = |name: &str| {
        let mut m = one.clone();
        m["annotations"] = json!({"org.opencontainers.image.ref.name": name});
        m
    };
    index["manifests"] = json!([tagged("v1"), tagged("v2")]);
    std::fs::write(&path, serde_json::to_vec(&index).unwrap()).unwrap();
    let err = layout::open(dir.path(), None, &Platform::default()).unwrap_err();
    assert!(err.to_string().contains("several images (v1, v2)"), "{err}");
    let image = layout::open(dir.path(), Some("v2"), &Platform::default()).unwrap();
    assert!(image.reference.ends_with(":v2"), "{}", image.reference);
}

/// merged-/usr: a later layer writes `lib/x86_64-linux-gnu/libfoo.so` beside
/// the base's `lib -> usr/lib`; the file lands under `usr/lib`, and a Python
/// package written the same way is still reported.
#[test]
fn entries_written_through_in_root_links_land_where_they_lead() {
    let mut base = LayerBuilder::new();
    base.file("usr/lib/os-release", 0o644, b"ID=debian\nVERSION_ID=12\n")
        .dir("usr/lib", 0o755)
        .symlink("lib", "usr/lib")
        .symlink("var/run", "/run");
    let mut top = LayerBuilder::new();
    top.file("lib/x86_64-linux-gnu/libfoo.so", 0o644, b"x")
        .file("var/run/app.pid", 0o644, b"1")
        .file(
            "lib/python3/dist-packages/six-1.16.0.dist-info/METADATA",
            0o644,
            b"Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n",
        );
    let image = scan_layout(&[base.finish(), top.finish()], Compression::Gzip, None).unwrap();
    assert_eq!(
        image
            .tree
            .get("usr/lib/x86_64-linux-gnu/libfoo.so")
            .unwrap()
            .layer,
        1
    );
    assert!(image.tree.get("run/app.pid").is_some());
    assert_eq!(image.os.as_ref().unwrap().id, "debian");
    let six: Vec<_> = image.packages.iter().filter(|p| p.name == "six").collect();
    assert_eq!(six.len(), 1, "{:?}", image.packages);
}

const OPENSSL_STATUS: &str = "Package: openssl\nStatus: install ok installed\nVersion: 3.0.11-1~deb12u1\nArchitecture: amd64\n";

/// (name, version, layer) of each package.
fn package_list(image: &ScannedImage) -> Vec<(String, String, usize)> {
    image
        .packages
        .iter()
        .map(|p| (p.name.clone(), p.version.clone(), p.layer))
        .collect()
}

/// "Malicious compliance": the package database (or os-release) as a
/// symlink, a hard link, or under a symlinked directory set by a later
/// layer. dpkg follows the links, so kubeward reads where they lead, reports
/// the packages, and flags the link (KW813).
#[test]
fn package_databases_behind_links_are_read_and_flagged() {
    let os = b"ID=debian\nVERSION_ID=12\n";
    let openssl = || vec![("openssl".to_owned(), "3.0.11-1~deb12u1".to_owned(), 0usize)];
    let mut symlink = LayerBuilder::new();
    symlink
        .file("etc/os-release", 0o644, os)
        .file("usr/share/misc/s", 0o644, OPENSSL_STATUS.as_bytes())
        .symlink("var/lib/dpkg/status", "/usr/share/misc/s");
    let mut hard = LayerBuilder::new();
    hard.file("etc/os-release", 0o644, os)
        .file("usr/share/misc/s", 0o644, OPENSSL_STATUS.as_bytes())
        .entry("var/lib/dpkg/status", b'1', 0o644, b"", "usr/share/misc/s");
    let mut dir = LayerBuilder::new();
    dir.file("etc/os-release", 0o644, os)
        .file("opt/dpkg/status", 0o644, OPENSSL_STATUS.as_bytes())
        .file("opt/dpkg/info/openssl.list", 0o644, b"/usr/bin/openssl\n")
        .file("usr/bin/openssl", 0o755, &elf())
        .symlink("var/lib/dpkg", "/opt/dpkg");
    for (name, layer, target) in [
        ("symlink", symlink.finish(), "usr/share/misc/s"),
        ("hard link", hard.finish(), "usr/share/misc/s"),
        ("directory", dir.finish(), "opt/dpkg"),
    ] {
        let image = scan_layout(&[layer], Compression::Gzip, Some("1000")).unwrap();
        assert_eq!(package_list(&image), openssl(), "{name}");
        assert_eq!(image.os.as_ref().unwrap().id, "debian", "{name}");
        let linked = &image.tamper.linked_databases;
        assert_eq!(linked.len(), 1, "{name}: {linked:?}");
        assert_eq!(linked[0].target, target, "{name}");
        let ids: Vec<&str> = checks::run(&image).iter().map(|f| f.rule.id).collect();
        assert!(ids.contains(&"KW813"), "{name}: {ids:?}");
        // The info list behind the directory link owns the binary.
        assert!(
            image.tamper.unowned_executables.is_empty(),
            "{name}: {:?}",
            image.tamper.unowned_executables
        );
    }

    // A later layer swaps the directory for a link: its database counts
    // from that layer, and it was not deleted (no KW812).
    let mut base = LayerBuilder::new();
    base.file("usr/lib/os-release", 0o644, os).file(
        "opt/dpkg/status",
        0o644,
        OPENSSL_STATUS.as_bytes(),
    );
    let mut top = LayerBuilder::new();
    top.symlink("var/lib/dpkg", "/opt/dpkg");
    let image = scan_layout(&[base.finish(), top.finish()], Compression::None, None).unwrap();
    assert_eq!(
        package_list(&image),
        [("openssl".to_owned(), "3.0.11-1~deb12u1".to_owned(), 1)]
    );
    assert!(image.tamper.deleted_databases.is_empty());
    assert_eq!(image.tamper.linked_databases[0].path, "var/lib/dpkg");

    // os-release through a relative link to an unusual place: read, not
    // flagged; Debian's own etc/os-release -> ../usr/lib/os-release neither.
    for (link, place) in [
        ("../opt/osr", "opt/osr"),
        ("../usr/lib/os-release", "usr/lib/os-release"),
    ] {
        let mut l = LayerBuilder::new();
        l.file(place, 0o644, os)
            .symlink("etc/os-release", link)
            .file("var/lib/dpkg/status", 0o644, OPENSSL_STATUS.as_bytes());
        let image = scan_layout(&[l.finish()], Compression::None, None).unwrap();
        assert_eq!(
            image.os.as_ref().map(|o| o.id.as_str()),
            Some("debian"),
            "{link}"
        );
        assert!(image.tamper.linked_databases.is_empty(), "{link}");
    }
}

/// Package database files are kept in memory until the layers are merged:
/// past the total budget the scan stops with a clear error.
#[test]
fn package_database_capture_has_a_total_budget() {
    let mut l = LayerBuilder::new();
    l.file("etc/os-release", 0o644, b"ID=debian\n");
    for i in 0..8 {
        l.file(
            &format!("var/lib/dpkg/info/p{i}.list"),
            0o644,
            &b"/usr/share/doc/p/a-long-path-line\n".repeat(4 << 10),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    write_oci_layout(
        dir.path(),
        &[l.finish()],
        Compression::Gzip,
        None,
        &json!({}),
    )
    .unwrap();
    let limits = Limits {
        max_capture_total: 512 << 10,
        ..Limits::default()
    };
    let image = layout::open(dir.path(), None, &Platform::default()).unwrap();
    let err = layer_error(scan(image, &limits, &|_, _| {}));
    assert!(matches!(err, LayerError::CaptureBudget(..)), "{err}");
    assert!(err.to_string().contains("more than 524288 bytes"), "{err}");
    // The default budget holds it.
    let image = layout::open(dir.path(), None, &Platform::default()).unwrap();
    scan(image, &Limits::default(), &|_, _| {}).unwrap();
}

/// KW801 reads the image's /etc/passwd: a name with uid 0 is root, and so
/// is any all-digit spelling of 0.
#[test]
fn the_root_user_is_found_by_uid() {
    let mut l = LayerBuilder::new();
    l.file("etc/os-release", 0o644, b"ID=debian\nVERSION_ID=12\n")
        .file(
            "etc/passwd",
            0o644,
            b"root:x:0:0:root:/root:/bin/sh\napp:x:0:0::/app:/bin/sh\nweb:x:1000:1000::/srv:/bin/sh\n",
        );
    let layer = l.finish();
    for (user, root) in [
        ("app", true),
        ("app:app", true),
        ("00", true),
        ("root", true),
        ("web", false),
        ("1000:0", false),
        ("nobody-here", false),
    ] {
        let image =
            scan_layout(std::slice::from_ref(&layer), Compression::None, Some(user)).unwrap();
        let fired = checks::run(&image).iter().any(|f| f.rule.id == "KW801");
        assert_eq!(fired, root, "{user}");
    }
}

/// A docker archive cut short says so, wherever the cut falls.
#[test]
fn a_truncated_docker_archive_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("image.tar");
    write_docker_archive(&path, &[base_layer()], "example/app:1").unwrap();
    let whole = std::fs::read(&path).unwrap();
    for cut in [3000, 4096, whole.len() - 1024] {
        std::fs::write(&path, &whole[..cut]).unwrap();
        let err = archive::open(&path).unwrap_err();
        assert!(err.to_string().contains("truncated"), "{cut}: {err}");
    }
}

/// Runs the JDK's `jar` tool in `dir`.
fn jar_tool(dir: &std::path::Path, args: &[&str]) {
    let status = std::process::Command::new("jar")
        .args(args)
        .current_dir(dir)
        .status()
        .expect("the JDK's jar tool");
    assert!(status.success(), "jar {args:?}");
}

/// Bytes that do not compress: a xorshift stream.
fn incompressible(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
}

/// A Spring Boot style fat JAR of about 40 MiB made by the JDK's `jar`:
/// log4j-core (with its `pom.properties`) nested under `BOOT-INF/lib/`, and
/// the outer archive's own manifest coordinates. `jar` writes each deflated
/// entry with its sizes after the data; with `--no-compress` it stores them.
fn fat_jar(compress: bool) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let pom = root.join("inner/META-INF/maven/org.apache.logging.log4j/log4j-core");
    std::fs::create_dir_all(&pom).unwrap();
    std::fs::write(
        pom.join("pom.properties"),
        "groupId=org.apache.logging.log4j\nartifactId=log4j-core\nversion=2.14.1\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("outer/BOOT-INF/lib")).unwrap();
    std::fs::create_dir_all(root.join("outer/BOOT-INF/classes")).unwrap();
    jar_tool(
        root,
        &[
            "--create",
            "--file",
            "outer/BOOT-INF/lib/log4j-core-2.14.1.jar",
            "-C",
            "inner",
            ".",
        ],
    );
    std::fs::write(
        root.join("outer/BOOT-INF/classes/app.bin"),
        incompressible(40 << 20),
    )
    .unwrap();
    std::fs::write(
        root.join("manifest.txt"),
        "Implementation-Title: demo\nImplementation-Version: 0.0.1\n",
    )
    .unwrap();
    let mut args = vec![
        "--create",
        "--file",
        "app.jar",
        "--manifest",
        "manifest.txt",
    ];
    if !compress {
        args.push("--no-compress");
    }
    args.extend(["-C", "outer", "."]);
    jar_tool(root, &args);
    std::fs::read(root.join("app.jar")).unwrap()
}

#[test]
fn fat_jars_past_the_inspection_limit_are_streamed() {
    let stored = fat_jar(false);
    let mut executable = b"#!/bin/sh\nexec java -jar \"$0\" \"$@\"\n".to_vec();
    executable.extend_from_slice(&stored);
    for (label, jar) in [
        ("deflated", fat_jar(true)),
        ("stored", stored),
        ("launch script", executable),
    ] {
        assert!(jar.len() as u64 > Limits::default().max_inspect, "{label}");
        let mut layer = LayerBuilder::new();
        layer.file("app/app.jar", 0o644, &jar);
        let image = scan_layout(&[layer.finish()], Compression::Gzip, None).unwrap();
        let found: Vec<(&str, &str, &str)> = image
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.path.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("demo", "0.0.1", "app/app.jar"),
                (
                    "org.apache.logging.log4j:log4j-core",
                    "2.14.1",
                    "app/app.jar/BOOT-INF/lib/log4j-core-2.14.1.jar"
                ),
            ],
            "{label}"
        );
        assert!(image.notes.is_empty(), "{label}: {:?}", image.notes);
        let node = image.tree.get("app/app.jar").unwrap();
        assert_eq!(node.md5, Some(Md5::digest(&jar).into()), "{label}");
    }
}

/// A sparse file of a GiB of zeros, as `useradd` makes `/var/log/lastlog`
/// for a large uid, compresses a thousandfold and more: the layer is read.
#[test]
fn sparse_layers_are_not_taken_for_bombs() {
    let mut layer = LayerBuilder::new();
    layer
        .file(
            "etc/passwd",
            0o644,
            b"app:x:1000000:1000000::/app:/bin/sh\n",
        )
        .file("var/log/lastlog", 0o644, &vec![0u8; 1 << 30]);
    let layer = layer.finish();
    for compression in [Compression::Gzip, Compression::Zstd] {
        let image = scan_layout(std::slice::from_ref(&layer), compression, None).unwrap();
        assert_eq!(image.tree.get("var/log/lastlog").unwrap().size, 1 << 30);
        assert_eq!(image.users.get("app"), Some(&1_000_000));
    }
}

/// Zeros compress to almost nothing, so hostile layers of them are built
/// from one compressed member repeated: gzip streams may be concatenated.
const ZERO_MEMBER: u64 = 64 << 20;

/// A layer tar holding one file of `members` × 64 MiB of zeros, gzip
/// compressed as concatenated members (small whatever its size), and the
/// digest of the uncompressed tar (its diff id).
fn zero_layer(members: u64) -> (Vec<u8>, String) {
    use sha2::Digest as _;
    let size = members * ZERO_MEMBER;
    // A header for an empty file, its size field and checksum rewritten.
    let mut header = LayerBuilder::new();
    header.file("var/log/lastlog", 0o644, b"");
    let mut header: Vec<u8> = header.finish()[..512].to_vec();
    header[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
    header[148..156].fill(b' ');
    let sum: u32 = header.iter().map(|&b| u32::from(b)).sum();
    header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    let zeros = vec![0u8; usize::try_from(ZERO_MEMBER).unwrap()];
    let gzip = |data: &[u8]| kubeward_image::synth::compress(data, Compression::Gzip).unwrap();
    let member = gzip(&zeros);
    let mut blob = gzip(&header);
    let mut diff_id = sha2::Sha256::new();
    diff_id.update(&header);
    for _ in 0..members {
        blob.extend_from_slice(&member);
        diff_id.update(&zeros);
    }
    // The end-of-archive marker.
    blob.extend_from_slice(&gzip(&[0u8; 1024]));
    diff_id.update([0u8; 1024]);
    let diff_id = format!(
        "sha256:{}",
        kubeward_image::source::digest::hex(&diff_id.finalize())
    );
    (blob, diff_id)
}

/// Writes an OCI layout of one gzip layer blob, as it is.
fn write_layout_of_blob(dir: &std::path::Path, blob: &[u8], diff_id: &str) {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).unwrap();
    let put = |bytes: &[u8]| {
        let digest = kubeward_image::source::sha256_digest(bytes);
        std::fs::write(blobs.join(&digest[7..]), bytes).unwrap();
        (digest, bytes.len())
    };
    let (layer, layer_size) = put(blob);
    let config = serde_json::to_vec(&json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    }))
    .unwrap();
    let (config, config_size) = put(&config);
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config, "size": config_size},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer, "size": layer_size}],
    }))
    .unwrap();
    let (manifest, manifest_size) = put(&manifest);
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    std::fs::write(
        dir.join("index.json"),
        serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": [
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest, "size": manifest_size}
        ]}))
        .unwrap(),
    )
    .unwrap();
}

/// Writes a `docker save` archive whose manifest lists one layer member
/// `times` times.
fn write_archive_listing_one_layer(
    path: &std::path::Path,
    blob: &[u8],
    diff_id: &str,
    times: usize,
) {
    let config = serde_json::to_vec(&json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": vec![diff_id; times]},
    }))
    .unwrap();
    let manifest = serde_json::to_vec(&json!([
        {"Config": "config.json", "RepoTags": ["zeros:1"], "Layers": vec!["layer.tar"; times]}
    ]))
    .unwrap();
    let mut outer = LayerBuilder::new();
    outer
        .file("layer.tar", 0o644, blob)
        .file("config.json", 0o644, &config)
        .file("manifest.json", 0o644, &manifest);
    std::fs::write(path, outer.finish()).unwrap();
}

/// A small OCI image of a huge layer of zeros (64 GiB from 64 MiB of
/// compressed members): the ratio guard lets zero blocks pass for sparse
/// files, so it used to be inflated up to the 32 GiB layer cap, minutes of
/// work. The zero blocks of an image are now bounded: it is refused once
/// they pass the limit.
#[test]
fn a_huge_layer_of_zeros_is_refused_quickly() {
    let (blob, diff_id) = zero_layer(4);
    let dir = tempfile::tempdir().unwrap();
    write_layout_of_blob(dir.path(), &blob, &diff_id);
    let limits = Limits {
        max_zero_bytes: 128 << 20,
        ..Limits::default()
    };
    let image = layout::open(dir.path(), None, &Platform::default()).unwrap();
    let started = std::time::Instant::now();
    let err = layer_error(scan(image, &limits, &|_, _| {}));
    assert!(
        matches!(&err, LayerError::Bomb(m) if m.contains("more than 134217728 bytes of zero blocks")),
        "{err}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    // Within the limit, the same layer is read (a sparse file passes).
    let image = layout::open(dir.path(), None, &Platform::default()).unwrap();
    let scanned = scan(image, &Limits::default(), &|_, _| {}).unwrap();
    assert!(scanned.layers[0].uncompressed > 4 * ZERO_MEMBER);
}

/// A docker archive whose manifest lists one layer many times: each
/// distinct blob is read once (a layer of 256 MiB listed 40 times passes an
/// image budget of 512 MiB), and past the listing limit the image is
/// refused before anything is read.
#[test]
fn a_layer_listed_many_times_is_read_once_and_bounded() {
    let (blob, diff_id) = zero_layer(4);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zeros.tar");
    write_archive_listing_one_layer(&path, &blob, &diff_id, 40);
    let limits = Limits {
        max_image_bytes: 512 << 20,
        ..Limits::default()
    };
    let scanned = scan(archive::open(&path).unwrap(), &limits, &|_, _| {}).unwrap();
    assert_eq!(scanned.layers.len(), 40);
    assert!(scanned.tree.get("var/log/lastlog").is_some());

    write_archive_listing_one_layer(&path, &blob, &diff_id, 1000);
    let started = std::time::Instant::now();
    match scan(
        archive::open(&path).unwrap(),
        &Limits::default(),
        &|_, _| {},
    ) {
        Err(err @ ScanError::RepeatedBlob { .. }) => assert_eq!(
            err.to_string(),
            format!("the manifest lists blob {diff_id} 1000 times (at most 128)")
        ),
        other => panic!("expected a repeated-blob error, got {other:?}"),
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

/// The whole image has one budget of uncompressed bytes, and one of time.
#[test]
fn an_image_has_a_byte_and_a_time_budget() {
    let mut a = LayerBuilder::new();
    a.file("a", 0o644, &vec![1u8; 600 << 10]);
    let mut b = LayerBuilder::new();
    b.file("b", 0o644, &vec![2u8; 600 << 10]);
    let dir = tempfile::tempdir().unwrap();
    write_oci_layout(
        dir.path(),
        &[a.finish(), b.finish()],
        Compression::None,
        None,
        &json!({}),
    )
    .unwrap();
    let open = || layout::open(dir.path(), None, &Platform::default()).unwrap();
    // Each layer is within the layer cap; together they are not.
    let limits = Limits {
        max_layer_bytes: 1 << 20,
        max_image_bytes: 1 << 20,
        ..Limits::default()
    };
    let err = layer_error(scan(open(), &limits, &|_, _| {}));
    assert!(matches!(err, LayerError::ImageTooLarge(_)), "{err}");
    assert_eq!(
        err.to_string(),
        "the image expands to more than 1048576 bytes (all layers and reads together)"
    );
    let limits = Limits {
        timeout: std::time::Duration::ZERO,
        ..Limits::default()
    };
    let err = layer_error(scan(open(), &limits, &|_, _| {}));
    assert_eq!(
        err.to_string(),
        "reading the image took longer than its time budget of 0 s"
    );
    scan(open(), &Limits::default(), &|_, _| {}).unwrap();
}
