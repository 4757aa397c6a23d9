//! What we publish when the store already holds hostile values (written by an older
//! syndicator, or by any bug): impossible dates and control characters in every field. The
//! six feeds are still built, parse back, and keep a sane order.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, TimeZone, Utc};
use syndicator::model::{DatePrecision, Enclosure, Episode, Item, Platform, StubState};
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
    };
    Episode {
        id: Episode::id_for("mlst", &item),
        channel: "mlst".into(),
        copies: vec![item],
        stub: StubState::Skipped,
    }
}

/// The RFC 4287 schema: shipped in `tests/fixtures/`, or in the shared reference folder of
/// any folder above the crate.
fn atom_schema() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shipped = manifest.join("tests/fixtures/atom-rfc4287.rnc");
    let shared = manifest.ancestors().map(|dir| dir.join("shared/reference/atom-rfc4287.rnc"));
    std::iter::once(shipped).chain(shared).find(|path| path.is_file())
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
    let read = |name: &str| std::fs::read_to_string(app.path("site/public").join(name)).unwrap();

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
    validate_atom_with_jing(&app.path("site/public"));
}

/// Both Atom files validate against RFC 4287's schema with `jing`, where it is installed.
fn validate_atom_with_jing(public: &Path) {
    let Some(schema) = atom_schema() else {
        panic!("the RFC 4287 schema is missing (tests/fixtures/atom-rfc4287.rnc)");
    };
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
