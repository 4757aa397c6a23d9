//! Committing a channel's new items: fold them into episodes, decide backfill, write a stub per
//! new episode (or find the one an earlier run wrote), bring late embeds to known stubs
//! wherever their authors moved them, and record each episode once its stub is durably on
//! disk, with the notification events about it queued in the same store commit.

use std::collections::{HashMap, HashSet};

use anyhow::Context as _;
use chrono::{DateTime, Utc};

use super::covers::Staged;
use super::events::stub_event;
use super::new_stub::{Asked, write_stub};
use super::{ChannelReport, Ctx, Fetch, merge_fetch};
use crate::config::Channel;
use crate::content::{Stubs, bundle_folder};
use crate::episodes::{Hosts, Listing};
use crate::hash::hash_hex;
use crate::model::{Episode, EpisodeId, Item, Platform, StubState};
use crate::notify::{Event, EventKind};
use crate::stub::{self, Beside, Cover, StubContext};

/// What one poll of a channel brought.
pub struct Fetched<'a> {
    /// The new items (not known yet) that pass the channel's filters.
    pub items: Vec<Item>,
    /// Every id each fetched source listed.
    pub listing: &'a Listing,
    /// The items from a source's first successful fetch (subject to backfill).
    pub first: &'a HashSet<(Platform, String)>,
}

/// A channel's fetched items folded into episodes, before any stub is written.
pub struct Planned {
    /// The new episodes, each with whether it gets a stub (see `backfill`).
    created: Vec<(Episode, bool)>,
    /// Known episodes that gained a copy.
    grown: Vec<Episode>,
    /// The channel's hosts, known and new, never taken for guests.
    hosts: Hosts,
}

impl Planned {
    /// The new episodes that get a page bundle: their resources are fetched and staged before
    /// any stub is written (see [`super::covers::stage`]).
    pub fn new_bundles(&self, ctx: &Ctx, channel: &Channel) -> Vec<&Episode> {
        if ctx.dry_run || !channel.bundles(&ctx.config) {
            return Vec::new();
        }
        self.created.iter().filter(|(_, wants)| *wants).map(|(episode, _)| episode).collect()
    }
}

/// Folds the `fetched` items of `channel` into episodes and decides backfill. Synchronous
/// and CPU-heavy on a large first fetch: the caller keeps it off the async workers.
pub fn plan_items(
    ctx: &Ctx,
    channel: &Channel,
    fetched: Fetched,
    now: DateTime<Utc>,
    report: &mut ChannelReport,
) -> anyhow::Result<Planned> {
    let known = ctx.store.channel_episodes(channel.id())?;
    let pins = ctx.store.pins(channel.id())?;
    let mut hosts = Hosts::of(&known);
    let fetch = Fetch { listing: fetched.listing, pins: &pins };
    let merged = merge_fetch(channel.id(), known, fetched.items, fetch, now);
    hosts.add(&merged.created);
    report.new_episodes = merged.created.len();
    report.grown = merged.grown.len();
    if !ctx.dry_run {
        ctx.metrics.episodes.inc_by(merged.created.len() as u64);
    }
    let wants_stub = backfill(&merged.created, fetched.first, channel.backfill);
    report.held_back = wants_stub.iter().filter(|wants| !**wants).count();
    let created = merged.created.into_iter().zip(wants_stub).collect();
    Ok(Planned { created, grown: merged.grown, hosts })
}

/// Writes the stubs of `planned` (new bundles from `staged`, see [`Planned::new_bundles`])
/// and records the episodes; see the module docs. Synchronous: kept off the async workers.
pub fn commit_items(
    ctx: &Ctx,
    channel: &Channel,
    planned: Planned,
    mut staged: HashMap<EpisodeId, Staged>,
    report: &mut ChannelReport,
) -> anyhow::Result<()> {
    // Episodes whose stub is settled, recorded together at the end (also when a later stub
    // fails): each is still recorded only after its own stub is durably on disk.
    let mut settled = Vec::with_capacity(planned.created.len() + planned.grown.len());
    let written = (|| {
        let mut on_disk = Stubs::new(&ctx.section);
        for (mut episode, wants) in planned.created {
            if wants {
                let asked = Asked::ByRun(staged.remove(&episode.id));
                write_stub(ctx, channel, &planned.hosts, &mut episode, asked, &mut on_disk, report)?;
            }
            settled.push(episode);
        }
        for mut episode in planned.grown {
            refresh_stub(ctx, channel, &planned.hosts, &mut episode, &mut on_disk, report)?;
            // A copy arriving late may be the one that offers a transcript.
            if matches!(episode.stub, StubState::Written { .. } | StubState::Edited { .. }) {
                super::transcripts::owe(ctx, &episode)?;
            }
            settled.push(episode);
        }
        anyhow::Ok(())
    })();
    record(ctx, &settled, report)?;
    written
}

/// A known episode gained a copy: find its stub wherever the author moved it (by its
/// `syndicator_id`), rewrite it there if the author has not touched it, else record the
/// embeds the author may paste in (at its current path); a stub no file carries any more gets
/// a tombstone. A file that already holds the new text (a crash after the rewrite, before the
/// record) is ours.
pub(super) fn refresh_stub(
    ctx: &Ctx,
    channel: &Channel,
    hosts: &Hosts,
    episode: &mut Episode,
    on_disk: &mut Stubs,
    report: &mut ChannelReport,
) -> anyhow::Result<()> {
    let (recorded, hash) = match &episode.stub {
        StubState::Written { path, hash } => (path.clone(), Some(hash.clone())),
        StubState::Edited { path, .. } => (path.clone(), None),
        StubState::Skipped | StubState::Deleted { .. } => return Ok(()),
    };
    let located =
        on_disk.locate(episode.id.as_str(), &recorded).with_context(|| content_folder_error(ctx))?;
    let (Some(path), Some(hash)) = (located.clone(), hash) else {
        episode.stub = match located {
            Some(path) => StubState::Edited { path, pending: stub::embed_lines(episode) },
            None => StubState::Deleted { path: recorded },
        };
        announce_pending(ctx, episode, report);
        return Ok(());
    };
    let text = render(ctx, channel, hosts, episode, &beside_at(ctx, episode, &path))?;
    let new_hash = hash_hex(text.as_bytes());
    if new_hash == hash && path == recorded {
        return Ok(());
    }
    match ctx.section.current_hash(&path).with_context(|| content_folder_error(ctx))? {
        None => episode.stub = StubState::Deleted { path },
        Some(on_disk) if on_disk == new_hash => episode.stub = StubState::Written { path, hash: new_hash },
        Some(on_disk) if on_disk == hash && (ctx.dry_run || replace_untouched(ctx, &path, &hash, &text)?) => {
            episode.stub = StubState::Written { path: path.clone(), hash: new_hash.clone() };
            announce(ctx, report, || {
                stub_event(ctx, EventKind::StubUpdated, episode, &path, &text, &new_hash)
            });
            report.updated.push((path, text));
        }
        Some(_) => {
            tracing::info!(
                "{}: {path} was edited by its author; new embeds wait in `syndicator status`",
                channel.id()
            );
            episode.stub = StubState::Edited { path, pending: stub::embed_lines(episode) };
            announce_pending(ctx, episode, report);
        }
    }
    Ok(())
}

/// Rewrites an untouched stub; false when the author saved it in the meantime.
fn replace_untouched(ctx: &Ctx, path: &str, hash: &str, text: &str) -> anyhow::Result<bool> {
    ctx.section.replace_untouched(path, hash, text).with_context(|| content_folder_error(ctx))
}

/// Which created episodes get a stub: all, except that episodes made only of items from a
/// source's first fetch are limited to the newest `keep`.
fn backfill(created: &[Episode], first_fetch: &HashSet<(Platform, String)>, keep: usize) -> Vec<bool> {
    let is_backfill =
        |e: &Episode| e.copies.iter().all(|c| first_fetch.contains(&(c.platform, c.platform_id.clone())));
    let mut candidates: Vec<usize> = (0..created.len()).filter(|i| is_backfill(&created[*i])).collect();
    candidates.sort_by_key(|i| std::cmp::Reverse(created[*i].published()));
    let mut wants = vec![true; created.len()];
    for index in candidates.into_iter().skip(keep) {
        wants[index] = false;
    }
    wants
}

/// Records episodes, and queues the events waiting in `report`, in one store transaction.
/// Not flushed here: each stub is already durable and carries the id, so a record lost in a
/// crash is rebuilt from it (and its `stub.written` queued again); the run flushes once.
pub(super) fn record(ctx: &Ctx, episodes: &[Episode], report: &mut ChannelReport) -> anyhow::Result<()> {
    if !ctx.dry_run && !episodes.is_empty() {
        let events = crate::notify::queueable(&ctx.config, &std::mem::take(&mut report.events));
        ctx.store.put_episodes_and_events(episodes, &events)?;
    }
    Ok(())
}

/// Adds an event for the store commit, when any `[[notify]]` entry could want it.
pub(super) fn announce(ctx: &Ctx, report: &mut ChannelReport, event: impl FnOnce() -> Event) {
    if !ctx.config.notify.is_empty() && !ctx.dry_run {
        report.events.push(event());
    }
}

/// `embeds.pending` for an episode whose edited stub now has embeds waiting.
fn announce_pending(ctx: &Ctx, episode: &Episode, report: &mut ChannelReport) {
    if let StubState::Edited { path, pending } = &episode.stub {
        let text = std::fs::read_to_string(ctx.section.path().join(path)).unwrap_or_default();
        let change = pending.join("\n");
        announce(ctx, report, || stub_event(ctx, EventKind::EmbedsPending, episode, path, &text, &change));
    }
}

/// A resource (a cover, a transcript) arrived beside the untouched stub at `path` (recorded
/// with `hash`): when the template shows it (`cover`, `transcript_path`), the stub is
/// rewritten with it (unless the author saved it meanwhile) and the episode recorded again.
pub(super) fn rerender_untouched(
    ctx: &Ctx,
    channel: &Channel,
    mut episode: Episode,
    path: &str,
    hash: &str,
    report: &mut ChannelReport,
) -> anyhow::Result<()> {
    let hosts = Hosts::of(&ctx.store.channel_episodes(channel.id())?);
    let text = render(ctx, channel, &hosts, &episode, &beside_at(ctx, &episode, path))?;
    let new_hash = hash_hex(text.as_bytes());
    if new_hash == hash || !replace_untouched(ctx, path, hash, &text)? {
        return Ok(());
    }
    episode.stub = StubState::Written { path: path.to_owned(), hash: new_hash.clone() };
    announce(ctx, report, || stub_event(ctx, EventKind::StubUpdated, &episode, path, &text, &new_hash));
    report.updated.push((path.to_owned(), text));
    record(ctx, &[episode], report)
}

/// What lies beside the stub at `path`: the cover file in its bundle when it is a bundle,
/// else the artwork's remote URL; its transcript, once written.
pub(super) fn beside_at(ctx: &Ctx, episode: &Episode, path: &str) -> Beside {
    let cover = match bundle_folder(path) {
        Some(_) => crate::cover::in_bundle(&ctx.section.bundle_files(path)).map(Cover::bundled),
        None => remote_cover(episode),
    };
    Beside { cover: cover.unwrap_or_default(), transcript: super::transcripts::written(ctx, path) }
}

/// The remote artwork a single-file stub of `episode` shows.
pub(super) fn remote_cover(episode: &Episode) -> Option<Cover> {
    crate::cover::remote(episode).map(|url| Cover::Remote(url.to_owned()))
}

/// The stub text of `episode` with what lies `beside` it, as the channel's template renders it
/// now.
pub(super) fn render(
    ctx: &Ctx,
    channel: &Channel,
    hosts: &Hosts,
    episode: &Episode,
    beside: &Beside,
) -> anyhow::Result<String> {
    stub::render(episode, &stub_context(ctx, channel, hosts, beside), &ctx.template)
        .with_context(|| format!("cannot render the stub of {}", episode.id))
}

/// The channel- and site-level values a stub is rendered with.
fn stub_context<'a>(
    ctx: &'a Ctx,
    channel: &'a Channel,
    hosts: &'a Hosts,
    beside: &'a Beside,
) -> StubContext<'a> {
    StubContext {
        channel_name: &channel.name,
        tags: &channel.tags,
        categories: &channel.categories,
        timezone: ctx.config.site.timezone.0,
        hosts,
        guest_tags: ctx.config.site.guest_tags,
        beside,
    }
}

pub(super) fn content_folder_error(ctx: &Ctx) -> String {
    format!("cannot use the content folder {}", ctx.section.path().display())
}
