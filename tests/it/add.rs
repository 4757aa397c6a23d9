//! `add`: browser URLs to a channel, through fake YouTube, iTunes and Spotify API origins on
//! one local server (the `SYNDICATOR_ORIGIN_*` variables) and a plain web page; the config
//! edited in place with every other byte kept; errors that name the URL; `check` pointing at
//! pasted page URLs.

use super::app::{App, HUGO_CONFIG, Run, fixture};
use super::platforms::{BASIC, CREDENTIALS, bearer};
use super::upstream::Route;

pub(super) const CHANNEL_ID: &str = "UCMLtBahI5DMrt0NPvDSoIRQ";
pub(super) const SHOW: &str = "4yx0000000000000000000";
const YOUTUBE_PAGE: &str = "https://www.youtube.com/@MachineLearningStreetTalk";
const APPLE_PAGE: &str =
    "https://podcasts.apple.com/tw/podcast/machine-learning-street-talk-mlst/id1510472996";
const SPOTIFY_PAGE: &str = "https://open.spotify.com/show/4yx0000000000000000000?si=0123abcd";

/// A channel page the way YouTube serves `/@handle`: the channel id only in its metadata.
const HANDLE_PAGE: &str = r#"<!DOCTYPE html><html lang="en"><head>
<title>Machine Learning Street Talk - YouTube</title>
<link rel="canonical" href="https://www.youtube.com/@MachineLearningStreetTalk">
<meta property="og:title" content="Machine Learning Street Talk">
<meta itemprop="identifier" content="UCMLtBahI5DMrt0NPvDSoIRQ">
<script>var ytcfg = {"INNERTUBE_CONTEXT_CLIENT_NAME": 1};</script>
</head><body><ytd-app></ytd-app></body></html>"#;

/// The podcast's own website, linking its RSS the way blogs and hosts do.
const SHOW_SITE: &str = r#"<!doctype html><html><head><title>MLST</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="MLST podcast" href="/podcast.xml">
</head><body><h1>Machine Learning Street Talk</h1></body></html>"#;

/// Sets up fake YouTube, iTunes and Spotify API origins and the show's website on the app's
/// upstream server.
pub(super) fn serve_the_show(app: &App) {
    let up = &app.upstream;
    up.set("/@MachineLearningStreetTalk", Route { content_type: "text/html", ..Route::xml(HANDLE_PAGE) });
    up.set("/feeds/videos.xml", Route::xml(fixture("youtube.xml")));
    up.set("/podcast.xml", Route::xml(fixture("podcast.xml")));
    up.set("/mlst/", Route { content_type: "text/html", ..Route::xml(SHOW_SITE) });
    let lookup = String::from_utf8(fixture("apple-lookup.json")).unwrap();
    let lookup = lookup.replace("https://anchor.fm/s/1e4a0eac/podcast/rss", &up.url("/podcast.xml"));
    up.set("/lookup", Route::json(lookup));
    up.set("/api/token", Route::json(fixture("spotify-token.json")).requiring(BASIC));
    let episodes = format!("/v1/shows/{SHOW}/episodes");
    // The real API's `next` names its own origin; the override routes it here.
    let canonical = |name: &str| {
        String::from_utf8(fixture(name))
            .unwrap()
            .replace("{upstream}", "https://api.spotify.com")
            .into_bytes()
    };
    up.set(&episodes, Route::json(canonical("spotify-episodes-1.json")).requiring(&bearer()));
    let page_2 = format!("{episodes}?offset=2&limit=2");
    up.set(&page_2, Route::json(canonical("spotify-episodes-2.json")).requiring(&bearer()));
    let show = format!(r#"{{"id":"{SHOW}","name":"Machine Learning Street Talk (MLST)","type":"show"}}"#);
    up.set(&format!("/v1/shows/{SHOW}"), Route::json(show).requiring(&bearer()));
}

/// The origin variables pointing at the app's upstream, and the Spotify credentials.
pub(super) fn env(app: &App) -> Vec<(&'static str, String)> {
    let origin = app.upstream.url("");
    let mut env: Vec<(&str, String)> =
        ["SYNDICATOR_ORIGIN_YOUTUBE", "SYNDICATOR_ORIGIN_ITUNES", "SYNDICATOR_ORIGIN_SPOTIFY_API"]
            .into_iter()
            .map(|name| (name, origin.clone()))
            .collect();
    env.extend(CREDENTIALS.iter().map(|(k, v)| (*k, v.to_string())));
    env
}

pub(super) fn run(app: &App, args: &[&str]) -> Run {
    let env = env(app);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.run_with_env(args, &env)
}

pub(super) fn config_text(app: &App) -> String {
    std::fs::read_to_string(app.path("config/syndicator.toml")).unwrap()
}

#[test]
fn from_an_empty_config_one_add_with_four_browser_urls_then_sync_embeds_every_platform() {
    let app = App::new();
    serve_the_show(&app);
    std::fs::create_dir_all(app.path("blog")).unwrap();
    std::fs::write(app.path("blog/hugo.toml"), HUGO_CONFIG).unwrap();
    assert_eq!(run(&app, &["init", "--site", "blog"]).code, 0);
    // Spotify's token endpoint is not one of the overridable origins; it is a config key.
    let spotify = format!("\n[spotify]\ntoken_url = \"{}\"\n", app.upstream.url("/api/token"));
    let empty = config_text(&app) + &spotify;
    std::fs::write(app.path("config/syndicator.toml"), &empty).unwrap();

    let site = app.upstream.url("/mlst/");
    let add = run(&app, &["add", YOUTUBE_PAGE, APPLE_PAGE, SPOTIFY_PAGE, &site]);
    assert_eq!(add.code, 0, "stdout:\n{}\nstderr:\n{}", add.stdout, add.stderr);
    let block = format!(
        "[[channels]]\nid = \"machine-learning-street-talk\"\nname = \"Machine Learning Street Talk\"\n\
         youtube = \"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL_ID}\"\n\
         spotify = \"https://api.spotify.com/v1/shows/{SHOW}/episodes?market=TW&limit=50\"\n\
         apple = \"https://itunes.apple.com/lookup?id=1510472996&entity=podcastEpisode&country=tw&limit=200\"\n\
         podcast = \"{}\"\n",
        app.upstream.url("/podcast.xml")
    );
    assert_eq!(config_text(&app), format!("{empty}\n{block}"), "appended, the rest byte for byte");
    assert!(add.stdout.contains(&block), "the block on stdout: {}", add.stdout);
    assert_eq!(app.upstream.seen("/@MachineLearningStreetTalk").len(), 1, "the page is fetched once");

    let sync = run(&app, &["sync"]);
    assert_eq!(sync.code, 0, "stdout:\n{}\nstderr:\n{}", sync.stdout, sync.stderr);
    let posts = app.path("blog/content/posts");
    let stubs: Vec<String> = std::fs::read_dir(posts)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let transformer = stubs.iter().find(|s| s.contains("Xk3pQ9LJt0s")).expect("the transformer talk's stub");
    for embed in [
        "{{< youtube Xk3pQ9LJt0s >}}",
        "{{< spotify \"episode/5Qm2cXb7TzR1vK9dLw3JpA\" >}}",
        "{{< apple-podcast \"tw/podcast/he-co-invented-the-transformer-now-continuous-thought/id1510472996?i=1000738009211\" >}}",
    ] {
        assert!(transformer.contains(embed), "{embed} missing:\n{transformer}");
    }
    assert!(transformer.contains("syndicator_id: \"machine-learning-street-talk:youtube:Xk3pQ9LJt0s\""));
    assert!(app.upstream.seen("/podcast.xml").len() >= 3, "the podcast RSS is polled too");
}

/// A hand-kept config: comments, alignment, a channel, a table after it.
const HAND_KEPT: &str = r#"# my config, keep this
[site]
root = "site"                 # the blog
title = "AI 技術前沿"
base_url = "https://blog.example.com/"
language = "zh-TW"

[[channels]]
id = "mlst"                   # short
name = "MLST"
youtube = "https://www.youtube.com/@MachineLearningStreetTalk"   # pasted from the browser
# apple = "later"

[server]
listen = "127.0.0.1:8080"     # default
"#;

fn hand_kept_app() -> App {
    let app = App::new();
    serve_the_show(&app);
    app.config("");
    std::fs::write(app.path("config/syndicator.toml"), HAND_KEPT).unwrap();
    app
}

#[test]
fn check_names_a_pasted_page_and_the_add_it_prints_fixes_it_in_place() {
    let app = hand_kept_app();
    let check = run(&app, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let fix = format!("syndicator add --channel mlst '{YOUTUBE_PAGE}'");
    assert!(check.stderr.contains(&fix), "{}", check.stderr);

    let add = run(&app, &["add", "--channel", "mlst", YOUTUBE_PAGE]);
    assert_eq!(add.code, 0, "{}", add.stderr);
    let feed = format!("https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL_ID}");
    assert_eq!(config_text(&app), HAND_KEPT.replace(YOUTUBE_PAGE, &feed), "only the URL changed");
    assert!(!run(&app, &["check"]).stderr.contains("syndicator add"), "nothing left to fix");
}

#[test]
fn add_to_an_existing_channel_inserts_its_lines_and_keeps_every_other_byte() {
    let app = hand_kept_app();
    let add = run(&app, &["add", "--channel", "mlst", APPLE_PAGE]);
    assert_eq!(add.code, 0, "{}", add.stderr);
    let lines = format!(
        "apple = \"https://itunes.apple.com/lookup?id=1510472996&entity=podcastEpisode&country=tw&limit=200\"\n\
         podcast = \"{}\"\n",
        app.upstream.url("/podcast.xml")
    );
    let expected =
        HAND_KEPT.replace("# pasted from the browser\n", &format!("# pasted from the browser\n{lines}"));
    assert_eq!(config_text(&app), expected);
}

#[test]
fn dry_run_prints_the_block_and_writes_nothing() {
    let app = hand_kept_app();
    let add =
        run(&app, &["add", "--dry-run", "--id", "show", "--name", "The Show", &app.upstream.url("/mlst/")]);
    assert_eq!(add.code, 0, "{}", add.stderr);
    let podcast = app.upstream.url("/podcast.xml");
    assert_eq!(
        add.stdout,
        format!("[[channels]]\nid = \"show\"\nname = \"The Show\"\npodcast = \"{podcast}\"\n")
    );
    assert_eq!(config_text(&app), HAND_KEPT);
}

#[test]
fn an_unresolvable_url_is_a_usage_error_naming_it_and_what_was_tried() {
    let app = hand_kept_app();
    let page = app.upstream.url("/about/");
    app.upstream
        .set("/about/", Route { content_type: "text/html", ..Route::xml("<html><head></head></html>") });
    let missing = app.upstream.url("/gone.xml");
    for (url, says) in [
        (page.as_str(), "the page links no RSS or Atom feed"),
        (missing.as_str(), "answered HTTP 404"),
        ("not a url", "invalid URL"),
    ] {
        let add = run(&app, &["add", APPLE_PAGE, url]);
        assert_eq!(add.code, 64, "{url}: {}", add.stderr);
        assert!(add.stderr.contains(&format!("cannot add {url}: ")), "{url}: {}", add.stderr);
        assert!(add.stderr.contains(says), "{url}: {}", add.stderr);
        assert_eq!(config_text(&app), HAND_KEPT, "untouched after {url}");
    }
    let add = run(&app, &["add", &page]);
    assert!(
        add.stderr.contains(&format!("tried: GET {page}: ok; {page} as a feed: not a feed")),
        "{}",
        add.stderr
    );
}

#[test]
fn a_spotify_episode_resolves_to_its_show_with_credentials_and_is_refused_without() {
    let app = hand_kept_app();
    let episode = "https://open.spotify.com/episode/5Qm2cXb7TzR1vK9dLw3JpA";
    let api = format!(r#"{{"id":"5Qm2cXb7TzR1vK9dLw3JpA","show":{{"id":"{SHOW}","name":"MLST"}}}}"#);
    app.upstream.set("/v1/episodes/5Qm2cXb7TzR1vK9dLw3JpA", Route::json(api).requiring(&bearer()));
    let spotify = format!("\n[spotify]\ntoken_url = \"{}\"\n", app.upstream.url("/api/token"));
    std::fs::write(app.path("config/syndicator.toml"), format!("{HAND_KEPT}{spotify}")).unwrap();
    let add = run(&app, &["add", "--dry-run", episode]);
    assert_eq!(add.code, 0, "{}", add.stderr);
    assert!(add.stdout.contains(&format!("shows/{SHOW}/episodes?market=TW&limit=50")), "{}", add.stdout);
    assert!(add.stdout.contains("id = \"machine-learning-street-talk-mlst\""), "{}", add.stdout);

    let without = app.run(&["add", "--dry-run", episode]);
    assert_eq!(without.code, 64, "{}", without.stderr);
    assert!(without.stderr.contains("SPOTIFY_CLIENT_ID"), "{}", without.stderr);
}

#[test]
fn sync_names_the_add_that_fixes_a_web_page_pasted_as_a_feed() {
    let app = App::new();
    serve_the_show(&app);
    app.config(
        "[[channels]]\nid = \"mlst\"\nname = \"MLST\"\npodcast = \"{upstream}/mlst/\"   # the show's site\n",
    );
    let before = config_text(&app);
    let sync = run(&app, &["sync"]);
    assert_eq!(sync.code, 2, "{}", sync.stderr);
    let site = app.upstream.url("/mlst/");
    let fix = format!("syndicator add --channel mlst '{site}'");
    assert!(sync.stderr.contains(&fix), "{}", sync.stderr);

    let add = run(&app, &["add", "--channel", "mlst", &site]);
    assert_eq!(add.code, 0, "{}", add.stderr);
    assert_eq!(
        config_text(&app),
        before.replace("/mlst/", "/podcast.xml"),
        "replaced in place, comment kept"
    );
    assert_eq!(run(&app, &["sync"]).code, 0);
}
