//! `bundles = true`: every stub is a leaf bundle `<date>-<slug>/index.md`, and everything that
//! works for single-file stubs works for it: the same text, late embeds into an untouched
//! `index.md`, no duplicate after a lost store, a moved bundle found by its id, a deleted
//! folder (or `index.md`) never recreated, and `check` naming the layout.

use std::path::PathBuf;

use super::app::App;
use super::authors::{APPLE_EMBED, CHANNEL, all_files, assert_pending_listed, posts};
use super::covers::local_artwork;
use super::upstream::Route;

/// [`CHANNEL`] with its stubs as page bundles (the per-channel key).
fn bundled() -> String {
    CHANNEL.replace("backfill = 10\n", "backfill = 10\nbundles = true\n")
}

/// The authors' app (no Apple episode yet), its artwork served by the local upstream, where
/// none is routed: bundles get no cover here (see `covers.rs`), and nothing is fetched from
/// the internet.
fn app_with(channel: &str) -> App {
    let app = super::authors::app_with(channel);
    app.upstream.set_fixture("/youtube.xml", local_artwork("youtube.xml"));
    app.upstream.set_fixture("/podcast.xml", local_artwork("podcast.xml"));
    app
}

/// The Apple episodes arrive, their artwork local too.
fn apple_arrives(app: &App) {
    let lookup = Route { content_type: "application/json", ..local_artwork("apple-lookup.json") };
    app.upstream.set_fixture("/lookup", lookup);
}

/// The bundle folders at the top of the section, sorted.
fn bundles(app: &App) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(posts(app))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The `index.md` of the Llion Jones bundle.
fn transformer_index(app: &App) -> PathBuf {
    let folder =
        bundles(app).into_iter().find(|b| b.contains("transformer")).expect("the Llion Jones bundle");
    posts(app).join(folder).join("index.md")
}

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn each_stub_is_a_leaf_bundle_holding_the_single_file_text_but_its_images() {
    let single = app_with(CHANNEL);
    single.sync_expecting(0);
    let app = app_with(&bundled());
    let run = app.sync_expecting(0);
    let expected: Vec<String> =
        single.stub_names().iter().map(|name| name.trim_end_matches(".md").to_owned()).collect();
    assert_eq!(bundles(&app), expected, "one folder per stub, named like the single file");
    for (name, text) in single.stubs() {
        let index = posts(&app).join(name.trim_end_matches(".md")).join("index.md");
        let images = text.lines().find(|line| line.starts_with("images: ["));
        let bundled = images.map_or(text.clone(), |line| text.replacen(&format!("{line}\n"), "", 1));
        assert_eq!(read(&index), bundled, "a bundle has its cover file, not images: {}", index.display());
        let shown = format!("wrote content/posts/{}/index.md", name.trim_end_matches(".md"));
        assert!(run.stdout.lines().any(|l| l == shown), "{shown} in {}", run.stdout);
    }
    assert_eq!(all_files(&app).len(), 4, "nothing else: {:?}", all_files(&app));
}

#[test]
fn the_site_key_turns_bundles_on_and_check_names_the_layout() {
    let app = app_with(CHANNEL);
    let site = super::app::SITE.replace("section = \"posts\"", "section = \"posts\"\nbundles = true");
    let channel = CHANNEL.replace("{upstream}", &app.upstream.url(""));
    let off = channel.replace("backfill = 10\n", "backfill = 10\nbundles = false\n");
    std::fs::write(app.path("config/syndicator.toml"), format!("{site}\n{channel}")).unwrap();
    let check = app.run(&["check"]);
    assert!(check.stdout.contains("stubs are:   page bundles (<date>-<slug>/index.md"), "{}", check.stdout);
    app.sync_expecting(0);
    assert_eq!(bundles(&app).len(), 4);
    std::fs::write(app.path("config/syndicator.toml"), format!("{site}\n{off}")).unwrap();
    let check = app.run(&["check"]);
    assert!(check.stdout.contains("  stubs    single files (<date>-<slug>.md)"), "{}", check.stdout);
}

#[test]
fn an_untouched_index_gets_late_embeds_and_an_edited_one_lists_them() {
    let app = app_with(&bundled());
    app.sync_expecting(0);
    let index = transformer_index(&app);
    apple_arrives(&app);
    let run = app.sync_expecting(0);
    assert!(read(&index).contains(APPLE_EMBED), "{}", read(&index));
    assert!(run.stdout.contains("updated content/posts/"), "{}", run.stdout);

    let edited = app_with(&bundled());
    edited.sync_expecting(0);
    let index = transformer_index(&edited);
    let mine = read(&index).replace("draft: true", "draft: false");
    std::fs::write(&index, &mine).unwrap();
    apple_arrives(&edited);
    edited.sync_expecting(0);
    assert_eq!(read(&index), mine, "the author's edit is kept");
    assert_pending_listed(&edited, &index);
}

#[test]
fn a_lost_store_leads_to_no_duplicate_bundle() {
    let app = app_with(&bundled());
    app.sync_expecting(0);
    let before: Vec<(PathBuf, String)> = all_files(&app).into_iter().map(|p| (p.clone(), read(&p))).collect();
    std::fs::remove_dir_all(app.path("state")).unwrap();
    let run = app.sync_expecting(0);
    assert_eq!(run.stdout, "", "nothing written: {}", run.stdout);
    let after: Vec<(PathBuf, String)> = all_files(&app).into_iter().map(|p| (p.clone(), read(&p))).collect();
    assert_eq!(after, before);
    let status = app.run(&["status"]);
    assert!(status.stdout.contains("episodes:      4"), "the index is rebuilt: {}", status.stdout);
}

#[test]
fn a_moved_bundle_is_found_by_its_id_and_gets_its_late_embed_in_place() {
    let app = app_with(&bundled());
    app.sync_expecting(0);
    let folder = transformer_index(&app).parent().unwrap().to_owned();
    let moved = posts(&app).join("2025/interviews/llion-jones");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(&folder, &moved).unwrap();
    apple_arrives(&app);
    let run = app.sync_expecting(0);
    let shown = "updated content/posts/2025/interviews/llion-jones/index.md";
    assert!(run.stdout.lines().any(|l| l == shown), "{}", run.stdout);
    assert!(read(&moved.join("index.md")).contains(APPLE_EMBED));
    assert_eq!(all_files(&app).len(), 4, "rewritten where it is, nothing new: {:?}", all_files(&app));
}

#[test]
fn a_deleted_bundle_folder_or_index_is_never_recreated() {
    for delete_folder in [true, false] {
        let app = app_with(&bundled());
        app.sync_expecting(0);
        let index = transformer_index(&app);
        let folder = index.parent().unwrap().to_owned();
        std::fs::write(folder.join("notes.txt"), "the author's").unwrap();
        if delete_folder {
            std::fs::remove_dir_all(&folder).unwrap();
        } else {
            std::fs::remove_file(&index).unwrap();
        }
        apple_arrives(&app);
        let run = app.sync_expecting(0);
        app.sync_expecting(0);
        assert!(!run.stdout.contains("transformer"), "{}", run.stdout);
        assert!(!index.exists(), "not recreated (folder deleted: {delete_folder})");
        let pages = all_files(&app).into_iter().filter(|p| p.ends_with("index.md")).count();
        assert_eq!(pages, 3, "no new bundle anywhere: {:?}", all_files(&app));
    }
}

#[test]
fn a_published_bundle_is_in_the_blog_feed_under_its_folder_name() {
    let app = app_with(&bundled());
    app.sync_expecting(0);
    let index = transformer_index(&app);
    let folder = index.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
    std::fs::write(&index, read(&index).replace("draft: true", "draft: false")).unwrap();
    app.sync_expecting(0);
    let feed = read(&app.path("site/static/feed.xml"));
    let link = format!("<link>https://blog.example.com/posts/{folder}/</link>");
    assert!(feed.contains(&link), "{link} in {feed}");
    assert!(!feed.contains("index.md") && !feed.contains("/index/"), "{feed}");
}
