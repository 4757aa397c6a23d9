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

/// The titles of the cache's pages, in file-path order, after a refresh.
#[cfg(target_os = "linux")]
fn titles(cache: &mut SiteCache, root: &std::path::Path) -> Vec<String> {
    cache.refresh(root, &[]).unwrap();
    cache.pages(Utc::now()).iter().map(|p| p.front.title.clone()).collect()
}

#[cfg(target_os = "linux")]
#[test]
fn a_watched_cache_skips_the_walk_until_something_changes_and_then_sees_it() {
    let site = site(3);
    let root = site.path();
    let mut cache = SiteCache::watching();
    assert_eq!(cache.refresh(root, &[]).unwrap(), Refreshed { read: 3, forgotten: 0 });
    assert!(cache.is_watched(), "a local file system, no links: watched");
    let again = cache.refresh(root, &[]).unwrap();
    assert_eq!(again.read, 0, "no walk: even racy stamps are trusted while the watch is quiet");
    let file = root.join("content/posts/p1.md");
    let mtime = std::fs::metadata(&file).unwrap().modified().unwrap();
    write(&site, "posts/p1.md", "---\ntitle: Q1\ndate: 2025-01-02\n---\nBody 1\n");
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(mtime).unwrap();
    assert_eq!(titles(&mut cache, root), ["P0", "Q1", "P2"], "a same-size edit, its mtime put back");
    std::fs::create_dir_all(root.join("content/posts/b")).unwrap();
    write(&site, "posts/b/index.md", "---\ntitle: B\n---\n");
    assert_eq!(titles(&mut cache, root), ["B", "P0", "Q1", "P2"], "a new bundle");
    std::fs::rename(root.join("content/posts/b"), root.join("content/posts/c")).unwrap();
    write(&site, "posts/c/index.md", "---\ntitle: C\n---\n");
    assert_eq!(titles(&mut cache, root), ["C", "P0", "Q1", "P2"], "a bundle moved, then edited");
    std::fs::remove_file(root.join("content/posts/p0.md")).unwrap();
    assert_eq!(titles(&mut cache, root), ["C", "Q1", "P2"]);
    std::fs::write(root.join("hugo.toml"), "[permalinks]\nposts = '/p/:filename/'\n").unwrap();
    assert_eq!(cache.refresh(root, &[]).unwrap().read, 0, "a quiet watch");
    assert_eq!(paths(&cache), ["/p/c/", "/p/p1/", "/p/p2/"], "and still the new config's permalinks");
    assert!(cache.is_watched());
}

#[cfg(target_os = "linux")]
#[test]
fn links_the_watch_cannot_follow_make_every_refresh_walk() {
    let site = site(1);
    let root = site.path();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("linked.md");
    std::fs::write(&target, "---\ntitle: L\n---\n").unwrap();
    std::os::unix::fs::symlink(&target, root.join("content/posts/linked.md")).unwrap();
    let mut cache = SiteCache::watching();
    assert_eq!(titles(&mut cache, root), ["L", "P0"]);
    assert!(!cache.is_watched(), "a symlinked page");
    std::fs::write(&target, "---\ntitle: M\n---\n").unwrap();
    assert_eq!(titles(&mut cache, root), ["M", "P0"], "its target edited: seen by the walk");
    std::fs::remove_file(root.join("content/posts/linked.md")).unwrap();
    std::fs::hard_link(&target, root.join("content/posts/hard.md")).unwrap();
    assert_eq!(titles(&mut cache, root), ["M", "P0"]);
    assert!(!cache.is_watched(), "a page with another hard link");
    std::fs::write(&target, "---\ntitle: Third\n---\n").unwrap();
    assert_eq!(titles(&mut cache, root), ["Third", "P0"], "edited through the other link");
    std::fs::remove_file(root.join("content/posts/hard.md")).unwrap();
    let dangling = elsewhere.path().join("later");
    std::os::unix::fs::symlink(&dangling, root.join("content/posts/later")).unwrap();
    assert_eq!(titles(&mut cache, root), ["P0"]);
    assert!(!cache.is_watched(), "a symlink to nothing yet");
    std::fs::create_dir(&dangling).unwrap();
    std::fs::write(dangling.join("x.md"), "---\ntitle: X\n---\n").unwrap();
    assert_eq!(titles(&mut cache, root), ["X", "P0"], "its target became a folder of pages");
    assert!(cache.is_watched(), "a symlinked folder is watched");
}

#[cfg(target_os = "linux")]
#[test]
fn a_replaced_content_folder_or_symlinked_folder_is_seen_without_an_event_in_a_watched_one() {
    let site = site(1);
    let root = site.path();
    let elsewhere = tempfile::tempdir().unwrap();
    let shelf = |name: &str, title: &str| {
        let folder = elsewhere.path().join(name).join("inner");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("x.md"), format!("---\ntitle: {title}\n---\n")).unwrap();
    };
    shelf("a", "A");
    std::os::unix::fs::symlink(elsewhere.path().join("a/inner"), root.join("content/posts/z")).unwrap();
    let mut cache = SiteCache::watching();
    assert_eq!(titles(&mut cache, root), ["P0", "A"]);
    assert!(cache.is_watched());
    std::fs::rename(elsewhere.path().join("a"), elsewhere.path().join("old-a")).unwrap();
    shelf("a", "B");
    assert_eq!(titles(&mut cache, root), ["P0", "B"], "the link's target's parent renamed and replaced");
    std::fs::rename(root.join("content"), root.join("old-content")).unwrap();
    shelf("c", "C");
    std::os::unix::fs::symlink(elsewhere.path().join("c"), root.join("content")).unwrap();
    assert_eq!(titles(&mut cache, root), ["C"], "content replaced by a link");
    assert!(cache.is_watched());
    shelf("d", "D");
    std::fs::remove_file(root.join("content")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("d"), root.join("content")).unwrap();
    assert_eq!(titles(&mut cache, root), ["D"], "the content link retargeted");
}
