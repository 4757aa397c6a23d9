//! HTML reduced for where it goes, in one place (the only ammonia code): plain text for stub
//! bodies, front-matter summaries, JSON Feed and HTML transcripts; an allowlist for upstream show notes in the
//! channels feeds; the blog's own pages with http(s) links only. Pure: no IO.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

/// Tags kept in upstream descriptions.
const TAGS: &[&str] =
    &["a", "b", "strong", "i", "em", "u", "p", "br", "ul", "ol", "li", "blockquote", "code", "pre", "img"];

/// `<br>` and `</li>`, which end a line.
static LINE_TAGS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<br\s*/?>|</li\s*>").expect("line tag pattern"));
/// Closing paragraph, division and heading tags, which end a paragraph.
static PARAGRAPH_TAGS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)</(?:p|div|h[1-6])\s*>").expect("paragraph tag pattern"));
/// The text of an HTML fragment: tags stripped (`<script>`/`<style>` with their content),
/// line breaks kept, entities decoded, runs of spaces collapsed, at most one blank line
/// between paragraphs, trimmed.
pub fn plain_text(html: &str) -> String {
    let lines = LINE_TAGS.replace_all(html, "$0\n");
    let broken = PARAGRAPH_TAGS.replace_all(&lines, "$0\n\n");
    let stripped = ammonia::Builder::empty()
        .clean_content_tags(HashSet::from(["script", "style"]))
        .clean(&broken)
        .to_string();
    let decoded = html_escape::decode_html_entities(&stripped);
    tidy_lines(&decoded)
}

/// Where a long document may be cut into pieces for [`plain_text`]: the end of a block.
static BLOCK_ENDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)</(?:p|div|li|h[1-6]|blockquote|section|article)\s*>").expect("block end pattern")
});
/// `</cite>` and `</time>`, which end a line in a transcript (`<cite>Kevin:</cite><time>0:00</time>`).
static LABEL_ENDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)</(?:cite|time)\s*>").expect("label end pattern"));
/// The size a document's pieces grow to before the next block end cuts them.
const PIECE_BYTES: usize = 16 * 1024;
/// The most of one whole document (an HTML transcript) that is read.
pub const MAX_DOCUMENT_BYTES: usize = 2 * 1024 * 1024;

/// [`plain_text`] of a whole document (an HTML transcript), at most [`MAX_DOCUMENT_BYTES`]
/// of it, where `</cite>` and `</time>` end lines too: read in pieces of about 16 KiB cut at block ends, and pieces without one cut every
/// 32 KiB, because html5ever's time grows with the square of a text node's `&`s.
pub fn plain_text_of_document(html: &str) -> String {
    let lines = LABEL_ENDS.replace_all(&html[..floor_char_boundary(html, MAX_DOCUMENT_BYTES)], "$0\n");
    let html: &str = &lines;
    let mut blocks = Vec::new();
    let mut start = 0;
    for end in BLOCK_ENDS.find_iter(html).map(|m| m.end()) {
        if end - start >= PIECE_BYTES {
            blocks.push(&html[start..end]);
            start = end;
        }
    }
    blocks.push(&html[start..]);
    let text: Vec<String> =
        blocks.into_iter().map(|block| chunks(block, 2 * PIECE_BYTES).map(plain_text).collect()).collect();
    text.join("\n\n")
}

/// `text` in consecutive pieces of at most `max` bytes, cut at character boundaries.
fn chunks(mut text: &str, max: usize) -> impl Iterator<Item = &str> {
    std::iter::from_fn(move || {
        if text.is_empty() {
            return None;
        }
        let cut = match floor_char_boundary(text, max) {
            0 => text.len(),
            cut => cut,
        };
        let (piece, rest) = text.split_at(cut);
        text = rest;
        Some(piece)
    })
}

/// The largest character boundary of `text` at or below `at`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    match at >= text.len() {
        true => text.len(),
        false => (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0),
    }
}

fn tidy_lines(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines().map(collapse_whitespace) {
        let blank_run = line.is_empty() && out.last().is_none_or(String::is_empty);
        if !blank_run {
            out.push(line);
        }
    }
    out.join("\n").trim().to_owned()
}

/// `text` with every run of whitespace made one space, trimmed.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Upstream show notes for the channels feeds: a small allowlist of tags, only
/// `href`/`src`/`alt` attributes, only http(s) URLs, `rel="noopener noreferrer nofollow"` on
/// links; an image whose only source
/// was refused (`data:`, `javascript:`, relative) is dropped rather than left empty.
pub fn sanitize_show_notes(html: &str) -> String {
    let attributes = HashMap::from([("a", HashSet::from(["href"])), ("img", HashSet::from(["src", "alt"]))]);
    ammonia::Builder::empty()
        .tags(TAGS.iter().copied().collect())
        .tag_attributes(attributes)
        .url_schemes(HashSet::from(["http", "https"]))
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean_content_tags(HashSet::from(["script", "style"]))
        .clean(html)
        .to_string()
        .replace("<img>", "")
}

/// A page's rendered HTML for the blog feed: ammonia's default allowlist of tags and attributes
/// (the author's markup survives), but only http(s) URLs; relative URLs resolved against
/// `permalink`.
pub fn sanitize_page(html: &str, permalink: &str) -> String {
    let mut builder = ammonia::Builder::default();
    builder.url_schemes(HashSet::from(["http", "https"])).link_rel(None);
    match ammonia::Url::parse(permalink) {
        Ok(base) => builder.url_relative(ammonia::UrlRelative::RewriteWithBase(base)),
        Err(_) => builder.url_relative(ammonia::UrlRelative::Deny),
    };
    builder.clean(html).to_string()
}

#[cfg(test)]
mod tests;
