//! The variables a stub template sees, computed from an episode and the channel's context.

use chrono::SecondsFormat;
use serde::Serialize;

use super::chapters::{ChapterVar, chapters};
use super::text::{neutralise, summary};
use super::toml::toml_array;
use super::yaml::{flow_sequence, quote_yaml};
use super::{StubContext, local_date};
use crate::episodes::guests;
use crate::html::plain_text;
use crate::model::{Episode, Platform};
use crate::platform::embed_lines;

/// Documented on [`super::Template`].
#[derive(Debug, Serialize)]
pub struct StubVars {
    title: String,
    title_yaml: String,
    date: String,
    year: i32,
    month: u32,
    month_name: String,
    description: String,
    description_yaml: String,
    tags_yaml: String,
    categories_yaml: String,
    source_url: String,
    source_url_yaml: String,
    source_name: String,
    source_name_yaml: String,
    syndicator_id: String,
    syndicator_id_yaml: String,
    kind: &'static str,
    embeds: String,
    body: String,
    guests: Vec<String>,
    guests_yaml: String,
    chapters: Vec<ChapterVar>,
    cover: String,
    cover_yaml: String,
    images: Vec<String>,
    images_yaml: String,
    images_toml: String,
    transcript_path: String,
}

impl StubVars {
    pub fn new(episode: &Episode, ctx: &StubContext) -> StubVars {
        let date = local_date(episode, ctx.timezone);
        let plain = plain_text(episode.description_html());
        let description = summary(&plain);
        let source_url = episode.source_url().filter(|url| is_http(url)).unwrap_or_default();
        let guests = guests(episode, ctx.hosts);
        let images = ctx.beside.cover.images();
        StubVars {
            title: neutralise(episode.title()),
            title_yaml: quote_yaml(episode.title()),
            date: date.to_rfc3339_opts(SecondsFormat::Secs, false),
            year: chrono::Datelike::year(&date),
            month: chrono::Datelike::month(&date),
            month_name: date.format("%B").to_string(),
            description_yaml: quote_yaml(&description),
            description: neutralise(&description),
            tags_yaml: flow_sequence(&tags(ctx, &guests)),
            categories_yaml: flow_sequence(ctx.categories),
            source_url_yaml: quote_yaml(&source_url),
            source_url: neutralise(&source_url),
            source_name: neutralise(ctx.channel_name),
            source_name_yaml: quote_yaml(ctx.channel_name),
            syndicator_id: neutralise(episode.id.as_str()),
            syndicator_id_yaml: quote_yaml(episode.id.as_str()),
            kind: kind(episode),
            embeds: embed_lines(episode).join("\n\n"),
            chapters: chapters(episode, &plain),
            body: neutralise(&plain),
            guests_yaml: flow_sequence(&guests),
            guests: guests.iter().map(|name| neutralise(name)).collect(),
            cover: neutralise(ctx.beside.cover.name()),
            cover_yaml: quote_yaml(ctx.beside.cover.name()),
            transcript_path: neutralise(ctx.beside.transcript.as_deref().unwrap_or_default()),
            images_yaml: flow_sequence(&images),
            images_toml: toml_array(&images),
            images: images.iter().map(|url| neutralise(url)).collect(),
        }
    }
}

/// The front matter's tags: the guests first when `[site] guest_tags` (as the reference post
/// leads with its guest), then the channel's, each once whatever its case.
fn tags(ctx: &StubContext, guests: &[String]) -> Vec<String> {
    let leading = if ctx.guest_tags { guests } else { &[] };
    let mut seen = std::collections::HashSet::new();
    leading.iter().chain(ctx.tags).filter(|tag| seen.insert(tag.to_lowercase())).cloned().collect()
}

/// `"article"` for an episode made only of plain `feed` items without an audio or video
/// enclosure (a blog post), else `"episode"` (a talk that aired).
fn kind(episode: &Episode) -> &'static str {
    let article = episode.copies.iter().all(|c| c.platform == Platform::Feed && c.enclosure.is_none());
    if article { "article" } else { "episode" }
}

/// Whether `url` is an absolute http(s) URL: the only kind of link a stub may carry.
fn is_http(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}
