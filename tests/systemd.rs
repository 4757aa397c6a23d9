//! The shipped systemd unit: `systemd-analyze verify` accepts it (skipped loudly without the
//! tool; failed under `CI=true`), and with its `UMask=` the files `sync` writes (stubs,
//! feeds, their folders) are group-writable, so a blogger sharing the group edits them.
//! Not executed here: the sandbox itself (`ProtectHome=read-only`, `ReadWritePaths=`), which
//! needs a running systemd.

#[path = "common/tools.rs"]
mod tools;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

const REPO: &str = env!("CARGO_MANIFEST_DIR");

fn unit() -> String {
    std::fs::read_to_string(Path::new(REPO).join("config/syndicator.service")).unwrap()
}

/// The value of `key=` in the unit.
fn setting(unit: &str, key: &str) -> String {
    let prefix = format!("{key}=");
    unit.lines().find_map(|l| l.strip_prefix(&prefix)).unwrap_or_else(|| panic!("no {key}=")).to_owned()
}

#[test]
fn the_unit_passes_systemd_analyze_verify() {
    if !tools::require_tool("systemd-analyze", &["--version"]) {
        return;
    }
    let text = unit();
    assert_eq!(setting(&text, "ProtectHome"), "read-only", "a site under /home must stay reachable");
    let dir = tempfile::tempdir().unwrap();
    let exec = setting(&text, "ExecStart");
    let binary = exec.split_whitespace().next().unwrap();
    // The unit names the installed binary; verify checks it exists, so point it at ours.
    let path = dir.path().join("syndicator.service");
    std::fs::write(&path, text.replace(binary, env!("CARGO_BIN_EXE_syndicator"))).unwrap();
    let out = Command::new("systemd-analyze").arg("verify").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let about_ours: Vec<&str> = stderr.lines().filter(|l| l.contains("syndicator.service")).collect();
    assert!(about_ours.is_empty(), "systemd-analyze complains: {about_ours:?}");
}

#[test]
fn files_written_under_the_units_umask_are_group_writable() {
    let umask = setting(&unit(), "UMask");
    assert_eq!(umask, "0002");
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("hugo.toml"), "baseURL = \"https://b.test/\"\ntitle = \"B\"\n").unwrap();
    let feed = Path::new(REPO).join("tests/fixtures/podcast.xml");
    let config = format!(
        "[site]\nroot = \"site\"\n[store]\npath = \"state/db\"\n\
         [[channels]]\nid = \"show\"\nname = \"Show\"\nbackfill = 2\npodcast = \"file://{}\"\n",
        feed.display()
    );
    std::fs::write(dir.path().join("syndicator.toml"), config).unwrap();
    let script = format!("umask {umask} && exec \"$0\" --config syndicator.toml sync");
    let out = Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_syndicator")])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let posts = site.join("content/posts");
    let stubs: Vec<_> = std::fs::read_dir(&posts).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(stubs.len(), 2);
    for file in
        stubs.iter().chain([&site.join("static/feed.xml"), &site.join("layouts/shortcodes/spotify.html")])
    {
        assert_eq!(mode(file), 0o664, "{}", file.display());
    }
    for folder in [&posts, &site.join("static/sources")] {
        assert_eq!(mode(folder), 0o775, "{}", folder.display());
    }
}
