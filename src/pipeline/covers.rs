//! Cover images of page bundles. Before a run writes new bundles, each one's cover is
//! downloaded (through `fetch`, under `[fetch]`'s time, size and connection limits) and
//! staged with it, so `index.md` is written once, last, with its cover beside it
//! (see [`crate::content::StagedBundle`]). Only bytes that really are an image count
//! ([`crate::cover::sniff`]). A failed download never holds a stub back: the bundle is written
//! without a cover and the episode gets a pending cover ([`PendingState`]), which later runs retry (up to
//! [`cover::MAX_ATTEMPTS`]) into the bundle wherever the author moved it, as long as its `index.md`
//! still holds our bytes. An edited or deleted stub drops the retry: a cover never goes into a
//! bundle its author has worked on.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::config::Channel;
use crate::content::{ResourceOutcome, StagedBundle, Stubs};
use crate::cover::{self, ImageKind};
use crate::model::{Episode, EpisodeId, StubState, Validators};
use crate::store::{Pending, PendingState};

use super::{ChannelReport, Ctx};

/// A downloaded image that passed the checks.
pub struct Image {
    pub kind: ImageKind,
    pub bytes: Vec<u8>,
}

/// A new bundle staged before its stub is written.
pub struct Staged {
    pub bundle: StagedBundle,
    /// When it has no cover but could: the downloads tried and the last failure, recorded as
    /// pending once the stub is written.
    missing: Option<PendingState>,
}

impl Staged {
    /// An empty bundle whose cover is still to be tried.
    pub fn without_cover(ctx: &Ctx) -> std::io::Result<Staged> {
        Ok(Staged { bundle: ctx.section.stage_bundle()?, missing: Some(PendingState::untried()) })
    }

    /// The staged cover's file name (`cover.jpg` …), if one was downloaded.
    pub fn cover(&self) -> Option<&str> {
        cover::in_bundle(self.bundle.resources())
    }

    /// The downloads tried and why there is no cover, when there is none.
    pub fn missing_cover(&self) -> Option<PendingState> {
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
        let missing = error.map(|e| PendingState::untried().failed(&e));
        staged.insert(episode.id.clone(), Staged { bundle, missing });
    }
    staged
}

/// Records that the bundle stub of `episode` has no cover yet, when it could have one.
pub fn mark_pending(ctx: &Ctx, episode: &Episode, state: &PendingState) -> anyhow::Result<()> {
    if cover::candidates(episode).is_empty() {
        return Ok(());
    }
    Ok(ctx.store.put_pending(Pending::Cover, &episode.id, state)?)
}

/// Retries the channel's pending covers not tried since `started` (the run's start); failures
/// are logged and recorded, never fatal.
pub async fn retry(ctx: &Ctx, channel: &Channel, started: DateTime<Utc>, report: &mut ChannelReport) {
    let due = match ctx.store.due_pending(Pending::Cover, channel.id(), started) {
        Ok(due) => due,
        Err(e) => return tracing::warn!(channel = channel.id(), "cannot read the pending covers: {e}"),
    };
    let mut stubs = Stubs::new(&ctx.section);
    for (id, state) in due {
        if let Err(e) = retry_one(ctx, channel, &id, state, &mut stubs, report).await {
            tracing::warn!(channel = channel.id(), episode = %id, "cannot add the cover: {e:#}");
        }
    }
}

async fn retry_one(
    ctx: &Ctx,
    channel: &Channel,
    id: &EpisodeId,
    state: PendingState,
    stubs: &mut Stubs<'_>,
    report: &mut ChannelReport,
) -> anyhow::Result<()> {
    // Not recorded yet (a store rebuilt after a loss): kept until the stub is adopted again.
    let Some(episode) = ctx.store.episode(id.as_str())? else { return Ok(()) };
    let Some((path, hash)) = untouched_bundle(ctx, &episode, stubs)? else {
        return Ok(ctx.store.remove_pending(Pending::Cover, id)?);
    };
    let image = match download(ctx, &cover::candidates(&episode)).await {
        Ok(Some(image)) => image,
        Ok(None) => return Ok(ctx.store.remove_pending(Pending::Cover, id)?),
        Err(error) => {
            tracing::warn!(channel = channel.id(), episode = %id, "still no cover: {error}");
            return Ok(ctx.store.put_pending(Pending::Cover, id, &state.failed(&error))?);
        }
    };
    // The download took a while: the author may have started on the post meanwhile.
    if ctx.section.current_hash(&path)?.as_deref() == Some(hash.as_str()) {
        let name = image.kind.file_name();
        if let ResourceOutcome::Written(file) = ctx.section.add_resource(&path, &name, &image.bytes)? {
            report.resources.push(file);
        }
        super::stubs::rerender_untouched(ctx, channel, episode, &path, &hash, report)?;
    }
    Ok(ctx.store.remove_pending(Pending::Cover, id)?)
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
