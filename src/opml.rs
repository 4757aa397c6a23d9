//! OPML 2.0, the subscription list every feed reader speaks: [`export`] writes one outline
//! per feed URL of every channel (`type="rss"`, `text`, `title`, `xmlUrl`, `htmlUrl`), next
//! to each other, inside a folder named after the channel's first category (folders are what
//! newsboat, Miniflux and FreshRSS read back as tags or categories; the `category` attribute
//! is ignored by newsboat); [`parse`] reads the feed outlines of any reader's export, with
//! the folders each sits in. Pure: no IO.
//!
//! Hostile input is bounded: at most [`MAX_BYTES`], outlines nested at most [`MAX_DEPTH`]
//! deep, at most [`MAX_FEEDS`] feeds, and no document type declaration (so no entity can
//! expand); only XML's predefined and numeric character references are read.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// The largest OPML file read (real ones are a few hundred KiB at most).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// The deepest nesting of elements read; real folders nest a few levels.
pub const MAX_DEPTH: usize = 64;
/// The most feed outlines read from one file.
pub const MAX_FEEDS: usize = 10_000;

/// One channel as exported: its name and each feed URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportChannel {
    /// Every outline's `text` and `title`: what readers show, and what tells an importer
    /// which outlines are one channel.
    pub name: String,
    /// The folder the channel's outlines go in (its first category), if any.
    pub category: Option<String>,
    pub feeds: Vec<ExportFeed>,
}

/// One feed URL of an exported channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFeed {
    pub xml_url: String,
    /// The web page of the show on that platform, when it is known without fetching.
    pub html_url: Option<String>,
}

/// A feed outline read from an OPML file: one with an `xmlUrl`, or a `type` of `rss` or
/// `atom` (whose missing `xmlUrl` the importer reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedOutline {
    /// `text`, else `title`, when not empty.
    pub text: Option<String>,
    pub xml_url: Option<String>,
    pub html_url: Option<String>,
    /// The `type` attribute as written (`rss`, `atom`, …), if any.
    pub kind: Option<String>,
    /// The folders it sits in, outermost first.
    pub folders: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpmlError {
    #[error("the file is larger than {MAX_BYTES} bytes")]
    TooLarge,
    #[error("outlines nest deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("more than {MAX_FEEDS} feeds")]
    TooMany,
    #[error("it declares a document type (<!DOCTYPE …>), which OPML does not use; remove it")]
    Doctype,
    #[error("not OPML: the root element is <{0}>, not <opml>")]
    NotOpml(String),
    #[error("not well-formed XML at byte {position}: {message}")]
    Syntax { position: u64, message: String },
}

/// The OPML document listing `channels`, titled `title`.
pub fn export(title: &str, channels: &[ExportChannel]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    out.push_str(&format!("  <head>\n    <title>{}</title>\n  </head>\n  <body>\n", escape(title)));
    let mut folders: Vec<Option<&str>> = channels.iter().map(|c| c.category.as_deref()).collect();
    folders.dedup();
    let mut written = std::collections::HashSet::new();
    for folder in folders.into_iter().filter(|f| written.insert(*f)) {
        let inside = channels.iter().filter(|c| c.category.as_deref() == folder);
        let indent = match folder {
            Some(name) => {
                out.push_str(&format!("    <outline text=\"{0}\" title=\"{0}\">\n", escape(name)));
                "      "
            }
            None => "    ",
        };
        for channel in inside {
            for feed in &channel.feeds {
                out.push_str(&feed_outline(indent, &channel.name, feed));
            }
        }
        if folder.is_some() {
            out.push_str("    </outline>\n");
        }
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

fn feed_outline(indent: &str, name: &str, feed: &ExportFeed) -> String {
    let html = feed.html_url.as_deref().map(|h| format!(" htmlUrl=\"{}\"", escape(h))).unwrap_or_default();
    format!(
        "{indent}<outline type=\"rss\" text=\"{0}\" title=\"{0}\" xmlUrl=\"{1}\"{html}/>\n",
        escape(name),
        escape(&feed.xml_url)
    )
}

/// XML-escaped text for an attribute or element (also `\n`, `\r`, `\t`, which attribute
/// normalisation would otherwise turn into spaces).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Every feed outline of `text`, in document order, with its folders.
pub fn parse(text: &str) -> Result<Vec<FeedOutline>, OpmlError> {
    if text.len() > MAX_BYTES {
        return Err(OpmlError::TooLarge);
    }
    let mut reader = Reader::from_str(text);
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut feeds = Vec::new();
    let mut root_seen = false;
    loop {
        let event = reader.read_event().map_err(|e| syntax(&reader, e.to_string()))?;
        match event {
            Event::DocType(_) => return Err(OpmlError::Doctype),
            Event::Start(element) | Event::Empty(element) if !root_seen => {
                root_seen = true;
                let name = String::from_utf8_lossy(element.local_name().as_ref()).into_owned();
                if name != "opml" {
                    return Err(OpmlError::NotOpml(name));
                }
                folders.push(None);
            }
            Event::Start(element) => {
                if folders.len() >= MAX_DEPTH {
                    return Err(OpmlError::TooDeep);
                }
                let outline = read_outline(&reader, &element, &folders, true)?;
                let folder = outline.as_ref().and_then(|o| o.folder.clone());
                feeds.extend(outline.and_then(|o| o.feed));
                folders.push(folder);
            }
            Event::Empty(element) => {
                feeds.extend(read_outline(&reader, &element, &folders, false)?.and_then(|o| o.feed));
            }
            Event::End(_) => {
                folders.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        if feeds.len() > MAX_FEEDS {
            return Err(OpmlError::TooMany);
        }
    }
    match root_seen {
        true => Ok(feeds),
        false => Err(OpmlError::NotOpml(String::new())),
    }
}

/// What an `<outline>` is: a feed (it has an `xmlUrl` or a feed `type`) or a folder (its
/// `text` names the folders inside it).
struct Read {
    feed: Option<FeedOutline>,
    folder: Option<String>,
}

fn read_outline(
    reader: &Reader<&[u8]>,
    element: &BytesStart,
    folders: &[Option<String>],
    has_children: bool,
) -> Result<Option<Read>, OpmlError> {
    if element.local_name().as_ref() != b"outline" {
        return Ok(None);
    }
    let mut text = None;
    let mut title = None;
    let mut xml_url = None;
    let mut html_url = None;
    let mut kind = None;
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|e| syntax(reader, e.to_string()))?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| syntax(reader, e.to_string()))?;
        let value = value.trim().to_owned();
        match attribute.key.local_name().as_ref() {
            b"text" => text = Some(value),
            b"title" => title = Some(value),
            b"xmlUrl" | b"xmlurl" => xml_url = Some(value),
            b"htmlUrl" | b"htmlurl" => html_url = Some(value),
            b"type" => kind = Some(value),
            _ => {}
        }
    }
    let label = text.filter(|t| !t.is_empty()).or(title.filter(|t| !t.is_empty()));
    let xml_url = xml_url.filter(|u| !u.is_empty());
    let feed_type =
        kind.as_deref().is_some_and(|k| k.eq_ignore_ascii_case("rss") || k.eq_ignore_ascii_case("atom"));
    if xml_url.is_none() && (has_children || !feed_type) {
        return Ok(Some(Read { feed: None, folder: label }));
    }
    let feed = FeedOutline {
        text: label,
        html_url: html_url.filter(|u| !u.is_empty()),
        kind,
        folders: folders.iter().flatten().cloned().collect(),
        xml_url,
    };
    Ok(Some(Read { feed: Some(feed), folder: None }))
}

fn syntax(reader: &Reader<&[u8]>, message: String) -> OpmlError {
    OpmlError::Syntax { position: reader.buffer_position(), message }
}

#[cfg(test)]
mod tests;
