use super::*;

fn site(pages: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content/posts")).unwrap();
    std::fs::write(dir.path().join("hugo.toml"), "[permalinks]\nposts = '/:year/:filename/'\n").unwrap();
    for n in 0..pages {
        write(
            &dir,
            &format!("posts/p{n}.md"),
            &format!("---\ntitle: P{n}\ndate: 2025-01-0{}\n---\nBody {n}\n", n + 1),
        );
    }
    dir
}

fn write(site: &tempfile::TempDir, source: &str, text: &str) {
    std::fs::write(site.path().join("content").join(source), text).unwrap();
}

fn paths(cache: &SiteCache) -> Vec<String> {
    cache.pages(Utc::now()).iter().map(|p| p.path.clone()).collect()
}

#[test]
fn a_refresh_reads_only_new_and_changed_files_and_forgets_vanished_ones() {
    let site = site(4);
    let mut cache = SiteCache::trusting_fresh_stamps();
    let refresh = |cache: &mut SiteCache| cache.refresh(site.path(), &[]).unwrap();
    assert_eq!(refresh(&mut cache), Refreshed { read: 4, forgotten: 0 });
    assert_eq!(refresh(&mut cache), Refreshed { read: 0, forgotten: 0 }, "nothing changed, nothing read");
    write(&site, "posts/p1.md", "---\ntitle: P1 again\ndate: 2025-01-02\n---\nLonger body 1\n");
    assert_eq!(refresh(&mut cache), Refreshed { read: 1, forgotten: 0 });
    std::fs::remove_file(site.path().join("content/posts/p2.md")).unwrap();
    assert_eq!(refresh(&mut cache), Refreshed { read: 0, forgotten: 1 });
    let posts = site.path().join("content/posts");
    std::fs::rename(posts.join("p3.md"), posts.join("renamed.md")).unwrap();
    assert_eq!(refresh(&mut cache), Refreshed { read: 1, forgotten: 1 });
    assert_eq!(paths(&cache), ["/2025/p0/", "/2025/p1/", "/2025/renamed/"]);
    std::fs::write(site.path().join("hugo.toml"), "[permalinks]\nposts = '/p/:filename/'\n").unwrap();
    assert_eq!(refresh(&mut cache), Refreshed { read: 0, forgotten: 0 }, "new permalinks, no page read");
    assert_eq!(paths(&cache), ["/p/p0/", "/p/p1/", "/p/renamed/"]);
}

#[test]
fn fresh_stamps_are_read_again_and_bodies_come_from_the_file() {
    let site = site(2);
    let mut cache = SiteCache::default();
    assert_eq!(cache.refresh(site.path(), &[]).unwrap().read, 2);
    assert_eq!(cache.refresh(site.path(), &[]).unwrap().read, 2, "changed within the racy window");
    let pages = cache.pages(Utc::now());
    assert!(pages.iter().all(|p| p.body.is_empty()), "bodies are not kept");
    assert_eq!(cache.with_body(pages[1]).body, "Body 1\n");
}

#[test]
fn sections_narrow_what_is_read() {
    let site = site(2);
    std::fs::create_dir_all(site.path().join("content/notes")).unwrap();
    write(&site, "notes/n.md", "---\ntitle: N\n---\n");
    let mut cache = SiteCache::trusting_fresh_stamps();
    assert_eq!(cache.refresh(site.path(), &["notes".to_owned()]).unwrap().read, 1);
    assert_eq!(paths(&cache), ["/notes/n/"]);
    assert_eq!(cache.refresh(site.path(), &[]).unwrap(), Refreshed { read: 2, forgotten: 0 });
}
