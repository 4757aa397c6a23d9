//! The order of fetches for the two podcast catalogues: Apple (the lookup, then the show's
//! own RSS it names) and Spotify (the token, the episodes page, the show for its name; an
//! episode's show first).

use super::{Attempt, Discoverer, Found, apple, parsed, spotify};
use crate::model::Platform;
use crate::source::{self, ApiShow};

impl Discoverer<'_> {
    /// An Apple show: its lookup URL (`apple`) and the RSS the lookup names (`podcast`), both
    /// fetched and read.
    pub(super) async fn apple(
        &self,
        show_id: &str,
        country: Option<&str>,
        attempt: &mut Attempt,
    ) -> Result<Vec<Found>, String> {
        let country = country.unwrap_or_else(|| apple::country_of(self.language));
        let url = apple::lookup_url(show_id, country);
        let show = self.apple_lookup(&url, attempt).await?;
        let mut found = vec![Found { platform: Platform::Apple, url, title: show.name.clone() }];
        match show.feed_url.as_deref().map(url::Url::parse) {
            Some(Ok(feed_url)) => {
                let feed = self.feed(&feed_url, attempt).await?;
                let title = show.name.or(feed.title);
                found.push(Found { platform: Platform::Podcast, url: feed_url.to_string(), title });
            }
            Some(Err(e)) => {
                tracing::warn!("the iTunes lookup names a bad feedUrl ({e}); added without `podcast`")
            }
            None => {
                tracing::warn!("the iTunes lookup names no feedUrl for {show_id}; added without `podcast`")
            }
        }
        Ok(found)
    }

    /// An iTunes lookup URL fetched and read: the show it knows.
    pub(super) async fn apple_lookup(&self, url: &str, attempt: &mut Attempt) -> Result<ApiShow, String> {
        let lookup = self.get(&parsed(url), None, attempt).await?;
        match source::parse_apple_show(&lookup.body) {
            Ok(Some(show)) => Ok(show),
            Ok(None) => Err(format!("the iTunes lookup {url} knows no such podcast in that store")),
            Err(e) => Err(format!("the iTunes lookup {url} answered {e}")),
        }
    }

    /// A Spotify show: its episodes URL in the site's market (see [`Self::spotify_episodes`]).
    pub(super) async fn spotify_show(&self, show_id: &str, attempt: &mut Attempt) -> Result<Found, String> {
        let url = spotify::episodes_url(show_id, spotify::market_of(self.language));
        self.spotify_episodes(show_id, url, attempt).await
    }

    /// A show's episodes URL, fetched and read when credentials are set (else added
    /// unchecked, with a warning), and its name from the API.
    pub(super) async fn spotify_episodes(
        &self,
        show_id: &str,
        url: String,
        attempt: &mut Attempt,
    ) -> Result<Found, String> {
        let market = spotify::market_of(self.language);
        let Some(token) = self.spotify_token(attempt).await? else {
            tracing::warn!(
                "{url} is added unchecked: {}",
                self.spotify.missing_credentials().unwrap_or_default()
            );
            return Ok(Found { platform: Platform::Spotify, url, title: None });
        };
        let episodes = self.get(&parsed(&url), Some(&token), attempt).await?;
        source::parse_spotify_page(&episodes.body).map_err(|e| format!("{url} answered {e}"))?;
        let show = self.get(&parsed(&spotify::show_url(show_id, market)), Some(&token), attempt).await?;
        let title = source::parse_spotify_show(&show.body).ok().and_then(|show| show.name);
        Ok(Found { platform: Platform::Spotify, url, title })
    }

    /// A Spotify episode: its show, which needs the API and so the credentials.
    pub(super) async fn spotify_episode(
        &self,
        episode_id: &str,
        attempt: &mut Attempt,
    ) -> Result<Found, String> {
        let Some(token) = self.spotify_token(attempt).await? else {
            let missing = self.spotify.missing_credentials().unwrap_or_default();
            return Err(format!(
                "finding an episode's show needs the Spotify API: {missing}; or paste the show's URL \
                 (open.spotify.com/show/…) instead"
            ));
        };
        let url = parsed(&spotify::episode_url(episode_id, spotify::market_of(self.language)));
        let episode = self.get(&url, Some(&token), attempt).await?;
        let show = source::parse_spotify_show(&episode.body).map_err(|e| format!("{url} answered {e}"))?;
        let show_id = show.id.ok_or_else(|| format!("{url} names no show"))?;
        self.spotify_show(&show_id, attempt).await
    }

    /// A Spotify token when credentials are set; `None` without them.
    async fn spotify_token(&self, attempt: &mut Attempt) -> Result<Option<String>, String> {
        if self.spotify.missing_credentials().is_some() {
            return Ok(None);
        }
        match self.spotify.token(self.fetcher).await {
            Ok(token) => Ok(Some(token)),
            Err(cause) => {
                attempt.tried.push(format!("a Spotify token: {}", cause.message));
                Err(cause.message)
            }
        }
    }
}
