//! The six feeds as served, plus the index page that names them. Rebuilt after every change;
//! a feed whose bytes did not change keeps its compressed bodies and its Last-Modified; a
//! changed one is dated by the caller (see `output::served`).

use chrono::{DateTime, Utc};

use super::FeedBody;
use crate::publish::Feed;

/// The served feeds, looked up by URL path.
#[derive(Debug, Default)]
pub struct FeedSet {
    bodies: Vec<FeedBody>,
    index_html: String,
}

impl FeedSet {
    /// This set with `changed` feeds swapped in (or added), each dated `modified(feed)`; the
    /// other feeds keep their compressed bodies, ETags and Last-Modified.
    pub fn with_changes(
        &self,
        changed: &[&Feed],
        site_title: &str,
        modified: impl Fn(&Feed) -> DateTime<Utc>,
    ) -> FeedSet {
        let mut bodies = self.bodies.clone();
        for feed in changed {
            let path = format!("/{}", feed.path);
            let bytes = feed.text.clone().into_bytes();
            let body = FeedBody::new(path, feed.format.content_type(), bytes, modified(feed));
            match bodies.iter_mut().find(|b| b.path == body.path) {
                Some(old) => *old = body,
                None => bodies.push(body),
            }
        }
        let index_html = index_page(site_title, &bodies);
        FeedSet { bodies, index_html }
    }

    /// The feed served at `path`.
    pub fn get(&self, path: &str) -> Option<&FeedBody> {
        self.bodies.iter().find(|b| b.path == path)
    }

    /// The URL path of every feed, in the order they were first added.
    pub fn paths(&self) -> Vec<&str> {
        self.bodies.iter().map(|body| body.path.as_str()).collect()
    }

    pub fn index_html(&self) -> &str {
        &self.index_html
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
