//! What a Podcasting 2.0 feed (`podcast:` namespace) says about an item beyond plain RSS:
//! where its chapters and transcripts are, and who is on it. Kept on the [`super::Item`] (and
//! so in the store), bounded by the parser; chapters fetched from `chapters_url` are kept too,
//! so that a stub rendered again later reads the same.

use serde::{Deserialize, Serialize};

/// One chapter of a talk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chapter {
    /// Where it starts, in whole seconds from the beginning of the audio or video.
    pub start_secs: u64,
    /// Its title, one line of plain text.
    pub title: String,
    /// A page the show links from the chapter (JSON chapters' `url`): reading material for the
    /// author, http(s) only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A `podcast:transcript` of an item: a file somebody else wrote, fetched as raw material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptLink {
    /// Where it is (http(s) only: a feed never makes syndicator read a local file).
    pub url: String,
    /// Its `type`, lowercase without parameters (`text/vtt`, `application/json` …): decides
    /// which one is fetched and how it is read.
    pub mime_type: String,
    /// Its `language`, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Its `rel` (`captions` for timed captions), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rel: Option<String>,
}

/// A `podcast:person`: who takes part, and as what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The name, as the feed writes it.
    pub name: String,
    /// The role, lowercase; the namespace's default is `host`, so an unlabelled person is never
    /// taken for a guest.
    pub role: String,
    /// The group, lowercase (default `cast`).
    pub group: String,
    /// A page about the person, http(s) only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// A picture of the person, http(s) only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub img: Option<String>,
}

impl Person {
    /// Whether the person is on as a guest (role `guest`, any case).
    pub fn is_guest(&self) -> bool {
        self.role == "guest"
    }

    /// Whether the person hosts the show (role `host` or `co-host`).
    pub fn is_host(&self) -> bool {
        matches!(self.role.as_str(), "host" | "co-host" | "cohost")
    }
}

/// The Podcasting 2.0 elements of one item; empty for every other kind of item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Podcasting {
    /// `podcast:chapters` of type `application/json+chapters`: the chapters' JSON file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chapters_url: Option<String>,
    /// The chapters read from `chapters_url` by the pipeline (empty until then, or when the
    /// file could not be fetched or read).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chapters: Vec<Chapter>,
    /// The item's transcripts, in feed order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transcripts: Vec<TranscriptLink>,
    /// The item's persons; the channel's when the item names none (as the namespace says).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub persons: Vec<Person>,
}

impl Podcasting {
    /// True when the feed said nothing of this: the item is stored exactly as before.
    pub fn is_empty(&self) -> bool {
        self == &Podcasting::default()
    }
}
