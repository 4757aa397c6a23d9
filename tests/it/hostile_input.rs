//! Input that used to crash or poison the whole program fails (or is neutralised) alone, in a
//! real `sync` beside a good channel: feeds nested 100,000 deep, dates at the edges of the
//! calendar, internal DTD subsets, and `file:` sources that are devices or FIFOs.

use chrono::{Duration, Utc};
use syndicator::model::Platform;
use syndicator::store::Store;

use super::app::{App, fixture};
use super::faults::{assert_failure_at, with_broken_channel};
use super::platforms::{BASIC, CREDENTIALS, bearer};
use super::upstream::Route;

/// An app with a good podcast channel beside a `broken` feed channel answering `body`.
fn beside_a_good_channel(body: impl Into<Vec<u8>>) -> App {
    let app = App::new();
    app.upstream.set("/broken.xml", Route::xml(body));
    let url = app.upstream.url("/broken.xml");
    with_broken_channel(app, &url, "")
}

fn nested(levels: usize, open: &str, close: &str) -> String {
    format!("{}{}", open.repeat(levels), close.repeat(levels))
}

#[test]
fn a_100000_deep_rss_feed_fails_only_its_source() {
    let deep = nested(100_000, "<x:a>", "</x:a>");
    let feed = format!("<rss xmlns:x=\"urn:x\"><channel><item><guid>d</guid>{deep}</item></channel></rss>");
    let app = beside_a_good_channel(feed);
    assert_failure_at(&app, &app.upstream.url("/broken.xml"), "feed nested deeper than 128 elements");
}

#[test]
fn a_100000_deep_atom_feed_fails_only_its_source() {
    let deep = nested(100_000, "<x:a>", "</x:a>");
    let feed = format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:x=\"urn:x\"><entry><id>d</id>{deep}</entry></feed>"
    );
    let app = beside_a_good_channel(feed);
    assert_failure_at(&app, &app.upstream.url("/broken.xml"), "feed nested deeper than 128 elements");
}

#[test]
fn a_100000_deep_description_is_kept_as_text() {
    let html = html_escape::encode_text(&nested(100_000, "<div>deep ", "</div>")).into_owned();
    let feed = format!(
        "<rss><channel><item><guid>d</guid><title>Deep notes</title>\
         <pubDate>Mon, 24 Nov 2025 17:00:00 GMT</pubDate><description>{html}</description></item></channel></rss>"
    );
    let app = beside_a_good_channel(feed);
    let run = app.sync_expecting(0);
    assert!(run.stderr.contains("nests HTML deeper than 256 elements; kept as plain text"), "{}", run.stderr);
    let stubs = app.stubs();
    assert_eq!(stubs.len(), 4, "{:?}", app.stub_names());
    let (_, deep) = stubs.iter().find(|(name, _)| name.contains("deep-notes")).expect("the deep item's stub");
    assert!(deep.contains("deep deep") && !deep.contains("<div"), "{deep}");
}

#[test]
fn a_billion_laughs_fails_only_its_source_and_a_plain_dtd_is_read() {
    let mut subset = String::from("<!ENTITY lol0 \"lol\">");
    for level in 1..10 {
        subset += &format!("<!ENTITY lol{level} \"{}\">", format!("&lol{};", level - 1).repeat(10));
    }
    let bomb =
        format!("<!DOCTYPE rss [{subset}]><rss><channel><item><title>&lol9;</title></item></channel></rss>");
    let app = beside_a_good_channel(bomb);
    assert_failure_at(&app, &app.upstream.url("/broken.xml"), "expand to more than 1048576 bytes");

    let plain = "<!DOCTYPE rss [ <!ENTITY show \"Street Talk\"> ]><rss><channel><item><guid>1</guid>\
                 <title>&show; live</title><pubDate>Mon, 24 Nov 2025 17:00:00 GMT</pubDate></item></channel></rss>";
    let fresh = beside_a_good_channel(plain);
    fresh.sync_expecting(0);
    assert!(
        fresh.stub_names().iter().any(|name| name.ends_with("street-talk-live.md")),
        "{:?}",
        fresh.stub_names()
    );
}

#[test]
fn a_device_or_fifo_file_source_fails_alone_without_hanging() {
    let app = App::new();
    let fifo = app.path("feed.fifo");
    let mut sources = vec![reqwest::Url::from_file_path(app.path("")).unwrap().to_string()];
    match std::process::Command::new("mkfifo").arg(&fifo).status() {
        Ok(status) if status.success() => {
            sources.push(reqwest::Url::from_file_path(&fifo).unwrap().to_string())
        }
        other => eprintln!("SKIPPED the FIFO case: mkfifo is not available ({other:?})"),
    }
    if std::path::Path::new("/dev/zero").exists() {
        sources.push("file:///dev/zero".to_owned());
    }
    let app = with_broken_channel(app, "BROKEN", "");
    let config = std::fs::read_to_string(app.path("config/syndicator.toml")).unwrap();
    for source in sources {
        std::fs::write(app.path("config/syndicator.toml"), config.replace("BROKEN", &source)).unwrap();
        std::fs::remove_dir_all(app.path("state")).ok();
        std::fs::remove_dir_all(app.path("site/content/posts")).ok();
        assert_failure_at(&app, &source, "not a regular file");
    }
}

/// A Spotify-only channel whose one page lists the first episode with `release_date` and the
/// second with a `duration_ms` of the wrong type.
fn spotify_app(release_date: &str) -> App {
    const EPISODES: &str = "/v1/shows/4yx0000000000000000000/episodes";
    let app = App::new();
    let page = String::from_utf8(fixture("spotify-episodes-1.json")).unwrap();
    let page = page.replacen("\"2025-11-25\"", &format!("\"{release_date}\""), 1);
    let page = page.replacen("\"duration_ms\": 2830104", "\"duration_ms\": \"long\"", 1);
    let mut json: serde_json::Value = serde_json::from_str(&page).unwrap();
    json["next"] = serde_json::Value::Null;
    app.upstream.set("/api/token", Route::json(fixture("spotify-token.json")).requiring(BASIC));
    app.upstream.set_fixture(EPISODES, Route::json(json.to_string()).requiring(&bearer()));
    app.config(&format!(
        "[spotify]\ntoken_url = \"{{upstream}}/api/token\"\n[[channels]]\nid = \"mlst\"\nname = \"M\"\n\
         backfill = 10\nspotify = \"{{upstream}}{EPISODES}?limit=2\"\n"
    ));
    app
}

#[test]
fn an_out_of_range_spotify_date_never_reaches_the_store() {
    for date in ["+12345-01-01", "0000-01-01", "9999-12-31", "1969-12-31"] {
        let app = spotify_app(date);
        let started = Utc::now();
        let run = app.run_with_env(&["sync"], &CREDENTIALS);
        assert_eq!(run.code, 0, "{date}: {}", run.stderr);
        assert!(run.stderr.contains("ignoring the publish date"), "{}", run.stderr);
        assert_eq!(app.stubs().len(), 2, "the mistyped duration drops only that field");
        for again in [&["sync"][..], &["feeds"][..]] {
            let run = app.run_with_env(again, &CREDENTIALS);
            assert_eq!(run.code, 0, "{date} {again:?}: {}", run.stderr);
        }
        let store = Store::open(&app.path("state/syndicator.db")).unwrap();
        let episodes = store.channel_episodes("mlst").unwrap();
        let copy =
            episodes.iter().flat_map(|e| &e.copies).find(|c| c.platform_id == "5Qm2cXb7TzR1vK9dLw3JpA");
        let copy = copy.expect("the episode is stored");
        assert_eq!(copy.platform, Platform::Spotify);
        let published = copy.published.expect("dated by first-seen time");
        assert!(
            published >= started - Duration::seconds(1) && published <= Utc::now(),
            "{date}: {published}"
        );
        let mailbag =
            episodes.iter().flat_map(|e| &e.copies).find(|c| c.platform_id == "0hT8nV4sYpE6wQ2kUc9BrM");
        assert_eq!(mailbag.expect("the mistyped episode is stored").duration_secs, None);
    }
}
