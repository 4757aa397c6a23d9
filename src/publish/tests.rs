use std::path::{Path, PathBuf};

use chrono::TimeZone;

use super::*;
use crate::model::Platform;
use crate::pipeline::merge;
use crate::site::load_pages;
use crate::source::parse_feed;

include!("../../tests/common/fixture_feeds.rs");

fn file<'a>(feeds: &'a [(&'static str, String)], name: &str) -> &'a str {
    &feeds.iter().find(|(n, _)| *n == name).unwrap().1
}

#[test]
fn snapshots_of_the_six_feeds() {
    let feeds = fixture_feeds();
    let names: Vec<_> = feeds.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        ["feed.xml", "atom.xml", "feed.json", "sources/feed.xml", "sources/atom.xml", "sources/feed.json"]
    );
    for (name, text) in &feeds {
        insta::assert_snapshot!(name.replace(['/', '.'], "_"), text);
    }
}

#[test]
fn two_builds_give_identical_bytes() {
    assert_eq!(fixture_feeds(), fixture_feeds());
}

#[test]
fn rss_round_trips() {
    let feeds = fixture_feeds();
    let blog = ::rss::Channel::read_from(file(&feeds, "feed.xml").as_bytes()).unwrap();
    assert_eq!(blog.items.len(), 8);
    let first = &blog.items[0];
    assert_eq!(first.link.as_deref(), Some("https://blog.example.org/posts/transformer-talk/"));
    assert_eq!(first.guid.as_ref().unwrap().value, "urn:syndicator:mlst:youtube:DtePicx_kFY");
    assert_eq!(blog.last_build_date.as_deref(), first.pub_date.as_deref());
    assert_eq!(blog.atom_ext.unwrap().links[0].href, "https://blog.example.org/feed.xml");
    let sources = ::rss::Channel::read_from(file(&feeds, "sources/feed.xml").as_bytes()).unwrap();
    let with_audio = sources.items.iter().filter(|i| i.enclosure.is_some()).count();
    assert!(with_audio >= 2, "{with_audio}");
    let itunes = sources.items.iter().find_map(|i| i.itunes_ext.as_ref()).unwrap();
    assert!(itunes.duration.is_some() && itunes.author.is_some());
}

#[test]
fn atom_round_trips() {
    let feeds = fixture_feeds();
    for name in ["atom.xml", "sources/atom.xml"] {
        let feed = atom_syndication::Feed::read_from(file(&feeds, name).as_bytes()).unwrap();
        assert!(feed.links.iter().any(|l| l.rel == "self" && l.href.ends_with(name)), "{name}");
        let newest = feed.entries.iter().map(|e| e.updated).max().unwrap();
        assert_eq!(feed.updated, newest, "{name}");
        assert!(feed.entries.iter().all(|e| !e.id.is_empty()));
    }
}

#[test]
fn json_round_trips() {
    let feeds = fixture_feeds();
    let json: serde_json::Value = serde_json::from_str(file(&feeds, "feed.json")).unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(json["feed_url"], "https://blog.example.org/feed.json");
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 8);
    assert!(
        items
            .iter()
            .all(|i| i["id"].is_string() && i["content_html"].is_string() && i["date_published"].is_string())
    );
}

#[test]
fn websub_hubs_and_the_public_self_link_are_in_all_three_formats() {
    let hubs = ["https://hub.example/".to_owned(), "https://pubsubhubbub.appspot.com/".to_owned()];
    let site = SiteMeta {
        push: PushLinks { hubs: &hubs, self_base: Some("https://feeds.example.com") },
        ..FIXTURE_SITE
    };
    let feeds = render_all(&[], &fixture_episodes(), fixture_channel_name, &site, 50, fixture_now());
    for feed in &feeds {
        let own = format!("https://feeds.example.com/{}", feed.path);
        match feed.format {
            FeedFormat::Rss | FeedFormat::Atom => {
                let links = crate::source::feed_links(feed.text.as_bytes()).unwrap();
                assert_eq!(links.hub.as_deref(), Some(hubs[0].as_str()), "{}", feed.path);
                assert_eq!(links.self_url.as_deref(), Some(own.as_str()), "{}", feed.path);
                assert_eq!(feed.text.matches("rel=\"hub\"").count(), 2, "{}", feed.path);
            }
            FeedFormat::Json => {
                let json: serde_json::Value = serde_json::from_str(&feed.text).unwrap();
                assert_eq!(json["feed_url"], own.as_str());
                assert_eq!(json["hubs"][1], serde_json::json!({ "type": "WebSub", "url": hubs[1] }));
            }
        }
    }
    let plain = fixture_feeds();
    assert!(plain.iter().all(|(_, text)| !text.contains("hub")), "no hubs, no hub links");
}

#[test]
fn blog_content_has_no_shortcodes_and_embeds_become_links() {
    let feeds = fixture_feeds();
    for (name, text) in &feeds {
        assert!(!text.contains("{{<") && !text.contains("{{%"), "{name}");
        assert!(!text.contains("<iframe"), "{name}");
    }
    let blog = file(&feeds, "feed.xml");
    assert!(blog.contains("https://i.ytimg.com/vi/DtePicx_kFY/hqdefault.jpg"));
    assert!(blog.contains("https://open.spotify.com/episode/5zKGl6HNid03ExP7n5i4U8"));
    assert!(blog.contains("A note kept as plain text."));
}

#[test]
fn hostile_upstream_html_is_removed() {
    let feeds = fixture_feeds();
    for name in ["sources/feed.xml", "sources/atom.xml", "sources/feed.json"] {
        let text = file(&feeds, name).to_lowercase();
        for bad in [
            "<script",
            "&lt;script",
            "javascript:",
            "data:image",
            "onclick",
            "onerror",
            "iframe",
            "/relative",
            "style=",
        ] {
            assert!(!text.contains(bad), "{name} contains {bad}");
        }
        assert!(text.contains("https://ok.example/show"), "{name} lost the safe link");
    }
    let html = crate::html::sanitize_show_notes(r#"<a href="https://x.test/" target="_blank">x</a>"#);
    assert_eq!(html, r#"<a href="https://x.test/" rel="noopener noreferrer nofollow">x</a>"#);
}

#[test]
fn limit_keeps_the_newest() {
    let pages = load_pages(&fixture_dir().join("site"), &[], fixture_now()).unwrap();
    let doc = blog::blog_feed(&pages, &FIXTURE_SITE, 2, fixture_now());
    let titles: Vec<_> = doc.entries.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["「我發明了 Transformer」", "Custom URL"]);
}

#[test]
fn an_empty_feed_is_not_dated_1970() {
    let now = Utc.with_ymd_and_hms(2026, 3, 4, 15, 16, 17).unwrap();
    let empty = channels::channels_feed(&[], fixture_channel_name, &FIXTURE_SITE, 50, now);
    assert_eq!(empty.updated, None);
    let rss_text = rss::build_rss(&empty);
    assert!(!rss_text.contains("lastBuildDate") && !rss_text.contains("1970"), "{rss_text}");
    let atom_text = atom::build_atom(&empty);
    let feed = atom_syndication::Feed::read_from(atom_text.as_bytes()).unwrap();
    assert_eq!(feed.updated.to_rfc3339(), "2026-03-04T00:00:00+00:00", "the start of the build day");
    let later = channels::channels_feed(
        &[],
        fixture_channel_name,
        &FIXTURE_SITE,
        50,
        now + chrono::Duration::hours(3),
    );
    assert_eq!(atom::build_atom(&later), atom_text, "rebuilt the same day, the bytes stay the same");
}

#[test]
fn ids_are_uris_and_stable() {
    assert_eq!(uri_id("https://x.test/a"), "https://x.test/a");
    assert_eq!(uri_id("tag:x.test,2025:1"), "tag:x.test,2025:1");
    assert_eq!(uri_id("my id/1"), "urn:syndicator:my%20id%2F1");
    let front = crate::site::FrontMatter { syndicator_id: Some("c:youtube:x".into()), ..Default::default() };
    assert_eq!(blog::entry_id(&front, "https://b.test/p/"), "urn:syndicator:c:youtube:x");
    let front = crate::site::FrontMatter { guid: Some("https://b.test/old/".into()), ..Default::default() };
    assert_eq!(blog::entry_id(&front, "https://b.test/new/"), "https://b.test/old/");
    assert_eq!(blog::entry_id(&Default::default(), "https://b.test/p/"), "https://b.test/p/");
}

#[test]
fn control_characters_from_upstream_never_reach_the_xml() {
    let mut copy = crate::model::Item::bare(Platform::Spotify, "abc", "Ep\u{8} 12\u{1}", None);
    copy.published = Some(Utc.with_ymd_and_hms(2025, 11, 24, 0, 0, 0).unwrap());
    copy.link = Some("https://open.spotify.com/episode/abc".into());
    copy.description_html = "<p>bad\u{0}byte\u{FFFF}</p>".into();
    let episodes = merge("mlst", vec![], vec![copy], Utc::now()).created;
    let doc = channels::channels_feed(&episodes, fixture_channel_name, &FIXTURE_SITE, 50, fixture_now());
    assert_eq!(doc.entries[0].title, "Ep 12");
    let rss_text = rss::build_rss(&doc);
    ::rss::Channel::read_from(rss_text.as_bytes()).expect("the RSS stays well-formed");
    let atom_text = atom::build_atom(&doc);
    atom_syndication::Feed::read_from(atom_text.as_bytes()).expect("the Atom stays well-formed");
    assert!(!atom_text.contains('\u{0}') && !atom_text.contains('\u{FFFF}'));
}
