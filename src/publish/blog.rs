//! The blog feed: the site's published [`Page`]s as a [`FeedDoc`], newest first. Each entry
//! links to the page's Hugo permalink; its summary is the front-matter `description`, its
//! content the rendered Markdown; tags and categories become categories.
//!
//! The rendered HTML is sanitised with ammonia's default allowlist of tags and attributes
//! (the author's markup survives), but only http(s) URLs: a `javascript:`, `data:` or
//! `vbscript:` link or image loses its URL, and `style`, event handlers and scripts go.
//! Relative URLs are resolved against the page's permalink. A stub's body comes from
//! upstream text, so nothing an upstream sent can be live in our own feed.
//!
//! Entry ids are stable across rebuilds and renames: a stub's `syndicator_id` (as
//! `urn:syndicator:<id>`), else a front-matter `guid` or `id` (kept when it is an http(s),
//! `urn:` or `tag:` URI), else the permalink. So an author who renames or moves a post keeps
//! its id by adding `guid: <old permalink>` to its front matter. Pure.

use chrono::{DateTime, Utc};

use super::{BLOG_PATHS, FeedDoc, FeedEntry, SiteMeta, join_url, syndicator_urn, uri_id};
use crate::site::{FrontMatter, Page, render_markdown};

/// The blog feed of `pages`, cut to the newest `limit`, built at `now`.
pub fn blog_feed(pages: &[Page], site: &SiteMeta, limit: usize, now: DateTime<Utc>) -> FeedDoc {
    let entries = pages.iter().map(|p| entry(p, site)).collect();
    let description = format!("Recent content on {}", site.title);
    FeedDoc::new(site, description, BLOG_PATHS, entries, limit, now)
}

fn entry(page: &Page, site: &SiteMeta) -> FeedEntry {
    let front = &page.front;
    let link = join_url(site.base_url, &page.path);
    let published = utc(front.date.or(front.publish_date).or(front.lastmod));
    FeedEntry {
        id: entry_id(front, &link),
        title: front.title.clone(),
        published,
        updated: utc(front.lastmod).max(published),
        summary_html: front.description.as_deref().map(|d| html_escape::encode_text(d).into_owned()),
        content_html: Some(crate::html::sanitize_page(&render_markdown(&page.body), &link)),
        categories: categories(front),
        author: site.author.map(str::to_owned),
        media: None,
        link,
    }
}

/// The entry id: `syndicator_id`, else `guid`/`id`, else the permalink (see the module docs).
pub fn entry_id(front: &FrontMatter, permalink: &str) -> String {
    match (&front.syndicator_id, &front.guid) {
        (Some(id), _) => syndicator_urn(id),
        (None, Some(guid)) => uri_id(guid),
        (None, None) => permalink.to_owned(),
    }
}

/// Tags then categories, without repeats.
fn categories(front: &FrontMatter) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in front.tags.iter().chain(&front.categories) {
        if !out.contains(c) {
            out.push(c.clone());
        }
    }
    out
}

fn utc(date: Option<DateTime<chrono::FixedOffset>>) -> DateTime<Utc> {
    date.map_or(DateTime::UNIX_EPOCH, |d| d.with_timezone(&Utc))
}
