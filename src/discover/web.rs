//! Any other URL: tried as a feed first; else, as an HTML page, each feed it links to
//! (`<link rel="alternate">`) in turn. A feed's kind comes from the document: a YouTube
//! channel feed is `youtube` (at its canonical URL), a feed with enclosures `podcast`, any
//! other `feed`.

use url::Url;

use super::page::{self, Format};
use super::{Attempt, Discoverer, Found, tags, youtube};
use crate::model::Platform;
use crate::source::{self, FeedShow, ParseError};

impl Discoverer<'_> {
    pub(super) async fn web(&self, url: &Url, attempt: &mut Attempt) -> Result<Found, String> {
        let fetched = self.get(url, None, attempt).await?;
        let not_a_feed = match source::parse_feed_show(&fetched.body) {
            Ok(show) => return self.kind_of(url, show, attempt).await,
            Err(e) => e,
        };
        attempt.tried.push(format!("{url} as a feed: {not_a_feed}"));
        if !matches!(&not_a_feed, ParseError::NotAFeed(what) if what.contains("HTML")) {
            return Err(format!("{url} is neither a feed nor an HTML page ({not_a_feed})"));
        }
        let html = String::from_utf8_lossy(&fetched.body);
        let alternates = page::alternates(&tags::head_tags(&html), &fetched.url);
        attempt.tried.push(format!("{url}: {} feed link(s) (<link rel=\"alternate\">)", alternates.len()));
        for alternate in alternates.iter().filter(|a| a.format.is_readable()) {
            if let Ok(show) = self.feed(&alternate.url, attempt).await {
                return self.kind_of(&alternate.url, show, attempt).await;
            }
        }
        Err(match alternates.iter().find(|a| a.format == Format::JsonFeed) {
            Some(json) if alternates.iter().all(|a| !a.format.is_readable()) => format!(
                "the page links only a JSON Feed ({}), which syndicator cannot poll; look for its RSS or Atom feed",
                json.url
            ),
            _ if alternates.is_empty() => "the page links no RSS or Atom feed".to_owned(),
            _ => "none of the feeds the page links could be read".to_owned(),
        })
    }

    /// The source a working feed at `url` becomes.
    async fn kind_of(&self, url: &Url, show: FeedShow, attempt: &mut Attempt) -> Result<Found, String> {
        if let Some(channel) = show.youtube_channel.filter(|id| super::shape::is_channel_id(id)) {
            let canonical = youtube::feed_url(&channel);
            return match canonical == url.as_str() {
                true => Ok(Found { platform: Platform::Youtube, url: canonical, title: show.title }),
                false => self.youtube_channel(&channel, attempt).await,
            };
        }
        let platform = if show.has_enclosures { Platform::Podcast } else { Platform::Feed };
        Ok(Found { platform, url: url.to_string(), title: show.title })
    }
}
