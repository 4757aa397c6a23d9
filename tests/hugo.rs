//! End-to-end check of the shipped shortcodes with the real `hugo` binary: a temp site gets
//! our shortcodes (`syndicator::shortcodes::install`) and a stub rendered by the library with
//! all three embeds, then `hugo -D` must build it into iframes pointing at each player.
//!
//! Without `hugo` on PATH the tests skip loudly, except under CI (`CI=true`), where they fail.

#[path = "common/files.rs"]
mod files;
#[path = "common/tools.rs"]
mod tools;

use std::path::Path;
use std::process::Command;

use files::copy_dir;
use tools::require_tool;

use chrono::{TimeZone, Utc};
use syndicator::episodes::Hosts;
use syndicator::model::Language;
use syndicator::model::{DatePrecision, Episode, Item, Platform, Podcasting, StubState};
use syndicator::stub::{StubContext, Template};

const VIDEO_ID: &str = "DtePicx_kFY";
const SPOTIFY_ID: &str = "5zKGl6HNid03ExP7n5i4U8";
const APPLE_LINK: &str = "https://podcasts.apple.com/tw/podcast/he-co-invented-the-transformer-now-continuous-thought/id1510472996?i=1000738009211&uo=4";

fn item(platform: Platform, platform_id: &str, link: Option<&str>) -> Item {
    Item {
        platform,
        platform_id: platform_id.to_owned(),
        title: "「我發明了 Transformer，現在我要取代它」".to_owned(),
        link: link.map(str::to_owned),
        published: Some(Utc.with_ymd_and_hms(2025, 11, 23, 17, 0, 0).unwrap()),
        precision: DatePrecision::Exact,
        description_html: "<p>Llion Jones 是 Transformer 架構的共同發明人。</p>".to_owned(),
        thumbnail: None,
        enclosure: None,
        duration_secs: None,
        is_short: false,
        podcast_guid: None,
        podcasting: Podcasting::default(),
    }
}

/// A zh-TW stub with YouTube, Spotify and Apple embeds, exactly as `sync` writes it.
fn three_embed_stub() -> String {
    let copies = vec![
        item(Platform::Youtube, VIDEO_ID, None),
        item(Platform::Spotify, SPOTIFY_ID, None),
        item(Platform::Apple, "1000738009211", Some(APPLE_LINK)),
    ];
    let episode = Episode {
        id: Episode::id_for("mlst", &copies[0]),
        channel: "mlst".to_owned(),
        copies,
        stub: StubState::Skipped,
    };
    let tags = ["Podcast".to_owned()];
    let ctx = StubContext {
        channel_name: "Machine Learning Street Talk",
        tags: &tags,
        categories: &[],
        timezone: chrono_tz::Asia::Taipei,
        hosts: &Hosts::default(),
        guest_tags: true,
        beside: &syndicator::stub::Beside::default(),
    };
    syndicator::stub::render(&episode, &ctx, &Template::builtin(Language::ZhTw)).unwrap()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Builds a minimal site holding one post, `text`, with our shortcodes installed, and returns
/// the post's rendered HTML.
fn build_post(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    write(&site.join("hugo.toml"), "baseURL = \"https://blog.example.com/\"\ntitle = \"AI 技術前沿\"\n");
    write(&site.join("layouts/_default/single.html"), "{{ .Content }}\n");
    write(&site.join("layouts/_default/list.html"), "{{ .Title }}\n");
    write(&site.join("layouts/index.html"), "{{ .Title }}\n");
    assert_eq!(syndicator::shortcodes::install(&site).unwrap().len(), 2);
    write(&site.join("content/posts/post.md"), text);
    let out = dir.path().join("public");
    let output = Command::new("hugo")
        .arg("-D")
        .arg("--quiet")
        .arg("-s")
        .arg(&site)
        .arg("-d")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "hugo failed:\n{stderr}\n{}", String::from_utf8_lossy(&output.stdout));
    std::fs::read_to_string(out.join("posts/post/index.html")).unwrap()
}

#[test]
fn a_stub_with_three_embeds_builds_into_three_players() {
    if !require_tool("hugo", &["version"]) {
        return;
    }
    let stub = three_embed_stub();
    assert!(stub.contains("draft: true") && stub.contains("{{< apple-podcast"), "{stub}");
    let html = build_post(&stub);
    for expected in [
        format!("src=\"https://www.youtube.com/embed/{VIDEO_ID}\""),
        format!("src=\"https://open.spotify.com/embed/episode/{SPOTIFY_ID}\""),
        "src=\"https://embed.podcasts.apple.com/tw/podcast/he-co-invented-the-transformer-now-continuous-thought/id1510472996?i=1000738009211\"".to_owned(),
        "title=\"Spotify episode player\"".to_owned(),
        "title=\"Apple Podcasts episode player\"".to_owned(),
    ] {
        assert!(html.contains(&expected), "missing {expected} in:\n{html}");
    }
    assert_eq!(html.matches("loading=\"lazy\"").count(), 2, "{html}");
}

#[test]
fn a_hostile_argument_stays_inside_the_src_attribute() {
    if !require_tool("hugo", &["version"]) {
        return;
    }
    let post = "---\ntitle: \"x\"\ndraft: true\n---\n\n\
        {{< spotify \"episode/abc\\\" onload=\\\"alert(1)\" >}}\n\n\
        {{< apple-podcast \"tw/x?i=1&j=<script>\\\" onload=\\\"y\" >}}\n";
    let html = build_post(post);
    assert!(
        html.contains("src=\"https://open.spotify.com/embed/episode/abc%22%20onload=%22alert%281%29\""),
        "{html}"
    );
    assert!(
        html.contains(
            "src=\"https://embed.podcasts.apple.com/tw/x?i=1&amp;j=%3cscript%3e%22%20onload=%22y\""
        ),
        "{html}"
    );
    assert!(!html.contains(" onload=") && !html.contains("<script"), "{html}");
}

/// Runs the real `syndicator` with `config_text` as its config in `dir`; asserts exit 0.
fn syndicator(dir: &Path, config_text: &str, args: &[&str]) {
    std::fs::write(dir.join("syndicator.toml"), config_text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_syndicator"))
        .arg("--config")
        .arg(dir.join("syndicator.toml"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "syndicator {args:?}:\n{}", String::from_utf8_lossy(&out.stderr));
}

fn hugo_build(site: &Path, args: &[&str]) {
    let out = Command::new("hugo").args(args).arg("--quiet").current_dir(site).output().unwrap();
    assert!(out.status.success(), "hugo {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
}

fn rss_links(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    rss::Channel::read_from(text.as_bytes()).unwrap().items.into_iter().filter_map(|i| i.link).collect()
}

/// The fixture site with its settings moved from `hugo.toml` into Hugo's config folder:
/// `config/_default/` (`hugo.toml`, `permalinks.toml`, `languages.toml`) with
/// `config/production/` (uglyURLs) over it.
fn config_folder_site(work: &Path) -> std::path::PathBuf {
    let site = work.join("site");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site"), &site);
    std::fs::remove_file(site.join("hugo.toml")).unwrap();
    write(
        &site.join("config/_default/hugo.toml"),
        "baseURL = \"https://folder.example.org/\"\ntitle = \"Top Title\"\n\
         disableKinds = [\"taxonomy\", \"term\", \"sitemap\", \"robotsTXT\", \"404\"]\n",
    );
    write(
        &site.join("config/_default/permalinks.toml"),
        "notes = \"/:year/:month/:slug/\"\nposts = \"/p/:slug/\"\n",
    );
    write(
        &site.join("config/_default/languages.toml"),
        "[en]\ntitle = \"Folder Blog\"\nlanguageCode = \"en-gb\"\n",
    );
    write(&site.join("config/production/hugo.toml"), "uglyURLs = true\n");
    site
}

#[test]
fn a_config_folder_sites_blog_feed_links_equal_hugos() {
    if !require_tool("hugo", &["version"]) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let site = config_folder_site(work.path());
    let root = toml::Value::String(site.display().to_string());
    syndicator(work.path(), &format!("[site]\nroot = {root}\n[store]\npath = \"state/db\"\n"), &["feeds"]);
    hugo_build(&site, &[]);
    let hugo = rss_links(&site.join("public/index.xml"));
    assert!(hugo.iter().any(|l| l.ends_with(".html")) && hugo.iter().any(|l| l.contains("/p/")), "{hugo:?}");
    assert_eq!(rss_links(&site.join("static/feed.xml")), hugo);
    let feed = rss::Channel::read_from(&std::fs::read(site.join("static/feed.xml")).unwrap()[..]).unwrap();
    assert_eq!(feed.title(), "Folder Blog", "the default language's title, from languages.toml");
    assert_eq!(feed.link(), "https://folder.example.org/");
}

#[test]
fn clean_destination_dir_keeps_the_feeds_reachable_in_the_built_site() {
    if !require_tool("hugo", &["version"]) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let site = work.path().join("site");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site"), &site);
    let root = toml::Value::String(site.display().to_string());
    syndicator(work.path(), &format!("[site]\nroot = {root}\n[store]\npath = \"state/db\"\n"), &["feeds"]);
    write(&site.join("public/stale.html"), "from an older build");
    hugo_build(&site, &["--cleanDestinationDir"]);
    assert!(!site.join("public/stale.html").exists(), "hugo did clean the destination");
    for feed in
        ["feed.xml", "atom.xml", "feed.json", "sources/feed.xml", "sources/atom.xml", "sources/feed.json"]
    {
        let built = std::fs::read(site.join("public").join(feed)).unwrap_or_else(|e| panic!("{feed}: {e}"));
        assert_eq!(built, std::fs::read(site.join("static").join(feed)).unwrap(), "{feed}");
    }
}
