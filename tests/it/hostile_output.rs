//! What we publish when the store already holds hostile values (written by an older
//! syndicator, or by any bug): impossible dates and control characters in every field. The
//! six feeds are still built, parse back, and keep a sane order.

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, TimeZone, Utc};
use syndicator::model::{DatePrecision, Enclosure, Episode, Item, Platform, Podcasting, StubState};
use syndicator::store::{ChannelState, Store};

use super::sync::{MLST, mlst_app};

const FILES: [&str; 6] =
    ["feed.xml", "atom.xml", "feed.json", "sources/feed.xml", "sources/atom.xml", "sources/feed.json"];
/// Every C0 control, DEL, a C1 control, a terminal escape and the XML non-characters.
const CONTROLS: &str = "\u{0}\u{1}\u{8}\u{b}\u{c}\u{1b}[2J\u{7f}\u{85}\u{FFFE}\u{FFFF}";

fn date(year: i32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, 6, 1, 12, 0, 0).unwrap()
}

/// A podcast episode of `mlst` whose every string carries [`CONTROLS`].
fn hostile_episode(id: &str, published: DateTime<Utc>) -> Episode {
    let item = Item {
        platform: Platform::Podcast,
        platform_id: format!("{id}{CONTROLS}"),
        title: format!("Hostile {id}{CONTROLS}"),
        link: Some(format!("https://hostile.example/{id}{CONTROLS}")),
        published: Some(published),
        precision: DatePrecision::Exact,
        description_html: format!("<p>notes{CONTROLS}</p>"),
        thumbnail: Some(format!("https://hostile.example/{id}.jpg{CONTROLS}")),
        enclosure: Some(Enclosure {
            url: format!("https://hostile.example/{id}.mp3{CONTROLS}"),
            mime_type: format!("audio/mpeg{CONTROLS}"),
            length: Some(u64::MAX),
        }),
        duration_secs: Some(u64::MAX),
        is_short: false,
        podcast_guid: None,
        podcasting: Podcasting::default(),
    };
    Episode {
        id: Episode::id_for("mlst", &item),
        channel: "mlst".into(),
        copies: vec![item],
        stub: StubState::Skipped,
    }
}

#[test]
fn a_store_holding_impossible_dates_and_control_characters_publishes_six_well_formed_feeds() {
    let app = mlst_app(MLST);
    app.sync_expecting(0);
    {
        let store = Store::open(&app.path("state/syndicator.db")).unwrap();
        let years = [
            ("far-future", 12345),
            ("year-9999", 9999),
            ("year-0", 0),
            ("negative", -50),
            ("pre-1970", 1969),
        ];
        let mut episodes: Vec<Episode> =
            years.iter().map(|(id, year)| hostile_episode(id, date(*year))).collect();
        episodes.push(hostile_episode("controls", date(2025)));
        store.put_episodes(&episodes).unwrap();
        store.flush().unwrap();
    }
    let run = app.run(&["feeds"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let read = |name: &str| std::fs::read_to_string(app.path("site/static").join(name)).unwrap();

    let rss = rss::Channel::read_from(read("sources/feed.xml").as_bytes()).expect("the RSS parses");
    let titles: Vec<&str> = rss.items().iter().filter_map(|i| i.title()).collect();
    assert_eq!(titles.iter().filter(|t| t.starts_with("Hostile")).count(), 1, "{titles:?}");
    let hostile =
        rss.items().iter().find(|i| i.title() == Some("Hostile controls[2J")).expect("kept, cleaned");
    let enclosure = hostile.enclosure().unwrap();
    assert_eq!(enclosure.url(), "https://hostile.example/controls.mp3[2J");
    assert_eq!(enclosure.mime_type(), "application/octet-stream", "a malformed type is replaced");
    assert_eq!(hostile.itunes_ext().unwrap().image(), Some("https://hostile.example/controls.jpg[2J"));
    let newest = rss.items()[0].pub_date().unwrap();
    assert!(newest.contains("2025"), "the newest entry is a real one, not year 9999: {newest}");
    let atom =
        atom_syndication::Feed::read_from(read("sources/atom.xml").as_bytes()).expect("the Atom parses");
    assert_eq!(atom.entries().len(), rss.items().len());
    assert!(
        atom.entries()
            .iter()
            .all(|e| (1970..=2026).contains(&chrono::Datelike::year(&e.published().unwrap().to_utc())))
    );
    for name in FILES {
        let text = read(name);
        assert!(!text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')), "{name}");
        if name.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&text).expect(name);
        }
    }
    validate_atom_with_jing(&app.path("site/static"));
}

/// Both Atom files validate against RFC 4287's schema with `jing`, where it is installed.
fn validate_atom_with_jing(public: &Path) {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/atom-rfc4287.rnc");
    if Command::new("jing").output().is_err() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "jing is not installed but CI=true");
        eprintln!("\n!!!!!!!!!! SKIPPED: jing is not installed !!!!!!!!!!\n");
        return;
    }
    for name in ["atom.xml", "sources/atom.xml"] {
        let out = Command::new("jing").arg("-c").arg(&schema).arg(public.join(name)).output().unwrap();
        assert!(out.status.success(), "{name} is not valid Atom:\n{}", String::from_utf8_lossy(&out.stdout));
    }
}

#[test]
fn status_prints_no_control_characters_from_upstream_error_text() {
    let app = mlst_app(MLST);
    app.sync_expecting(0);
    {
        let store = Store::open(&app.path("state/syndicator.db")).unwrap();
        let error = "podcast: malformed feed XML: \u{1b}[2J\u{1b}]0;pwned\u{7}\r\nfake line\u{9b}31m";
        let state = ChannelState {
            last_error: Some(error.into()),
            last_result: Some("failed\u{1b}[31m".into()),
            ..store.channel_state("mlst").unwrap()
        };
        store.put_channel_state("mlst", &state).unwrap();
        store.flush().unwrap();
    }
    let status = app.run(&["status"]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(!status.stdout.chars().any(|c| c.is_control() && c != '\n'), "{:?}", status.stdout);
    assert!(status.stdout.contains("\\u{1b}[2J"), "the escape is shown, not run: {}", status.stdout);
    assert!(!status.stdout.lines().any(|l| l.starts_with("fake line")), "no forged line: {}", status.stdout);
}

/// A podcast item whose show notes try every way to get something live into a stub or our
/// blog feed: attributes, scripts, tracking pixels, and Markdown written as text.
const HOSTILE_NOTES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link><description>d</description>
<item><title>Show notes with traps</title><guid>trap-1</guid><link>https://hostile.example/1</link>
<pubDate>Wed, 10 Dec 2025 08:00:00 GMT</pubDate>
<enclosure url="https://hostile.example/1.mp3" length="1" type="audio/mpeg"/>
<description><![CDATA[<p style="color:red" onclick="steal()">Notes <a href="javascript:alert(1)">click</a>
<a href="data:text/html;base64,PHNjcmlwdD4=">data</a> <a href="vbscript:msgbox(1)">vb</a>
<img src="https://tracker.example/pixel.gif" width="1" height="1"><script>alert('s')</script></p>
<p>[md link](javascript:alert(3)) ![pixel](https://tracker.example/md.gif) &lt;javascript:alert(4)&gt;<br>
[ref]: javascript:alert(5)<br>see [ref], &lt;img src=https://tracker.example/t.gif&gt; &lt;script&gt;alert(6)&lt;/script&gt;<br>
&lt;div&gt;raw block&lt;/div&gt; {{&lt; shortcode &gt;}} and https://ok.example/notes</p>]]></description>
</item></channel></rss>"#;

const HOSTILE_CHANNEL: &str = r#"
[[channels]]
id = "trap"
name = "Trap"
backfill = 10
podcast = "{upstream}/trap.xml"
"#;

/// Every tag of `html` as (name, attributes).
fn tags(html: &str) -> Vec<(String, String)> {
    let tag = regex::Regex::new(r"<([A-Za-z][A-Za-z0-9]*)([^>]*)>").unwrap();
    tag.captures_iter(html).map(|c| (c[1].to_ascii_lowercase(), c[2].to_owned())).collect()
}

#[test]
fn hostile_show_notes_are_inert_in_the_stub_and_in_our_blog_feed() {
    let app = super::app::App::new();
    app.upstream.set("/trap.xml", super::upstream::Route::xml(HOSTILE_NOTES));
    app.config(HOSTILE_CHANNEL);
    app.sync_expecting(0);
    let [(name, stub)] = &app.stubs()[..] else { panic!("one stub: {:?}", app.stub_names()) };
    for gone in
        ["javascript:alert(1)", "data:text", "vbscript:", "tracker.example/pixel.gif", "style=", "onclick"]
    {
        assert!(!stub.contains(gone), "the stub holds {gone}:\n{stub}");
    }
    // The front matter holds quoted YAML strings; the body is Markdown, where nothing may be live.
    let body = stub.splitn(3, "---\n").nth(2).unwrap();
    for live in ["<script", "<img", "<div", "<javascript:", "{{<"] {
        assert!(!body.contains(live), "the body holds a live {live}:\n{body}");
    }
    let unescaped = body.replace("\\[", "").replace("\\]", "");
    assert!(!unescaped.contains(['[', ']']), "every bracket is escaped, so no Markdown link:\n{body}");
    // The author publishes the stub as it is; our blog feed renders its Markdown.
    let path = app.path("site/content/posts").join(name);
    std::fs::write(&path, stub.replace("draft: true", "draft: false")).unwrap();
    let run = app.run(&["feeds"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(app.path("site/static/feed.xml")).unwrap();
    let channel = rss::Channel::read_from(text.as_bytes()).unwrap();
    let html = channel.items()[0].content().expect("the rendered body");
    assert!(html.contains("Notes") && html.contains("raw block"), "the text reads the same:\n{html}");
    let attribute = regex::Regex::new(r#"([A-Za-z-]+)\s*=\s*"([^"]*)""#).unwrap();
    for (tag, attributes) in tags(html) {
        assert!(
            ["p", "a", "br", "em", "strong", "hr", "blockquote", "code"].contains(&tag.as_str()),
            "<{tag}> in\n{html}"
        );
        for found in attribute.captures_iter(&attributes) {
            let (name, value) = (&found[1], &found[2]);
            assert!(["href", "rel"].contains(&name), "{name}= on <{tag}> in\n{html}");
            assert!(
                name != "href" || value.starts_with("https://") || value.starts_with("http://"),
                "{value}"
            );
        }
    }
}
