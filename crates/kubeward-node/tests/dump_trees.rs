mod common;
#[test]
#[ignore]
fn dump() {
    for (name, t) in [
        ("cp-h", common::Tree::control_plane(true)),
        ("cp-i", common::Tree::control_plane(false)),
        ("w-h", common::Tree::worker(true)),
        ("w-i", common::Tree::worker(false)),
    ] {
        let dst = format!("/tmp/trees/{name}");
        let _ = std::fs::remove_dir_all(&dst);
        std::process::Command::new("cp")
            .args(["-a", t.path().to_str().unwrap(), &dst])
            .status()
            .unwrap();
    }
}
