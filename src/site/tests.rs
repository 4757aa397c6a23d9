use std::path::PathBuf;

use chrono::TimeZone;

use super::*;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site")
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap()
}

fn paths(pages: &[Page]) -> Vec<(&str, &str)> {
    pages.iter().map(|p| (p.source.as_str(), p.path.as_str())).collect()
}

#[test]
fn loads_published_pages_with_hugo_permalinks() {
    let pages = load_pages(&fixture(), &[], now()).unwrap();
    assert_eq!(
        paths(&pages),
        [
            ("about.md", "/about/"),
            ("notes/first-note.md", "/2025/03/a-note-about-rust/"),
            ("posts/2025/nested-post.md", "/posts/2025/nested-post/"),
            ("posts/bundle-post/index.md", "/posts/bundle-post/"),
            ("posts/custom-slug.md", "/posts/my-custom-slug/"),
            ("posts/hello-world.md", "/posts/hello-world/"),
            ("posts/transformer-talk.md", "/posts/transformer-talk/"),
            ("posts/with-url.md", "/special/place/"),
        ]
    );
}

#[test]
fn sections_narrow_the_pages() {
    let pages = load_pages(&fixture(), &["notes".to_owned()], now()).unwrap();
    assert_eq!(paths(&pages), [("notes/first-note.md", "/2025/03/a-note-about-rust/")]);
}

#[test]
fn drafts_future_and_expired_pages_are_left_out() {
    let at = |s: &str| parse_date(s);
    let page = |front: FrontMatter| is_published(&front, now());
    assert!(page(FrontMatter { date: at("2026-01-31"), ..Default::default() }));
    assert!(!page(FrontMatter { draft: true, ..Default::default() }));
    assert!(!page(FrontMatter { date: at("2026-02-02"), ..Default::default() }));
    assert!(!page(FrontMatter {
        date: at("2020-01-01"),
        publish_date: at("2026-03-01"),
        ..Default::default()
    }));
    assert!(!page(FrontMatter { expiry_date: at("2026-01-31"), ..Default::default() }));
    assert!(page(FrontMatter { expiry_date: at("2026-02-02"), ..Default::default() }));
    // Later, the future post is published.
    let later = Utc.with_ymd_and_hms(2099, 6, 1, 0, 0, 0).unwrap();
    let pages = load_pages(&fixture(), &["posts".to_owned()], later).unwrap();
    assert!(pages.iter().any(|p| p.source == "posts/future-post.md"));
    assert!(!pages.iter().any(|p| p.source.contains("draft") || p.source.contains("expired")));
}

#[test]
fn a_bad_page_is_left_out_and_the_rest_stay() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content/posts")).unwrap();
    std::fs::write(dir.path().join("content/posts/bad.md"), "---\ndate: nope\n---\n").unwrap();
    std::fs::write(dir.path().join("content/posts/good.md"), "---\ntitle: ok\ndate: 2025-01-01\n---\n")
        .unwrap();
    let pages = load_pages(dir.path(), &[], now()).unwrap();
    let sources: Vec<_> = pages.iter().map(|p| p.source.as_str()).collect();
    assert_eq!(sources, ["posts/good.md"]);
}

#[test]
fn a_site_without_content_has_no_pages() {
    let dir = tempfile::tempdir().unwrap();
    assert!(load_pages(dir.path(), &[], now()).unwrap().is_empty());
}

#[test]
fn page_files_come_in_full_path_order_and_symlinked_folders_are_followed() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let sources =
        ["a.md", "a/b.md", "a-b/x.md", "a/c/index.md", "a/c/not-a-page.md", "A.md", "é.md", "b/_index.md"];
    for source in sources {
        let file = content.join(source);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, "---\ntitle: T\n---\n").unwrap();
    }
    std::fs::create_dir_all(dir.path().join("elsewhere")).unwrap();
    std::fs::write(dir.path().join("elsewhere/linked.md"), "---\ntitle: L\n---\n").unwrap();
    std::os::unix::fs::symlink(dir.path().join("elsewhere"), content.join("z")).unwrap();
    let mut found = Vec::new();
    collect(&content, true, &mut found).unwrap();
    assert!(found.iter().all(|file| file.stamp == Some(Stamp::read(&file.path).unwrap())), "stamps followed");
    let found: Vec<PathBuf> = found.into_iter().map(|file| file.path).collect();
    let mut sorted = found.clone();
    sorted.sort();
    assert_eq!(found, sorted, "the order of the full paths, compared as before");
    let found: Vec<String> = found.iter().map(|file| relative(&content, file)).collect();
    assert_eq!(found, ["A.md", "a/b.md", "a/c/index.md", "a-b/x.md", "a.md", "z/linked.md", "é.md"]);
}
