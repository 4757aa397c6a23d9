//! `opml export` and `opml import`: a round trip through an empty config keeps every URL and
//! channel; followed URLs in other forms are skipped; broken outlines are named and skipped;
//! `--dry-run` writes nothing; hostile files are refused; real newsboat imports our export
//! and we import newsboat's. The shows are served by the local fakes `add`'s tests use.

use super::add::{CHANNEL_ID, SHOW, config_text, run, serve_the_show};
use super::app::{App, fixture};
use super::tools::require_tool;
use super::upstream::Route;

const YOUTUBE: &str = "https://www.youtube.com/feeds/videos.xml?channel_id=UCMLtBahI5DMrt0NPvDSoIRQ";
const APPLE: &str =
    "https://itunes.apple.com/lookup?id=1510472996&entity=podcastEpisode&country=tw&limit=200";

/// A channel on four platforms in two categories, and a blog.
fn followed() -> String {
    format!(
        "[spotify]\ntoken_url = \"{{upstream}}/api/token\"\n\n\
         # the shows\n[[channels]]\nid = \"mlst\"   # the big one\nname = \"Machine Learning Street Talk\"\n\
         categories = [\"AI\", \"Talks\"]\nyoutube = \"{YOUTUBE}\"\npodcast = \"{{upstream}}/podcast.xml\"\n\
         apple = \"{APPLE}\"\nspotify = \"{}\"\n\n\
         [[channels]]\nid = \"lab\"\nname = \"Notes & <Lab>\"\nfeed = \"{{upstream}}/blog.xml\"\n",
        spotify_url()
    )
}

fn spotify_url() -> String {
    format!("https://api.spotify.com/v1/shows/{SHOW}/episodes?market=TW&limit=50")
}

/// An app serving the show and the blog, with [`followed`] as its config.
fn following_app() -> App {
    let app = App::new();
    serve_the_show(&app);
    app.upstream.set("/blog.xml", Route::xml(fixture("blog-rss.xml")));
    app.config(&followed());
    app
}

/// The config emptied of channels (the `[spotify]` token URL kept), with a comment.
fn empty_config(app: &App) -> String {
    app.config(&format!("[spotify]\ntoken_url = \"{}\"   # keep me\n", app.upstream.url("/api/token")));
    config_text(app)
}

fn export(app: &App) -> String {
    let export = run(app, &["opml", "export"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    export.stdout
}

/// Every `platform = "url"` line of the config, sorted.
fn source_lines(text: &str) -> Vec<String> {
    let platforms = ["youtube = ", "podcast = ", "feed = ", "apple = ", "spotify = "];
    let mut lines: Vec<String> =
        text.lines().filter(|l| platforms.iter().any(|p| l.starts_with(p))).map(str::to_owned).collect();
    lines.sort();
    lines
}

#[test]
fn export_then_import_into_an_empty_config_gives_back_every_url_and_channel() {
    let app = following_app();
    let sources = source_lines(&config_text(&app));
    let opml = export(&app);
    assert!(opml.contains(&format!("htmlUrl=\"https://www.youtube.com/channel/{CHANNEL_ID}\"")), "{opml}");
    assert!(opml.contains("<outline text=\"AI\" title=\"AI\">"), "the first category is the folder: {opml}");
    assert!(opml.contains("text=\"Notes &amp; &lt;Lab&gt;\""), "{opml}");
    std::fs::write(app.path("subs.opml"), &opml).unwrap();

    let empty = empty_config(&app);
    let import = run(&app, &["opml", "import", "subs.opml"]);
    assert_eq!(import.code, 0, "stdout:\n{}\nstderr:\n{}", import.stdout, import.stderr);
    let blocks = format!(
        "[[channels]]\nid = \"machine-learning-street-talk\"\nname = \"Machine Learning Street Talk\"\n\
         categories = [\"AI\"]\nyoutube = \"{YOUTUBE}\"\nspotify = \"{}\"\napple = \"{APPLE}\"\n\
         podcast = \"{}\"\n\n[[channels]]\nid = \"notes-lab\"\nname = \"Notes & <Lab>\"\nfeed = \"{}\"\n",
        spotify_url(),
        app.upstream.url("/podcast.xml"),
        app.upstream.url("/blog.xml")
    );
    let imported = config_text(&app);
    assert_eq!(imported, format!("{empty}\n{blocks}"), "appended, the rest byte for byte");
    assert!(import.stdout.contains(&blocks), "{}", import.stdout);
    assert_eq!(source_lines(&imported), sources, "every URL back");

    let again = run(&app, &["opml", "import", "subs.opml"]);
    assert_eq!((again.code, config_text(&app)), (0, imported), "{}", again.stderr);
    assert!(again.stderr.contains("already followed by channel \"notes-lab\""), "{}", again.stderr);
    assert!(again.stdout.contains("nothing to add"), "{}", again.stdout);
}

/// A hand-kept config following the show's podcast and YouTube channel.
const HAND_KEPT: &str = "# my shows, keep this\n[[channels]]\nid = \"mlst\"      # short\nname = \"MLST\"\n\
    podcast = \"{upstream}/podcast.xml\"   # from the show notes\nyoutube = \"https://www.youtube.com/feeds/videos.xml?channel_id=UCMLtBahI5DMrt0NPvDSoIRQ\"\n\n\
    # [[channels]] later\n";

/// Forms of what is followed, a new blog (twice), and outlines that cannot be imported.
fn mixed_opml(app: &App) -> String {
    let upstream = app.upstream.url("");
    let shouting = upstream.replace("http://", "HTTP://");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>from another reader</title></head><body>
  <outline text="Podcasts">
    <outline type="rss" text="MLST audio" xmlUrl="{shouting}/podcast.xml#latest"/>
    <outline type="rss" text="MLST video" xmlUrl="http://youtube.com/feeds/videos.xml?channel_id={CHANNEL_ID}"/>
  </outline>
  <outline title="Tech">
    <outline type="rss" text="Lab notes" xmlUrl="{upstream}/blog.xml"/>
    <outline type="rss" text="No URL"/>
    <outline type="rss" text="Secrets" xmlUrl="file:///etc/passwd"/>
    <outline type="rss" text="Gone" xmlUrl="{upstream}/gone.xml"/>
  </outline>
  <outline type="rss" text="Lab again" xmlUrl="{upstream}/blog.xml/"/>
</body></opml>"#
    )
}

#[test]
fn import_skips_followed_and_broken_outlines_naming_each_and_keeps_every_comment() {
    let app = App::new();
    serve_the_show(&app);
    app.upstream.set("/blog.xml", Route::xml(fixture("blog-rss.xml")));
    app.config(HAND_KEPT);
    let before = config_text(&app);
    std::fs::write(app.path("mixed.opml"), mixed_opml(&app)).unwrap();
    let block = format!(
        "[[channels]]\nid = \"lab-notes\"\nname = \"Lab notes\"\ncategories = [\"Tech\"]\nfeed = \"{}\"\n",
        app.upstream.url("/blog.xml")
    );

    let dry = run(&app, &["opml", "import", "--dry-run", "mixed.opml"]);
    assert_eq!(dry.code, 2, "some outlines could not be imported: {}", dry.stderr);
    assert_eq!(dry.stdout, block);
    assert_eq!(config_text(&app), before, "--dry-run leaves the config byte-identical");

    let import = run(&app, &["opml", "import", "mixed.opml"]);
    assert_eq!(import.code, 2, "{}", import.stderr);
    assert_eq!(config_text(&app), format!("{before}\n{block}"), "appended, every comment kept");
    for says in [
        "skipped outline \"MLST audio\"",
        "already followed by channel \"mlst\"",
        "skipped outline \"MLST video\"",
        "skipped outline \"No URL\": it has no xmlUrl",
        "skipped outline \"Secrets\" (file:///etc/passwd): its xmlUrl is a file: URL",
        "skipped outline \"Gone\"",
        "HTTP 404",
        "already followed by outline \"Lab notes\"",
    ] {
        assert!(import.stderr.contains(says), "{says}:\n{}", import.stderr);
    }
    assert!(app.upstream.seen("/podcast.xml").is_empty(), "a followed URL is not fetched");
    assert_eq!(app.upstream.seen("/blog.xml").len(), 2, "the blog fetched once per run");
}

#[test]
fn hostile_or_unreadable_files_are_refused_naming_the_file() {
    let app = App::new();
    app.config(HAND_KEPT);
    let before = config_text(&app);
    let deep = format!("<opml><body>{}</body></opml>", "<outline text=\"f\">".repeat(10_000));
    let bomb = "<?xml version=\"1.0\"?><!DOCTYPE opml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;\">]>\
                <opml><body><outline text=\"&b;\" xmlUrl=\"https://x.example/\"/></body></opml>";
    let cases: [(&str, &[u8], &str); 5] = [
        ("bomb.opml", bomb.as_bytes(), "declares a document type"),
        ("deep.opml", deep.as_bytes(), "nest deeper than"),
        ("feed.opml", &fixture("blog-rss.xml"), "not OPML: the root element is <rss>"),
        ("latin1.opml", b"<opml><body><outline text=\"caf\xe9\"/></body></opml>", "not UTF-8"),
        ("broken.opml", b"<opml><body><outline xmlUrl=\"https://x.example/", "not well-formed"),
    ];
    for (name, bytes, says) in cases {
        std::fs::write(app.path(name), bytes).unwrap();
        let import = app.run(&["opml", "import", name]);
        assert_eq!(import.code, 64, "{name}: {}", import.stderr);
        assert!(
            import.stderr.contains(&format!("cannot import {}", app.path(name).display())),
            "{}",
            import.stderr
        );
        assert!(import.stderr.contains(says), "{name}: {says}: {}", import.stderr);
        assert!(!import.stderr.contains("panicked"), "{}", import.stderr);
    }
    let missing = app.run(&["opml", "import", "missing.opml"]);
    assert_eq!(missing.code, 64, "{}", missing.stderr);
    assert!(missing.stderr.contains("missing.opml"), "{}", missing.stderr);
    assert_eq!(app.run(&["opml", "import"]).code, 64, "no FILE is a usage error");
    assert_eq!(config_text(&app), before);
}

/// `newsboat` run with its own urls file, cache and config in `dir` (and `HOME` there too).
fn newsboat(app: &App, args: &[&str]) -> std::process::Output {
    let dir = app.path("newsboat");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::OpenOptions::new().create(true).append(true).open(dir.join("urls")).unwrap();
    std::fs::write(dir.join("config"), "").unwrap();
    std::process::Command::new("newsboat")
        .args(["-u", "urls", "-c", "cache.db", "-C", "config"])
        .args(args)
        .current_dir(&dir)
        .env("HOME", &dir)
        .output()
        .unwrap()
}

#[test]
fn newsboat_imports_our_export_and_we_import_newsboats_export() {
    if !require_tool("newsboat", &["-v"]) {
        return;
    }
    let app = following_app();
    let sources = source_lines(&config_text(&app));
    std::fs::write(app.path("ours.opml"), export(&app)).unwrap();
    let imported = newsboat(&app, &["-i", &app.path("ours.opml").display().to_string()]);
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    let urls = std::fs::read_to_string(app.path("newsboat/urls")).unwrap();
    for url in [YOUTUBE, APPLE, &spotify_url(), &app.upstream.url("/podcast.xml")] {
        assert!(urls.contains(&format!("{url} \"AI\"")), "{url} tagged with its folder:\n{urls}");
    }
    assert!(urls.lines().any(|l| l == app.upstream.url("/blog.xml")), "{urls}");

    let exported = newsboat(&app, &["-e"]);
    assert!(exported.status.success(), "{}", String::from_utf8_lossy(&exported.stderr));
    std::fs::write(app.path("newsboat.opml"), &exported.stdout).unwrap();
    empty_config(&app);
    let import = run(&app, &["opml", "import", "newsboat.opml"]);
    assert_eq!(import.code, 0, "stdout:\n{}\nstderr:\n{}", import.stdout, import.stderr);
    let config = config_text(&app);
    assert_eq!(source_lines(&config), sources, "every URL back, each on its platform:\n{config}");
    assert!(config.contains("name = \"Notes from the Lab\""), "named from the feed's title:\n{config}");
}
