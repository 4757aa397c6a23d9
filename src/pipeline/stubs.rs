//! Committing a channel's new items: fold them into episodes, decide backfill, write a stub per
//! new episode (or find the one an earlier run wrote), bring late embeds to known stubs
//! wherever their authors moved them, and record each episode once its stub is durably on
//! disk, with the notification events about it queued in the same store commit.

use std::collections::HashSet;

use anyhow::Context as _;
use chrono::{DateTime, Utc};

use super::events::stub_event;
use super::{ChannelReport, Ctx, Fetch, merge_fetch};
use crate::config::Channel;
use crate::content::Stubs;
use crate::episodes::{Hosts, Listing};
use crate::hash::hash_hex;
use crate::model::{Episode, Item, Platform, StubState};
use crate::notify::{Event, EventKind};
use crate::stub::{self, StubContext};

/// What one poll of a channel brought.
pub struct Fetched<'a> {
    /// The new items (not known yet) that pass the channel's filters.
    pub items: Vec<Item>,
    /// Every id each fetched source listed.
    pub listing: &'a Listing,
    /// The items from a source's first successful fetch (subject to backfill).
    pub first: &'a HashSet<(Platform, String)>,
}

/// Commits the `fetched` items of `channel`; see the module docs. Synchronous and CPU-heavy
/// on a large first fetch: the caller keeps it off the async workers.
pub fn commit_items(
    ctx: &Ctx,
    channel: &Channel,
    fetched: Fetched,
    now: DateTime<Utc>,
    report: &mut ChannelReport,
) -> anyhow::Result<()> {
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
    // Episodes whose stub is settled, recorded together at the end (also when a later stub
    // fails): each is still recorded only after its own stub is durably on disk.
    let mut settled = Vec::with_capacity(merged.created.len() + merged.grown.len());
    let written = (|| {
        let mut on_disk = Stubs::new(&ctx.section);
        for (mut episode, wants) in merged.created.into_iter().zip(wants_stub) {
            if wants {
                write_stub(ctx, channel, &hosts, &mut episode, &mut on_disk, report, false)?;
            }
            settled.push(episode);
        }
        for mut episode in merged.grown {
            refresh_stub(ctx, channel, &hosts, &mut episode, &mut on_disk, report)?;
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
    let text = render(ctx, channel, hosts, episode)?;
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

/// Writes a new episode's stub, or adopts the one a file already holds (found by the
/// episode's id or a copy's). `by_hand` is a stub asked for by a fix (`forget`, a split): it
/// is written even when a rebuilt store says its items were seen before the loss.
pub(super) fn write_stub(
    ctx: &Ctx,
    channel: &Channel,
    hosts: &Hosts,
    episode: &mut Episode,
    on_disk: &mut Stubs,
    report: &mut ChannelReport,
    by_hand: bool,
) -> anyhow::Result<()> {
    let ids = on_disk.ids().with_context(|| content_folder_error(ctx))?;
    let natural = episode.copies.iter().map(|c| Episode::id_for(channel.id(), c));
    let earlier = std::iter::once(episode.id.clone()).chain(natural).find_map(|id| ids.get(id.as_str()));
    if let Some(name) = earlier {
        tracing::info!("{}: {name} already holds this episode; recording it", channel.id());
        episode.stub = adopt_stub(ctx, channel, hosts, episode, name)?;
        // Exactly our bytes: a crash may have lost the store commit that queued its
        // `stub.written`, so it is queued again (same id: receivers that got it dedupe).
        // An edited stub has been seen by its author: nothing to announce.
        if let StubState::Written { path, .. } = &episode.stub {
            let text = render(ctx, channel, hosts, episode)?;
            announce(ctx, report, || stub_event(ctx, EventKind::StubWritten, episode, path, &text, ""));
        }
        return Ok(());
    }
    if !by_hand && ctx.store.known_before_loss(channel.id(), episode)? {
        tracing::debug!("{}: {} had no stub before the store was lost; none now", channel.id(), episode.id);
        episode.stub = StubState::Skipped;
        return Ok(());
    }
    let text = render(ctx, channel, hosts, episode)?;
    let name =
        create_stub(ctx, channel, episode, &text, report).with_context(|| content_folder_error(ctx))?;
    if !ctx.dry_run {
        ids.insert(episode.id.to_string(), name.clone());
        ctx.metrics.stubs_written.inc();
    }
    episode.stub = StubState::Written { path: name.clone(), hash: hash_hex(text.as_bytes()) };
    announce(ctx, report, || stub_event(ctx, EventKind::StubWritten, episode, &name, &text, ""));
    report.stubs.push((name, text));
    Ok(())
}

/// Writes the new stub `text` of `episode`: a single file, or a page bundle with its
/// resources when the channel wants bundles (see [`crate::content::StagedBundle`]); in a dry
/// run only names it. Returns its path relative to the section.
fn create_stub(
    ctx: &Ctx,
    channel: &Channel,
    episode: &Episode,
    text: &str,
    report: &mut ChannelReport,
) -> std::io::Result<String> {
    let tz = ctx.config.site.timezone.0;
    if !channel.bundles(&ctx.config) {
        let file_name = stub::file_name(episode, tz);
        return if ctx.dry_run { Ok(file_name) } else { ctx.section.create(&file_name, text) };
    }
    let folder = stub::bundle_name(episode, tz);
    if ctx.dry_run {
        return Ok(format!("{folder}/{}", crate::content::INDEX));
    }
    let staged = ctx.section.stage_bundle()?;
    let resources = staged.resources().to_vec();
    let path = ctx.section.commit_bundle(staged, &folder, text)?;
    let folder = crate::content::bundle_folder(&path).unwrap_or_default();
    report.resources.extend(resources.iter().map(|name| format!("{folder}/{name}")));
    Ok(path)
}

/// The state of a stub found on disk for an episode the store did not know (a lost store, or
/// a crash before the record): ours only if its bytes are exactly what we would write now;
/// anything else counts as edited, so it is never rewritten.
fn adopt_stub(
    ctx: &Ctx,
    channel: &Channel,
    hosts: &Hosts,
    episode: &Episode,
    name: &str,
) -> anyhow::Result<StubState> {
    let text = render(ctx, channel, hosts, episode)?;
    let on_disk = ctx.section.current_hash(name).with_context(|| content_folder_error(ctx))?;
    let hash = hash_hex(text.as_bytes());
    Ok(if on_disk.as_deref() == Some(hash.as_str()) {
        StubState::Written { path: name.to_owned(), hash }
    } else {
        StubState::Edited { path: name.to_owned(), pending: stub::embed_lines(episode) }
    })
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
fn announce(ctx: &Ctx, report: &mut ChannelReport, event: impl FnOnce() -> Event) {
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

/// The stub text of `episode`, as the channel's template renders it now.
fn render(ctx: &Ctx, channel: &Channel, hosts: &Hosts, episode: &Episode) -> anyhow::Result<String> {
    stub::render(episode, &stub_context(ctx, channel, hosts), &ctx.template)
        .with_context(|| format!("cannot render the stub of {}", episode.id))
}

/// The channel- and site-level values a stub is rendered with.
fn stub_context<'a>(ctx: &'a Ctx, channel: &'a Channel, hosts: &'a Hosts) -> StubContext<'a> {
    StubContext {
        channel_name: &channel.name,
        tags: &channel.tags,
        categories: &channel.categories,
        timezone: ctx.config.site.timezone.0,
        hosts,
        guest_tags: ctx.config.site.guest_tags,
    }
}

pub(super) fn content_folder_error(ctx: &Ctx) -> String {
    format!("cannot use the content folder {}", ctx.section.path().display())
}
