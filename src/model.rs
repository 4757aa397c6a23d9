//! Domain types shared by every module: platforms, the normalised [`Item`] every source
//! produces, and the [`Episode`] that groups the copies of one talk across platforms.
//! No IO happens here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

mod podcasting;

pub use podcasting::{Chapter, Person, Podcasting, TranscriptLink};

/// Where a copy of a talk lives. The order of the variants is the order of embeds in a stub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Youtube,
    Spotify,
    Apple,
    Podcast,
    Feed,
}

impl Platform {
    /// Every platform, in embed order.
    pub const ALL: [Platform; 5] =
        [Platform::Youtube, Platform::Spotify, Platform::Apple, Platform::Podcast, Platform::Feed];

    /// The config key and log name of the platform.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Youtube => "youtube",
            Platform::Spotify => "spotify",
            Platform::Apple => "apple",
            Platform::Podcast => "podcast",
            Platform::Feed => "feed",
        }
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The site's language, which picks the built-in stub template and the feeds' language tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Traditional Chinese (Taiwan), config value `zh-TW`.
    ZhTw,
    /// English, config value `en`.
    En,
}

impl Language {
    /// The language tag, as written in the config (`zh-TW`, `en`).
    pub fn tag(self) -> &'static str {
        match self {
            Language::ZhTw => "zh-TW",
            Language::En => "en",
        }
    }
}

/// A language tag syndicator has no template for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown stub language {0:?} (expected \"zh-TW\" or \"en\")")]
pub struct UnknownLanguage(pub String);

impl std::str::FromStr for Language {
    type Err = UnknownLanguage;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            _ if s.eq_ignore_ascii_case("zh-TW") => Ok(Language::ZhTw),
            _ if s.eq_ignore_ascii_case("en") => Ok(Language::En),
            _ => Err(UnknownLanguage(s.to_owned())),
        }
    }
}

/// How precise a publish time is: Spotify's `release_date` only names a day, and such a date
/// never overrides an exact timestamp from another platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    #[default]
    Exact,
    Day,
}

/// What a URL answered last time, sent back as `If-None-Match` / `If-Modified-Since`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// SHA-256 of the last body, for servers that send no validators.
    pub body_hash: Option<String>,
}

/// A podcast item's audio file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enclosure {
    pub url: String,
    pub mime_type: String,
    pub length: Option<u64>,
}

/// One entry of one platform, normalised from whatever wire format it came in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub platform: Platform,
    /// The platform's own id: YouTube video id, RSS guid (else link, else a hash of title and
    /// date), Atom entry id, Apple track id, Spotify episode id. Dedupe happens on this.
    pub platform_id: String,
    pub title: String,
    pub link: Option<String>,
    /// `None` when the feed gave no parseable date; the pipeline then uses the first-seen time.
    pub published: Option<DateTime<Utc>>,
    #[serde(default)]
    pub precision: DatePrecision,
    /// The description as HTML (plain text is valid HTML).
    pub description_html: String,
    pub thumbnail: Option<String>,
    pub enclosure: Option<Enclosure>,
    pub duration_secs: Option<u64>,
    /// A YouTube Short (its link is under `/shorts/`); skipped unless the channel wants them.
    #[serde(default)]
    pub is_short: bool,
    /// Apple's `episodeGuid`: the guid of the same episode in the show's podcast RSS.
    #[serde(default)]
    pub podcast_guid: Option<String>,
    /// Chapters, transcripts and persons of a Podcasting 2.0 feed; left out of the stored JSON
    /// when empty, and empty in records stored before it existed.
    #[serde(default, skip_serializing_if = "Podcasting::is_empty")]
    pub podcasting: Podcasting,
}

/// What became of an episode's stub post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum StubState {
    /// Not written: left out by backfill on a channel's first sync, or no stub wanted.
    Skipped,
    /// On disk at `path` (relative to the content section folder), with the hash of the text
    /// as we wrote it, so that an author's edit can be told from our own bytes.
    Written { path: String, hash: String },
    /// The author changed it: never rewritten. `pending` holds the embed shortcode lines that
    /// arrived later and that the author may paste in (shown by `status`).
    Edited { path: String, pending: Vec<String> },
    /// We wrote it and the author deleted it: never recreated.
    Deleted { path: String },
}

/// An episode's id, `<channel>:<platform>:<platform id>` of the copy that founded it. Channel
/// ids cannot contain `:`, so the channel is everything before the first one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EpisodeId(String);

impl EpisodeId {
    /// An id read back from a stub or the store; `None` unless it has the three parts.
    pub fn parse(text: &str) -> Option<EpisodeId> {
        let mut parts = text.splitn(3, ':');
        let complete = parts.by_ref().take(3).filter(|part| !part.is_empty()).count() == 3;
        complete.then(|| EpisodeId(text.to_owned()))
    }

    /// The id of an episode that `channel`'s copy `platform_id` on `platform` founds.
    pub fn named_after(channel: &str, platform: Platform, platform_id: &str) -> EpisodeId {
        EpisodeId(format!("{channel}:{platform}:{platform_id}"))
    }

    /// Whether this is the id the copy `platform_id` on `platform` of `channel` founds.
    pub fn is_named_after(&self, channel: &str, platform: Platform, platform_id: &str) -> bool {
        *self == EpisodeId::named_after(channel, platform, platform_id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The channel the episode belongs to.
    pub fn channel(&self) -> &str {
        self.0.split(':').next().unwrap_or_default()
    }
}

#[cfg(test)]
#[test]
fn an_episode_id_has_three_parts_and_knows_its_channel() {
    let id = EpisodeId::parse("mlst:youtube:abc:def").unwrap();
    assert_eq!((id.channel(), id.as_str()), ("mlst", "mlst:youtube:abc:def"));
    for bad in ["", "mlst", "mlst:youtube", "mlst::x", ":youtube:x"] {
        assert_eq!(EpisodeId::parse(bad), None, "{bad:?}");
    }
}

#[cfg(test)]
#[test]
fn an_episode_id_knows_the_copy_it_is_named_after_and_no_other() {
    let id = EpisodeId::named_after("mlst", Platform::Podcast, "urn:x:1");
    assert_eq!(id.as_str(), "mlst:podcast:urn:x:1");
    assert!(id.is_named_after("mlst", Platform::Podcast, "urn:x:1"));
    let others = [
        ("mlst", Platform::Podcast, "urn:x"),
        ("mlst", Platform::Podcast, "urn:x:1:2"),
        ("mlst", Platform::Youtube, "urn:x:1"),
        ("mls", Platform::Podcast, "urn:x:1"),
        ("mlst:podcast", Platform::Podcast, "urn:x:1"),
    ];
    for (channel, platform, platform_id) in others {
        assert!(!id.is_named_after(channel, platform, platform_id), "{channel} {platform} {platform_id}");
    }
}

impl std::fmt::Display for EpisodeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<&str> for EpisodeId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl std::borrow::Borrow<str> for EpisodeId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// One talk, whatever platforms it appears on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Episode {
    /// Stable id `<channel>:<platform>:<platform id>` of the copy that founded the episode;
    /// written into the stub as `syndicator_id` so a lost store can be rebuilt from the stubs.
    pub id: EpisodeId,
    pub channel: String,
    /// One copy per platform item; `published` is always set (first-seen time as fallback).
    pub copies: Vec<Item>,
    pub stub: StubState,
}

impl Episode {
    /// The id an episode founded by `item` of `channel` gets.
    pub fn id_for(channel: &str, item: &Item) -> EpisodeId {
        EpisodeId::named_after(channel, item.platform, &item.platform_id)
    }

    /// The copy on `platform`, if any (the first one when a platform re-published).
    pub fn copy(&self, platform: Platform) -> Option<&Item> {
        self.copies.iter().find(|c| c.platform == platform)
    }

    /// The earliest publish time across copies; a day-precision date never overrides an
    /// exact timestamp from another platform.
    pub fn published(&self) -> Option<DateTime<Utc>> {
        self.published_with_precision().map(|(time, _)| time)
    }

    /// [`Episode::published`] and how precise it is: `Day` only when no copy has an exact time
    /// (the time is then midnight UTC of the day the platform named).
    pub fn published_with_precision(&self) -> Option<(DateTime<Utc>, DatePrecision)> {
        let earliest = |precision| {
            let copies = self.copies.iter().filter(|c| c.precision == precision);
            copies.filter_map(|c| c.published).min().map(|time| (time, precision))
        };
        earliest(DatePrecision::Exact).or_else(|| earliest(DatePrecision::Day))
    }

    /// The title shown in the stub: YouTube's if there is a video, else the first copy's.
    pub fn title(&self) -> &str {
        self.preferred(&[Platform::Youtube, Platform::Podcast, Platform::Feed])
            .map_or("", |c| c.title.as_str())
    }

    /// The YouTube watch URL when the episode has a video, else the podcast item's link.
    pub fn source_url(&self) -> Option<String> {
        if let Some(video) = self.copy(Platform::Youtube) {
            return Some(format!("https://www.youtube.com/watch?v={}", video.platform_id));
        }
        self.preferred(&[Platform::Podcast, Platform::Feed, Platform::Apple, Platform::Spotify])
            .and_then(|c| c.link.clone())
    }

    /// The richest description any copy carries (the longest).
    pub fn description_html(&self) -> &str {
        self.copies.iter().map(|c| c.description_html.as_str()).max_by_key(|d| d.len()).unwrap_or("")
    }

    fn preferred(&self, order: &[Platform]) -> Option<&Item> {
        order.iter().find_map(|p| self.copy(*p)).or_else(|| self.copies.first())
    }
}

impl Item {
    /// An item with only its identity, title and date set: the starting point of test items
    /// and of a copy made by hand from a pasted URL (`syndicator link`).
    pub fn bare(
        platform: Platform,
        platform_id: &str,
        title: &str,
        published: Option<DateTime<Utc>>,
    ) -> Item {
        Item {
            platform,
            platform_id: platform_id.to_owned(),
            title: title.to_owned(),
            link: None,
            published,
            precision: DatePrecision::Exact,
            description_html: String::new(),
            thumbnail: None,
            enclosure: None,
            duration_secs: None,
            is_short: false,
            podcast_guid: None,
            podcasting: Podcasting::default(),
        }
    }
}
