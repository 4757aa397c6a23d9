//! The newest stubs, each with the platforms its episode has a copy on and the configured
//! platforms it is still missing (an embed may arrive later: Apple and Spotify often publish
//! hours after YouTube). Read from the store's date index, so the cost grows with the limit,
//! not with the history.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::printable_owned;
use crate::config::Config;
use crate::model::{Episode, Platform, StubState};
use crate::store::{Store, StoreError};

/// How many of the newest episodes are looked at for [`recent_stubs`].
pub const RECENT_EPISODES: usize = 20;

/// One stub among the newest.
#[derive(Debug, Serialize, Deserialize)]
pub struct RecentStub {
    pub channel: String,
    pub title: String,
    /// Where it was written, relative to the content section.
    pub path: String,
    /// The episode's earliest publish time.
    pub published: Option<DateTime<Utc>>,
    /// Platforms with a copy of the episode, in embed order.
    pub has: Vec<Platform>,
    /// Platforms the channel follows that have no copy yet, in embed order.
    pub missing: Vec<Platform>,
}

/// Among the [`RECENT_EPISODES`] newest episodes of configured channels, those with a stub on
/// disk (written, or written and edited by the author), newest first.
pub fn recent_stubs(config: &Config, store: &Store) -> Result<Vec<RecentStub>, StoreError> {
    let episodes = store.recent_episodes(RECENT_EPISODES, |channel| config.channel(channel).is_some())?;
    Ok(episodes.iter().filter_map(|episode| recent_stub(config, episode)).collect())
}

fn recent_stub(config: &Config, episode: &Episode) -> Option<RecentStub> {
    let path = match &episode.stub {
        StubState::Written { path, .. } | StubState::Edited { path, .. } => path,
        StubState::Skipped | StubState::Deleted { .. } => return None,
    };
    let channel = config.channel(&episode.channel)?;
    let has: Vec<Platform> = Platform::ALL.into_iter().filter(|p| episode.copy(*p).is_some()).collect();
    let followed: Vec<Platform> = channel.sources().map(|(platform, _)| platform).collect();
    let missing = Platform::ALL.into_iter().filter(|p| followed.contains(p) && !has.contains(p)).collect();
    let title = episode.copies.first().map(|copy| copy.title.as_str()).unwrap_or_default();
    Some(RecentStub {
        channel: episode.channel.clone(),
        title: printable_owned(title),
        path: printable_owned(path),
        published: episode.published(),
        has,
        missing,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::Item;

    const CONFIG: &str = r#"
[site]
root = "site"
title = "T"
base_url = "https://blog.example.com/"

[[channels]]
id = "mlst"
name = "MLST"
youtube = "https://www.youtube.com/feeds/videos.xml?channel_id=X"
podcast = "https://example.com/podcast.xml"
spotify = "https://api.spotify.com/v1/shows/S/episodes"
"#;

    fn copy(platform: Platform, id: &str, day: u32) -> Item {
        let published = format!("2025-11-{day:02}T10:00:00Z").parse().ok();
        Item::bare(platform, id, &format!("Talk {id}\u{1b}[2J"), published)
    }

    fn episode(copies: Vec<Item>, stub: StubState) -> Episode {
        Episode { id: Episode::id_for("mlst", &copies[0]), channel: "mlst".into(), copies, stub }
    }

    #[test]
    fn the_newest_stubs_name_the_platforms_they_have_and_miss() {
        let config = Config::parse(CONFIG, Path::new("t.toml")).unwrap();
        let store = Store::temporary().unwrap();
        let written = |path: &str| StubState::Written { path: path.into(), hash: "h".into() };
        store.put_episode(&episode(vec![copy(Platform::Youtube, "a", 3)], written("a.md"))).unwrap();
        let both = vec![copy(Platform::Youtube, "b", 9), copy(Platform::Podcast, "b-pod", 9)];
        store
            .put_episode(&episode(both, StubState::Edited { path: "b.md".into(), pending: vec![] }))
            .unwrap();
        store.put_episode(&episode(vec![copy(Platform::Youtube, "c", 5)], StubState::Skipped)).unwrap();
        let gone = StubState::Deleted { path: "d.md".into() };
        store.put_episode(&episode(vec![copy(Platform::Youtube, "d", 7)], gone)).unwrap();

        let recent = recent_stubs(&config, &store).unwrap();
        let paths: Vec<&str> = recent.iter().map(|stub| stub.path.as_str()).collect();
        assert_eq!(paths, ["b.md", "a.md"], "newest first; skipped and deleted stubs left out");
        assert_eq!(recent[0].has, [Platform::Youtube, Platform::Podcast]);
        assert_eq!(recent[0].missing, [Platform::Spotify]);
        assert_eq!(recent[1].missing, [Platform::Spotify, Platform::Podcast], "embed order");
        assert_eq!(recent[1].title, "Talk a\\u{1b}[2J", "upstream text is printable");
    }
}
