//! `[site]`: the keys as written, completed from the Hugo site's own config. `title`,
//! `base_url`, `language` and `timezone` may be left out when Hugo's `title`, `baseURL`,
//! `languageCode` and `timeZone` say them; a `[site]` key always wins, and [`Origins`] records
//! where each value came from (for `check`). Reading the Hugo config is the one piece of IO
//! here: `root` resolves against the working directory like every other path.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Deserialize;

use super::values::{Language, Section, SourceUrl, Timezone};
use crate::site::HugoConfig;

/// `[site]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteKeys {
    root: PathBuf,
    title: Option<String>,
    base_url: Option<SourceUrl>,
    language: Option<Language>,
    timezone: Option<Timezone>,
    #[serde(default = "default_section")]
    section: Section,
    public_dir: Option<PathBuf>,
    stub_template: Option<PathBuf>,
    author: Option<String>,
    #[serde(default = "default_guest_tags")]
    guest_tags: bool,
    #[serde(default)]
    bundles: bool,
}

/// `[site]` with every value resolved.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "SiteKeys")]
pub struct Site {
    /// Hugo site root; stubs go to `<root>/content/<section>/`.
    pub root: PathBuf,
    pub title: String,
    pub base_url: SourceUrl,
    /// The built-in stub template's language.
    pub language: Language,
    pub timezone: Timezone,
    pub section: Section,
    /// Where feeds are written; defaults to `<root>/static` (see `Config::public_dir`).
    pub public_dir: Option<PathBuf>,
    /// A user stub template (minijinja) replacing the built-in one.
    pub stub_template: Option<PathBuf>,
    /// The feeds' author.
    pub author: Option<String>,
    /// Put an episode's guests first in its stub's tags (as the reference post does).
    pub guest_tags: bool,
    /// Write each stub as a leaf bundle `<date>-<slug>/index.md` with its resources (the
    /// cover image) beside it, instead of a single `<date>-<slug>.md`; a channel may override.
    pub bundles: bool,
    /// Where `title`, `base_url`, `language` and `timezone` came from.
    pub origins: Origins,
    /// The Hugo site's own settings (Hugo's defaults when `root` has no Hugo config).
    pub hugo: HugoConfig,
}

/// Where a resolved `[site]` value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Set in `[site]`.
    Site,
    /// Read from the Hugo config.
    Hugo,
    /// syndicator's default.
    Default,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origins {
    pub title: Origin,
    pub base_url: Origin,
    pub language: Origin,
    pub timezone: Origin,
}

impl TryFrom<SiteKeys> for Site {
    type Error = String;

    fn try_from(keys: SiteKeys) -> Result<Site, String> {
        let hugo = HugoConfig::load(&keys.root).map_err(|e| format!("cannot read the Hugo config: {e}"))?;
        let from = hugo_file(&hugo, &keys.root);
        let (title, title_origin) = match (keys.title, &hugo.title) {
            (Some(title), _) => (title, Origin::Site),
            (None, Some(title)) => (title.clone(), Origin::Hugo),
            (None, None) => return Err(unset("title", "title", &from)),
        };
        let (base_url, base_url_origin) = match (keys.base_url, &hugo.base_url) {
            (Some(url), _) => (url, Origin::Site),
            (None, Some(url)) => (hugo_base_url(url, &from)?, Origin::Hugo),
            (None, None) => return Err(unset("base_url", "baseURL", &from)),
        };
        let (language, language_origin) = match (keys.language, hugo_language(&hugo)) {
            (Some(language), _) => (language, Origin::Site),
            (None, Some(language)) => (language, Origin::Hugo),
            (None, None) => (Language::ZhTw, Origin::Default),
        };
        let (timezone, timezone_origin) = match (keys.timezone, &hugo.time_zone) {
            (Some(tz), _) => (tz, Origin::Site),
            (None, Some(name)) => (hugo_timezone(name, &from)?, Origin::Hugo),
            (None, None) => (Timezone::default(), Origin::Default),
        };
        Ok(Site {
            root: keys.root,
            title,
            base_url,
            language,
            timezone,
            section: keys.section,
            public_dir: keys.public_dir,
            stub_template: keys.stub_template,
            author: keys.author,
            guest_tags: keys.guest_tags,
            bundles: keys.bundles,
            origins: Origins {
                title: title_origin,
                base_url: base_url_origin,
                language: language_origin,
                timezone: timezone_origin,
            },
            hugo,
        })
    }
}

impl Site {
    /// `[site]` keys whose value differs from the Hugo config's, one sentence each.
    pub fn disagreements_with_hugo(&self) -> Vec<String> {
        let hugo = &self.hugo;
        let from = hugo_file(hugo, &self.root);
        let mut out = Vec::new();
        let mut differ = |key: &str, ours: &str, hugo_key: &str, theirs: &str| {
            out.push(format!(
                "[site] {key} = \"{ours}\" but {hugo_key} = \"{theirs}\" in {from}; \
                 remove [site] {key} to use Hugo's, or make them agree"
            ));
        };
        if let (Origin::Site, Some(theirs)) = (self.origins.title, &hugo.title) {
            if &self.title != theirs {
                differ("title", &self.title, "title", theirs);
            }
        }
        if let (Origin::Site, Some(theirs)) = (self.origins.base_url, &hugo.base_url) {
            if self.base_url.as_str().trim_end_matches('/') != theirs.trim_end_matches('/') {
                differ("base_url", self.base_url.as_str(), "baseURL", theirs);
            }
        }
        if let (Origin::Site, Some(theirs)) = (self.origins.timezone, &hugo.time_zone) {
            if self.timezone.0.name() != theirs {
                differ("timezone", self.timezone.0.name(), "timeZone", theirs);
            }
        }
        if let (Origin::Site, Some(theirs)) = (self.origins.language, hugo_language(hugo)) {
            if self.language != theirs {
                let code = hugo.language_code.as_deref().unwrap_or_default();
                differ("language", self.language.tag(), "languageCode", code);
            }
        }
        out
    }
}

/// The built-in template language Hugo's `languageCode` asks for, if there is one.
fn hugo_language(hugo: &HugoConfig) -> Option<Language> {
    let code = hugo.language_code.as_deref()?.to_ascii_lowercase();
    let primary = code.split(['-', '_']).next().unwrap_or_default();
    match primary {
        "zh" => Some(Language::ZhTw),
        "en" => Some(Language::En),
        _ => None,
    }
}

fn hugo_base_url(url: &str, from: &str) -> Result<SourceUrl, String> {
    SourceUrl::parse(url).ok().filter(|u| matches!(u.url().scheme(), "http" | "https")).ok_or_else(|| {
        format!("Hugo's baseURL \"{url}\" in {from} is not an http(s) URL: fix it or set [site] base_url")
    })
}

fn hugo_timezone(name: &str, from: &str) -> Result<Timezone, String> {
    chrono_tz::Tz::from_str(name).map(Timezone).map_err(|_| {
        format!(
            "Hugo's timeZone \"{name}\" in {from} is not an IANA time zone: fix it or set [site] timezone"
        )
    })
}

fn unset(key: &str, hugo_key: &str, from: &str) -> String {
    format!("[site] {key} is not set and there is no {hugo_key} in {from}: set one of them")
}

/// The Hugo config's location for messages.
fn hugo_file(hugo: &HugoConfig, root: &Path) -> String {
    match &hugo.source {
        Some(path) => format!("the Hugo config {}", path.display()),
        None => format!("{} (no Hugo config there)", root.display()),
    }
}

fn default_section() -> Section {
    Section::new("posts")
}

fn default_guest_tags() -> bool {
    true
}
