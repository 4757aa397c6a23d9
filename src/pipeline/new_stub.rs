//! Writing the stub of a new episode: adopting the one an earlier run (or a lost store)
//! left, or creating it: a single file, or a page bundle whose staged resources (the cover,
//! see [`super::covers`]) go in with it; a bundle left without its cover gets a pending one,
//! and an episode that offers a transcript is owed it (see [`super::transcripts`]).

use anyhow::Context as _;

use super::covers::{self, Staged};
use super::events::stub_event;
use super::stubs::{announce, beside_at, content_folder_error, remote_cover, render};
use super::transcripts;
use super::{ChannelReport, Ctx};
use crate::config::Channel;
use crate::content::{StagedBundle, Stubs, bundle_folder};
use crate::episodes::Hosts;
use crate::hash::hash_hex;
use crate::model::{Episode, StubState};
use crate::notify::EventKind;
use crate::store::PendingState;
use crate::stub::{self, Beside, Cover};

/// Why a stub is written for an episode that has none.
pub(super) enum Asked {
    /// A run found the episode new; a page bundle comes with its staged resources when they
    /// were fetched (see [`covers::stage`]).
    ByRun(Option<Staged>),
    /// A fix by hand (`forget`, a split) asked for it: written even when a rebuilt store says
    /// its items were seen before the loss.
    ByHand,
}

/// Writes the stub of `episode`, or adopts the one a file already holds (found by the
/// episode's id or a copy's); see the module docs.
pub(super) fn write_stub(
    ctx: &Ctx,
    channel: &Channel,
    hosts: &Hosts,
    episode: &mut Episode,
    asked: Asked,
    on_disk: &mut Stubs,
    report: &mut ChannelReport,
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
            let beside = beside_at(ctx, episode, path);
            if !ctx.dry_run {
                if bundle_folder(path).is_some() && beside.cover == Cover::None {
                    covers::mark_pending(ctx, episode, &PendingState::untried())?;
                }
                transcripts::owe(ctx, episode)?;
            }
            let text = render(ctx, channel, hosts, episode, &beside)?;
            announce(ctx, report, || stub_event(ctx, EventKind::StubWritten, episode, path, &text, ""));
        }
        return Ok(());
    }
    let (staged, by_hand) = match asked {
        Asked::ByRun(staged) => (staged, false),
        Asked::ByHand => (None, true),
    };
    if !by_hand && ctx.store.known_before_loss(channel.id(), episode)? {
        tracing::debug!("{}: {} had no stub before the store was lost; none now", channel.id(), episode.id);
        episode.stub = StubState::Skipped;
        return Ok(());
    }
    let staged = match (channel.bundles(&ctx.config) && !ctx.dry_run, staged) {
        (true, None) => Some(Staged::without_cover(ctx).with_context(|| content_folder_error(ctx))?),
        (wanted, staged) => staged.filter(|_| wanted),
    };
    let cover = match &staged {
        Some(staged) => staged.cover().map(Cover::bundled),
        None if channel.bundles(&ctx.config) => None,
        None => remote_cover(episode),
    };
    let beside = Beside { cover: cover.unwrap_or_default(), transcript: None };
    let text = render(ctx, channel, hosts, episode, &beside)?;
    let missing_cover = staged.as_ref().and_then(Staged::missing_cover);
    let name = create_stub(ctx, channel, episode, &text, staged.map(|s| s.bundle), report)
        .with_context(|| content_folder_error(ctx))?;
    if !ctx.dry_run {
        ids.insert(episode.id.to_string(), name.clone());
        ctx.metrics.stubs_written.inc();
    }
    if let Some(state) = missing_cover {
        covers::mark_pending(ctx, episode, &state)?;
    }
    transcripts::owe(ctx, episode)?;
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
    staged: Option<StagedBundle>,
    report: &mut ChannelReport,
) -> std::io::Result<String> {
    let tz = ctx.config.site.timezone.0;
    if !channel.bundles(&ctx.config) {
        let file_name = stub::file_name(episode, tz);
        return if ctx.dry_run { Ok(file_name) } else { ctx.section.create(&file_name, text) };
    }
    let folder = stub::bundle_name(episode, tz);
    let Some(staged) = staged else { return Ok(format!("{folder}/{}", crate::content::INDEX)) };
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
    let text = render(ctx, channel, hosts, episode, &beside_at(ctx, episode, name))?;
    let on_disk = ctx.section.current_hash(name).with_context(|| content_folder_error(ctx))?;
    let hash = hash_hex(text.as_bytes());
    Ok(if on_disk.as_deref() == Some(hash.as_str()) {
        StubState::Written { path: name.to_owned(), hash }
    } else {
        StubState::Edited { path: name.to_owned(), pending: stub::embed_lines(episode) }
    })
}
