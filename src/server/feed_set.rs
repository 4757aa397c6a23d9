//! The six feeds as served, plus the index page that names them. Rebuilt after every change;
//! a feed whose bytes did not change keeps its compressed bodies and its Last-Modified.

use chrono::{DateTime, Utc};

use super::FeedBody;
use crate::feeds::FeedFiles;

/// The served feeds, looked up by URL path.
#[derive(Debug, Default)]
pub struct FeedSet {
    bodies: Vec<FeedBody>,
    index_html: String,
}

impl FeedSet {
    /// The feeds of `files` (paths under the public folder), reusing `previous` bodies whose
    /// bytes are unchanged; changed ones are stamped `now`.
    pub fn build(files: &FeedFiles, previous: &FeedSet, site_title: &str, now: DateTime<Utc>) -> FeedSet {
        let bodies: Vec<FeedBody> = files
            .iter()
            .map(|(name, text)| {
                let path = format!("/{name}");
                match previous.get(&path) {
                    Some(old) if old.bytes() == text.as_bytes() => old.clone(),
                    _ => FeedBody::new(path, content_type(name), text.clone().into_bytes(), now),
                }
            })
            .collect();
        let index_html = index_page(site_title, &bodies);
        FeedSet { bodies, index_html }
    }

    /// The feed served at `path`.
    pub fn get(&self, path: &str) -> Option<&FeedBody> {
        self.bodies.iter().find(|b| b.path == path)
    }

    pub fn index_html(&self) -> &str {
        &self.index_html
    }
}

fn content_type(name: &str) -> &'static str {
    if name.ends_with("atom.xml") {
        "application/atom+xml; charset=utf-8"
    } else if name.ends_with(".json") {
        "application/feed+json; charset=utf-8"
    } else {
        "application/rss+xml; charset=utf-8"
    }
}

fn index_page(title: &str, bodies: &[FeedBody]) -> String {
    let title = html_escape::encode_text(title);
    let mut links = String::new();
    let mut items = String::new();
    for body in bodies {
        let kind = body.content_type.split(';').next().unwrap_or_default();
        links.push_str(&format!("<link rel=\"alternate\" type=\"{kind}\" href=\"{}\">\n", body.path));
        items.push_str(&format!("<li><a href=\"{0}\">{0}</a> ({kind})</li>\n", body.path));
    }
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title} feeds</title>\n{links}</head>\n\
         <body><h1>{title}</h1><p>Feeds of the blog, and of every channel it follows (sources/):</p>\n\
         <ul>\n{items}</ul></body></html>\n"
    )
}
