//! Transcripts a show publishes with `podcast:transcript`, read into paragraphs: who speaks,
//! from when, what. [`best_transcript`] picks the richest format an item offers (JSON >
//! WebVTT > SRT > HTML > plain text); [`parse_transcript`] reads it:
//!
//! - `timed`: WebVTT and SRT cues (`<v Speaker>` voice tags give the speaker, other tags are
//!   dropped, entities decoded);
//! - `segments`: JSON `segments[]` with `speaker`, `startTime` and `body`;
//! - `prose`: HTML (made plain by [`crate::html`]) and plain text, whose paragraphs may be
//!   headed by a `Speaker:` label or a time line.
//!
//! Timed cues of one speaker in a row are merged into one paragraph, which starts afresh at a
//! sentence end once it spans [`PARAGRAPH_SECS`], and in any case past [`MAX_PARAGRAPH_CHARS`].
//! Bounded: at most [`MAX_CUES`] cues are read, speaker names of more than
//! [`MAX_SPEAKER_CHARS`] characters are dropped. Pure: no IO.

mod prose;
mod segments;
mod timed;

use super::dates::parse_duration;
use super::json::MAX_MEDIA_SECS;
use super::{ParseError, one_line};
use crate::model::TranscriptLink;

/// The most cues (or JSON segments) read from one transcript; the rest is left out.
pub const MAX_CUES: usize = 100_000;
/// The longest speaker name kept, in characters.
pub const MAX_SPEAKER_CHARS: usize = 100;
/// How long one speaker's paragraph runs before the next sentence starts a new one.
pub const PARAGRAPH_SECS: u64 = 60;
/// The longest paragraph, in bytes, before a new one starts whatever the sentence.
pub const MAX_PARAGRAPH_CHARS: usize = 3000;

/// A transcript format syndicator reads, in order of preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TranscriptFormat {
    Json,
    Vtt,
    Srt,
    Html,
    Text,
}

impl TranscriptFormat {
    /// The format of a `podcast:transcript` `type`; `None` for one we cannot read.
    pub fn of(mime_type: &str) -> Option<TranscriptFormat> {
        match mime_type {
            "application/json" => Some(TranscriptFormat::Json),
            "text/vtt" => Some(TranscriptFormat::Vtt),
            "application/x-subrip" | "application/srt" | "text/srt" | "text/x-srt" => {
                Some(TranscriptFormat::Srt)
            }
            "text/html" => Some(TranscriptFormat::Html),
            "text/plain" => Some(TranscriptFormat::Text),
            _ => None,
        }
    }

    /// The format's name, for the transcript's header and logs.
    pub fn name(self) -> &'static str {
        match self {
            TranscriptFormat::Json => "JSON",
            TranscriptFormat::Vtt => "WebVTT",
            TranscriptFormat::Srt => "SRT",
            TranscriptFormat::Html => "HTML",
            TranscriptFormat::Text => "plain text",
        }
    }
}

/// The transcript of `links` in the most preferred format (the first of those in feed order).
pub fn best_transcript(links: &[TranscriptLink]) -> Option<(&TranscriptLink, TranscriptFormat)> {
    let readable = links.iter().filter_map(|link| Some((link, TranscriptFormat::of(&link.mime_type)?)));
    readable.min_by_key(|(_, format)| *format)
}

/// One paragraph of a transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// When it starts, in seconds, when the format says.
    pub start_secs: Option<u64>,
    /// Who speaks, when the format says.
    pub speaker: Option<String>,
    /// What is said, on one line.
    pub text: String,
}

/// The paragraphs of a transcript body in `format`; an error when nothing readable is in it.
pub fn parse_transcript(bytes: &[u8], format: TranscriptFormat) -> Result<Vec<Paragraph>, ParseError> {
    let text = decode(bytes);
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let paragraphs = match format {
        TranscriptFormat::Json => merge(segments::cues(bytes)?),
        TranscriptFormat::Vtt | TranscriptFormat::Srt => merge(timed::cues(&text)),
        TranscriptFormat::Html => prose::paragraphs(&crate::html::plain_text_of_document(&text)),
        TranscriptFormat::Text => prose::paragraphs(&text),
    };
    match paragraphs.is_empty() {
        true => Err(ParseError::Transcript(format!("no {} text in it", format.name()))),
        false => Ok(paragraphs),
    }
}

/// UTF-8 text without a BOM, invalid sequences replaced, line ends made `\n`.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).replace("\r\n", "\n").replace('\r', "\n")
}

/// One timed piece of a transcript, before merging.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cue {
    start_secs: Option<u64>,
    speaker: Option<String>,
    text: String,
}

/// Cues merged into paragraphs: see the module docs. Empty cues and a cue repeating the one
/// before it (rolling captions) are left out.
fn merge(cues: Vec<Cue>) -> Vec<Paragraph> {
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut previous = String::new();
    for cue in cues {
        if cue.text.is_empty() || cue.text == previous {
            continue;
        }
        match paragraphs.last_mut().filter(|last| continues(last, &cue)) {
            Some(last) => {
                last.text.push(' ');
                last.text.push_str(&cue.text);
            }
            None => paragraphs.push(Paragraph {
                start_secs: cue.start_secs,
                speaker: cue.speaker,
                text: cue.text.clone(),
            }),
        }
        previous = cue.text;
    }
    paragraphs
}

/// Whether `cue` goes on in the paragraph `last`.
fn continues(last: &Paragraph, cue: &Cue) -> bool {
    let long_enough = match (last.start_secs, cue.start_secs) {
        (Some(from), Some(now)) => now.saturating_sub(from) >= PARAGRAPH_SECS,
        _ => false,
    };
    let sentence_ended = last.text.ends_with(['.', '?', '!', '。', '？', '！', '…']);
    last.speaker == cue.speaker && last.text.len() < MAX_PARAGRAPH_CHARS && !(long_enough && sentence_ended)
}

/// A time written `h:mm:ss` or `m:ss` (a fraction dropped) in seconds, when it is at most
/// [`MAX_MEDIA_SECS`].
fn clock(time: &str) -> Option<u64> {
    parse_duration(time).filter(|secs| *secs as f64 <= MAX_MEDIA_SECS)
}

/// A speaker name on one line, when it is not blank and not longer than
/// [`MAX_SPEAKER_CHARS`].
fn speaker(raw: &str) -> Option<String> {
    let name = one_line(raw);
    let name = name.trim_end_matches(':').trim_end();
    (!name.is_empty() && name.chars().count() <= MAX_SPEAKER_CHARS).then(|| name.to_owned())
}

#[cfg(test)]
mod tests;
