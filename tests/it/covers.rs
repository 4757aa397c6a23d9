//! Cover images of page bundles, end to end: artwork served by the local upstream (a real
//! JPEG, a "JPEG" that is really HTML, one over the size limit), downloaded into the bundle as
//! `cover.<ext>`, retried by later runs into an untouched bundle and never into an edited one,
//! offered to templates as `cover`, and published by the real `hugo` as the page's
//! `og:image` and `twitter:image`; a single-file stub's `images` names the remote artwork.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::app::{App, SITE, fixture};
use super::tools::require_tool;
use super::upstream::Route;

/// YouTube and the podcast, as page bundles.
const CHANNEL: &str = r#"
[[channels]]
id = "mlst"
name = "Machine Learning Street Talk"
backfill = 10
bundles = true
youtube = "{upstream}/youtube.xml"
podcast = "{upstream}/podcast.xml"
"#;

const LLION: &str = "Xk3pQ9LJt0s";
const MAXRES: &str = "/vi/Xk3pQ9LJt0s/maxresdefault.jpg";
const HQ: &str = "/vi/Xk3pQ9LJt0s/hqdefault.jpg";

/// The artwork hosts of the fixtures, served by the local upstream instead.
const ARTWORK_HOSTS: [&str; 6] = [
    "https://i1.ytimg.com",
    "https://i2.ytimg.com",
    "https://i3.ytimg.com",
    "https://i4.ytimg.com",
    "https://d3t3ozftmdmh3i.cloudfront.net",
    "https://is1-ssl.mzstatic.com",
];

/// A fixture whose artwork URLs point at the local upstream (set it with `set_fixture`): no
/// test fetches artwork from the internet.
pub fn local_artwork(name: &str) -> Route {
    let mut text = String::from_utf8(fixture(name)).unwrap();
    for host in ARTWORK_HOSTS {
        text = text.replace(host, "{upstream}");
    }
    Route::xml(text)
}

/// An app following the fixtures as bundles; `fetch` adds `[fetch]` keys, `site` `[site]` keys.
fn app_with(channel: &str, fetch: &str, site: &str) -> App {
    let app = App::new();
    app.upstream.set_fixture("/youtube.xml", local_artwork("youtube.xml"));
    app.upstream.set_fixture("/podcast.xml", local_artwork("podcast.xml"));
    app.config(channel);
    let config = SITE
        .replace("timeout_secs = 2", &format!("timeout_secs = 2\n{fetch}"))
        .replace("section = \"posts\"", &format!("section = \"posts\"\n{site}"));
    let channel = channel.replace("{upstream}", &app.upstream.url(""));
    std::fs::write(app.path("config/syndicator.toml"), format!("{config}\n{channel}")).unwrap();
    app
}

fn image(bytes: Vec<u8>) -> Route {
    Route { content_type: "image/jpeg", ..Route::xml(bytes) }
}

fn posts(app: &App) -> PathBuf {
    app.path("site/content/posts")
}

/// The bundle folder of the episode whose `index.md` mentions `needle`.
fn bundle_of(app: &App, needle: &str) -> PathBuf {
    let entries = std::fs::read_dir(posts(app)).unwrap().map(|e| e.unwrap().path());
    entries
        .filter(|p| p.is_dir())
        .find(|p| std::fs::read_to_string(p.join("index.md")).is_ok_and(|t| t.contains(needle)))
        .unwrap_or_else(|| panic!("no bundle mentions {needle}"))
}

fn files(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `content/posts/<folder>/<file>`, as `sync` prints it.
fn shown(folder: &Path, file: &str) -> String {
    format!("content/posts/{}/{file}", folder.file_name().unwrap().to_string_lossy())
}

#[test]
fn the_highest_resolution_thumbnail_becomes_the_cover_hugo_publishes_as_og_image() {
    let app = app_with(CHANNEL, "", "");
    let jpeg = fixture("thumbnail.jpg");
    app.upstream.set(MAXRES, image(jpeg.clone()));
    let run = app.sync_expecting(0);
    let bundle = bundle_of(&app, LLION);
    assert_eq!(files(&bundle), ["cover.jpg", "index.md"]);
    assert_eq!(std::fs::read(bundle.join("cover.jpg")).unwrap(), jpeg);
    assert!(
        run.stdout.lines().any(|l| l == format!("wrote {}", shown(&bundle, "cover.jpg"))),
        "{}",
        run.stdout
    );
    assert!(app.upstream.seen(HQ).is_empty(), "maxresdefault answered: hqdefault is not needed");
    let index = std::fs::read_to_string(bundle.join("index.md")).unwrap();
    assert!(!index.contains("images"), "Hugo finds the bundle's cover itself: {index}");

    if !require_tool("hugo", &["version"]) {
        return;
    }
    std::fs::write(bundle.join("index.md"), index.replace("draft: true", "draft: false")).unwrap();
    let html = build(&app, &bundle);
    for meta in ["<meta property=\"og:image\" content=\"", "<meta name=\"twitter:image\" content=\""] {
        let url = attribute(&html, meta);
        let path = url.strip_prefix("https://blog.example.com/").unwrap_or_else(|| panic!("{url}"));
        let published = app.path("public").join(path);
        assert_eq!(std::fs::read(&published).ok(), Some(jpeg.clone()), "{meta}{url} is the published cover");
    }

    // Why `images` is never written in a bundle: Hugo 0.111 takes its entries as site-relative.
    let with_images = index.replace("draft: true", "draft: false\nimages: [\"cover.jpg\"]");
    std::fs::write(bundle.join("index.md"), with_images).unwrap();
    let html = build(&app, &bundle);
    assert_eq!(
        attribute(&html, "<meta property=\"og:image\" content=\""),
        "https://blog.example.com/cover.jpg"
    );
    assert!(!app.path("public/cover.jpg").exists(), "a 404 on the published site");
}

#[test]
fn a_single_file_stub_gives_hugo_the_remote_artwork_as_its_og_image() {
    let app = app_with(&CHANNEL.replace("bundles = true\n", ""), "", "");
    app.sync_expecting(0);
    let (name, text) = app.stubs().into_iter().find(|(_, text)| text.contains(LLION)).expect("the stub");
    let remote = app.upstream.url(HQ);
    assert!(text.contains(&format!("\nimages: [\"{remote}\"]\n---\n")), "the feed's artwork URL: {text}");
    assert!(app.upstream.seen(HQ).is_empty() && app.upstream.seen(MAXRES).is_empty(), "never downloaded");

    if !require_tool("hugo", &["version"]) {
        return;
    }
    std::fs::write(posts(&app).join(&name), text.replace("draft: true", "draft: false")).unwrap();
    let html = build(&app, &posts(&app).join(name.trim_end_matches(".md")));
    for meta in ["<meta property=\"og:image\" content=\"", "<meta name=\"twitter:image\" content=\""] {
        assert_eq!(attribute(&html, meta), remote, "{meta}");
    }
}

/// Builds the site with Hugo's own OpenGraph and Twitter-card templates into `public/`; the
/// HTML of the bundle's page.
pub fn build(app: &App, bundle: &Path) -> String {
    let site = app.path("site");
    let head = "<head>{{ template \"_internal/opengraph.html\" . }}{{ template \"_internal/twitter_cards.html\" . }}</head>{{ .Content }}\n";
    for (file, text) in [("single.html", head), ("list.html", "{{ .Title }}\n")] {
        std::fs::create_dir_all(site.join("layouts/_default")).unwrap();
        std::fs::write(site.join("layouts/_default").join(file), text).unwrap();
    }
    let public = app.path("public");
    let _ = std::fs::remove_dir_all(&public);
    let output =
        Command::new("hugo").args(["--quiet", "-s"]).arg(&site).arg("-d").arg(&public).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "hugo failed: {stderr}");
    let folder = bundle.file_name().unwrap().to_string_lossy();
    std::fs::read_to_string(public.join("posts").join(&*folder).join("index.html")).unwrap()
}

/// The value of the attribute that `prefix` opens.
pub fn attribute(html: &str, prefix: &str) -> String {
    let start = html.find(prefix).unwrap_or_else(|| panic!("no {prefix} in {html}")) + prefix.len();
    html[start..].split('"').next().unwrap().to_owned()
}

#[test]
fn html_posing_as_jpeg_and_an_image_over_the_limit_are_rejected_then_a_real_one_arrives_late() {
    let app = app_with(CHANNEL, "max_body_bytes = 100000", "");
    let html = b"<!DOCTYPE html><html><body>Sorry, not found</body></html>".to_vec();
    app.upstream.set(MAXRES, image(html));
    let mut huge = b"\xFF\xD8\xFF\xE0".to_vec();
    huge.resize(300_000, 0);
    app.upstream.set(HQ, image(huge));
    app.sync_expecting(0);
    let bundle = bundle_of(&app, LLION);
    assert_eq!(files(&bundle), ["index.md"], "the stub is written without a cover");
    let index = std::fs::read_to_string(bundle.join("index.md")).unwrap();
    let status = app.run(&["status"]).stdout;
    let line = status.lines().find(|l| l.contains(&bundle.display().to_string())).expect(&status);
    assert!(
        line.contains("cover missing for") && line.contains("after 1 attempt(s), retried next run"),
        "{line}"
    );
    assert!(line.contains("not a JPEG, PNG, WebP or GIF image"), "{line}");
    assert!(line.contains("larger than the limit of 100000 bytes"), "{line}");

    app.sync_expecting(0);
    assert!(app.run(&["status"]).stdout.contains("after 2 attempt(s)"));
    let jpeg = fixture("thumbnail.jpg");
    app.upstream.set(HQ, image(jpeg.clone()));
    let run = app.sync_expecting(0);
    assert_eq!(files(&bundle), ["cover.jpg", "index.md"]);
    assert_eq!(std::fs::read(bundle.join("cover.jpg")).unwrap(), jpeg);
    assert_eq!(std::fs::read_to_string(bundle.join("index.md")).unwrap(), index, "index.md untouched");
    assert!(
        run.stdout.lines().any(|l| l == format!("wrote {}", shown(&bundle, "cover.jpg"))),
        "{}",
        run.stdout
    );
    let status = app.run(&["status"]).stdout;
    assert!(!status.contains(&bundle.display().to_string()), "no longer pending: {status}");
    let tries = app.upstream.seen(MAXRES).len();
    app.sync_expecting(0);
    assert_eq!(app.upstream.seen(MAXRES).len(), tries, "nothing is tried once the cover is there");
}

#[test]
fn a_late_cover_never_goes_into_an_edited_bundle() {
    let app = app_with(CHANNEL, "", "");
    app.sync_expecting(0);
    let bundle = bundle_of(&app, LLION);
    let mine = std::fs::read_to_string(bundle.join("index.md")).unwrap() + "\nMy first paragraph.\n";
    std::fs::write(bundle.join("index.md"), &mine).unwrap();
    app.upstream.set(MAXRES, image(fixture("thumbnail.jpg")));
    let tries = app.upstream.seen(MAXRES).len();
    app.sync_expecting(0);
    assert_eq!(files(&bundle), ["index.md"], "no cover in a bundle its author works on");
    assert_eq!(std::fs::read_to_string(bundle.join("index.md")).unwrap(), mine);
    assert_eq!(app.upstream.seen(MAXRES).len(), tries, "not even downloaded");
    assert!(!app.run(&["status"]).stdout.contains(&bundle.display().to_string()), "no longer pending");
}

#[test]
fn a_bundle_still_missing_its_cover_gets_it_after_a_lost_store() {
    let app = app_with(CHANNEL, "", "");
    app.sync_expecting(0);
    let bundle = bundle_of(&app, LLION);
    let before: Vec<String> = files(&posts(&app));
    std::fs::remove_dir_all(app.path("state")).unwrap();
    app.upstream.set(MAXRES, image(fixture("thumbnail.jpg")));
    app.sync_expecting(0);
    assert_eq!(files(&posts(&app)), before, "no duplicate bundle");
    assert_eq!(files(&bundle), ["cover.jpg", "index.md"]);
}

/// A template showing `cover` in the front matter.
const TEMPLATE: &str = "---\ntitle: {{ title_yaml }}\ncover: {{ cover_yaml }}\ndraft: true\nsyndicator_id: {{ syndicator_id_yaml }}\n---\n";

#[test]
fn templates_see_the_cover_when_the_bundle_is_written_and_when_it_arrives_later() {
    let app = app_with(CHANNEL, "", "stub_template = \"config/cover.md.j2\"");
    std::fs::write(app.path("config/cover.md.j2"), TEMPLATE).unwrap();
    app.upstream.set(MAXRES, image(fixture("thumbnail.jpg")));
    app.sync_expecting(0);
    let llion = bundle_of(&app, LLION);
    assert!(std::fs::read_to_string(llion.join("index.md")).unwrap().contains("cover: \"cover.jpg\"\n"));
    let late = bundle_of(&app, "Lm5Tq0aZc3U");
    assert!(std::fs::read_to_string(late.join("index.md")).unwrap().contains("cover: \"\"\n"));
    app.upstream.set("/vi/Lm5Tq0aZc3U/hqdefault.jpg", image(fixture("artwork.png")));
    let run = app.sync_expecting(0);
    assert_eq!(files(&late), ["cover.png", "index.md"], "the extension comes from the bytes");
    assert!(std::fs::read_to_string(late.join("index.md")).unwrap().contains("cover: \"cover.png\"\n"));
    let updated = format!("updated {}", shown(&late, "index.md"));
    assert!(run.stdout.lines().any(|l| l == updated), "{updated} in {}", run.stdout);

    let single = app_with(
        &CHANNEL.replace("bundles = true", "bundles = false"),
        "",
        "stub_template = \"config/cover.md.j2\"",
    );
    std::fs::write(single.path("config/cover.md.j2"), TEMPLATE).unwrap();
    single.sync_expecting(0);
    let stub = single.stubs().into_iter().find(|(_, t)| t.contains(LLION)).unwrap().1;
    let remote = format!("cover: \"{}{HQ}\"\n", single.upstream.url(""));
    assert!(stub.contains(&remote), "a single file names the artwork's URL: {stub}");
    assert!(single.upstream.seen(MAXRES).is_empty(), "and downloads nothing");
}
