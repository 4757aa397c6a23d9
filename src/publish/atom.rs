//! Atom 1.0 (RFC 4287) output via `atom_syndication`: feed id (the Atom URL), `updated`,
//! author, self, WebSub hub and alternate links; per entry id, `updated`, `published`, an alternate link,
//! an `enclosure` link for audio, HTML summary and content, categories. Pure.

use atom_syndication::{Category, Content, Entry, Feed, Generator, Link, Person, Text, WriteConfig};
use chrono::{DateTime, FixedOffset, Utc};

use super::{FeedDoc, FeedEntry};

/// The feed as an Atom 1.0 document.
pub fn build_atom(doc: &FeedDoc) -> String {
    let feed = Feed {
        title: Text::plain(doc.title.clone()),
        id: doc.feed_urls.atom.clone(),
        updated: fixed(doc.updated_or_build_day()),
        // RFC 4287 wants an author on the feed unless every entry has one.
        authors: vec![person(doc.author.as_deref().unwrap_or(&doc.title))],
        links: [link(&doc.feed_urls.atom, "self", Some("application/atom+xml"))]
            .into_iter()
            .chain(doc.hubs.iter().map(|hub| link(hub, "hub", None)))
            .chain([link(&doc.home_url, "alternate", Some("text/html"))])
            .collect(),
        subtitle: Some(Text::plain(doc.description.clone())),
        generator: Some(Generator { value: "syndicator".to_owned(), ..Default::default() }),
        lang: Some(doc.language.clone()),
        entries: doc.entries.iter().map(entry).collect(),
        ..Default::default()
    };
    let config = WriteConfig { write_document_declaration: true, indent_size: Some(2) };
    let bytes = feed.write_with_config(Vec::new(), config).expect("writing to a Vec cannot fail");
    let mut text = String::from_utf8(bytes).expect("atom_syndication writes UTF-8");
    text.push('\n');
    text
}

fn entry(entry: &FeedEntry) -> Entry {
    let mut links = vec![link(&entry.link, "alternate", None)];
    if let Some(media) = &entry.media {
        links.push(Link {
            length: media.enclosure.length.map(|l| l.to_string()),
            ..link(&media.enclosure.url, "enclosure", Some(&media.enclosure.mime_type))
        });
    }
    Entry {
        title: Text::plain(entry.title.clone()),
        id: entry.id.clone(),
        updated: fixed(entry.updated),
        published: Some(fixed(entry.published)),
        authors: entry.author.iter().map(|a| person(a)).collect(),
        links,
        categories: entry
            .categories
            .iter()
            .map(|c| Category { term: c.clone(), ..Default::default() })
            .collect(),
        summary: entry.summary_html.clone().map(Text::html),
        content: entry.content_html.clone().map(|html| Content {
            value: Some(html),
            content_type: Some("html".to_owned()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn link(href: &str, rel: &str, mime_type: Option<&str>) -> Link {
    Link {
        href: href.to_owned(),
        rel: rel.to_owned(),
        mime_type: mime_type.map(str::to_owned),
        ..Default::default()
    }
}

fn person(name: &str) -> Person {
    Person { name: name.to_owned(), ..Default::default() }
}

fn fixed(date: DateTime<Utc>) -> DateTime<FixedOffset> {
    date.fixed_offset()
}
