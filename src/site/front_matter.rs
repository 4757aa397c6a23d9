//! Front matter of a Hugo page: splitting it from the body (YAML between `---` lines, TOML
//! between `+++` lines) and reading the keys the feeds need. Keys are matched
//! case-insensitively, as Hugo does; unknown keys are ignored. Pure.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde_json::Value;

/// Why a page's front matter could not be read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FrontMatterError {
    #[error("front matter opened with {0} is never closed")]
    Unclosed(&'static str),
    #[error("invalid YAML front matter: {0}")]
    Yaml(String),
    #[error("invalid TOML front matter: {0}")]
    Toml(String),
    #[error("front matter is not a map of keys")]
    NotAMap,
    #[error("unreadable date {value:?} in front matter key {key}")]
    Date { key: &'static str, value: String },
}

/// The front-matter keys the feeds use. Dates keep the offset they were written with (none
/// means UTC, Hugo's default `timeZone`), so `:year/:month/:day` match Hugo's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: String,
    pub date: Option<DateTime<FixedOffset>>,
    pub lastmod: Option<DateTime<FixedOffset>>,
    pub publish_date: Option<DateTime<FixedOffset>>,
    pub expiry_date: Option<DateTime<FixedOffset>>,
    pub draft: bool,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    pub slug: Option<String>,
    pub url: Option<String>,
    pub syndicator_id: Option<String>,
    /// A front-matter `id` or `guid` key: an author-chosen stable feed id.
    pub guid: Option<String>,
}

impl FrontMatter {
    /// Hugo's publish date: `publishDate`, else `date`.
    pub fn published(&self) -> Option<DateTime<FixedOffset>> {
        self.publish_date.or(self.date)
    }
}

/// Splits a page into its front matter and Markdown body. A page without front matter has
/// the default (empty) one and its whole text as body.
pub fn split(text: &str) -> Result<(FrontMatter, &str), FrontMatterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some((fence, format)) = opening(text) else {
        return Ok((FrontMatter::default(), text));
    };
    let (raw, body) = fenced(text, fence).ok_or(FrontMatterError::Unclosed(fence))?;
    let map = match format {
        Format::Yaml => parse_yaml(raw)?,
        Format::Toml => parse_toml(raw)?,
    };
    Ok((from_map(&map)?, body))
}

#[derive(Clone, Copy)]
enum Format {
    Yaml,
    Toml,
}

fn opening(text: &str) -> Option<(&'static str, Format)> {
    let first = text.lines().next()?.trim_end();
    match first {
        "---" => Some(("---", Format::Yaml)),
        "+++" => Some(("+++", Format::Toml)),
        _ => None,
    }
}

/// The text between the opening fence line and the next line equal to `fence`, and the body.
fn fenced<'a>(text: &'a str, fence: &str) -> Option<(&'a str, &'a str)> {
    let start = text.find('\n')? + 1;
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        if line.trim_end() == fence {
            return Some((&text[start..offset], &text[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

fn parse_yaml(raw: &str) -> Result<Value, FrontMatterError> {
    if raw.trim().is_empty() {
        return Ok(Value::Object(Default::default()));
    }
    serde_saphyr::from_str(raw).map_err(|e| FrontMatterError::Yaml(e.to_string()))
}

fn parse_toml(raw: &str) -> Result<Value, FrontMatterError> {
    let table: toml::Table = toml::from_str(raw).map_err(|e| FrontMatterError::Toml(e.to_string()))?;
    Ok(toml_to_json(toml::Value::Table(table)))
}

/// TOML values as JSON values; datetimes become their RFC 3339 text.
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

fn from_map(map: &Value) -> Result<FrontMatter, FrontMatterError> {
    let map = map.as_object().ok_or(FrontMatterError::NotAMap)?;
    let get = |key: &str| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v);
    let text = |key: &str| get(key).and_then(scalar_text);
    let date = |key: &'static str| get(key).map(|v| date_value(key, v)).transpose().map(Option::flatten);
    Ok(FrontMatter {
        title: text("title").unwrap_or_default(),
        date: date("date")?,
        lastmod: date("lastmod")?,
        publish_date: date("publishDate")?.or(date("pubdate")?).or(date("published")?),
        expiry_date: date("expiryDate")?.or(date("unpublishdate")?),
        draft: get("draft").is_some_and(truthy),
        description: text("description").filter(|d| !d.trim().is_empty()),
        tags: string_list(get("tags")),
        categories: string_list(get("categories")),
        slug: text("slug").filter(|s| !s.trim().is_empty()),
        url: text("url").filter(|s| !s.trim().is_empty()),
        syndicator_id: text("syndicator_id").filter(|s| !s.trim().is_empty()),
        guid: text("guid").or_else(|| text("id")).filter(|s| !s.trim().is_empty()),
    })
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// A list of strings from a sequence, or a lone string as a one-element list.
fn string_list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
        Some(other) => scalar_text(other).into_iter().collect(),
        None => Vec::new(),
    }
}

/// A date key: an empty string counts as absent; anything else must parse.
fn date_value(key: &'static str, value: &Value) -> Result<Option<DateTime<FixedOffset>>, FrontMatterError> {
    let text = scalar_text(value).unwrap_or_default();
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse_date(&text).map(Some).ok_or(FrontMatterError::Date { key, value: text })
}

/// Hugo's date formats: RFC 3339, with or without `T`, offset or seconds; a bare date. A
/// date without offset is UTC.
pub fn parse_date(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d);
    }
    const ZONED: &[&str] = &[
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f %Z",
    ];
    if let Some(d) = ZONED.iter().find_map(|f| DateTime::parse_from_str(text, f).ok()) {
        return Some(d);
    }
    const NAIVE: &[&str] =
        &["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"];
    let naive = NAIVE
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)))?;
    Some(naive.and_utc().fixed_offset())
}

#[cfg(test)]
mod tests;
