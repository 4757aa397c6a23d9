//! JSON Feed 1.1 output (<https://jsonfeed.org/version/1.1>): `version`, `home_page_url`,
//! `feed_url`, `language`, `authors`, `hubs` (WebSub); per item `id`, `url`, `title`, `content_html`, a
//! plain-text `summary`, `date_published`, `date_modified`, `tags`, `authors` and an audio
//! `attachments` entry. Pure; fields in a fixed order.

use serde::Serialize;

use super::{FeedDoc, FeedEntry};
use crate::html::plain_text;

const VERSION: &str = "https://jsonfeed.org/version/1.1";

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    description: &'a str,
    language: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hubs: Vec<Hub<'a>>,
    items: Vec<JsonItem<'a>>,
}

/// A WebSub hub the feed is published through.
#[derive(Serialize)]
struct Hub<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    url: &'a str,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    content_html: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Attachment<'a>>,
}

#[derive(Serialize)]
struct Attachment<'a> {
    url: &'a str,
    mime_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_in_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration_in_seconds: Option<u64>,
}

/// The feed as a JSON Feed 1.1 document.
pub fn build_json(doc: &FeedDoc) -> String {
    let feed = JsonFeed {
        version: VERSION,
        title: &doc.title,
        home_page_url: &doc.home_url,
        feed_url: &doc.feed_urls.json,
        description: &doc.description,
        language: &doc.language,
        authors: doc.author.iter().map(|name| Author { name }).collect(),
        hubs: doc.hubs.iter().map(|url| Hub { kind: "WebSub", url }).collect(),
        items: doc.entries.iter().map(item).collect(),
    };
    let mut text = serde_json::to_string_pretty(&feed).expect("a JSON feed always serialises");
    text.push('\n');
    text
}

fn item(entry: &FeedEntry) -> JsonItem<'_> {
    JsonItem {
        id: &entry.id,
        url: &entry.link,
        title: &entry.title,
        content_html: entry.content_html.as_deref().or(entry.summary_html.as_deref()).unwrap_or(""),
        summary: entry.summary_html.as_deref().map(plain_text).filter(|s| !s.is_empty()),
        image: entry.media.as_ref().and_then(|m| m.image.as_deref()),
        date_published: entry.published.to_rfc3339(),
        date_modified: entry.updated.to_rfc3339(),
        tags: &entry.categories,
        authors: entry.author.iter().map(|name| Author { name }).collect(),
        attachments: entry
            .media
            .iter()
            .map(|m| Attachment {
                url: &m.enclosure.url,
                mime_type: &m.enclosure.mime_type,
                size_in_bytes: m.enclosure.length,
                duration_in_seconds: m.duration_secs,
            })
            .collect(),
    }
}
