//! Chapters and transcripts: the first byte picks what the rest is read as (a JSON Chapters
//! file, a description's table of contents, or a transcript in one of the five formats); a
//! transcript read is rendered as `transcript.md`, which must hold no live shortcode.
#![no_main]

use libfuzzer_sys::fuzz_target;
use syndicator::model::{Language, TranscriptLink};
use syndicator::source::{TranscriptFormat, description_chapters, parse_chapters, parse_transcript};
use syndicator::stub::render_transcript;

const FORMATS: [TranscriptFormat; 5] = [
    TranscriptFormat::Json,
    TranscriptFormat::Vtt,
    TranscriptFormat::Srt,
    TranscriptFormat::Html,
    TranscriptFormat::Text,
];

fuzz_target!(|data: &[u8]| {
    let Some((first, bytes)) = data.split_first() else { return };
    match usize::from(*first) % 7 {
        0 => drop(parse_chapters(bytes)),
        1 => drop(description_chapters(&String::from_utf8_lossy(bytes))),
        n => {
            let format = FORMATS[n - 2];
            let Ok(paragraphs) = parse_transcript(bytes, format) else { return };
            let source = TranscriptLink {
                url: "https://x.example/t".into(),
                mime_type: "text/vtt".into(),
                language: None,
                rel: None,
            };
            let text = render_transcript("t", &source, format, &paragraphs, Language::En);
            assert!(!text.contains("{{<") && !text.contains("{{%"), "a live shortcode: {text}");
        }
    }
});
