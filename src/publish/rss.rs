//! RSS 2.0 output via the `rss` crate: `atom:link rel="self"` (and `rel="hub"` per WebSub hub), `lastBuildDate`, a `guid` per
//! item, RFC 822 dates, `content:encoded` for full content, `dc:creator` for authors (RSS's
//! own `author` must be an e-mail address), and the enclosure with `itunes:` tags when an
//! entry has audio. Pure.

use chrono::{DateTime, Utc};
use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::itunes::{ITunesChannelExtension, ITunesItemExtension};
use rss::{Category, Channel, Enclosure, Guid, Item};

use super::{FeedDoc, FeedEntry, Media};

/// The feed as an RSS 2.0 document.
pub fn build_rss(doc: &FeedDoc) -> String {
    let podcast = doc.entries.iter().any(|e| e.media.is_some());
    let channel = Channel {
        title: doc.title.clone(),
        link: doc.home_url.clone(),
        description: doc.description.clone(),
        language: Some(doc.language.clone()),
        last_build_date: doc.updated.map(rfc822),
        generator: Some("syndicator".to_owned()),
        atom_ext: Some(AtomExtension { links: links(doc) }),
        itunes_ext: podcast.then(|| ITunesChannelExtension {
            author: Some(doc.author.clone().unwrap_or_else(|| doc.title.clone())),
            ..Default::default()
        }),
        items: doc.entries.iter().map(item).collect(),
        ..Default::default()
    };
    let bytes = channel.pretty_write_to(Vec::new(), b' ', 2).expect("writing to a Vec cannot fail");
    let mut text = String::from_utf8(bytes).expect("the rss crate writes UTF-8");
    text.push('\n');
    text
}

/// `atom:link rel="self"`, then one `rel="hub"` per WebSub hub.
fn links(doc: &FeedDoc) -> Vec<Link> {
    let own = Link {
        href: doc.feed_urls.rss.clone(),
        rel: "self".to_owned(),
        mime_type: Some("application/rss+xml".to_owned()),
        ..Default::default()
    };
    let hubs =
        doc.hubs.iter().map(|hub| Link { href: hub.clone(), rel: "hub".to_owned(), ..Default::default() });
    std::iter::once(own).chain(hubs).collect()
}

fn item(entry: &FeedEntry) -> Item {
    Item {
        title: Some(entry.title.clone()),
        link: Some(entry.link.clone()),
        description: entry.summary_html.clone().or_else(|| entry.content_html.clone()),
        content: entry.content_html.clone(),
        guid: Some(Guid { value: entry.id.clone(), permalink: entry.id == entry.link }),
        pub_date: Some(rfc822(entry.published)),
        categories: entry.categories.iter().map(|c| Category { name: c.clone(), domain: None }).collect(),
        dublin_core_ext: entry
            .author
            .as_ref()
            .map(|a| DublinCoreExtension { creators: vec![a.clone()], ..Default::default() }),
        enclosure: entry.media.as_ref().map(enclosure),
        itunes_ext: entry.media.as_ref().map(|m| itunes(entry, m)),
        ..Default::default()
    }
}

fn enclosure(media: &Media) -> Enclosure {
    Enclosure {
        url: media.enclosure.url.clone(),
        // RSS requires a length; 0 is the convention when it is unknown.
        length: media.enclosure.length.unwrap_or(0).to_string(),
        mime_type: media.enclosure.mime_type.clone(),
    }
}

fn itunes(entry: &FeedEntry, media: &Media) -> ITunesItemExtension {
    ITunesItemExtension {
        author: entry.author.clone(),
        duration: media.duration_secs.map(hms),
        image: media.image.clone(),
        ..Default::default()
    }
}

/// A duration as `H:MM:SS`.
fn hms(secs: u64) -> String {
    format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// An RFC 822 (RFC 2822) date, formatted field by field: chrono's `to_rfc2822` panics on a
/// year outside 0–9999, and no date may ever stop a feed from being written.
fn rfc822(date: DateTime<Utc>) -> String {
    date.format("%a, %-d %b %Y %H:%M:%S +0000").to_string()
}
