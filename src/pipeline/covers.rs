//! Cover images of page bundles. Before a run writes new bundles, each one's cover is
//! downloaded (through `fetch`, under `[fetch]`'s time, size and connection limits) and
//! staged with it, so `index.md` is written once, last, with its cover beside it
//! (see [`crate::content::StagedBundle`]). Only bytes that really are an image count
//! ([`crate::cover::sniff`]). A failed download never holds a stub back: the bundle is written
//! without a cover and the episode gets a [`PendingCover`], which later runs retry (up to
//! [`cover::MAX_ATTEMPTS`]) into the bundle wherever the author moved it, as long as its `index.md`
//! still holds our bytes. An edited or deleted stub drops the retry: a cover never goes into a
//! bundle its author has worked on.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::config::Channel;
use crate::content::{ResourceOutcome, StagedBundle, Stubs};
use crate::cover::{self, ImageKind};
use crate::episodes::Hosts;
use crate::model::{Episode, EpisodeId, StubState, Validators};
use crate::store::PendingCover;

use super::{ChannelReport, Ctx};

/// A downloaded image that passed the checks.
pub struct Image {
    pub kind: ImageKind,
    pub bytes: Vec<u8>,
}

/// The error a pending cover shows before its first download.
pub const NOT_TRIED: &str = "not downloaded yet";

/// A new bundle staged before its stub is written.
pub struct Staged {
    pub bundle: StagedBundle,
    /// When it has no cover but could: the downloads tried and the last failure, recorded as
    /// a [`PendingCover`] once the stub is written.
    missing: Option<(u32, String)>,
}

impl Staged {
    /// An empty bundle whose cover is still to be tried.
    pub fn without_cover(ctx: &Ctx) -> std::io::Result<Staged> {
        Ok(Staged { bundle: ctx.section.stage_bundle()?, missing: Some((0, NOT_TRIED.to_owned())) })
    }

    /// The staged cover's file name (`cover.jpg` …), if one was downloaded.
    pub fn cover(&self) -> Option<&str> {
        cover::in_bundle(self.bundle.resources())
    }

    /// The downloads tried and why there is no cover, when there is none.
    pub fn missing_cover(&self) -> Option<(u32, String)> {
        self.missing.clone().filter(|_| self.cover().is_none())
    }
}

/// The first of `candidates` that downloads as a real image within the limits; else every
/// candidate's failure in one message. No candidate at all is `Ok(None)`.
pub async fn download(ctx: &Ctx, candidates: &[String]) -> Result<Option<Image>, String> {
    let mut failures = Vec::new();
    for candidate in candidates {
        match download_one(ctx, candidate).await {
            Ok(image) => return Ok(Some(image)),
            Err(failure) => failures.push(failure),
        }
    }
    if failures.is_empty() { Ok(None) } else { Err(failures.join("; ")) }
}

async fn download_one(ctx: &Ctx, candidate: &str) -> Result<Image, String> {
    let url = url::Url::parse(candidate).map_err(|e| format!("{candidate} is not a URL: {e}"))?;
    let outcome = ctx.fetcher.get(&url, &Validators::default(), None).await.map_err(|e| e.to_string())?;
    let crate::fetch::FetchOutcome::Modified(bytes, _) = outcome else {
        return Err(format!("GET {url} answered no body"));
    };
    match cover::sniff(&bytes) {
        Some(kind) => Ok(Image { kind, bytes }),
        None => {
            Err(format!("GET {url} sent {} bytes that are not a JPEG, PNG, WebP or GIF image", bytes.len()))
        }
    }
}

/// Stages a bundle, with its cover when one downloads, for each of `episodes` (the new
/// episodes of a bundle channel about to get a stub). A bundle that cannot be staged is left
/// out: writing its stub stages it again and reports the error there.
pub async fn stage(ctx: &Ctx, channel: &Channel, episodes: &[&Episode]) -> HashMap<EpisodeId, Staged> {
    let mut staged = HashMap::new();
    for episode in episodes {
        let Ok(mut bundle) = ctx.section.stage_bundle() else { continue };
        let error = match download(ctx, &cover::candidates(episode)).await {
            Ok(None) => None,
            Ok(Some(image)) => bundle.add(&image.kind.file_name(), &image.bytes).err().map(|e| e.to_string()),
            Err(error) => Some(error),
        };
        if let Some(error) = &error {
            tracing::warn!(channel = channel.id(), episode = %episode.id, "no cover yet, retried next run: {error}");
        }
        staged.insert(episode.id.clone(), Staged { bundle, missing: error.map(|e| (1, e)) });
    }
    staged
}

/// Records that the bundle stub of `episode` has no cover yet, when it could have one.
pub fn mark_pending(ctx: &Ctx, episode: &Episode, attempts: u32, error: &str) -> anyhow::Result<()> {
    if cover::candidates(episode).is_empty() {
        return Ok(());
    }
    let tried_at = (attempts > 0).then(Utc::now);
    let pending = PendingCover { attempts, last_error: error.to_owned(), tried_at };
    Ok(ctx.store.put_pending_cover(&episode.id, &pending)?)
}

/// Retries the channel's pending covers not tried since `started` (the run's start); failures
/// are logged and recorded, never fatal.
pub async fn retry(ctx: &Ctx, channel: &Channel, started: DateTime<Utc>, report: &mut ChannelReport) {
    let pending = match ctx.store.pending_covers(channel.id()) {
        Ok(pending) => pending,
        Err(e) => return tracing::warn!(channel = channel.id(), "cannot read the pending covers: {e}"),
    };
    let mut stubs = Stubs::new(&ctx.section);
    let due = |state: &PendingCover| {
        state.attempts < cover::MAX_ATTEMPTS && state.tried_at.is_none_or(|tried| tried < started)
    };
    for (id, state) in pending.into_iter().filter(|(_, state)| due(state)) {
        if let Err(e) = retry_one(ctx, channel, &id, state, &mut stubs, report).await {
            tracing::warn!(channel = channel.id(), episode = %id, "cannot add the cover: {e:#}");
        }
    }
}

async fn retry_one(
    ctx: &Ctx,
    channel: &Channel,
    id: &EpisodeId,
    state: PendingCover,
    stubs: &mut Stubs<'_>,
    report: &mut ChannelReport,
) -> anyhow::Result<()> {
    // Not recorded yet (a store rebuilt after a loss): kept until the stub is adopted again.
    let Some(episode) = ctx.store.episode(id.as_str())? else { return Ok(()) };
    let Some((path, hash)) = untouched_bundle(ctx, &episode, stubs)? else {
        return Ok(ctx.store.remove_pending_cover(id)?);
    };
    let image = match download(ctx, &cover::candidates(&episode)).await {
        Ok(Some(image)) => image,
        Ok(None) => return Ok(ctx.store.remove_pending_cover(id)?),
        Err(error) => {
            tracing::warn!(channel = channel.id(), episode = %id, "still no cover: {error}");
            let attempts = state.attempts.saturating_add(1);
            let pending = PendingCover { attempts, last_error: error, tried_at: Some(Utc::now()) };
            return Ok(ctx.store.put_pending_cover(id, &pending)?);
        }
    };
    // The download took a while: the author may have started on the post meanwhile.
    if ctx.section.current_hash(&path)?.as_deref() == Some(hash.as_str()) {
        let name = image.kind.file_name();
        if let ResourceOutcome::Written(file) = ctx.section.add_resource(&path, &name, &image.bytes)? {
            report.resources.push(file);
        }
        let hosts = Hosts::of(&ctx.store.channel_episodes(channel.id())?);
        super::stubs::rerender_with_cover(ctx, channel, &hosts, episode, &path, &hash, report)?;
    }
    Ok(ctx.store.remove_pending_cover(id)?)
}

/// Where the stub of `episode` is now and the hash we wrote, when it is a bundle whose
/// `index.md` still holds our bytes and which has no cover yet; `None` otherwise (edited,
/// deleted, made a single file, or given a cover by its author).
fn untouched_bundle(
    ctx: &Ctx,
    episode: &Episode,
    stubs: &mut Stubs,
) -> anyhow::Result<Option<(String, String)>> {
    let StubState::Written { path: recorded, hash } = &episode.stub else { return Ok(None) };
    let Some(path) = stubs.locate(episode.id.as_str(), recorded)? else { return Ok(None) };
    let untouched = ctx.section.current_hash(&path)?.as_deref() == Some(hash.as_str());
    let bundle = crate::content::bundle_folder(&path).is_some();
    let uncovered = cover::in_bundle(&ctx.section.bundle_files(&path)).is_none();
    Ok((untouched && bundle && uncovered).then(|| (path, hash.clone())))
}
