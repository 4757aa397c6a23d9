//! Fixes made by hand (`syndicator link`, `unlink`, `forget`), as pure functions over
//! episodes. A fix says which episode each copy it touched belongs to ([`Pin`]s): the merge
//! puts a pinned item into its episode before any rule, so the fix wins over the automatic
//! rules on later syncs and after the store is rebuilt. Stubs are not touched here: a fix
//! leaves [`StubWork`] for the next run of the channel, which rewrites an untouched stub,
//! records pending embeds for an edited one, or writes a stub that is missing.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::model::{Episode, EpisodeId, Item, Platform, StubState};
use crate::platform::web_url;

/// Which episode a copy belongs to, decided by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    pub channel: String,
    pub platform: Platform,
    pub platform_id: String,
    pub episode: EpisodeId,
}

/// A channel's pins by platform and platform id, as the merge looks them up (by reference:
/// a lookup of each new item copies no id).
#[derive(Debug, Clone, Default)]
pub struct Pins {
    by_id: HashMap<Platform, HashMap<String, EpisodeId>>,
    /// Podcast and feed pins made with a page URL (`link` takes an item's guid or its link),
    /// by that URL without its tracking parameters: an item whose guid is not its link is
    /// found by its link.
    by_link: HashMap<Platform, HashMap<String, EpisodeId>>,
}

impl Pins {
    pub fn insert(&mut self, pin: Pin) {
        if let Some(link) = pinned_link(pin.platform, &pin.platform_id) {
            self.by_link.entry(pin.platform).or_default().insert(link, pin.episode.clone());
        }
        self.by_id.entry(pin.platform).or_default().insert(pin.platform_id, pin.episode);
    }

    /// The episode `item` was pinned to, if any: by its id, else by its link.
    pub fn of(&self, item: &Item) -> Option<&EpisodeId> {
        let by_id = self.by_id.get(&item.platform).and_then(|pinned| pinned.get(&item.platform_id));
        by_id.or_else(|| {
            let pinned = self.by_link.get(&item.platform)?;
            pinned.get(&crate::source::link_id(item.link.as_deref()?))
        })
    }

    /// The ids pinned to `episode` on `platform`.
    pub fn pinned_to<'a>(
        &'a self,
        episode: &'a EpisodeId,
        platform: Platform,
    ) -> impl Iterator<Item = &'a str> {
        let pinned = self.by_id.get(&platform).into_iter().flatten();
        pinned.filter(move |(_, to)| *to == episode).map(|(id, _)| id.as_str())
    }

    /// The pinned copies that no episode of `channel` holds (no source has shown them yet), by
    /// the episode they are pinned to, each list as `(platform, the id or page they were
    /// linked by)` in order.
    pub fn unseen<'a>(&'a self, channel: &[Episode]) -> HashMap<&'a EpisodeId, Vec<(Platform, &'a str)>> {
        let mut unseen: HashMap<&EpisodeId, Vec<(Platform, &str)>> = HashMap::new();
        if self.is_empty() {
            return unseen;
        }
        let copies = || channel.iter().flat_map(|episode| &episode.copies);
        let ids: HashSet<(Platform, &str)> = copies().map(|c| (c.platform, c.platform_id.as_str())).collect();
        let links: HashSet<(Platform, String)> =
            copies().filter_map(|c| Some((c.platform, crate::source::link_id(c.link.as_deref()?)))).collect();
        let held = |platform: Platform, pinned: &str| {
            ids.contains(&(platform, pinned))
                || pinned_link(platform, pinned).is_some_and(|link| links.contains(&(platform, link)))
        };
        for (&platform, pinned) in &self.by_id {
            for (id, episode) in pinned.iter().filter(|(id, _)| !held(platform, id)) {
                unseen.entry(episode).or_default().push((platform, id.as_str()));
            }
        }
        unseen.values_mut().for_each(|copies| copies.sort_unstable());
        unseen
    }

    /// The platforms each episode has a pinned copy on.
    pub fn platforms_by_episode(&self) -> HashMap<&EpisodeId, Vec<Platform>> {
        let mut by_episode: HashMap<&EpisodeId, Vec<Platform>> = HashMap::new();
        for (platform, pinned) in &self.by_id {
            for episode in pinned.values() {
                by_episode.entry(episode).or_default().push(*platform);
            }
        }
        by_episode
    }

    /// True when nothing is pinned.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// The page a podcast or feed copy was pinned by (`link` takes an item's guid or its link),
/// without its tracking parameters; `None` for a pin by id.
fn pinned_link(platform: Platform, pinned: &str) -> Option<String> {
    let by_page = matches!(platform, Platform::Podcast | Platform::Feed) && web_url(pinned).is_some();
    by_page.then(|| crate::source::link_id(pinned))
}

/// What the next run of an episode's channel does to its stub after a fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StubWork {
    /// Bring a stub up to date with the episode's copies: an untouched one is rewritten, an
    /// edited one gets the missing embed lines shown in `status`. No stub, no work.
    Refresh,
    /// The same, and write a stub for an episode that has none (a forgotten tombstone, the
    /// half of a split that left).
    Write,
}

/// What a fix changes; the store applies it in one transaction.
#[derive(Debug, Default)]
pub struct Fix {
    /// Episodes to record, new or changed.
    pub put: Vec<Episode>,
    /// Episodes left without any copy: their records go (a stub of theirs stays on disk, the
    /// author's to keep or delete).
    pub removed: Vec<Episode>,
    pub pins: Vec<Pin>,
    /// Pins to drop: earlier links of a platform that a new link replaces. (The pins of a
    /// removed episode go too: the store drops them with it.)
    pub unpinned: Vec<Pin>,
    pub work: Vec<(EpisodeId, StubWork)>,
}

impl Fix {
    /// This fix, a link of `platform_id` on `platform` to `target`, also drops the ids
    /// `earlier` pinned there, except those of copies `target` holds: linking a platform
    /// again replaces its link, whether the copy linked before was seen since or not.
    pub fn replacing(
        mut self,
        target: &Episode,
        platform: Platform,
        platform_id: &str,
        earlier: &[&str],
    ) -> Fix {
        let held = |id: &str| target.copies.iter().any(|c| c.platform == platform && c.platform_id == id);
        let replaced = earlier.iter().filter(|id| **id != platform_id && !held(id));
        self.unpinned.extend(replaced.map(|id| pin(target, platform, id)));
        self
    }

    /// Records `episode`, pins every copy it holds to it, and leaves `work` for its stub.
    fn keep(&mut self, episode: Episode, work: StubWork) {
        self.pins.extend(episode.copies.iter().map(|copy| pin(&episode, copy.platform, &copy.platform_id)));
        self.work.push((episode.id.clone(), work));
        self.put.push(episode);
    }
}

fn pin(episode: &Episode, platform: Platform, platform_id: &str) -> Pin {
    Pin {
        channel: episode.channel.clone(),
        platform,
        platform_id: platform_id.to_owned(),
        episode: episode.id.clone(),
    }
}

/// Why a fix cannot be made; each names the episode and the command that would help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FixError {
    #[error(
        "{episode} already has a {platform} copy ({id}); `syndicator unlink {episode} {platform}` splits it off first"
    )]
    AlreadyHas { episode: EpisodeId, platform: Platform, id: String },
    #[error("{episode} has no {platform} copy; `syndicator status {channel}` lists its copies")]
    NoCopy { episode: EpisodeId, channel: String, platform: Platform },
    #[error("{episode} has only {platform} copies: there is nothing to split")]
    NothingToSplit { episode: EpisodeId, platform: Platform },
    #[error("{episode} has no tombstone (its stub is {state}): only a stub its author deleted is forgotten")]
    NotDeleted { episode: EpisodeId, state: &'static str },
}

/// Attaches `copy`, taken from the episode `holder` (or new to the store: `None`), to
/// `target`. A holder left with no copy is removed. Linking a copy already there is no
/// change; a different copy on the same platform must be unlinked first.
pub fn link(mut target: Episode, holder: Option<Episode>, copy: Item) -> Result<Fix, FixError> {
    if let Some(present) = target.copy(copy.platform) {
        if present.platform_id == copy.platform_id {
            return Ok(Fix::default());
        }
        let (episode, platform, id) = (target.id.clone(), copy.platform, present.platform_id.clone());
        return Err(FixError::AlreadyHas { episode, platform, id });
    }
    let mut fix = Fix::default();
    if let Some(mut holder) = holder {
        holder.copies.retain(|c| (c.platform, &c.platform_id) != (copy.platform, &copy.platform_id));
        match holder.copies.is_empty() {
            true => fix.removed.push(holder),
            false => fix.keep(holder, StubWork::Refresh),
        }
    }
    target.copies.push(copy);
    fix.keep(target, StubWork::Refresh);
    Ok(fix)
}

/// Pins a copy no source has shown yet to `target`: it joins `target` when a sync sees it.
pub fn link_unseen(target: &Episode, platform: Platform, platform_id: &str) -> Result<Fix, FixError> {
    if let Some(present) = target.copy(platform) {
        let (episode, id) = (target.id.clone(), present.platform_id.clone());
        return Err(FixError::AlreadyHas { episode, platform, id });
    }
    let mut pins: Vec<Pin> = target.copies.iter().map(|c| pin(target, c.platform, &c.platform_id)).collect();
    pins.push(pin(target, platform, platform_id));
    Ok(Fix { pins, ..Fix::default() })
}

/// Drops the links of `episode` on `platform` to the copies `pinned` there: `unlink` of a
/// platform the episode holds no copy on, to undo a link of a copy no source has shown yet.
pub fn unlink_unseen(episode: &Episode, platform: Platform, pinned: &[&str]) -> Result<Fix, FixError> {
    if pinned.is_empty() {
        let (episode, channel) = (episode.id.clone(), episode.channel.clone());
        return Err(FixError::NoCopy { episode, channel, platform });
    }
    Ok(Fix { unpinned: pinned.iter().map(|id| pin(episode, platform, id)).collect(), ..Fix::default() })
}

/// Splits `episode` into its copies on `platform` and the rest. The half holding the copy
/// that founded it keeps its id and stub; the other half becomes a new episode, named after
/// its earliest copy, which gets a stub of its own when the episode had one.
pub fn unlink(mut episode: Episode, platform: Platform) -> Result<Fix, FixError> {
    let (on, rest): (Vec<Item>, Vec<Item>) = episode.copies.drain(..).partition(|c| c.platform == platform);
    let (id, channel) = (episode.id.clone(), episode.channel.clone());
    if on.is_empty() {
        return Err(FixError::NoCopy { episode: id, channel, platform });
    }
    if rest.is_empty() {
        return Err(FixError::NothingToSplit { episode: id, platform });
    }
    let founded = |copies: &[Item]| copies.iter().any(|c| Episode::id_for(&channel, c) == id);
    let (stay, leave) = if founded(&on) { (on, rest) } else { (rest, on) };
    let earliest = leave.iter().min_by_key(|c| c.published).expect("the leaving half has copies");
    let had_stub = !matches!(episode.stub, StubState::Skipped);
    let split =
        Episode { id: Episode::id_for(&channel, earliest), channel, copies: leave, stub: StubState::Skipped };
    episode.copies = stay;
    let mut fix = Fix::default();
    fix.keep(episode, StubWork::Refresh);
    fix.keep(split, if had_stub { StubWork::Write } else { StubWork::Refresh });
    Ok(fix)
}

/// Removes the tombstone of an episode whose stub the author deleted, so that the next run
/// writes its stub again.
pub fn forget(mut episode: Episode) -> Result<Fix, FixError> {
    let state = match &episode.stub {
        StubState::Deleted { .. } => {
            episode.stub = StubState::Skipped;
            let work = vec![(episode.id.clone(), StubWork::Write)];
            return Ok(Fix { put: vec![episode], work, ..Fix::default() });
        }
        StubState::Skipped => "not written",
        StubState::Written { .. } => "written",
        StubState::Edited { .. } => "edited by its author",
    };
    Err(FixError::NotDeleted { episode: episode.id, state })
}

#[cfg(test)]
mod tests;
