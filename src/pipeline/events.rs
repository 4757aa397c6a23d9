//! The notification events a channel's run produces: stubs written or updated, embeds waiting
//! for an edited stub, a source failing for [`FAILING_AFTER`] runs in a row or recovered.

use std::collections::BTreeMap;

use chrono::Utc;

use super::Ctx;
use crate::model::{Episode, Platform, StubState};
use crate::notify::{Event, EventKind, FAILING_AFTER, event_id};
use crate::site::{HugoConfig, PagePath, permalink, split};

/// An event about the stub `name` (relative to the section folder) of `episode`; `text` is
/// the stub as on disk, for its permalink. `change` tells this change from others of the
/// same kind (the new text's hash, the pending lines); the id depends only on it, the event
/// and the episode, so a change queued twice has one id.
pub fn stub_event(
    ctx: &Ctx,
    kind: EventKind,
    episode: &Episode,
    name: &str,
    text: &str,
    change: &str,
) -> Event {
    let embeds = match &episode.stub {
        StubState::Edited { pending, .. } if kind == EventKind::EmbedsPending => pending.clone(),
        _ => crate::stub::embed_lines(episode),
    };
    let urls =
        episode.copies.iter().filter_map(|c| Some((c.platform.to_string(), c.link.clone()?))).collect();
    Event {
        id: event_id(kind, &[episode.id.as_str(), change]),
        event: kind,
        channel: episode.channel.clone(),
        title: episode.title().to_owned(),
        path: Some(site_path(ctx, name)),
        permalink: stub_permalink(ctx, name, text),
        embeds,
        urls,
        time: Utc::now(),
        error: None,
    }
}

/// `source.failing` when this failure is the [`FAILING_AFTER`]th in a row (so once per
/// outage), `source.recovered` on the first success after that; `None` otherwise.
pub fn source_event(
    channel: &str,
    platform: Platform,
    url: &str,
    before: u32,
    after: u32,
    error: Option<&str>,
) -> Option<Event> {
    let (kind, title) = match (before, after) {
        (_, FAILING_AFTER) if before < after => {
            (EventKind::SourceFailing, format!("{channel} {platform} has failed {after} runs in a row"))
        }
        (before, 0) if before >= FAILING_AFTER => {
            (EventKind::SourceRecovered, format!("{channel} {platform} recovered"))
        }
        _ => return None,
    };
    let time = Utc::now();
    Some(Event {
        id: event_id(kind, &[channel, platform.as_str(), url, &time.to_rfc3339()]),
        event: kind,
        channel: channel.to_owned(),
        title,
        path: None,
        permalink: None,
        embeds: Vec::new(),
        urls: BTreeMap::from([(platform.to_string(), url.to_owned())]),
        time,
        error: error.map(str::to_owned),
    })
}

/// The stub's path relative to the site root: `content/<section>/<name>`.
fn site_path(ctx: &Ctx, name: &str) -> String {
    format!("content/{}/{name}", ctx.config.site.section.as_str())
}

/// Where Hugo will publish the stub: the base URL joined with its permalink path.
fn stub_permalink(ctx: &Ctx, name: &str, text: &str) -> Option<String> {
    let hugo = HugoConfig::load(&ctx.config.site.root).ok()?;
    let (front, _) = split(text).ok()?;
    let page = format!("{}/{name}", ctx.config.site.section.as_str());
    let path = permalink(PagePath(&page), &front, &hugo);
    Some(format!("{}{}", ctx.config.site.base_url.as_str().trim_end_matches('/'), path))
}
