//! `syndicator link`, `unlink` and `forget`: fixing the matcher by hand. Each resolves what
//! the user named (an episode id or a stub's path; a pasted episode URL or id), asks
//! [`crate::episodes::manual`] for the fix, applies it to the store in one transaction and
//! flushes (so the journal holds it), then prints what changed and what the next `sync` does
//! to the stubs. They need the store to themselves: beside a running `serve` they fail.

use std::path::Path;

use super::{UsageError, open_store};
use crate::cli::CopyArg;
use crate::config::Config;
use crate::episodes::manual::{self, Fix, FixError};
use crate::model::{Episode, EpisodeId, Item, Platform, StubState};
use crate::platform::{self, CopyRef};
use crate::store::Store;

/// `syndicator link TARGET --<platform> URL_OR_ID`.
pub fn link(config: &Config, target: &str, copy: &CopyArg) -> anyhow::Result<()> {
    let store = open_store(config)?;
    let target = find_episode(config, &store, target)?;
    let (platform, text) = copy.platform_and_text();
    let wanted = platform::copy_ref(platform, text)
        .ok_or_else(|| UsageError(format!("{text:?} names no {platform} episode (a URL or an id)")))?;
    let found = match find_copy(&store, &target.channel, platform, &wanted)? {
        Some((holder, copy)) => Some((Some(holder), copy)),
        None => copy_from(&target, platform, &wanted).map(|copy| (None, copy)),
    };
    // The id of the copy linked, when it is known (a pasted link may name an item by its page).
    let (fix, linked) = match found {
        Some((holder, copy)) => {
            let id = copy.platform_id.clone();
            (manual::link(target.clone(), holder, copy), Some(id))
        }
        None => (manual::link_unseen(&target, platform, &wanted.platform_id), None),
    };
    let seen = linked.is_some();
    let linked = linked.as_deref().unwrap_or(&wanted.platform_id);
    let pins = store.pins(&target.channel)?;
    let earlier: Vec<&str> = pins.pinned_to(&target.id, platform).collect();
    let fix = fix.map(|fix| fix.replacing(&target, platform, linked, &earlier));
    let fix = apply(&store, fix)?;
    println!("linked {platform} {} to {}", wanted.platform_id, target.id);
    if !seen {
        println!("no source has shown it yet: it joins {} when a sync sees it", target.id);
    }
    for replaced in &fix.unpinned {
        println!("it replaces the earlier link of {platform} {}", replaced.platform_id);
    }
    for gone in &fix.removed {
        println!("{} had no other copy and is gone", gone.id);
        if let Some(path) = stub_path(&gone.stub) {
            println!(
                "its stub {} is left as it is: delete it if you no longer want it",
                config.site_relative(path)
            );
        }
    }
    print_next_sync(config, &fix);
    Ok(())
}

/// `syndicator unlink EPISODE PLATFORM`.
pub fn unlink(config: &Config, episode: &str, platform: Platform) -> anyhow::Result<()> {
    let store = open_store(config)?;
    let episode = find_episode(config, &store, episode)?;
    if episode.copy(platform).is_none() {
        return unlink_unseen(&store, &episode, platform);
    }
    let lines_before = platform::embed_lines(&episode);
    let fix = manual::unlink(episode, platform).map_err(usage)?;
    let (kept, split) = (&fix.put[0], &fix.put[1]);
    if store.episode(split.id.as_str())?.is_some() {
        let copy = split.copies[0].platform;
        let message = format!(
            "the copies that would leave {} are named {}, an episode that exists already; \
             move them there instead: `syndicator link {} --{copy} <URL or id>`",
            kept.id, split.id, split.id
        );
        return Err(UsageError(message).into());
    }
    let fix = apply(&store, Ok(fix))?;
    let (kept, split) = (&fix.put[0], &fix.put[1]);
    println!("split {}: {} copies now form {}", kept.id, platforms(split), split.id);
    if let StubState::Edited { path, .. } = &kept.stub {
        let gone: Vec<_> = lines_before.iter().filter(|l| !platform::embed_lines(kept).contains(l)).collect();
        if !gone.is_empty() {
            println!(
                "{} was edited by its author: remove these lines from it yourself:",
                config.site_relative(path)
            );
            gone.iter().for_each(|line| println!("  {line}"));
        }
    }
    print_next_sync(config, &fix);
    Ok(())
}

/// `unlink` of a platform `episode` has no copy on: drops its links there to copies no source
/// has shown yet (an error when it has none).
fn unlink_unseen(store: &Store, episode: &Episode, platform: Platform) -> anyhow::Result<()> {
    let pins = store.pins(&episode.channel)?;
    let pinned: Vec<&str> = pins.pinned_to(&episode.id, platform).collect();
    let fix = apply(store, manual::unlink_unseen(episode, platform, &pinned))?;
    for dropped in &fix.unpinned {
        println!("removed the link of {platform} {} to {}", dropped.platform_id, episode.id);
    }
    Ok(())
}

/// `syndicator forget EPISODE`.
pub fn forget(config: &Config, episode: &str) -> anyhow::Result<()> {
    let store = open_store(config)?;
    let mut episode = find_episode(config, &store, episode)?;
    if let Some(path) = stub_path(&episode.stub).map(str::to_owned) {
        let section = crate::content::SectionDir::new(config.section_dir());
        if crate::content::Stubs::new(&section).locate(episode.id.as_str(), &path)?.is_none() {
            // Deleted since the last sync looked: a tombstone the next sync would have made.
            episode.stub = StubState::Deleted { path };
        }
    }
    let fix = apply(&store, manual::forget(episode))?;
    println!("forgot the tombstone of {}", fix.put[0].id);
    print_next_sync(config, &fix);
    Ok(())
}

fn apply(store: &Store, fix: Result<Fix, FixError>) -> anyhow::Result<Fix> {
    let fix = fix.map_err(usage)?;
    store.apply_fix(&fix)?;
    store.flush()?;
    Ok(fix)
}

fn usage(error: FixError) -> UsageError {
    UsageError(error.to_string())
}

/// The episode `text` names: an episode id the store knows, or the path of a stub (as given,
/// under the site root, or under the content section) whose `syndicator_id` it knows.
fn find_episode(config: &Config, store: &Store, text: &str) -> anyhow::Result<Episode> {
    if let Some(episode) = EpisodeId::parse(text).map(|id| store.episode(id.as_str())).transpose()?.flatten()
    {
        return Ok(episode);
    }
    let candidates =
        [Path::new(text).to_owned(), config.site.root.join(text), config.section_dir().join(text)];
    let Some(path) = candidates.iter().find(|path| path.is_file()) else {
        let hint = "`syndicator status CHANNEL` lists the episodes with their ids and stubs";
        return Err(UsageError(format!("no episode or stub {text:?}: {hint}")).into());
    };
    let id = crate::content::syndicator_id(path)?.ok_or_else(|| {
        UsageError(format!("{} has no syndicator_id: it is not a stub syndicator wrote", path.display()))
    })?;
    store.episode(&id)?.ok_or_else(|| {
        let message = format!("the stub {} is episode {id}, which the store does not know", path.display());
        UsageError(message).into()
    })
}

/// The episode of `channel` holding the copy `wanted` names on `platform` (by id, or by
/// link), and that copy.
fn find_copy(
    store: &Store,
    channel: &str,
    platform: Platform,
    wanted: &CopyRef,
) -> anyhow::Result<Option<(Episode, Item)>> {
    let named = |copy: &Item| {
        copy.platform == platform
            && (copy.platform_id == wanted.platform_id || (wanted.link.is_some() && copy.link == wanted.link))
    };
    for episode in store.channel_episodes(channel)? {
        if let Some(copy) = episode.copies.iter().find(|c| named(c)).cloned() {
            return Ok(Some((episode, copy)));
        }
    }
    Ok(None)
}

/// A copy made from what the user pasted, for a copy no source has shown (an old video, say):
/// only when it can be embedded; it takes the episode's title and date.
fn copy_from(target: &Episode, platform: Platform, wanted: &CopyRef) -> Option<Item> {
    let (published, precision) = target.published_with_precision().unzip();
    let mut copy = Item::bare(platform, &wanted.platform_id, target.title(), published);
    copy.link = wanted.link.clone();
    copy.precision = precision.unwrap_or_default();
    platform::embed(platform).and_then(|embed| embed.stub_line(&copy)).map(|_| copy)
}

/// What the next sync does to the stubs of the fixed episodes.
fn print_next_sync(config: &Config, fix: &Fix) {
    for episode in &fix.put {
        let wanted = fix.work.iter().find(|(id, _)| *id == episode.id).map(|(_, work)| *work);
        match (&episode.stub, wanted) {
            (StubState::Written { path, .. } | StubState::Edited { path, .. }, Some(_)) => {
                println!("the next sync brings {} up to date", config.site_relative(path));
            }
            (StubState::Skipped, Some(manual::StubWork::Write)) => {
                println!("the next sync writes a stub for {}", episode.id);
            }
            _ => {}
        }
    }
}

fn stub_path(stub: &StubState) -> Option<&str> {
    match stub {
        StubState::Written { path, .. } | StubState::Edited { path, .. } => Some(path),
        StubState::Skipped | StubState::Deleted { .. } => None,
    }
}

/// The platforms of an episode's copies, as words: `youtube`, `podcast and apple`.
fn platforms(episode: &Episode) -> String {
    let mut names: Vec<&str> = episode.copies.iter().map(|c| c.platform.as_str()).collect();
    names.dedup();
    names.join(" and ")
}
