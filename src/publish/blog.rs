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
///
/// Only pages dated no earlier than the `limit`-th newest date can make the cut (at least
/// `limit` pages come before any older one), so only theirs get an entry id, the costly part
/// of the key (a URL built and cleaned per page).
pub fn newest(pages: &[&Page], site: &SiteMeta, limit: usize) -> Vec<usize> {
    let dated: Vec<(DateTime<Utc>, usize)> = pages
        .iter()
        .enumerate()
        .map(|(i, page)| (published(&page.front), i))
        .filter(|(published, _)| clean::is_representable(*published))
        .collect();
    let Some(cutoff) = limit_th_newest(dated.iter().map(|(published, _)| *published).collect(), limit) else {
        return Vec::new();
    };
    let mut keyed: Vec<(DateTime<Utc>, String, usize)> = dated
        .into_iter()
        .filter(|(published, _)| *published >= cutoff)
        .map(|(published, i)| {
            let mut id = entry_id(&pages[i].front, &join_url(site.base_url, &pages[i].path));
            clean::url(&mut id);
            (published, id, i)
        })
        .collect();
    keyed.sort_unstable_by(|a, b| feed_order((a.0, &a.1), (b.0, &b.1)).then(a.2.cmp(&b.2)));
    let mut chosen: Vec<usize> = keyed.into_iter().take(limit).map(|(_, _, i)| i).collect();
    chosen.sort_unstable();
    chosen
}

/// The `limit`-th newest of `dates` (the oldest of them when there are fewer); `None` when
/// there is none or `limit` is 0.
fn limit_th_newest(mut dates: Vec<DateTime<Utc>>, limit: usize) -> Option<DateTime<Utc>> {
    let nth = limit.min(dates.len()).checked_sub(1)?;
    Some(*dates.select_nth_unstable_by(nth, |a, b| b.cmp(a)).1)
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;
    use crate::publish::PushLinks;

    const SITE: SiteMeta<'static> = SiteMeta {
        title: "Blog",
        base_url: "https://blog.example.org/",
        language: "en",
        author: None,
        push: PushLinks::NONE,
    };

    /// Page `n`: one of a few dates (none, year 10000, five days, so ties), maybe a `guid`
    /// shared with other pages (ties of id), a path of its own.
    fn page(n: usize, date: u8, guid: Option<u8>) -> Page {
        let day = |year: i32, day: u32| {
            chrono::FixedOffset::east_opt(3600)?.with_ymd_and_hms(year, 1, day, 0, 0, 0).single()
        };
        let date = match date % 7 {
            0 => None,
            1 => day(10_000, 1),
            d => day(2025, u32::from(d)),
        };
        let guid = guid.map(|g| format!("tag:x.test,2025:{g}"));
        let front = FrontMatter { title: format!("P{n}"), date, guid, ..FrontMatter::default() };
        Page { source: format!("p{n}.md"), path: format!("/p{n}/"), front, body: format!("Body {n}") }
    }

    proptest! {
        /// Picking the pages first (by date, ids only at or above the cut) keeps exactly the
        /// entries a feed of every page rendered keeps, in the same order.
        #[test]
        fn the_pages_picked_first_are_the_entries_a_feed_of_every_page_keeps(
            specs in prop::collection::vec((0u8..7, prop::option::of(0u8..3)), 0..24),
            limit in 0usize..8,
        ) {
            let pages: Vec<Page> = specs.iter().enumerate().map(|(n, (date, guid))| page(n, *date, *guid)).collect();
            let now = Utc::now();
            let every = pages.iter().map(|page| entry(page, &SITE)).collect();
            let all = FeedDoc::new(&SITE, "Recent content on Blog".to_owned(), BLOG_PATHS, every, limit, now);
            prop_assert_eq!(blog_feed(&pages, &SITE, limit, now), all);
        }
    }
}
