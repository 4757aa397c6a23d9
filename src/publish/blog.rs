//! The blog feed: the site's published [`Page`]s as a [`FeedDoc`], newest first. Each entry
//! links to the page's Hugo permalink; its summary is the front-matter `description`, its
//! content the rendered Markdown; tags and categories become categories.
//!
//! Only the pages that make the cut are rendered: [`newest`] picks them by [`FeedDoc`]'s own
//! order (a representable date, newest first, ties by id) from their front matter alone, so a
//! blog of 10,000 posts renders `limit` bodies, and a caller that keeps pages without their
//! bodies ([`crate::site::SiteCache`]) reads only those.
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

use super::{BLOG_PATHS, FeedDoc, FeedEntry, SiteMeta, clean, feed_order, join_url, syndicator_urn, uri_id};
use crate::site::{FrontMatter, Page, render_markdown};

/// The blog feed of `pages`, cut to the newest `limit`, built at `now`.
pub fn blog_feed(pages: &[Page], site: &SiteMeta, limit: usize, now: DateTime<Utc>) -> FeedDoc {
    let all: Vec<&Page> = pages.iter().collect();
    let entries = newest(&all, site, limit).into_iter().map(|i| entry(&pages[i], site)).collect();
    let description = format!("Recent content on {}", site.title);
    FeedDoc::new(site, description, BLOG_PATHS, entries, limit, now)
}

/// Which of `pages` the blog feed of `limit` entries shows, as positions in `pages`,
/// ascending: the entries [`FeedDoc::new`] would keep, found without rendering a body. Of
/// entries equal in date and id the earlier page wins, as in that stable sort.
pub fn newest(pages: &[&Page], site: &SiteMeta, limit: usize) -> Vec<usize> {
    let mut keyed: Vec<(DateTime<Utc>, String, usize)> = pages
        .iter()
        .enumerate()
        .filter_map(|(i, page)| {
            let published = published(&page.front);
            let mut id = entry_id(&page.front, &join_url(site.base_url, &page.path));
            clean::url(&mut id);
            clean::is_representable(published).then_some((published, id, i))
        })
        .collect();
    keyed.sort_unstable_by(|a, b| feed_order((a.0, &a.1), (b.0, &b.1)).then(a.2.cmp(&b.2)));
    let mut chosen: Vec<usize> = keyed.into_iter().take(limit).map(|(_, _, i)| i).collect();
    chosen.sort_unstable();
    chosen
}

fn entry(page: &Page, site: &SiteMeta) -> FeedEntry {
    let front = &page.front;
    let link = join_url(site.base_url, &page.path);
    let published = published(front);
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

/// The entry's date: `date`, else `publishDate`, else `lastmod`.
fn published(front: &FrontMatter) -> DateTime<Utc> {
    utc(front.date.or(front.publish_date).or(front.lastmod))
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
