//! Which items are one episode (issue 10): a weekly show with one title, two same-title items
//! on one day, same-title videos and podcast items a week apart, a feed whose links change
//! on every poll, and a Spotify `next` that loops. Each episode gets its stub, no stub is
//! rewritten with another episode's content, and the store does not grow without need.

use std::path::Path;
use std::sync::Arc;

use syndicator::config::Config;
use syndicator::model::{Episode, Platform};
use syndicator::pipeline::{self, Ctx};
use syndicator::store::Store;
use syndicator::stub::Template;

use super::app::{App, SITE, fixture};
use super::upstream::Route;

const TITLE: &str = "Monday Evening Headlines";

/// An RSS document around `items`.
fn rss(items: &str) -> String {
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Show</title>{items}</channel></rss>")
}

/// One RSS item with a guid, a publish date and show notes.
fn item(guid: &str, title: &str, date: &str, notes: &str) -> String {
    format!(
        "<item><guid isPermaLink=\"false\">{guid}</guid><title>{title}</title><pubDate>{date}</pubDate>\
         <description>{notes}</description></item>"
    )
}

/// An app whose one channel `news` follows the given platform URLs (`key = "path"` lines).
fn news_app(sources: &str) -> App {
    let app = App::new();
    app.config(&format!("[[channels]]\nid = \"news\"\nname = \"News\"\nbackfill = 50\n{sources}\n"));
    app
}

/// The episodes of `news` in the store, oldest first (the binary must not be running).
fn episodes(app: &App) -> Vec<Episode> {
    let store = Store::open(&app.path("state/syndicator.db")).unwrap();
    let mut episodes = store.channel_episodes("news").unwrap();
    episodes.sort_by_key(|e| e.published());
    episodes
}

#[test]
fn a_weekly_show_with_one_title_gets_every_stub_and_week_one_stays_untouched() {
    let app = news_app("podcast = \"{upstream}/show.xml\"");
    let dates = ["03", "10", "17", "24"].map(|day| format!("Mon, {day} Nov 2025 18:00:00 GMT"));
    let mut listed = String::new();
    let mut week_one = None;
    for (week, date) in dates.iter().enumerate() {
        let notes = format!("Week {} notes.{}", week + 1, " More headlines.".repeat(week * 20));
        listed = item(&format!("w{}", week + 1), TITLE, date, &notes) + &listed;
        app.upstream.set("/show.xml", Route::xml(rss(&listed)));
        app.sync_expecting(0);
        week_one.get_or_insert_with(|| app.stubs()[0].clone());
    }
    let stubs = app.stubs();
    assert_eq!(stubs.len(), 4, "{:?}", app.stub_names());
    assert!(stubs.contains(week_one.as_ref().unwrap()), "week 1's stub is byte for byte as written");
    for week in 1..=4 {
        let notes = format!("Week {week} notes.");
        assert_eq!(stubs.iter().filter(|(_, text)| text.contains(&notes)).count(), 1, "{notes}");
    }
}

#[test]
fn two_same_title_items_on_one_day_get_two_stubs() {
    let app = news_app("podcast = \"{upstream}/show.xml\"");
    let morning = item("am", "Daily Briefing", "Mon, 24 Nov 2025 08:00:00 GMT", "Morning notes.");
    let evening = item("pm", "Daily Briefing", "Mon, 24 Nov 2025 17:00:00 GMT", "Evening notes.");
    app.upstream.set("/show.xml", Route::xml(rss(&morning)));
    app.sync_expecting(0);
    app.upstream.set("/show.xml", Route::xml(rss(&format!("{evening}{morning}"))));
    app.sync_expecting(0);
    let stubs = app.stubs();
    assert_eq!(stubs.len(), 2, "{:?}", app.stub_names());
    assert!(stubs.iter().any(|(_, t)| t.contains("Morning notes.") && !t.contains("Evening notes.")));
    let together = news_app("podcast = \"{upstream}/show.xml\"");
    together.upstream.set("/show.xml", Route::xml(rss(&format!("{evening}{morning}"))));
    together.sync_expecting(0);
    assert_eq!(together.stubs().len(), 2, "listed side by side in one fetch: {:?}", together.stub_names());
}

/// A YouTube channel feed with one entry per `(video id, published)`, all titled [`TITLE`].
fn videos(entries: &[(&str, &str)]) -> String {
    let entry = |(id, published): &(&str, &str)| {
        format!(
            "<entry><id>yt:video:{id}</id><yt:videoId>{id}</yt:videoId><title>{TITLE}</title>\
             <link rel=\"alternate\" href=\"https://www.youtube.com/watch?v={id}\"/>\
             <published>{published}</published><updated>{published}</updated></entry>"
        )
    };
    format!(
        "<?xml version=\"1.0\"?><feed xmlns:yt=\"http://www.youtube.com/xml/schemas/2015\" \
         xmlns=\"http://www.w3.org/2005/Atom\"><title>News</title>{}</feed>",
        entries.iter().map(entry).collect::<String>()
    )
}

#[test]
fn same_title_videos_and_podcast_items_a_week_apart_give_two_paired_episodes() {
    let app = news_app("youtube = \"{upstream}/videos.xml\"\npodcast = \"{upstream}/show.xml\"");
    let feed =
        videos(&[("vid2aaaaaaa", "2025-11-10T16:00:00+00:00"), ("vid1aaaaaaa", "2025-11-03T16:00:00+00:00")]);
    app.upstream.set("/videos.xml", Route::xml(feed));
    let second = item("p2", TITLE, "Tue, 11 Nov 2025 06:00:00 GMT", "Second.");
    let first = item("p1", TITLE, "Tue, 04 Nov 2025 06:00:00 GMT", "First.");
    app.upstream.set("/show.xml", Route::xml(rss(&format!("{second}{first}"))));
    app.sync_expecting(0);
    assert_eq!(app.stubs().len(), 2, "{:?}", app.stub_names());
    let pairs: Vec<Vec<(Platform, String)>> = episodes(&app)
        .iter()
        .map(|e| e.copies.iter().map(|c| (c.platform, c.platform_id.clone())).collect())
        .collect();
    let pair =
        |video: &str, guid: &str| vec![(Platform::Youtube, video.into()), (Platform::Podcast, guid.into())];
    assert_eq!(pairs, [pair("vid1aaaaaaa", "p1"), pair("vid2aaaaaaa", "p2")]);
}

/// The number of records in every tree of the sled store at `path`.
fn store_records(path: &std::path::Path) -> usize {
    let db = when_released(|| sled::open(path));
    db.tree_names().iter().map(|name| db.open_tree(name).unwrap().len()).sum()
}

/// `open()`, retried for up to 10 s: sled releases a dropped store's file lock from its
/// background flusher thread, a moment after the drop, so a reopen right away can find it held.
fn when_released<T, E: std::fmt::Debug>(open: impl Fn() -> Result<T, E>) -> T {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match open() {
            Ok(opened) => return opened,
            Err(e) if std::time::Instant::now() > deadline => panic!("the store stayed locked: {e:?}"),
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
}

fn dir_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .map(|path| if path.is_dir() { dir_bytes(&path) } else { path.metadata().unwrap().len() })
        .sum()
}

/// A guid-less blog feed whose links change on every poll: tracking parameters and a
/// fragment on two posts, an unknown `session` parameter on the third.
fn tracked_feed(poll: usize) -> String {
    let post = |n: usize, query: &str| {
        format!(
            "<item><title>Post {n}</title><link>https://blog.test/post-{n}?{query}</link>\
             <pubDate>{:02} Nov 2025 09:00:00 GMT</pubDate></item>",
            n + 1
        )
    };
    let tracked = format!("utm_source=rss&amp;utm_campaign=poll-{poll}&amp;fbclid=f{poll}#xtor=RSS-{poll}");
    rss(&format!("{}{}{}", post(1, &tracked), post(2, &tracked), post(3, &format!("session=s{poll}"))))
}

/// 300 polls run in-process (the unit of work `sync` and `serve` share, against the real
/// server and a real sled store) to keep the test fast; the store is reopened every 50.
#[test]
fn a_feed_whose_links_change_on_every_poll_keeps_a_constant_store() {
    let app = App::new();
    let (site, store) = (app.path("site"), app.path("state/syndicator.db"));
    std::fs::create_dir_all(app.path("state")).unwrap();
    let text = SITE
        .replace("root = \"site\"", &format!("root = {site:?}"))
        .replace("path = \"state/syndicator.db\"", &format!("path = {store:?}"));
    let channel = format!(
        "[[channels]]\nid = \"news\"\nname = \"News\"\nfeed = \"{}\"\n",
        app.upstream.url("/blog.xml")
    );
    let config = Arc::new(Config::parse(&format!("{text}\n{channel}"), Path::new("test.toml")).unwrap());
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut records = Vec::new();
    for poll in 0..300 {
        if poll % 50 == 0 {
            let opened = Arc::new(when_released(|| Store::open(&store)));
            let ctx =
                Ctx::new(config.clone(), opened, Template::builtin(config.site.language), false).unwrap();
            for poll in poll..poll + 50 {
                app.upstream.set("/blog.xml", Route::xml(tracked_feed(poll)));
                let report = runtime.block_on(pipeline::sync_channel(&ctx, &config.channels[0]));
                assert!(report.failures.is_empty(), "{:?}", report.failures);
                assert_eq!(report.new_episodes, if poll == 0 { 3 } else { 0 }, "poll {poll}");
            }
            ctx.store.flush().unwrap();
            drop(ctx);
            records.push(store_records(&store));
        }
    }
    assert_eq!(std::fs::read_dir(site.join("content/posts")).unwrap().count(), 3, "one stub per post");
    assert!(records.windows(2).all(|w| w[0] == w[1]), "records after every 50 polls: {records:?}");
    eprintln!("store after 300 polls: {} records, {} bytes", records[5], dir_bytes(&app.path("state")));
}

const EPISODES: &str = "/v1/shows/4yx0000000000000000000/episodes";

#[test]
fn a_spotify_next_that_loops_stops_and_counts_each_item_once() {
    let app = App::new();
    app.config(&format!(
        "[spotify]\ntoken_url = \"{{upstream}}/api/token\"\n\n[[channels]]\nid = \"news\"\nname = \"News\"\n\
         backfill = 50\nspotify = \"{{upstream}}{EPISODES}?market=TW&limit=2\"\n"
    ));
    let up = &app.upstream;
    up.set("/api/token", Route::json(fixture("spotify-token.json")));
    up.set_fixture(EPISODES, Route::json(fixture("spotify-episodes-1.json")));
    let looping = |next: &str| {
        let page = String::from_utf8(fixture("spotify-episodes-2.json")).unwrap();
        page.replace("\"next\": null", &format!("\"next\": \"{{upstream}}{EPISODES}{next}\""))
    };
    let env = [("SPOTIFY_CLIENT_ID", "id"), ("SPOTIFY_CLIENT_SECRET", "secret")];
    for (next, pages) in [("?market=TW&limit=2", 2), ("?offset=4&limit=2", 3)] {
        up.set_fixture(&format!("{EPISODES}?offset=2&limit=2"), Route::json(looping(next)));
        std::fs::remove_dir_all(app.path("state")).ok();
        std::fs::remove_dir_all(app.path("site/content/posts")).ok();
        let before = up.seen(EPISODES).len();
        let run = app.run_with_env(&["sync"], &env);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(up.seen(EPISODES).len() - before, pages, "pages fetched with next = {next}");
        assert!(run.stderr.contains("new_episodes=4"), "{}", run.stderr);
        assert_eq!(app.stubs().len(), 4, "{:?}", app.stub_names());
        let copies: usize = episodes(&app).iter().map(|e| e.copies.len()).sum();
        assert_eq!(copies, 4, "each Spotify item stored once");
    }
}
