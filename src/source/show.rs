//! What a feed or an API answer says about the show itself rather than its episodes, for
//! `add`: a feed's title, the YouTube channel it belongs to and whether it carries audio; the
//! iTunes lookup's show (name and RSS `feedUrl`); a Spotify show's or episode's show (id and
//! name). Lenient like the item parsers: a missing or mistyped field is `None`.

use serde::Deserialize;

use super::json::{Detail, each_lenient, from_json, lenient};
use super::{ParseError, non_blank};

/// A feed's own metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedShow {
    /// The channel's or feed's `<title>`, the default name of a channel added from it.
    pub title: Option<String>,
    /// The channel id (`UC…`) of a YouTube channel feed.
    pub youtube_channel: Option<String>,
    /// Whether any item has an enclosure: a podcast rather than a blog.
    pub has_enclosures: bool,
}

/// The show an API answer describes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiShow {
    /// The platform's id of the show (Spotify).
    pub id: Option<String>,
    /// The show's name (`collectionName`, Spotify's `name`).
    pub name: Option<String>,
    /// The show's own RSS, as Apple lists it (`feedUrl`).
    pub feed_url: Option<String>,
}

/// Reads a feed's own metadata; errors as [`super::parse_feed`] does (an HTML page is
/// `NotAFeed`).
pub fn parse_feed_show(bytes: &[u8]) -> Result<FeedShow, ParseError> {
    let (format, text) = super::prepare(bytes)?;
    match format {
        super::feed::Format::Rss => super::rss_feed::show(&text),
        super::feed::Format::Atom => super::atom_feed::show(&text),
    }
}

#[derive(Deserialize)]
struct Lookup {
    #[serde(deserialize_with = "each_lenient")]
    results: Vec<Option<LookupShow>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LookupShow {
    #[serde(default, deserialize_with = "lenient")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    collection_name: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    feed_url: Option<String>,
}

/// The podcast among an iTunes lookup's results (`kind: "podcast"`); `None` when the lookup
/// found no podcast (an unknown or withdrawn id answers with no results).
pub fn parse_apple_show(bytes: &[u8]) -> Result<Option<ApiShow>, ParseError> {
    let lookup: Lookup = from_json(bytes, Detail::Full)?;
    let mut results = lookup.results.into_iter().flatten();
    let show = results.find(|r| r.kind.as_deref() == Some("podcast"));
    Ok(show.map(|show| ApiShow {
        id: None,
        name: non_blank(show.collection_name.as_deref()),
        feed_url: non_blank(show.feed_url.as_deref()),
    }))
}

#[derive(Deserialize)]
struct SpotifyObject {
    #[serde(default, deserialize_with = "lenient")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    name: Option<String>,
    /// Present on an episode: the show it belongs to.
    #[serde(default, deserialize_with = "lenient")]
    show: Option<Box<SpotifyObject>>,
}

/// The show of a Spotify Web API show (`/v1/shows/{id}`) or episode (`/v1/episodes/{id}`).
pub fn parse_spotify_show(bytes: &[u8]) -> Result<ApiShow, ParseError> {
    let mut object: SpotifyObject = from_json(bytes, Detail::Full)?;
    let show = object.show.take().map_or(object, |show| *show);
    Ok(ApiShow { id: non_blank(show.id.as_deref()), name: non_blank(show.name.as_deref()), feed_url: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feeds_title_channel_and_enclosures() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title> My Show </title>
            <item><title>Ep 1</title><guid>1</guid><enclosure url="https://a/1.mp3" length="1" type="audio/mpeg"/></item>
            </channel></rss>"#;
        let show = parse_feed_show(rss).unwrap();
        assert_eq!(
            show,
            FeedShow { title: Some("My Show".into()), youtube_channel: None, has_enclosures: true }
        );
        let youtube = br#"<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns="http://www.w3.org/2005/Atom">
            <yt:channelId>abcdefghijklmnopqrstuv</yt:channelId><title>Channel</title>
            <entry><id>yt:video:x</id><title>V</title><updated>2025-01-01T00:00:00Z</updated></entry></feed>"#;
        let show = parse_feed_show(youtube).unwrap();
        assert_eq!(show.youtube_channel.as_deref(), Some("UCabcdefghijklmnopqrstuv"));
        assert_eq!((show.title.as_deref(), show.has_enclosures), (Some("Channel"), false));
        let blog = br#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title></feed>"#;
        assert_eq!(parse_feed_show(blog).unwrap().youtube_channel, None);
        let html = parse_feed_show(b"<!doctype html><html><head></head></html>").unwrap_err();
        assert!(matches!(html, ParseError::NotAFeed(_)), "{html}");
    }

    #[test]
    fn the_apple_lookups_podcast() {
        let lookup = br#"{"resultCount":2,"results":[
            {"wrapperType":"track","kind":"podcast","collectionName":"Show","feedUrl":"https://a/rss"},
            {"wrapperType":"podcastEpisode","kind":"podcast-episode","trackName":"Ep"}]}"#;
        let show = parse_apple_show(lookup).unwrap().unwrap();
        assert_eq!((show.name.as_deref(), show.feed_url.as_deref()), (Some("Show"), Some("https://a/rss")));
        assert_eq!(parse_apple_show(br#"{"resultCount":0,"results":[]}"#).unwrap(), None);
        let mistyped = parse_apple_show(br#"{"results":[{"kind":"podcast","feedUrl":7}]}"#).unwrap().unwrap();
        assert_eq!(mistyped.feed_url, None);
        assert!(parse_apple_show(b"<html>").is_err());
    }

    #[test]
    fn a_spotify_shows_or_episodes_show() {
        let show = parse_spotify_show(br#"{"id":"S1","name":"The Show","type":"show"}"#).unwrap();
        assert_eq!((show.id.as_deref(), show.name.as_deref()), (Some("S1"), Some("The Show")));
        let episode =
            parse_spotify_show(br#"{"id":"E1","name":"Ep","show":{"id":"S1","name":"The Show"}}"#).unwrap();
        assert_eq!((episode.id.as_deref(), episode.name.as_deref()), (Some("S1"), Some("The Show")));
    }
}
