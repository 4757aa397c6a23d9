//! Publishing feeds: a neutral [`FeedDoc`] built from the blog's pages ([`blog`]) or from the
//! channels' episodes ([`channels`]), written as RSS 2.0 ([`rss`]), Atom 1.0 ([`atom`]) and
//! JSON Feed 1.1 ([`json`]). Pure: no IO; the build time is passed in. A feed's `updated`
//! (Atom `updated`, RSS `lastBuildDate`) is its newest entry's update time, so unchanged
//! inputs give byte-identical files and stable ETags. An empty feed has no `lastBuildDate`;
//! Atom requires `updated`, so an empty Atom feed carries the start (00:00 UTC) of the day it
//! was built: never 1970, and its bytes change at most once a day.
//!
//! Every string and date passes through [`clean`] (in [`FeedDoc::new`]) before a writer sees
//! it, so no upstream field can make a feed ill-formed and no date can make a writer panic:
//! an entry whose date no format can represent is left out.

pub mod atom;
pub mod blog;
pub mod channels;
mod clean;
pub mod json;
pub mod rss;

use chrono::{DateTime, Utc};

use crate::model::{Enclosure, Episode};
use crate::site::Page;

/// The blog feeds' paths under the public folder.
pub const BLOG_PATHS: FeedPaths = FeedPaths { rss: "feed.xml", atom: "atom.xml", json: "feed.json" };
/// The merged channels feeds' paths under the public folder.
pub const CHANNEL_PATHS: FeedPaths =
    FeedPaths { rss: "sources/feed.xml", atom: "sources/atom.xml", json: "sources/feed.json" };

/// Where a feed's three formats live, relative to the public folder (and the base URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedPaths {
    pub rss: &'static str,
    pub atom: &'static str,
    pub json: &'static str,
}

/// The wire format of a published feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    Rss,
    Atom,
    Json,
}

impl FeedFormat {
    /// The media type a feed of this format is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml; charset=utf-8",
            FeedFormat::Atom => "application/atom+xml; charset=utf-8",
            FeedFormat::Json => "application/feed+json; charset=utf-8",
        }
    }
}

/// One rendered feed, ready for any destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    /// Relative to the public folder and to the base URL: `feed.xml`, `sources/atom.xml` …
    pub path: &'static str,
    pub format: FeedFormat,
    pub text: String,
}

/// The site-wide metadata every feed carries, from `[site]`.
#[derive(Debug, Clone, Copy)]
pub struct SiteMeta<'a> {
    pub title: &'a str,
    pub base_url: &'a str,
    /// A language tag such as `zh-TW`.
    pub language: &'a str,
    pub author: Option<&'a str>,
    /// The feeds' WebSub links.
    pub push: PushLinks<'a>,
}

/// What WebSub needs in a feed: the hubs it is published through (`rel="hub"`, from
/// `[websub] publish_hubs`) and the base of its `rel="self"` link (`[server] public_url`),
/// which is the URL those hubs are pinged with.
#[derive(Debug, Clone, Copy)]
pub struct PushLinks<'a> {
    pub hubs: &'a [String],
    /// Where `rel="self"` points; the site's base URL when `None`.
    pub self_base: Option<&'a str>,
}

impl PushLinks<'_> {
    /// No hubs, self links under the base URL.
    pub const NONE: PushLinks<'static> = PushLinks { hubs: &[], self_base: None };
}

/// The absolute URLs of a feed's three formats (each format's `self` link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedUrls {
    pub rss: String,
    pub atom: String,
    pub json: String,
}

/// A feed, independent of its wire format.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedDoc {
    pub title: String,
    pub description: String,
    pub home_url: String,
    pub feed_urls: FeedUrls,
    /// WebSub hubs the feed names (`rel="hub"`).
    pub hubs: Vec<String>,
    pub language: String,
    pub author: Option<String>,
    /// The newest entry's `updated`; `None` when there are none.
    pub updated: Option<DateTime<Utc>>,
    /// When the feed was built: dates an empty Atom feed (see the module docs).
    pub built: DateTime<Utc>,
    /// Newest first.
    pub entries: Vec<FeedEntry>,
}

/// One entry of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    /// Stable across rebuilds; an absolute URI (a URL or `urn:syndicator:…`).
    pub id: String,
    pub title: String,
    pub link: String,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub summary_html: Option<String>,
    pub content_html: Option<String>,
    pub categories: Vec<String>,
    pub author: Option<String>,
    pub media: Option<Media>,
}

impl FeedEntry {
    /// Makes every field representable (see [`clean`]); `false` when the publish date is not,
    /// and the entry must be left out. An unrepresentable `updated` falls back to `published`.
    fn clean(&mut self) -> bool {
        if !clean::is_representable(self.published) {
            return false;
        }
        if !clean::is_representable(self.updated) {
            self.updated = self.published;
        }
        [&mut self.id, &mut self.link].into_iter().for_each(clean::url);
        [&mut self.title]
            .into_iter()
            .chain(self.author.as_mut())
            .chain(&mut self.categories)
            .for_each(clean::line);
        self.summary_html.iter_mut().chain(self.content_html.as_mut()).for_each(clean::text);
        if let Some(media) = &mut self.media {
            clean::url(&mut media.enclosure.url);
            media.image.iter_mut().for_each(clean::url);
            clean::media_type(&mut media.enclosure.mime_type);
        }
        true
    }
}

/// A podcast entry's audio with what podcast apps show besides it.
#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    pub enclosure: Enclosure,
    pub duration_secs: Option<u64>,
    pub image: Option<String>,
}

impl FeedDoc {
    /// A feed of `entries` (any order: sorted newest first here, ties by id) cut to `limit`,
    /// published at `files` under the site's base URL, built at `now`; every field cleaned
    /// (see the module docs).
    pub fn new(
        site: &SiteMeta,
        description: String,
        files: FeedPaths,
        mut entries: Vec<FeedEntry>,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Self {
        entries.retain_mut(FeedEntry::clean);
        entries.sort_by(|a, b| feed_order((a.published, &a.id), (b.published, &b.id)));
        entries.truncate(limit);
        let updated = entries.iter().map(|e| e.updated.max(e.published)).max();
        let self_base = site.push.self_base.unwrap_or(site.base_url);
        let mut doc = FeedDoc {
            title: site.title.to_owned(),
            description,
            home_url: join_url(site.base_url, "/"),
            feed_urls: FeedUrls {
                rss: join_url(self_base, files.rss),
                atom: join_url(self_base, files.atom),
                json: join_url(self_base, files.json),
            },
            hubs: site.push.hubs.to_vec(),
            language: site.language.to_owned(),
            author: site.author.map(str::to_owned),
            updated,
            built: now,
            entries,
        };
        doc.clean_own_fields();
        doc
    }

    /// Cleans the feed's own strings (from the config, but cheap to make sure).
    fn clean_own_fields(&mut self) {
        [&mut self.title, &mut self.language].into_iter().chain(self.author.as_mut()).for_each(clean::line);
        clean::text(&mut self.description);
        let urls =
            [&mut self.home_url, &mut self.feed_urls.rss, &mut self.feed_urls.atom, &mut self.feed_urls.json];
        urls.into_iter().chain(&mut self.hubs).for_each(clean::url);
    }

    /// The feed's `updated`, for formats that require one: the newest entry's, else the start
    /// of the day the feed was built.
    pub fn updated_or_build_day(&self) -> DateTime<Utc> {
        self.updated.unwrap_or_else(|| self.built.date_naive().and_time(chrono::NaiveTime::MIN).and_utc())
    }

    /// The feed in its three formats, at `paths`: RSS, Atom, JSON Feed.
    pub fn render(&self, paths: FeedPaths) -> [Feed; 3] {
        [
            Feed { path: paths.rss, format: FeedFormat::Rss, text: rss::build_rss(self) },
            Feed { path: paths.atom, format: FeedFormat::Atom, text: atom::build_atom(self) },
            Feed { path: paths.json, format: FeedFormat::Json, text: json::build_json(self) },
        ]
    }
}

/// The six feed files, blog ones from `pages` and merged channel ones from `episodes`
/// (`channel_name` maps a channel id to its name), each cut to `limit` entries, built at
/// `now`.
pub fn render_all(
    pages: &[Page],
    episodes: &[Episode],
    channel_name: impl Fn(&str) -> Option<String>,
    site: &SiteMeta,
    limit: usize,
    now: DateTime<Utc>,
) -> Vec<Feed> {
    let blog = blog::blog_feed(pages, site, limit, now).render(BLOG_PATHS);
    let channels = channels::channels_feed(episodes, channel_name, site, limit, now).render(CHANNEL_PATHS);
    blog.into_iter().chain(channels).collect()
}

/// The order of a feed's entries by `(published, id)`: newest first, ties by id.
fn feed_order(a: (DateTime<Utc>, &str), b: (DateTime<Utc>, &str)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1))
}

/// `base` joined with `path`, with exactly one `/` between them.
pub fn join_url(base: &str, path: &str) -> String {
    format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/'))
}

/// An id as an absolute URI: kept when it already is an http(s), `urn:` or `tag:` URI, else
/// `urn:syndicator:` and the id percent-encoded.
pub fn uri_id(id: &str) -> String {
    let lower = id.to_ascii_lowercase();
    let is_uri = ["http://", "https://", "urn:", "tag:"].iter().any(|p| lower.starts_with(p))
        && !id.chars().any(|c| c.is_whitespace() || c.is_control());
    if is_uri { id.to_owned() } else { syndicator_urn(id) }
}

/// The id of an episode or of the stub post written for it: `urn:syndicator:<id>`, so a stub
/// and its episode share an id and a rebuilt or renamed stub keeps it.
pub fn syndicator_urn(id: &str) -> String {
    format!("urn:syndicator:{}", percent_encode(id))
}

/// Percent-encodes all but unreserved characters and `:`.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests;
