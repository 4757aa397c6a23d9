//! The Podcasting 2.0 elements of an RSS item (`podcast:chapters`, `podcast:transcript`,
//! `podcast:person`, and the channel's `podcast:person`s), found under whatever prefix the feed
//! binds to the namespace. Everything is bounded: at most [`MAX_TRANSCRIPTS`] transcripts and
//! [`MAX_PERSONS`] persons per item, names of at most [`MAX_NAME_CHARS`] characters, URLs of at
//! most [`MAX_URL_BYTES`] bytes and only http(s) (a feed never points syndicator at a local
//! file); anything else is dropped.

use std::collections::BTreeMap;

use rss::extension::{Extension, ExtensionMap};

use super::one_line;
use crate::model::{Person, Podcasting, TranscriptLink};

/// The namespace URIs feeds use for `podcast:` (the current one, and the GitHub page early
/// feeds declared).
const NAMESPACES: [&str; 2] = [
    "https://podcastindex.org/namespace/1.0",
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
];
/// The prefix nearly every feed uses, also looked under when the feed declares none.
const CONVENTIONAL_PREFIX: &str = "podcast";
pub const MAX_TRANSCRIPTS: usize = 8;
pub const MAX_PERSONS: usize = 32;
pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_URL_BYTES: usize = 2048;
/// The longest `language`/`rel`/`role`/`group` value kept.
const MAX_LABEL_CHARS: usize = 40;

/// The prefixes under which a channel's `podcast:` elements are found.
pub(super) fn prefixes(namespaces: &BTreeMap<String, String>) -> Vec<String> {
    let declared = namespaces.iter().filter(|(_, uri)| NAMESPACES.contains(&uri.trim()));
    let mut prefixes: Vec<String> = declared.map(|(prefix, _)| prefix.clone()).collect();
    if !prefixes.iter().any(|p| p == CONVENTIONAL_PREFIX) {
        prefixes.push(CONVENTIONAL_PREFIX.to_owned());
    }
    prefixes
}

/// The `podcast:person`s of a channel or item, at most [`MAX_PERSONS`].
pub(super) fn persons(extensions: &ExtensionMap, prefixes: &[String]) -> Vec<Person> {
    elements(extensions, prefixes, "person").filter_map(person).take(MAX_PERSONS).collect()
}

/// An item's Podcasting 2.0 elements; `channel_persons` stand in when it names no person.
pub(super) fn podcasting(
    extensions: &ExtensionMap,
    prefixes: &[String],
    channel_persons: &[Person],
) -> Podcasting {
    let own_persons = persons(extensions, prefixes);
    let chapters = elements(extensions, prefixes, "chapters").filter(|e| is_json_chapters(e));
    Podcasting {
        chapters_url: chapters.filter_map(|e| http_url(e.attrs.get("url")?)).next(),
        chapters: Vec::new(),
        transcripts: elements(extensions, prefixes, "transcript")
            .filter_map(transcript)
            .take(MAX_TRANSCRIPTS)
            .collect(),
        persons: if own_persons.is_empty() { channel_persons.to_vec() } else { own_persons },
    }
}

/// Every `<prefix:name>` element under any of `prefixes`, in prefix order.
fn elements<'a>(
    extensions: &'a ExtensionMap,
    prefixes: &'a [String],
    name: &'a str,
) -> impl Iterator<Item = &'a Extension> + 'a {
    prefixes.iter().filter_map(move |prefix| extensions.get(prefix)?.get(name)).flatten()
}

/// A chapters element of the JSON type (or of no type: JSON is the only format there is).
fn is_json_chapters(element: &Extension) -> bool {
    element.attrs.get("type").is_none_or(|t| mime_type(t).starts_with("application/json"))
}

fn transcript(element: &Extension) -> Option<TranscriptLink> {
    Some(TranscriptLink {
        url: http_url(element.attrs.get("url")?)?,
        mime_type: mime_type(element.attrs.get("type")?),
        language: element.attrs.get("language").and_then(|l| label(l)),
        rel: element.attrs.get("rel").and_then(|r| label(r)),
    })
}

fn person(element: &Extension) -> Option<Person> {
    let name = bounded_text(element.value()?, MAX_NAME_CHARS)?;
    let attr = |key: &str| element.attrs.get(key).and_then(|v| label(v)).map(|v| v.to_lowercase());
    Some(Person {
        name,
        role: attr("role").unwrap_or_else(|| "host".to_owned()),
        group: attr("group").unwrap_or_else(|| "cast".to_owned()),
        href: element.attrs.get("href").and_then(|u| http_url(u)),
        img: element.attrs.get("img").and_then(|u| http_url(u)),
    })
}

/// A MIME type lowercased, without parameters (`text/vtt; charset=utf-8` → `text/vtt`).
fn mime_type(raw: &str) -> String {
    let bare = raw.split(';').next().unwrap_or_default().trim();
    bare.chars().take(MAX_LABEL_CHARS).collect::<String>().to_ascii_lowercase()
}

/// A short attribute value (language tag, rel, role, group): one line, at most
/// [`MAX_LABEL_CHARS`] characters, else nothing.
fn label(raw: &str) -> Option<String> {
    bounded_text(raw, MAX_LABEL_CHARS)
}

/// `raw` on one line without control characters, when non-empty and at most `max` characters.
fn bounded_text(raw: &str, max: usize) -> Option<String> {
    let text = one_line(raw);
    (!text.is_empty() && text.chars().count() <= max).then_some(text)
}

/// `raw` as an absolute http(s) URL of at most [`MAX_URL_BYTES`], normalised.
pub fn http_url(raw: &str) -> Option<String> {
    let url = url::Url::parse(raw.trim()).ok()?;
    let fits = matches!(url.scheme(), "http" | "https") && url.as_str().len() <= MAX_URL_BYTES;
    fits.then(|| url.to_string())
}

#[cfg(test)]
mod tests;
