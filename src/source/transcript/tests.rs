use super::*;

fn link(mime_type: &str, url: &str) -> TranscriptLink {
    TranscriptLink { url: url.to_owned(), mime_type: mime_type.to_owned(), language: None, rel: None }
}

fn paragraph(start_secs: Option<u64>, speaker: Option<&str>, text: &str) -> Paragraph {
    Paragraph { start_secs, speaker: speaker.map(str::to_owned), text: text.to_owned() }
}

#[test]
fn the_richest_readable_format_wins_then_feed_order() {
    let links = [
        link("text/plain", "https://x/t.txt"),
        link("application/x-subrip", "https://x/t.srt"),
        link("application/pdf", "https://x/t.pdf"),
        link("text/vtt", "https://x/a.vtt"),
        link("text/vtt", "https://x/b.vtt"),
        link("text/html", "https://x/t.html"),
    ];
    let (best, format) = best_transcript(&links).unwrap();
    assert_eq!((best.url.as_str(), format), ("https://x/a.vtt", TranscriptFormat::Vtt));
    let mut with_json = links.to_vec();
    with_json.push(link("application/json", "https://x/t.json"));
    assert_eq!(best_transcript(&with_json).unwrap().1, TranscriptFormat::Json);
    assert_eq!(best_transcript(&[link("application/pdf", "https://x/t.pdf")]), None);
    assert_eq!(best_transcript(&[]), None);
}

#[test]
fn cues_of_one_speaker_merge_into_paragraphs() {
    let vtt = "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Tim>Welcome back.\n\n00:02.000 --> 00:04.000\n<v Tim>Today: Llion.\n\n\
        00:04.000 --> 00:06.000\n<v Llion>Thanks.\n\n00:06.000 --> 00:08.000\n<v Llion>Thanks.\n\n\
        00:08.000 --> 00:09.000\n<v Llion>Glad to be here\n\n00:09.500 --> 00:10.000\n\n";
    let paragraphs = parse_transcript(vtt.as_bytes(), TranscriptFormat::Vtt).unwrap();
    assert_eq!(
        paragraphs,
        [
            paragraph(Some(0), Some("Tim"), "Welcome back. Today: Llion."),
            paragraph(Some(4), Some("Llion"), "Thanks. Glad to be here"),
        ]
    );
}

#[test]
fn a_long_monologue_breaks_at_a_sentence_after_a_minute() {
    let cues: String = (0..30)
        .map(|i| format!("{} --> {}\nSentence {i}.\n\n", vtt_time(i * 5), vtt_time(i * 5 + 5)))
        .collect();
    let paragraphs = parse_transcript(cues.as_bytes(), TranscriptFormat::Srt).unwrap();
    let starts: Vec<_> = paragraphs.iter().map(|p| p.start_secs).collect();
    assert_eq!(starts, [Some(0), Some(60), Some(120)]);
    let run_on =
        format!("00:00.000 --> 00:01.000\n{}\n\n00:02.000 --> 00:03.000\nmore\n", "word ".repeat(700));
    assert_eq!(parse_transcript(run_on.as_bytes(), TranscriptFormat::Vtt).unwrap().len(), 2);
}

fn vtt_time(secs: u64) -> String {
    format!("00:{:02}:{:02}.000", secs / 60, secs % 60)
}

#[test]
fn json_segments_merge_word_by_word() {
    let json = br#"{"version": "1.0.0", "segments": [
        {"speaker": "Tim", "startTime": 0.0, "body": "Hello"}, {"speaker": "Tim", "startTime": 0.4, "body": "there."},
        {"speaker": "Llion", "startTime": 1.2, "body": "Hi"}]}"#;
    assert_eq!(
        parse_transcript(json, TranscriptFormat::Json).unwrap(),
        [paragraph(Some(0), Some("Tim"), "Hello there."), paragraph(Some(1), Some("Llion"), "Hi")]
    );
}

#[test]
fn html_is_made_plain_safely() {
    let html = b"<html><body><cite>Kevin:</cite>\n<time>0:00</time>\n<p>Hello &amp; <b>welcome</b>.</p>\
        <script>alert(1)</script><cite>Jane:</cite><time>0:12</time><p>Hi <img src=x onerror=alert(1)>Kevin.</p></body></html>";
    assert_eq!(
        parse_transcript(html, TranscriptFormat::Html).unwrap(),
        [
            paragraph(Some(0), Some("Kevin"), "Hello & welcome."),
            paragraph(Some(12), Some("Jane"), "Hi Kevin.")
        ]
    );
}

#[test]
fn bodies_with_nothing_readable_are_errors() {
    assert_eq!(parse_transcript(b"", TranscriptFormat::Vtt), Err(ParseError::Empty));
    assert_eq!(parse_transcript(b"\xEF\xBB\xBF \r\n", TranscriptFormat::Text), Err(ParseError::Empty));
    let page = b"<!DOCTYPE html><html><body>Not found</body></html>";
    let error = parse_transcript(page, TranscriptFormat::Vtt).unwrap_err();
    assert_eq!(error.to_string(), "not a readable transcript: no WebVTT text in it");
    assert!(matches!(parse_transcript(page, TranscriptFormat::Json), Err(ParseError::Json(_))));
    assert!(parse_transcript(b"<p><script>x</script></p>", TranscriptFormat::Html).is_err());
}

#[test]
fn crlf_bom_and_invalid_utf8_are_read() {
    let srt = b"\xEF\xBB\xBF1\r\n00:00:01,000 --> 00:00:02,000\r\nCaf\xe9 ok\r\n";
    assert_eq!(
        parse_transcript(srt, TranscriptFormat::Srt).unwrap(),
        [paragraph(Some(1), None, "Caf\u{FFFD} ok")]
    );
}

/// Deterministic noise made of the characters the transcript formats care about.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    const ALPHABET: &[u8] = b"0123456789:.,-> <v>\n\r&;WEBVTT{}\"[]";
    let bytes = crate::source::tests::pseudo_random_bytes(seed, len);
    bytes.into_iter().map(|byte| ALPHABET[usize::from(byte) % ALPHABET.len()]).collect()
}

#[test]
fn never_panics_on_hostile_bytes() {
    let formats = [
        TranscriptFormat::Json,
        TranscriptFormat::Vtt,
        TranscriptFormat::Srt,
        TranscriptFormat::Html,
        TranscriptFormat::Text,
    ];
    for seed in 1..300u64 {
        let bytes = noise(seed, 400);
        for format in formats {
            if let Ok(paragraphs) = parse_transcript(&bytes, format) {
                assert!(paragraphs.iter().all(|p| !p.text.is_empty() && !p.text.contains('\n')));
            }
        }
    }
}
