//! Discovery for `add`: from a URL a user has in the browser to the canonical source URLs a
//! channel polls, each fetched once to prove it works. The shape of miniflux's subscription
//! finder: the URL is classified by its shape ([`Shape`]); known sites have their own rule
//! (`youtube`, `apple`, `spotify`), anything else is tried as a feed and then searched for
//! `<link rel="alternate">` feeds (`page`). Every rule is pure over an already-fetched page;
//! this module only orders the fetches, which all go through [`Fetcher`] (and so through the
//! `SYNDICATOR_ORIGIN_*` overrides, while the URLs returned stay canonical).

mod apple;
mod catalogs;
mod forms;
mod page;
mod shape;
mod spotify;
mod tags;
mod web;
mod youtube;

pub use forms::{source_key, web_page};
pub use shape::{Shape, pasted_page};

use url::Url;

use crate::fetch::{Fetcher, Page};
use crate::model::{Language, Platform};
use crate::pipeline::SpotifyAuth;
use crate::source::{self, FeedShow};

/// A source found for a pasted URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub platform: Platform,
    /// The canonical URL, as written to the config.
    pub url: String,
    /// The show's name as the source gives it: the default channel name and id.
    pub title: Option<String>,
}

/// A URL that could not be resolved: the URL, why, and every step tried.
#[derive(Debug, thiserror::Error)]
#[error("cannot add {url}: {reason}{}", tried_list(.tried))]
pub struct DiscoverError {
    pub url: String,
    pub reason: String,
    /// What was fetched or looked for, in order, each with its outcome.
    pub tried: Vec<String>,
}

fn tried_list(tried: &[String]) -> String {
    match tried.is_empty() {
        true => String::new(),
        false => format!(" (tried: {})", tried.join("; ")),
    }
}

/// What discovery needs: the fetcher, the site language (Apple's store country and Spotify's
/// market when the URL names none), and Spotify's credentials.
pub struct Discoverer<'a> {
    pub fetcher: &'a Fetcher,
    pub language: Language,
    pub spotify: &'a SpotifyAuth,
}

/// One URL's resolution under way: the steps tried so far, for the error.
struct Attempt {
    input: String,
    tried: Vec<String>,
}

impl Attempt {
    fn fail(self, reason: impl Into<String>) -> DiscoverError {
        DiscoverError { url: self.input, reason: reason.into(), tried: self.tried }
    }
}

impl Discoverer<'_> {
    /// The sources `input` stands for: one, or two for an Apple show (`apple` and the show's
    /// own RSS as `podcast`).
    pub async fn resolve(&self, input: &str) -> Result<Vec<Found>, DiscoverError> {
        let mut attempt = Attempt { input: input.to_owned(), tried: Vec::new() };
        let url = match crate::config::SourceUrl::parse(input) {
            Ok(url) => url.url().clone(),
            Err(e) => return Err(attempt.fail(e)),
        };
        match Shape::of(&url) {
            Shape::YoutubeChannel(id) => self.youtube_channel(&id, &mut attempt).await.map(|f| vec![f]),
            Shape::YoutubePage(page) => self.youtube_page(&page, &mut attempt).await.map(|f| vec![f]),
            Shape::Apple { show_id, country } => self.apple(&show_id, country.as_deref(), &mut attempt).await,
            Shape::SpotifyShow(id) => self.spotify_show(&id, &mut attempt).await.map(|f| vec![f]),
            Shape::SpotifyEpisode(id) => self.spotify_episode(&id, &mut attempt).await.map(|f| vec![f]),
            Shape::Web(url) => self.web(&url, &mut attempt).await.map(|f| vec![f]),
        }
        .map_err(|reason| attempt.fail(reason))
    }

    /// The sources a URL written where a feed belongs stands for (an OPML outline's
    /// `xmlUrl`): an iTunes lookup or Spotify episodes API URL is kept as written, checked as
    /// [`Self::resolve`] checks it; any other URL is resolved as `add` resolves a pasted one.
    pub async fn resolve_written(&self, input: &str) -> Result<Vec<Found>, DiscoverError> {
        let mut attempt = Attempt { input: input.to_owned(), tried: Vec::new() };
        let Ok(url) = Url::parse(input.trim()) else { return self.resolve(input).await };
        let found = match Shape::of(&url) {
            Shape::Apple { .. } if pasted_page(&url).is_none() => {
                let show = self.apple_lookup(url.as_str(), &mut attempt).await;
                show.map(|show| Found { platform: Platform::Apple, url: url.to_string(), title: show.name })
            }
            Shape::SpotifyShow(id) if url.path().ends_with("/episodes") => {
                self.spotify_episodes(&id, url.to_string(), &mut attempt).await
            }
            _ => return self.resolve(input).await,
        };
        found.map(|found| vec![found]).map_err(|reason| attempt.fail(reason))
    }

    /// GETs `url` (with a bearer token if given), recording the step; the error is the reason.
    async fn get(&self, url: &Url, bearer: Option<&str>, attempt: &mut Attempt) -> Result<Page, String> {
        match self.fetcher.get_page(url, bearer).await {
            Ok(page) => {
                attempt.tried.push(format!("GET {url}: ok"));
                Ok(page)
            }
            Err(e) => {
                attempt.tried.push(format!("GET {url}: {}", e.kind));
                Err(format!("{url} {}", e.kind))
            }
        }
    }

    /// Fetches a feed and reads its own metadata, recording what it was.
    async fn feed(&self, url: &Url, attempt: &mut Attempt) -> Result<FeedShow, String> {
        let page = self.get(url, None, attempt).await?;
        source::parse_feed_show(&page.body).map_err(|e| {
            attempt.tried.push(format!("{url} as a feed: {e}"));
            format!("{url} is {e}")
        })
    }

    async fn youtube_channel(&self, channel_id: &str, attempt: &mut Attempt) -> Result<Found, String> {
        let url = youtube::feed_url(channel_id);
        let show = self.feed(&parsed(&url), attempt).await?;
        Ok(Found { platform: Platform::Youtube, url, title: show.title })
    }

    async fn youtube_page(&self, page_url: &Url, attempt: &mut Attempt) -> Result<Found, String> {
        let page = self.get(page_url, None, attempt).await?;
        let html = String::from_utf8_lossy(&page.body);
        let Some(id) = youtube::channel_id_in_page(&html, &tags::head_tags(&html)) else {
            attempt
                .tried
                .push(format!("{page_url}: looked for the channel id (feed link, canonical link, metadata)"));
            return Err(format!("{page_url} names no YouTube channel id"));
        };
        self.youtube_channel(&id, attempt).await
    }
}

/// A URL this module built itself.
fn parsed(url: &str) -> Url {
    Url::parse(url).expect("discovery builds valid URLs")
}
