//! Turning fetched feed and API bytes into normalised [`Item`]s, with no IO: [`parse_feed`]
//! (RSS/Atom), [`parse_apple`] and [`parse_spotify_page`] are the entry points ([`feed_links`]
//! reads a feed's WebSub hub, own URL and tombstones), [`ParseError`]
//! says what was wrong with a body, and the dedupe identity rule (guid, else link, else a hash
//! of title and date; a link without its tracking parameters, see `link_id`) lives here.
//!
//! - `feed`: decoding to UTF-8 and telling RSS from Atom by the root element.
//! - `rss_feed` / `atom_feed`: normalising each format into items.
//! - `dates`: lenient dates and `itunes:duration`s.
//! - `podcasting`: the Podcasting 2.0 elements of RSS items (chapters, transcripts, persons).
//! - `chapters` / `toc`: chapter lists from JSON Chapters files and from descriptions.
//! - `transcript`: transcripts (JSON, WebVTT, SRT, HTML, plain text) as speaker paragraphs.
//! - `apple` / `spotify`: the iTunes lookup and Spotify Web API JSON, with `json` holding
//!   what they share.
//! - `show`: what a feed or an API answer says about the show itself (for `add`).

mod apple;
mod atom_feed;
mod chapters;
mod dates;
mod depth;
mod dtd;
mod feed;
mod json;
mod link_id;
mod links;
mod podcasting;
mod rss_feed;
mod show;
mod spotify;
mod toc;
mod transcript;

pub use apple::parse_apple;
pub use chapters::{MAX_CHAPTERS, description_chapters, parse_chapters};
pub use dates::{MAX_FUTURE_DAYS, plausible_at};
pub use depth::MAX_DEPTH;
pub use dtd::MAX_EXPANSION_BYTES;
pub use link_id::link_id;
pub use links::{FeedLinks, feed_head, feed_links};
pub use show::{ApiShow, FeedShow, parse_apple_show, parse_feed_show, parse_spotify_show};
pub use spotify::{SpotifyPage, Token, page_is_known, parse_spotify_page, parse_token};
pub use transcript::{Paragraph, TranscriptFormat, best_transcript, parse_transcript};

use std::collections::HashSet;

use crate::model::{Item, Platform};

/// Why a fetched body could not be read as a feed. The messages are meant to follow a prefix
/// naming the channel and URL, e.g. `mlst youtube: https://…: not a feed (got an HTML page)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The body was empty or only whitespace.
    #[error("empty body")]
    Empty,
    /// The body is something other than an RSS or Atom feed; the text says what it is.
    #[error("not a feed (got {0})")]
    NotAFeed(String),
    /// The XML prolog declares an encoding we do not know.
    #[error("unsupported character encoding {0:?} declared in the XML prolog")]
    Encoding(String),
    /// The XML is broken (truncated, unclosed or mismatched tags, bad dates in Atom, …).
    #[error("malformed feed XML: {0}")]
    Malformed(String),
    /// Elements nest deeper than the limit ([`MAX_DEPTH`]); the parsers would recurse that deep.
    #[error("feed nested deeper than {0} elements")]
    TooDeep(usize),
    /// A JSON API body that is not the JSON we expect (syntax, shape, or an HTML page).
    #[error("invalid JSON: {0}")]
    Json(String),
    /// A transcript file with nothing readable in its format; the text says what was wrong.
    #[error("not a readable transcript: {0}")]
    Transcript(String),
}

impl ParseError {
    /// Whether the body was a web page: a page URL where a feed or API URL belongs.
    pub fn is_web_page(&self) -> bool {
        match self {
            ParseError::NotAFeed(what) => what == feed::HTML_PAGE,
            ParseError::Json(what) => what == json::MARKUP,
            ParseError::Empty
            | ParseError::Encoding(_)
            | ParseError::Malformed(_)
            | ParseError::TooDeep(_)
            | ParseError::Transcript(_) => false,
        }
    }
}

/// Parses an RSS 2.0 / RSS 1.0 (RDF) / Atom 1.0 body into items, whatever `platform` the URL
/// was configured under; the format is told by the root element. An internal DTD subset's
/// entities are expanded (bounded, never external), and a document nested deeper than
/// [`MAX_DEPTH`] is refused before it reaches the recursive parsers.
///
/// Every item gets `platform`, `DatePrecision::Exact` and no `podcast_guid`. Items are in
/// feed order, and when several share a `platform_id` only the first is kept.
pub fn parse_feed(bytes: &[u8], platform: Platform) -> Result<Vec<Item>, ParseError> {
    let (format, text) = prepare(bytes)?;
    let items = match format {
        feed::Format::Rss => rss_feed::items(&text, platform)?,
        feed::Format::Atom => atom_feed::items(&text, platform)?,
    };
    Ok(dedupe(items))
}

/// A feed's text, ready for the parsers: decoded, its DTD entities expanded, its format told
/// and its depth checked.
fn prepare(bytes: &[u8]) -> Result<(feed::Format, String), ParseError> {
    let decoded = feed::decode(bytes)?;
    let text = dtd::expand(&decoded)?;
    let format = feed::detect(&text)?;
    depth::check(&text)?;
    Ok((format, text.into_owned()))
}

/// The most upstream HTML kept of one item's description, in bytes; longer show notes are
/// cut at a character boundary. Every later step (plain text, sanitising for feeds) runs
/// html5ever, whose serialiser is quadratic in the `&`s of one long text node, so a hostile
/// megabyte description would otherwise stall a sync for minutes.
pub const MAX_DESCRIPTION_BYTES: usize = 64 * 1024;

/// Keeps the first item of each `platform_id`, and at most [`MAX_DESCRIPTION_BYTES`] of each
/// description; a description nested deeper than [`depth::MAX_HTML_DEPTH`] is kept as plain
/// text (logged), since every later HTML step would spend time quadratic in its depth.
fn dedupe(items: Vec<Item>) -> Vec<Item> {
    let mut seen = HashSet::new();
    let mut items: Vec<Item> =
        items.into_iter().filter(|item| seen.insert(item.platform_id.clone())).collect();
    for item in &mut items {
        let html = &mut item.description_html;
        if html.len() > MAX_DESCRIPTION_BYTES {
            let end = (0..=MAX_DESCRIPTION_BYTES).rev().find(|&i| html.is_char_boundary(i)).unwrap_or(0);
            html.truncate(end);
        }
        if depth::html_too_deep(html) {
            tracing::warn!(
                "the description of {} nests HTML deeper than {} elements; kept as plain text",
                item.platform_id,
                depth::MAX_HTML_DEPTH
            );
            *html = depth::flatten_html(html);
        }
    }
    items
}

/// The id of an item that has neither a guid/id nor a link: `sha256:` followed by the first
/// 32 hex digits of SHA-256 over `title + "\n" + raw_date`, where `title` is trimmed and
/// `raw_date` is the RSS date string as the feed wrote it (trimmed; empty when absent). Stable
/// across runs and processes, so it can be deduped on.
fn hashed_id(title: &str, raw_date: &str) -> String {
    let hex = crate::hash::hash_hex(format!("{title}\n{raw_date}").as_bytes());
    format!("sha256:{}", &hex[..32])
}

/// Text on one line: control characters (line breaks too) become spaces, runs of whitespace
/// one space, trimmed.
fn one_line(raw: &str) -> String {
    let visible: String = raw.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    crate::html::collapse_whitespace(&visible)
}

/// The trimmed text, or `None` when it is absent or blank.
fn non_blank(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: [&[u8]; 8] = [
        include_bytes!("../../tests/fixtures/youtube.xml"),
        include_bytes!("../../tests/fixtures/podcast.xml"),
        include_bytes!("../../tests/fixtures/blog-rss.xml"),
        include_bytes!("../../tests/fixtures/blog-atom.xml"),
        include_bytes!("../../tests/fixtures/latin1.xml"),
        include_bytes!("../../tests/fixtures/not-a-feed.html"),
        include_bytes!("../../tests/fixtures/malformed.xml"),
        b"",
    ];

    fn error_of(bytes: &[u8]) -> ParseError {
        parse_feed(bytes, Platform::Feed).expect_err("should not parse")
    }

    #[test]
    fn rejects_bodies_that_are_not_feeds() {
        assert_eq!(error_of(b""), ParseError::Empty);
        assert_eq!(error_of(b" \n\t "), ParseError::Empty);
        assert_eq!(error_of(FIXTURES[5]).to_string(), "not a feed (got an HTML page)");
        let unclosed_tags = format!("<html><head>{}</head></html>", "<meta charset=utf-8><br>".repeat(200));
        assert_eq!(error_of(unclosed_tags.as_bytes()).to_string(), "not a feed (got an HTML page)");
        assert!(matches!(error_of(FIXTURES[6]), ParseError::Malformed(_)));
        let unknown = error_of(b"<?xml version='1.0' encoding='x-klingon'?><rss/>");
        assert_eq!(
            unknown.to_string(),
            r#"unsupported character encoding "x-klingon" declared in the XML prolog"#
        );
    }

    #[test]
    fn truncated_rss_is_malformed() {
        let cut = &FIXTURES[1][..FIXTURES[1].len() / 2];
        let message = error_of(cut).to_string();
        assert!(message.starts_with("malformed feed XML: "), "{message}");
    }

    #[test]
    fn feed_format_wins_over_configured_platform() {
        let items = parse_feed(FIXTURES[0], Platform::Podcast).unwrap();
        assert_eq!(items.len(), 4);
        assert!(items.iter().all(|i| i.platform == Platform::Podcast));
    }

    #[test]
    fn duplicate_ids_keep_the_first_item() {
        let items = parse_feed(FIXTURES[2], Platform::Feed).unwrap();
        let firsts: Vec<_> = items.iter().filter(|i| i.platform_id.ends_with("?p=311")).collect();
        assert_eq!(firsts.len(), 1);
        assert_eq!(firsts[0].title, "Parsing sloppy dates");
    }

    #[test]
    fn descriptions_are_cut_at_the_limit_on_a_char_boundary() {
        let notes = "é&amp;".repeat(MAX_DESCRIPTION_BYTES / 2);
        let feed = format!(
            "<rss><channel><item><guid>g</guid><description>{notes}</description></item></channel></rss>"
        );
        let notes = notes.replace("&amp;", "&");
        let items = parse_feed(feed.as_bytes(), Platform::Podcast).unwrap();
        let kept = &items[0].description_html;
        assert!(
            kept.len() <= MAX_DESCRIPTION_BYTES && kept.len() > MAX_DESCRIPTION_BYTES - 4,
            "{}",
            kept.len()
        );
        assert!(notes.starts_with(kept.as_str()));
    }

    fn deep(levels: usize, open: &str, close: &str) -> String {
        format!("{}{}", open.repeat(levels), close.repeat(levels))
    }

    #[test]
    fn feeds_nested_100000_deep_fail_cleanly() {
        let rss = format!("<rss><channel><item>{}</item></channel></rss>", deep(100_000, "<x:a>", "</x:a>"));
        let atom = format!("<feed><entry>{}</entry></feed>", deep(100_000, "<x:a>", "</x:a>"));
        let unclosed = format!("<feed><entry><content type=\"xhtml\">{}", "<div>".repeat(100_000));
        for feed in [rss, atom, unclosed] {
            let error = error_of(feed.as_bytes());
            assert_eq!(error, ParseError::TooDeep(MAX_DEPTH));
            assert_eq!(error.to_string(), "feed nested deeper than 128 elements");
        }
    }

    #[test]
    fn a_description_nested_100000_deep_is_kept_as_text() {
        let html = html_escape::encode_text(&deep(100_000, "<div>x", "</div>")).into_owned();
        let feed = format!(
            "<rss><channel><item><guid>g</guid><description>{html}</description></item></channel></rss>"
        );
        let items = parse_feed(feed.as_bytes(), Platform::Podcast).unwrap();
        let kept = &items[0].description_html;
        assert!(!kept.contains('<') && kept.contains(" x x ") && kept.len() <= MAX_DESCRIPTION_BYTES);
    }

    #[test]
    fn an_internal_dtd_subset_is_expanded_not_refused() {
        let feed = br#"<?xml version="1.0"?>
            <!DOCTYPE rss [ <!ENTITY show "Street &amp; Talk"> <!ENTITY ext SYSTEM "file:///etc/hostname"> ]>
            <rss><channel><item><guid>g</guid><title>&show; #1&ext;</title></item></channel></rss>"#;
        let items = parse_feed(feed, Platform::Podcast).unwrap();
        assert_eq!(items[0].title, "Street & Talk #1");
    }

    #[test]
    fn hashed_id_is_stable_and_documented_shape() {
        let id = hashed_id("A title", "Sat, 15 Nov 2025 08:00:00 GMT");
        assert_eq!(id, hashed_id("A title", "Sat, 15 Nov 2025 08:00:00 GMT"));
        assert_ne!(id, hashed_id("A title", ""));
        assert_eq!(id.len(), "sha256:".len() + 32);
        assert_eq!(hashed_id("", ""), "sha256:01ba4719c80b6fe911b091a7c05124b6");
    }

    /// A tiny xorshift generator, so the "random" inputs are the same on every run.
    pub(super) fn pseudo_random_bytes(seed: u64, len: usize) -> Vec<u8> {
        let mut state = seed;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[0]
            })
            .collect()
    }

    #[test]
    fn never_panics_on_truncated_or_random_input() {
        for fixture in FIXTURES {
            for end in (0..fixture.len()).step_by(17) {
                let _ = parse_feed(&fixture[..end], Platform::Youtube);
            }
            for seed in 1..40u64 {
                let mut mutated = fixture.to_vec();
                for (i, byte) in pseudo_random_bytes(seed, 8).into_iter().enumerate() {
                    if let Some(slot) =
                        mutated.get_mut((seed as usize * 131 + i * 977) % fixture.len().max(1))
                    {
                        *slot = byte;
                    }
                }
                let _ = parse_feed(&mutated, Platform::Podcast);
            }
        }
        for seed in 1..200u64 {
            let _ = parse_feed(&pseudo_random_bytes(seed, 300), Platform::Feed);
            let mut xmlish = b"<?xml version=\"1.0\"?><rss><channel><item>".to_vec();
            xmlish.extend(pseudo_random_bytes(seed, 200));
            let _ = parse_feed(&xmlish, Platform::Feed);
        }
    }
}
