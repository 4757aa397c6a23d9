use proptest::prelude::*;

use super::*;
use crate::model::{Chapter, Person, Podcasting, TranscriptLink};
use crate::store::tests::{episode, item};

/// An episode with every optional field set, on every platform, in every stub state's shape.
fn full(stub: StubState) -> Episode {
    let copies = Platform::ALL
        .into_iter()
        .enumerate()
        .map(|(n, platform)| Item {
            link: Some(format!("https://example.com/{n}?a=\"b\"&c")),
            published: Some(DateTime::from_timestamp(-86_400 * n as i64 + 17, 123_456_789).unwrap()),
            precision: if n % 2 == 0 { DatePrecision::Exact } else { DatePrecision::Day },
            description_html: "<p>Show notes — 節目</p>".repeat(n + 1),
            thumbnail: Some("https://i.example/t.jpg".into()),
            enclosure: Some(Enclosure {
                url: "https://cdn.example/a.mp3".into(),
                mime_type: "audio/mpeg".into(),
                length: (n > 0).then_some(u64::MAX - n as u64),
            }),
            duration_secs: Some(5025),
            is_short: n == 0,
            podcast_guid: Some("guid-1".into()),
            podcasting: podcasting(n),
            ..item(platform, &format!("id-{n}"))
        })
        .collect();
    Episode { stub, ..episode("mlst", copies) }
}

/// Podcasting 2.0 elements, every optional field set on odd `n` and none on even ones.
fn podcasting(n: usize) -> Podcasting {
    let some = |text: &str| (n % 2 == 1).then(|| text.to_owned());
    Podcasting {
        chapters_url: some("https://example.com/chapters.json"),
        chapters: (0..n as u64)
            .map(|c| Chapter {
                start_secs: c * 600,
                title: format!("Part {c} — 章"),
                url: some("https://x.example/"),
            })
            .collect(),
        transcripts: vec![TranscriptLink {
            url: "https://example.com/t.vtt".into(),
            mime_type: "text/vtt".into(),
            language: some("en"),
            rel: some("captions"),
        }],
        persons: vec![Person {
            name: "Ada Lovelace".into(),
            role: "guest".into(),
            group: "cast".into(),
            href: some("https://ada.example/"),
            img: some("https://ada.example/a.jpg"),
        }],
    }
}

#[test]
fn every_field_and_stub_state_round_trips() {
    let states = [
        StubState::Skipped,
        StubState::Written { path: "a.md".into(), hash: "h".into() },
        StubState::Edited { path: "b.md".into(), pending: vec!["{{< x >}}".into(), String::new()] },
        StubState::Deleted { path: "c.md".into() },
    ];
    for stub in states {
        let original = full(stub);
        let raw = encode(&original);
        assert_eq!(raw[0], FORMAT_V1);
        assert_eq!(decode(&raw).unwrap(), original);
        let json = serde_json::to_vec(&original).unwrap();
        assert!(raw.len() < json.len(), "compact: {} bytes against JSON's {}", raw.len(), json.len());
    }
}

#[test]
fn records_written_as_json_by_schema_1_still_load() {
    let original = full(StubState::Written { path: "a.md".into(), hash: "h".into() });
    let json = serde_json::to_vec(&original).unwrap();
    assert_eq!(decode(&json).unwrap(), original);
}

#[test]
fn a_cut_or_padded_record_is_corrupt_not_a_panic() {
    let raw = encode(&full(StubState::Skipped));
    for end in 0..raw.len() {
        assert!(matches!(decode(&raw[..end]), Err(StoreError::Corrupt(_))), "cut at {end}");
    }
    let mut padded = raw.clone();
    padded.push(0);
    assert!(matches!(decode(&padded), Err(StoreError::Corrupt(_))));
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut raw = vec![FORMAT_V1];
        raw.extend(tail);
        let _ = decode(&raw);
    }

    #[test]
    fn arbitrary_text_round_trips(title in ".*", notes in ".*", secs in -8_000_000_000i64..8_000_000_000) {
        let mut copy = item(Platform::Podcast, "g");
        copy.title = title;
        copy.description_html = notes;
        copy.published = DateTime::from_timestamp(secs, 0);
        let original = episode("mlst", vec![copy]);
        prop_assert_eq!(decode(&encode(&original)).unwrap(), original);
    }
}
