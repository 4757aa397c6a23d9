use std::fs;

use super::*;
use crate::content::Stubs;

fn section() -> (tempfile::TempDir, SectionDir) {
    let temp = tempfile::tempdir().unwrap();
    let section = SectionDir::new(temp.path().join("content/posts"));
    (temp, section)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

const INDEX_TEXT: &str = "---\nsyndicator_id: \"c:feed:1\"\n---\n";

#[test]
fn a_committed_bundle_holds_its_resources_and_index_and_no_staging_folder() {
    let (_temp, section) = section();
    let mut staged = section.stage_bundle().unwrap();
    staged.add("cover.jpg", b"jpeg").unwrap();
    staged.add("transcript.md", b"words").unwrap();
    assert_eq!(staged.resources(), ["cover.jpg", "transcript.md"]);
    let stub = section.commit_bundle(staged, "2025-11-24-a", INDEX_TEXT).unwrap();
    assert_eq!(stub, "2025-11-24-a/index.md");
    assert_eq!(entries(section.path()), ["2025-11-24-a"], "no staging folder is left");
    assert_eq!(section.bundle_files(&stub), ["cover.jpg", "index.md", "transcript.md"]);
    assert_eq!(fs::read_to_string(section.path().join(&stub)).unwrap(), INDEX_TEXT);
    assert_eq!(section.stub_ids().unwrap()["c:feed:1"], stub, "the content walk finds it");
}

#[test]
fn a_bundle_never_replaces_a_folder_or_shares_a_name_with_a_single_file_stub() {
    let (_temp, section) = section();
    fs::create_dir_all(section.path().join("2025-11-24-a")).unwrap();
    fs::write(section.path().join("2025-11-24-a-2.md"), "a single-file stub").unwrap();
    let stub = section.commit_bundle(section.stage_bundle().unwrap(), "2025-11-24-a", INDEX_TEXT).unwrap();
    assert_eq!(stub, "2025-11-24-a-3/index.md");
    assert!(entries(&section.path().join("2025-11-24-a")).is_empty(), "the empty folder is untouched");
    let single = section.create("2025-11-24-a-3.md", "text").unwrap();
    assert_eq!(single, "2025-11-24-a-3-2.md", "nor does a single file take a bundle's name");
}

#[test]
fn a_dropped_staged_bundle_leaves_nothing_and_stale_ones_are_removed() {
    let (_temp, section) = section();
    let mut staged = section.stage_bundle().unwrap();
    staged.add("cover.png", b"png").unwrap();
    drop(staged);
    assert!(entries(section.path()).is_empty());
    // A crash leaves the staging folder with everything but the rename: it is not a stub,
    // and the next run removes it.
    let crashed = files::temp_path(section.path());
    fs::create_dir(&crashed).unwrap();
    fs::write(crashed.join("cover.jpg"), b"jpeg").unwrap();
    fs::write(crashed.join("index.md"), INDEX_TEXT).unwrap();
    assert!(section.stub_ids().unwrap().is_empty(), "a staged bundle is no stub");
    assert_eq!(section.remove_stale_temp_files().unwrap(), 1);
    assert!(entries(section.path()).is_empty());
}

#[test]
fn resources_go_into_the_bundle_where_the_author_moved_it_and_never_over_a_file() {
    let (_temp, section) = section();
    let stub = section.commit_bundle(section.stage_bundle().unwrap(), "2025-11-24-a", INDEX_TEXT).unwrap();
    fs::create_dir_all(section.path().join("2025")).unwrap();
    fs::rename(section.path().join("2025-11-24-a"), section.path().join("2025/llion")).unwrap();
    let moved = Stubs::new(&section).locate("c:feed:1", &stub).unwrap().unwrap();
    assert_eq!(moved, "2025/llion/index.md");
    let written = section.add_resource(&moved, "transcript.md", b"words").unwrap();
    assert_eq!(written, ResourceOutcome::Written("2025/llion/transcript.md".into()));
    fs::write(section.path().join("2025/llion/cover.jpg"), b"the author's").unwrap();
    assert_eq!(section.add_resource(&moved, "cover.jpg", b"ours").unwrap(), ResourceOutcome::Exists);
    assert_eq!(fs::read(section.path().join("2025/llion/cover.jpg")).unwrap(), b"the author's");
    assert_eq!(entries(&section.path().join("2025/llion")), ["cover.jpg", "index.md", "transcript.md"]);
}

#[test]
fn resources_only_go_into_bundles_and_only_under_plain_names() {
    let (_temp, section) = section();
    section.create("single.md", INDEX_TEXT).unwrap();
    assert_eq!(section.add_resource("single.md", "cover.jpg", b"x").unwrap(), ResourceOutcome::NotABundle);
    assert_eq!(
        section.add_resource("gone/index.md", "cover.jpg", b"x").unwrap(),
        ResourceOutcome::NotABundle
    );
    let stub = section.commit_bundle(section.stage_bundle().unwrap(), "b", INDEX_TEXT).unwrap();
    for bad in ["", ".hidden", "../escape.jpg", "a/b.jpg", "index.md", "index.html"] {
        let error = section.add_resource(&stub, bad, b"x").unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{bad:?}");
    }
    let mut staged = section.stage_bundle().unwrap();
    staged.add("cover.jpg", b"x").unwrap();
    assert_eq!(staged.add("cover.jpg", b"y").unwrap_err().kind(), io::ErrorKind::AlreadyExists);
}

#[test]
fn bundle_folders_are_those_of_index_pages() {
    assert_eq!(bundle_folder("a/index.md"), Some("a"));
    assert_eq!(bundle_folder("2025/a/index.markdown"), Some("2025/a"));
    assert_eq!(bundle_folder("2025/a/index.zh-tw.md"), Some("2025/a"));
    assert_eq!(bundle_folder("index.md"), None);
    assert_eq!(bundle_folder("a/post.md"), None);
    assert_eq!(bundle_folder("a/_index.md"), None);
}
