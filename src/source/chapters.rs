//! Chapters, from the two places shows publish them: a Podcasting 2.0 JSON Chapters file
//! ([`parse_chapters`], the `podcast:chapters` of an item) and the table of contents at the
//! top of a YouTube description ([`description_chapters`], in `toc`). Both give at most
//! [`MAX_CHAPTERS`] chapters in increasing start order, titles on one line of at most
//! [`MAX_TITLE_CHARS`] characters. Pure: no IO.

use serde::{Deserialize, Deserializer};

use super::json::{Detail, first_lenient, from_json, lenient, media_secs};
use super::podcasting::http_url;
use super::{ParseError, one_line};
use crate::model::Chapter;

pub use super::toc::description_chapters;

/// The most chapters kept of one file or description.
pub const MAX_CHAPTERS: usize = 500;
/// The longest chapter title kept, in characters; longer ones are cut and end in `…`.
pub const MAX_TITLE_CHARS: usize = 200;

/// A JSON Chapters file (version 1.x): only what a chapter list needs.
#[derive(Deserialize)]
struct ChaptersFile {
    #[serde(deserialize_with = "chapter_list")]
    chapters: Vec<Option<RawChapter>>,
}

#[derive(Deserialize)]
struct RawChapter {
    #[serde(rename = "startTime", default, deserialize_with = "lenient")]
    start_time: Option<f64>,
    #[serde(default, deserialize_with = "lenient")]
    title: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    url: Option<String>,
    /// `false` marks a chapter that is not part of the table of contents.
    #[serde(default, deserialize_with = "lenient")]
    toc: Option<bool>,
}

fn chapter_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Option<RawChapter>>, D::Error> {
    first_lenient(deserializer, MAX_CHAPTERS)
}

/// The table of contents of a JSON Chapters file: chapters with a start time and a title,
/// not marked `"toc": false`, sorted by start (one per start time); a chapter's `url` is kept
/// when it is http(s). A body that is not such a file is an error.
pub fn parse_chapters(bytes: &[u8]) -> Result<Vec<Chapter>, ParseError> {
    let file: ChaptersFile = from_json(bytes, Detail::Full)?;
    let chapters = file.chapters.into_iter().flatten().filter(|c| c.toc != Some(false));
    let mut chapters: Vec<Chapter> = chapters
        .filter_map(|raw| {
            Some(Chapter {
                start_secs: media_secs(raw.start_time?)?,
                title: chapter_title(&raw.title?)?,
                url: raw.url.as_deref().and_then(http_url),
            })
        })
        .collect();
    chapters.sort_by_key(|c| c.start_secs);
    chapters.dedup_by_key(|c| c.start_secs);
    Ok(chapters)
}

/// A chapter title on one line without control characters, cut to [`MAX_TITLE_CHARS`];
/// `None` when nothing readable is left.
pub(super) fn chapter_title(raw: &str) -> Option<String> {
    let title = one_line(raw);
    if !title.chars().any(char::is_alphanumeric) {
        return None;
    }
    if title.chars().count() <= MAX_TITLE_CHARS {
        return Some(title);
    }
    let mut cut: String = title.chars().take(MAX_TITLE_CHARS - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    Some(cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts_and_titles(bytes: &[u8]) -> Vec<(u64, String)> {
        parse_chapters(bytes).unwrap().into_iter().map(|c| (c.start_secs, c.title)).collect()
    }

    #[test]
    fn reads_a_json_chapters_file() {
        let json = br#"{"version": "1.2.0", "chapters": [
            {"startTime": 0, "title": "Intro", "img": "https://x.example/1.jpg"},
            {"startTime": 252.7, "title": "Why transformers\ngot stuck", "url": "https://arxiv.org/abs/1706.03762"},
            {"startTime": 1900, "title": "Hidden", "toc": false},
            {"startTime": 1300, "title": "Out of order"},
            {"startTime": 3723.0, "title": "Neurons that keep time", "url": "javascript:alert(1)"}
        ]}"#;
        let chapters = parse_chapters(json).unwrap();
        let expected = [
            (0, "Intro"),
            (252, "Why transformers got stuck"),
            (1300, "Out of order"),
            (3723, "Neurons that keep time"),
        ];
        let got: Vec<_> = chapters.iter().map(|c| (c.start_secs, c.title.as_str())).collect();
        assert_eq!(got, expected);
        assert_eq!(chapters[1].url.as_deref(), Some("https://arxiv.org/abs/1706.03762"));
        assert_eq!(chapters[3].url, None);
    }

    #[test]
    fn hostile_chapters_are_dropped_one_by_one() {
        let long = "x".repeat(5000);
        let json = format!(
            r#"{{"chapters": [{{"startTime": -5, "title": "neg"}}, {{"startTime": 1e308, "title": "far"}},
            {{"startTime": "10", "title": "string"}}, {{"title": "no start"}}, {{"startTime": 3}},
            {{"startTime": 4, "title": "\u0000\u0007 "}}, 42, null, {{"startTime": 5, "title": [1]}},
            {{"startTime": 6, "title": "{long}"}}, {{"startTime": 6, "title": "same start"}},
            {{"startTime": 7, "title": "ok"}}]}}"#
        );
        let got = starts_and_titles(json.as_bytes());
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].1.chars().count(), MAX_TITLE_CHARS);
        assert!(got[0].1.ends_with('…'));
        assert_eq!(got[1], (7, "ok".to_owned()));
    }

    #[test]
    fn counts_are_bounded_and_wrong_bodies_are_errors() {
        let many: Vec<String> =
            (0..100_000).map(|i| format!(r#"{{"startTime": {i}, "title": "c{i}"}}"#)).collect();
        let json = format!(r#"{{"chapters": [{}]}}"#, many.join(","));
        assert_eq!(parse_chapters(json.as_bytes()).unwrap().len(), MAX_CHAPTERS);
        assert!(matches!(parse_chapters(b"<html>nope</html>"), Err(ParseError::Json(_))));
        assert!(matches!(parse_chapters(b"{\"version\": \"1.2.0\"}"), Err(ParseError::Json(_))));
        assert_eq!(parse_chapters(b""), Err(ParseError::Empty));
        let deep = format!(r#"{{"chapters": [{}{}]}}"#, "[".repeat(10_000), "]".repeat(10_000));
        let error = parse_chapters(deep.as_bytes()).unwrap_err().to_string();
        assert!(error.contains("recursion limit exceeded"), "{error}");
    }
}
