//! The transcripts shows publish (`podcast:transcript`), fetched into a `transcript.md` beside
//! the stub: in its page bundle, or, for a single-file stub, in
//! `<root>/_raw/<section>/<stub path without .md>/`, a folder Hugo never reads. A transcript
//! is someone else's work, raw material for the author, never published: a Markdown file in a
//! leaf bundle is a page resource, never a page of its own nor copied to `public/`, and
//! `[git]` never commits it (it is not among the run's resources).
//!
//! An episode owes a transcript once its stub is written or adopted, or a copy joins it, when
//! one of its copies offers a format syndicator reads. After the channel's commit, every owed
//! transcript not tried yet in this run is fetched (the richest format, under `[fetch]`'s
//! limits), read and written, never over an existing file (the author's, or a hook's own
//! transcriber's). A failure is logged and retried by later runs, up to [`Pending::max_attempts`]; a
//! deleted stub drops it. It never holds a stub up. An edited stub still gets its transcript
//! (nothing is published by it); an untouched one is rewritten when its template shows
//! `transcript_path`.

use std::path::PathBuf;

use anyhow::Context as _;
use chrono::{DateTime, Utc};

use super::{ChannelReport, Ctx};
use crate::config::Channel;
use crate::content::{ResourceOutcome, Stubs, bundle_folder};
use crate::fetch::FetchOutcome;
use crate::model::{Episode, EpisodeId, StubState, TranscriptLink, Validators};
use crate::source::{TranscriptFormat, best_transcript, parse_transcript};
use crate::store::Pending;
use crate::stub::render_transcript;

/// The file a transcript is written to.
pub const TRANSCRIPT: &str = "transcript.md";
/// The folder under the site root that holds single-file stubs' raw material.
pub const RAW_DIR: &str = "_raw";

/// The transcript `episode` offers in the richest format syndicator reads, if any.
pub fn offered(episode: &Episode) -> Option<(TranscriptLink, TranscriptFormat)> {
    let links: Vec<TranscriptLink> =
        episode.copies.iter().flat_map(|c| c.podcasting.transcripts.iter().cloned()).collect();
    best_transcript(&links).map(|(link, format)| (link.clone(), format))
}

/// Where the transcript of the stub at `stub` (relative to the section) goes, relative to the
/// site root: `content/<section>/<bundle>/transcript.md` in a page bundle, else
/// `_raw/<section>/<stub path without .md>/transcript.md`.
pub fn transcript_path(ctx: &Ctx, stub: &str) -> String {
    let section = ctx.config.site.section.as_str();
    match bundle_folder(stub) {
        Some(folder) => format!("content/{section}/{folder}/{TRANSCRIPT}"),
        None => format!("{RAW_DIR}/{section}/{}/{TRANSCRIPT}", stub.strip_suffix(".md").unwrap_or(stub)),
    }
}

/// The transcript path of the stub at `stub`, when a transcript is there.
pub fn written(ctx: &Ctx, stub: &str) -> Option<String> {
    let path = transcript_path(ctx, stub);
    ctx.config.site.root.join(&path).exists().then_some(path)
}

/// Records that `episode`, whose stub is on disk, owes its transcript, when it offers one and
/// none is owed yet.
pub fn owe(ctx: &Ctx, episode: &Episode) -> anyhow::Result<()> {
    if ctx.dry_run || offered(episode).is_none() {
        return Ok(());
    }
    Ok(ctx.store.add_pending(Pending::Transcript, &episode.id)?)
}

/// Fetches and writes the channel's owed transcripts not tried since `started` (this run's
/// start); see the module docs. Failures are logged and recorded, never fatal.
pub async fn deliver(ctx: &Ctx, channel: &Channel, started: DateTime<Utc>, report: &mut ChannelReport) {
    let owed = match ctx.store.due_pending(Pending::Transcript, channel.id(), started) {
        Ok(owed) => owed,
        Err(e) => return tracing::warn!(channel = channel.id(), "cannot read the owed transcripts: {e}"),
    };
    let mut stubs = Stubs::new(&ctx.section);
    for (id, state) in owed {
        let outcome = match deliver_one(ctx, channel, &id, &mut stubs, report).await {
            Ok(()) => ctx.store.remove_pending(Pending::Transcript, &id),
            Err(error) => {
                let error = format!("{error:#}");
                tracing::warn!(channel = channel.id(), episode = %id, "no transcript yet, retried next run: {error}");
                ctx.store.put_pending(Pending::Transcript, &id, &state.failed(&error))
            }
        };
        if let Err(e) = outcome {
            tracing::warn!(channel = channel.id(), episode = %id, "cannot record the transcript: {e}");
        }
    }
}

/// Fetches and writes one owed transcript; `Ok` also when it is no longer wanted.
async fn deliver_one(
    ctx: &Ctx,
    channel: &Channel,
    id: &EpisodeId,
    stubs: &mut Stubs<'_>,
    report: &mut ChannelReport,
) -> anyhow::Result<()> {
    let Some(episode) = ctx.store.episode(id.as_str())? else { return Ok(()) };
    let (StubState::Written { path: recorded, .. } | StubState::Edited { path: recorded, .. }) =
        &episode.stub
    else {
        return Ok(());
    };
    let Some(path) = stubs.locate(id.as_str(), recorded)? else { return Ok(()) };
    let Some((link, format)) = offered(&episode) else { return Ok(()) };
    if written(ctx, &path).is_some() {
        return Ok(());
    }
    let text = fetch(ctx, &episode, &link, format).await?;
    let hash = match &episode.stub {
        StubState::Written { hash, .. } => Some(hash.clone()),
        _ => None,
    };
    if write(ctx, &path, &text)? {
        report.transcripts.push(transcript_path(ctx, &path));
        if let Some(hash) =
            hash.filter(|hash| ctx.section.current_hash(&path).ok().flatten().as_ref() == Some(hash))
        {
            super::stubs::rerender_untouched(ctx, channel, episode, &path, &hash, report)?;
        }
    }
    Ok(())
}

/// Writes `text` as the transcript of the stub at `stub`, never over an existing file;
/// whether it was written.
fn write(ctx: &Ctx, stub: &str, text: &str) -> anyhow::Result<bool> {
    if bundle_folder(stub).is_some() {
        let outcome = ctx.section.add_resource(stub, TRANSCRIPT, text.as_bytes())?;
        return Ok(matches!(outcome, ResourceOutcome::Written(_)));
    }
    let file: PathBuf = ctx.config.site.root.join(transcript_path(ctx, stub));
    let folder = file.parent().expect("a transcript path has a folder");
    std::fs::create_dir_all(folder).with_context(|| format!("cannot create {}", folder.display()))?;
    crate::files::create_new(&file, text.as_bytes())
        .with_context(|| format!("cannot write {}", file.display()))
}

/// The transcript at `link`, read and rendered as Markdown.
async fn fetch(
    ctx: &Ctx,
    episode: &Episode,
    link: &TranscriptLink,
    format: TranscriptFormat,
) -> anyhow::Result<String> {
    let url = url::Url::parse(&link.url).with_context(|| format!("{} is not a URL", link.url))?;
    let outcome = ctx.fetcher.get(&url, &Validators::default(), None).await?;
    let FetchOutcome::Modified(bytes, _) = outcome else { anyhow::bail!("GET {url} answered no body") };
    let paragraphs = parse_transcript(&bytes, format).with_context(|| format!("cannot read {url}"))?;
    anyhow::ensure!(!paragraphs.is_empty(), "{url} holds no text");
    Ok(render_transcript(episode.title(), link, format, &paragraphs, ctx.config.site.language))
}
