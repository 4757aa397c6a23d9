//! WebSub publishing through the real binary: with `[websub] publish_hubs` and
//! `public_url` the feeds name the hub and their public URL, and the test hub (`hub.rs`)
//! is pinged for exactly the feeds whose bytes changed; a failed ping is sent again by the
//! next rebuild.

use super::app::{App, fixture};
use super::hub::Hub;
use super::upstream::Route;
use super::websub::list_new_video;

#[test]
fn publish_pings_reach_the_hub_only_when_feed_bytes_change() {
    let hub = Hub::start();
    let app = App::new();
    app.upstream.set("/youtube.xml", Route::xml(fixture("youtube.xml")));
    app.config(&format!(
        "[server]\npublic_url = \"https://feeds.example.com\"\n\n[websub]\npublish_hubs = [\"{}\"]\n\n\
         [[channels]]\nid = \"mlst\"\nname = \"MLST\"\nbackfill = 10\nyoutube = \"{{upstream}}/youtube.xml\"\n",
        hub.url()
    ));
    app.sync_expecting(0);
    let mut pings = hub.pings();
    pings.sort();
    let all: Vec<String> =
        ["atom.xml", "feed.json", "feed.xml", "sources/atom.xml", "sources/feed.json", "sources/feed.xml"]
            .iter()
            .map(|path| format!("https://feeds.example.com/{path}"))
            .collect();
    assert_eq!(pings, all, "the first build is news to the hub");
    let atom = std::fs::read_to_string(app.path("site/static/sources/atom.xml")).unwrap();
    assert!(atom.contains(&format!("<link href=\"{}\" rel=\"hub\"/>", hub.url())), "{atom}");
    assert!(
        atom.contains("<link href=\"https://feeds.example.com/sources/atom.xml\" rel=\"self\""),
        "{atom}"
    );

    app.sync_expecting(0);
    assert_eq!(hub.pings().len(), 6, "unchanged bytes: no ping");

    list_new_video(&app);
    app.sync_expecting(0);
    let mut changed: Vec<String> = hub.pings()[6..].to_vec();
    changed.sort();
    assert_eq!(changed, all[3..], "only the channel feeds changed");
}

#[test]
fn a_failed_ping_is_sent_again_by_the_next_rebuild() {
    let app = App::new();
    app.upstream.set("/youtube.xml", Route::xml(fixture("youtube.xml")));
    app.upstream.set("/hub", Route::status(503));
    app.config(
        "[server]\npublic_url = \"https://feeds.example.com\"\n\n[websub]\npublish_hubs = [\"{upstream}/hub\"]\n\n\
         [[channels]]\nid = \"mlst\"\nname = \"MLST\"\nyoutube = \"{upstream}/youtube.xml\"\n",
    );
    let run = app.sync_expecting(0);
    assert!(run.stderr.contains("cannot tell the hub the feed changed after 3 tries"), "{}", run.stderr);
    assert_eq!(app.upstream.seen("/hub").len(), 18, "six feeds, three tries each");
    app.upstream.set("/hub", Route::status(204));
    app.run(&["feeds"]);
    assert_eq!(app.upstream.seen("/hub").len(), 24, "the same bytes are announced once the hub is back");
    app.run(&["feeds"]);
    assert_eq!(app.upstream.seen("/hub").len(), 24, "and only once");
}
