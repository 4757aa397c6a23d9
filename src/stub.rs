//! Rendering Hugo stub posts: the front matter (guests among the tags), attribution line,
//! platform embeds, and the description and chapters as the author's reference, through a
//! built-in or user minijinja template; the post's file name; and the raw `transcript.md`
//! beside it. Pure: no IO.

mod chapters;
mod slug;
mod template;
mod text;
mod toml;
mod transcript;
mod vars;
mod yaml;

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::episodes::Hosts;
use crate::model::{DatePrecision, Episode};

pub use crate::platform::embed_lines;
pub use slug::{bundle_name, file_name, slugify};
pub use template::Template;
pub use transcript::render_transcript;
pub use yaml::quote_yaml;

/// What a stub needs besides the episode: the channel's name, tags, categories and hosts, the
/// site's time zone and tag rule, and what lies beside it (cover, transcript).
#[derive(Debug, Clone, Copy)]
pub struct StubContext<'a> {
    pub channel_name: &'a str,
    pub tags: &'a [String],
    pub categories: &'a [String],
    pub timezone: Tz,
    /// The channel's hosts, never listed as guests.
    pub hosts: &'a Hosts,
    /// Whether the guests lead the tags (`[site] guest_tags`).
    pub guest_tags: bool,
    /// What lies beside the stub: its image (`cover`, `images`) and transcript.
    pub beside: &'a Beside,
}

/// What lies beside a stub, as its template sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Beside {
    /// Its image (`cover`, `images`).
    pub cover: Cover,
    /// Where its `transcript.md` is, relative to the site root, once it is there
    /// (`transcript_path`).
    pub transcript: Option<String>,
}

/// Where a stub's image is: the template's `cover`, and its front matter's `images`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Cover {
    /// None (yet): no artwork, or a bundle whose cover has not arrived.
    #[default]
    None,
    /// The cover file in the stub's page bundle (`cover.jpg`). Never an `images` entry: Hugo
    /// 0.111 reads those as site-relative URLs, and finds a bundle's `*cover*` image itself.
    InBundle(String),
    /// A single-file stub's artwork URL as the feed gives it (never downloaded): its `images`.
    Remote(String),
}

impl Cover {
    /// The cover file `name` in a page bundle.
    pub fn bundled(name: &str) -> Cover {
        Cover::InBundle(name.to_owned())
    }

    /// The template's `cover`: the file name, the URL, or `""`.
    pub fn name(&self) -> &str {
        match self {
            Cover::None => "",
            Cover::InBundle(name) | Cover::Remote(name) => name,
        }
    }

    /// The front matter's `images`: the remote artwork of a single-file stub, else none.
    fn images(&self) -> Vec<String> {
        match self {
            Cover::Remote(url) => vec![url.clone()],
            Cover::None | Cover::InBundle(_) => Vec::new(),
        }
    }
}

/// Why a stub could not be rendered or a template not loaded.
#[derive(Debug, thiserror::Error)]
pub enum StubError {
    #[error("stub template does not compile: {0}")]
    InvalidTemplate(#[source] minijinja::Error),
    #[error("stub template failed to render: {0}")]
    Render(#[source] minijinja::Error),
}

/// The stub post of `episode`, rendered with `template`.
pub fn render(episode: &Episode, ctx: &StubContext, template: &Template) -> Result<String, StubError> {
    template.render(&vars::StubVars::new(episode, ctx))
}

/// The episode's date in the site time zone. A day-precision date (Spotify's `release_date`)
/// is that calendar day at local midnight, not midnight UTC moved to another day. The
/// pipeline always sets a publish time; the Unix epoch stands in should one ever be missing.
fn local_date(episode: &Episode, tz: Tz) -> DateTime<Tz> {
    match episode.published_with_precision() {
        Some((day, DatePrecision::Day)) => {
            let midnight = day.date_naive().and_time(NaiveTime::MIN);
            tz.from_local_datetime(&midnight).earliest().unwrap_or_else(|| day.with_timezone(&tz))
        }
        Some((time, DatePrecision::Exact)) => time.with_timezone(&tz),
        None => DateTime::<Utc>::UNIX_EPOCH.with_timezone(&tz),
    }
}

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
