//! One home per platform: everything syndicator knows about a platform's embed lives in that
//! platform's module — the id rule, the shortcode line a stub carries, the Hugo template we ship
//! for it, the HTML the blog feed shows instead of the shortcode (feed readers strip
//! iframes), the episode URLs a user pastes to name a copy ([`copy_ref`]), and the link to a
//! moment of the copy (chapters). Everything else reaches a platform through [`embed`], an exhaustive `match` over
//! [`Platform`], so a new platform is a compile error here and in `Channel::url` and
//! `Platform::as_str`. Pure: no IO.

mod apple;
mod spotify;
mod youtube;

use crate::model::{Episode, Item, Platform};

/// A platform whose copies are embedded in a stub with a Hugo shortcode.
pub trait Embed: Sync {
    /// The shortcode's name as Hugo knows it (`youtube`, `spotify`, `apple-podcast`).
    fn shortcode(&self) -> &'static str;

    /// The shortcode line for the platform's copy of an episode, or `None` when the copy's id
    /// fails the platform's rule (so upstream data can never inject a shortcode).
    fn stub_line(&self, copy: &Item) -> Option<String>;

    /// The Hugo template syndicator ships for the shortcode; `None` when Hugo has it built in.
    fn template(&self) -> Option<&'static str>;

    /// The HTML the blog feed shows in place of the shortcode called with `argument`, or `None`
    /// to drop a shortcode whose argument fails the platform's rule.
    fn feed_html(&self, argument: &str) -> Option<String>;

    /// A link that plays the platform's copy from `secs` seconds in (a chapter's moment), or
    /// `None` when the platform has no such link or the copy's id fails its rule.
    fn moment_link(&self, _copy: &Item, _secs: u64) -> Option<String> {
        None
    }
}

/// The embed of `platform`; `None` for platforms that have no player (podcast RSS, plain feeds).
pub fn embed(platform: Platform) -> Option<&'static dyn Embed> {
    match platform {
        Platform::Youtube => Some(&youtube::Youtube),
        Platform::Spotify => Some(&spotify::Spotify),
        Platform::Apple => Some(&apple::Apple),
        Platform::Podcast | Platform::Feed => None,
    }
}

/// Every embed, in the order a stub shows them (the order of [`Platform::ALL`]).
pub fn embeds() -> impl Iterator<Item = (Platform, &'static dyn Embed)> {
    Platform::ALL.into_iter().filter_map(|platform| embed(platform).map(|e| (platform, e)))
}

/// The embed whose shortcode is called `name`.
pub fn by_shortcode(name: &str) -> Option<&'static dyn Embed> {
    embeds().map(|(_, e)| e).find(|e| e.shortcode() == name)
}

/// The shortcode lines for the copies `episode` has, in [`embeds`] order.
pub fn embed_lines(episode: &Episode) -> Vec<String> {
    embeds().filter_map(|(platform, e)| e.stub_line(episode.copy(platform)?)).collect()
}

/// The templates syndicator ships: (file name under `layouts/shortcodes/`, contents).
pub fn templates() -> Vec<(String, &'static str)> {
    embeds().filter_map(|(_, e)| Some((format!("{}.html", e.shortcode()), e.template()?))).collect()
}

/// A copy named by the user (`syndicator link`): its platform id and, when the text says, a
/// link to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyRef {
    pub platform_id: String,
    pub link: Option<String>,
}

/// The copy `text` names on `platform`: a pasted episode URL or a bare id (YouTube: watch,
/// `youtu.be`, shorts, live or embed URLs; Spotify: episode URLs and `spotify:episode:` URIs;
/// Apple: episode URLs with `?i=`, or the track id), held to the platform's id rule; for a
/// podcast or feed item its guid or link as given. `None` when it names nothing.
pub fn copy_ref(platform: Platform, text: &str) -> Option<CopyRef> {
    let text = text.trim();
    match platform {
        Platform::Youtube => youtube::copy_ref(text),
        Platform::Spotify => spotify::copy_ref(text),
        Platform::Apple => apple::copy_ref(text),
        Platform::Podcast | Platform::Feed => {
            let plausible = (1..=2000).contains(&text.len()) && !text.chars().any(char::is_control);
            let link = web_url(text).map(|_| text.to_owned());
            plausible.then(|| CopyRef { platform_id: text.to_owned(), link })
        }
    }
}

/// `text` as an http(s) URL.
pub fn web_url(text: &str) -> Option<url::Url> {
    url::Url::parse(text).ok().filter(|url| matches!(url.scheme(), "http" | "https"))
}

/// Whether `id` has a length in `len` and only characters that pass `allowed`.
fn valid_id(id: &str, len: std::ops::RangeInclusive<usize>, allowed: impl Fn(char) -> bool) -> bool {
    len.contains(&id.len()) && id.chars().all(allowed)
}

#[cfg(test)]
mod tests;
