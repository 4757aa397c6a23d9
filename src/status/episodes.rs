//! A channel's newest episodes with every copy's platform and id, and the copies linked to
//! them by hand that no source has shown yet, as data: what `link` and `unlink` name, shown by
//! `syndicator status CHANNEL` (text and JSON).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::printable_owned;
use crate::config::Config;
use crate::model::{Episode, Platform, StubState};
use crate::store::{Store, StoreError};

#[derive(Debug, Serialize, Deserialize)]
pub struct EpisodeStatus {
    /// What `link`, `unlink` and `forget` take.
    pub id: String,
    pub title: String,
    pub published: Option<DateTime<Utc>>,
    /// `written`, `edited` (by its author), `deleted` (a tombstone `forget` removes) or
    /// `skipped` (no stub: held back by backfill).
    pub stub: String,
    /// The stub's path relative to the site root, when it has one.
    pub path: Option<String>,
    pub copies: Vec<CopyStatus>,
    /// Copies linked to this episode by hand that no source has shown yet.
    #[serde(default)]
    pub linked_unseen: Vec<LinkedCopy>,
}

/// A copy linked by hand to an episode before any source showed it.
#[derive(Debug, Serialize, Deserialize)]
pub struct LinkedCopy {
    pub platform: Platform,
    /// The id or page it was linked by.
    pub id: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct CopyStatus {
    pub platform: Platform,
    /// The platform's id of the copy, what `link --<platform>` takes.
    pub id: String,
    pub title: String,
    pub link: Option<String>,
}

/// The newest `limit` episodes of `channel` (all for 0), newest first.
pub fn collect(
    config: &Config,
    store: &Store,
    channel: &str,
    limit: usize,
) -> Result<Vec<EpisodeStatus>, StoreError> {
    let mut episodes = store.channel_episodes(channel)?;
    episodes.sort_by_key(|e| std::cmp::Reverse(e.published()));
    let limit = if limit == 0 { episodes.len() } else { limit };
    let pins = store.pins(channel)?;
    let unseen = pins.unseen(&episodes);
    let unseen_of = |episode: &Episode| unseen.get(&episode.id).map_or(&[][..], Vec::as_slice);
    Ok(episodes.iter().take(limit).map(|episode| status_of(config, episode, unseen_of(episode))).collect())
}

/// `episode` as `status` shows it, with the copies linked to it by hand that no source has
/// shown yet.
fn status_of(config: &Config, episode: &Episode, unseen: &[(Platform, &str)]) -> EpisodeStatus {
    let (stub, path) = match &episode.stub {
        StubState::Written { path, .. } => ("written", Some(path)),
        StubState::Edited { path, .. } => ("edited", Some(path)),
        StubState::Deleted { path } => ("deleted", Some(path)),
        StubState::Skipped => ("skipped", None),
    };
    let copies = episode
        .copies
        .iter()
        .map(|copy| CopyStatus {
            platform: copy.platform,
            id: printable_owned(&copy.platform_id),
            title: printable_owned(&copy.title),
            link: copy.link.as_deref().map(printable_owned),
        })
        .collect();
    EpisodeStatus {
        id: printable_owned(episode.id.as_str()),
        title: printable_owned(episode.title()),
        published: episode.published(),
        stub: stub.to_owned(),
        path: path.map(|p| printable_owned(&config.site_relative(p))),
        copies,
        linked_unseen: unseen
            .iter()
            .map(|&(platform, id)| LinkedCopy { platform, id: printable_owned(id) })
            .collect(),
    }
}
