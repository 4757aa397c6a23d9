//! A kept [`SiteCache`] gives exactly the feeds of a cold read, whatever happened to the site
//! between two rebuilds: pages added (files and bundles), grown, deleted, renamed (files and
//! bundle folders), edited with their mtime put back (the size changes), turned into drafts,
//! and the Hugo config's permalinks changed. The cache trusts fresh stamps here, so every
//! rebuild really answers from it (every change below moves a size, a path or the config).

use std::path::PathBuf;

use proptest::prelude::*;

use super::*;

/// A site on disk with a config and an empty store around it.
struct Blog {
    dir: tempfile::TempDir,
    config: Config,
    store: Store,
    /// The page files that exist now, in the order they were added.
    pages: Vec<PathBuf>,
    /// Bumped by every change, so names and texts never repeat.
    counter: usize,
}

#[derive(Debug, Clone)]
enum Change {
    Add,
    Grow(usize),
    Delete(usize),
    Rename(usize),
    EditKeepingMtime(usize),
    Draft(usize),
    Permalinks,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        3 => Just(Change::Add),
        2 => any::<usize>().prop_map(Change::Grow),
        1 => any::<usize>().prop_map(Change::Delete),
        2 => any::<usize>().prop_map(Change::Rename),
        2 => any::<usize>().prop_map(Change::EditKeepingMtime),
        1 => any::<usize>().prop_map(Change::Draft),
        1 => Just(Change::Permalinks),
    ]
}

impl Blog {
    fn new(pages: usize) -> Blog {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content/posts")).unwrap();
        std::fs::write(root.join("hugo.toml"), permalinks(0)).unwrap();
        let toml = format!(
            "[site]\nroot = {:?}\ntitle = \"Blog\"\nbase_url = \"https://blog.example.org/\"\n\
             [store]\npath = {:?}\n[feeds]\nlimit = 4\n",
            root.display().to_string(),
            dir.path().join("store").display().to_string()
        );
        let config = Config::parse(&toml, "test.toml".as_ref()).unwrap();
        let store = Store::open(&config.store.path).unwrap();
        let mut blog = Blog { dir, config, store, pages: Vec::new(), counter: 0 };
        (0..pages).for_each(|_| blog.apply(&Change::Add));
        blog
    }

    fn content(&self) -> PathBuf {
        self.dir.path().join("site/content")
    }

    fn apply(&mut self, change: &Change) {
        self.counter += 1;
        let n = self.counter;
        let pick = |i: &usize| (!self.pages.is_empty()).then(|| self.pages[i % self.pages.len()].clone());
        match change {
            Change::Add => {
                let file = match n % 3 {
                    0 => self.content().join(format!("posts/bundle-{n}/index.md")),
                    1 => self.content().join(format!("posts/{}/post-{n}.md", 2020 + n % 4)),
                    _ => self.content().join(format!("post-{n}.md")),
                };
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                std::fs::write(&file, page(n, "")).unwrap();
                self.pages.push(file);
            }
            Change::Grow(i) => {
                let Some(file) = pick(i) else { return };
                let text = std::fs::read_to_string(&file).unwrap();
                std::fs::write(&file, format!("{text}\nMore, edit {n}.\n")).unwrap();
            }
            Change::Delete(i) => {
                let Some(file) = pick(i) else { return };
                std::fs::remove_file(&file).unwrap();
                self.pages.retain(|p| *p != file);
            }
            Change::Rename(i) => {
                let Some(file) = pick(i) else { return };
                let to = match file.file_name().unwrap() == "index.md" {
                    true => self.content().join(format!("posts/moved-{n}/index.md")),
                    false => self.content().join(format!("posts/moved-{n}.md")),
                };
                std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                std::fs::rename(&file, &to).unwrap();
                self.pages.iter_mut().filter(|p| **p == file).for_each(|p| *p = to.clone());
            }
            Change::EditKeepingMtime(i) => {
                let Some(file) = pick(i) else { return };
                let mtime = std::fs::metadata(&file).unwrap().modified().unwrap();
                std::fs::write(&file, page(n, &"x".repeat(n % 7 + 1))).unwrap();
                std::fs::File::options().write(true).open(&file).unwrap().set_modified(mtime).unwrap();
            }
            Change::Draft(i) => {
                let Some(file) = pick(i) else { return };
                let text = std::fs::read_to_string(&file).unwrap();
                let draft = if text.starts_with("---") { "\ndraft: true\n" } else { "\ndraft = true\n" };
                std::fs::write(&file, text.replacen('\n', draft, 1)).unwrap();
            }
            Change::Permalinks => {
                std::fs::write(self.dir.path().join("site/hugo.toml"), permalinks(n)).unwrap();
            }
        }
    }
}

/// A Hugo config whose `posts` permalink pattern depends on `n`.
fn permalinks(n: usize) -> String {
    let pattern = ["/:year/:month/:slug/", "/:sections/:filename/", "/p/:title/"][n % 3];
    format!(
        "baseURL = \"https://blog.example.org/\"\ntitle = \"Blog\"\n[permalinks]\nposts = \"{pattern}\"\n"
    )
}

/// Page `n`: YAML or TOML front matter, a date a day after page `n - 1`'s, and a body.
fn page(n: usize, extra: &str) -> String {
    let first: DateTime<Utc> = "2025-01-01T10:00:00Z".parse().unwrap();
    let date = (first + chrono::Duration::days(n as i64)).to_rfc3339();
    let body = format!("Body of page {n}{extra}, with a [link](/about/) and *emphasis*.\n");
    match n % 2 {
        0 => format!("---\ntitle: \"Page {n}\"\ndate: {date}\ntags: [\"t{}\"]\n---\n\n{body}", n % 3),
        _ => format!("+++\ntitle = \"Page {n}\"\ndate = {date}\ntags = [\"t{}\"]\n+++\n\n{body}", n % 3),
    }
}

fn assert_same_feeds(blog: &Blog, cache: &mut SiteCache) {
    let now = Utc::now();
    let kept = build_with(&blog.config, &blog.store, cache, now).unwrap();
    let cold = build(&blog.config, &blog.store, now).unwrap();
    assert_eq!(kept, cold);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn a_kept_site_cache_builds_the_feeds_of_a_cold_read(changes in prop::collection::vec(change(), 1..12)) {
        let mut blog = Blog::new(6);
        let mut cache = SiteCache::trusting_fresh_stamps();
        assert_same_feeds(&blog, &mut cache);
        for change in &changes {
            blog.apply(change);
            assert_same_feeds(&blog, &mut cache);
        }
    }

    /// `serve`'s cache: between changes it answers from its watch without walking the site.
    #[test]
    fn a_watching_site_cache_builds_the_feeds_of_a_cold_read(changes in prop::collection::vec(change(), 1..12)) {
        let mut blog = Blog::new(6);
        let mut cache = SiteCache::watching();
        for change in std::iter::once(None).chain(changes.iter().map(Some)) {
            change.into_iter().for_each(|change| blog.apply(change));
            assert_same_feeds(&blog, &mut cache);
            assert_same_feeds(&blog, &mut cache);
        }
    }
}

#[test]
fn a_future_post_becomes_due_without_any_file_changing() {
    let blog = Blog::new(2);
    let now = Utc::now();
    let due = (now + chrono::Duration::hours(1)).to_rfc3339();
    std::fs::write(blog.content().join("later.md"), format!("---\ntitle: Later\ndate: {due}\n---\nSoon.\n"))
        .unwrap();
    let mut cache = SiteCache::watching();
    for at in [now, now + chrono::Duration::hours(2)] {
        let kept = build_with(&blog.config, &blog.store, &mut cache, at).unwrap();
        assert_eq!(kept, build(&blog.config, &blog.store, at).unwrap());
        assert_eq!(kept[0].text.contains("Later"), at > now, "{}", kept[0].text);
    }
}

#[test]
fn a_same_size_edit_right_after_a_rebuild_is_seen() {
    let blog = Blog::new(3);
    let mut cache = SiteCache::default();
    assert_same_feeds(&blog, &mut cache);
    let file = &blog.pages[2];
    let text = std::fs::read_to_string(file).unwrap();
    let mtime = std::fs::metadata(file).unwrap().modified().unwrap();
    std::fs::write(file, text.replace("Body of", "Text of")).unwrap();
    std::fs::File::options().write(true).open(file).unwrap().set_modified(mtime).unwrap();
    assert_same_feeds(&blog, &mut cache);
    let feeds = build_with(&blog.config, &blog.store, &mut cache, Utc::now()).unwrap();
    assert!(feeds[0].text.contains("Text of page 3"), "{}", feeds[0].text);
}
