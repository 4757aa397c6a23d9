//! Spotify: an alphanumeric id of 10–40 characters (real ones have 22), our `spotify`
//! shortcode (`{{< spotify "episode/ID" >}}`, also `show/ID` …) rendering Spotify's embed
//! player, and a "Listen on Spotify" link in the blog feed.

use super::{CopyRef, Embed, valid_id, web_url};
use crate::model::Item;

pub struct Spotify;

/// The kinds of Spotify page the shortcode accepts before the id; a bare id is an episode.
const KINDS: [&str; 5] = ["episode", "show", "track", "album", "playlist"];

/// The id rule, for stubs and for the blog feed alike.
fn spotify_id(id: &str) -> Option<&str> {
    valid_id(id, 10..=40, |c| c.is_ascii_alphanumeric()).then_some(id)
}

/// An episode named by a pasted URL (`open.spotify.com/[intl-xx/]episode/ID`), a
/// `spotify:episode:ID` URI, or its bare id.
pub(super) fn copy_ref(text: &str) -> Option<CopyRef> {
    let id = if let Some(id) = text.strip_prefix("spotify:episode:") {
        id.to_owned()
    } else if let Some(url) = web_url(text) {
        let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.starts_with("intl-")).collect();
        match (url.host_str()?, segments.as_slice()) {
            ("open.spotify.com", ["episode", id, ..]) => (*id).to_owned(),
            _ => return None,
        }
    } else {
        text.to_owned()
    };
    let id = spotify_id(&id)?.to_owned();
    Some(CopyRef { link: Some(format!("https://open.spotify.com/episode/{id}")), platform_id: id })
}

impl Embed for Spotify {
    fn shortcode(&self) -> &'static str {
        "spotify"
    }

    fn stub_line(&self, copy: &Item) -> Option<String> {
        spotify_id(&copy.platform_id).map(|id| format!("{{{{< spotify \"episode/{id}\" >}}}}"))
    }

    fn template(&self) -> Option<&'static str> {
        Some(include_str!("spotify.html"))
    }

    fn feed_html(&self, argument: &str) -> Option<String> {
        let (kind, id) = argument.split_once('/').unwrap_or(("episode", argument));
        let id = spotify_id(id).filter(|_| KINDS.contains(&kind))?;
        Some(format!("<a href=\"https://open.spotify.com/{kind}/{id}\">Listen on Spotify</a>"))
    }
}
