//! Validated config values. Each `Deserialize` impl rejects a bad value with a message naming
//! it, and the `toml` crate adds the key and the line.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, de::Error as _};

pub use super::cron::CronSchedule;
pub use crate::model::Language;

/// Deserializes a string and converts it with `parse`, turning its error into a serde error.
fn parse_string<'de, D, T>(d: D, parse: impl FnOnce(&str) -> Result<T, String>) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let text = String::deserialize(d)?;
    parse(text.trim()).map_err(D::Error::custom)
}

/// 1-based line number of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// A channel id: `[a-z0-9-]+`, used in file names, store keys and stub ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelId(String);

impl ChannelId {
    /// Accepts `[a-z0-9-]+`.
    pub fn parse(s: &str) -> Result<ChannelId, String> {
        let valid =
            !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        valid
            .then(|| ChannelId(s.to_owned()))
            .ok_or_else(|| format!("invalid channel id \"{s}\": use lowercase letters, digits and '-'"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for ChannelId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_string(d, ChannelId::parse)
    }
}

/// The Hugo content section stubs go to: one or more `[A-Za-z0-9_-]` path segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section(String);

impl Section {
    pub fn new(name: &str) -> Section {
        Section(name.to_owned())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Section {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_string(d, |s| {
            let segment_ok = |seg: &str| {
                !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            };
            s.split('/')
                .all(segment_ok)
                .then(|| Section(s.to_owned()))
                .ok_or_else(|| format!("invalid section \"{s}\": use letters, digits, '-', '_' and '/'"))
        })
    }
}

/// A platform URL: http, https or file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceUrl(url::Url);

impl SourceUrl {
    /// Parses a URL; `file:relative/path` (no `//`) resolves against the working directory.
    pub fn parse(s: &str) -> Result<SourceUrl, String> {
        let s = s.trim();
        let url = match s.strip_prefix("file:").filter(|rest| !rest.starts_with('/')) {
            Some(relative) => relative_file_url(relative),
            None => url::Url::parse(s).map_err(|e| e.to_string()),
        }
        .map_err(|e| format!("invalid URL \"{s}\": {e}"))?;
        match url.scheme() {
            "http" | "https" | "file" => Ok(SourceUrl(url)),
            other => Err(format!("unsupported URL scheme \"{other}\" in \"{s}\": use http, https or file")),
        }
    }
    pub fn url(&self) -> &url::Url {
        &self.0
    }
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

fn relative_file_url(relative: &str) -> Result<url::Url, String> {
    let path = std::path::absolute(relative).map_err(|e| e.to_string())?;
    url::Url::from_file_path(&path).map_err(|()| format!("cannot make a file URL of {}", path.display()))
}

impl fmt::Display for SourceUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

impl<'de> Deserialize<'de> for SourceUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_string(d, SourceUrl::parse)
    }
}

/// An IANA time zone name; stub dates carry its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timezone(pub chrono_tz::Tz);

impl Default for Timezone {
    fn default() -> Self {
        Timezone(chrono_tz::UTC)
    }
}

impl<'de> Deserialize<'de> for Timezone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_string(d, |s| {
            chrono_tz::Tz::from_str(s)
                .map(Timezone)
                .map_err(|_| format!("unknown time zone \"{s}\": use an IANA name such as \"Asia/Taipei\""))
        })
    }
}

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_string(d, |s| Language::from_str(s).map_err(|e| e.to_string()))
    }
}

impl<'de> Deserialize<'de> for CronSchedule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_string(d, CronSchedule::parse)
    }
}

/// A title regex from `include` / `exclude`.
#[derive(Debug, Clone)]
pub struct TitlePattern(regex::Regex);

impl TitlePattern {
    pub fn is_match(&self, title: &str) -> bool {
        self.0.is_match(title)
    }
}

impl<'de> Deserialize<'de> for TitlePattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        regex::Regex::new(&text)
            .map(TitlePattern)
            .map_err(|e| D::Error::custom(format!("invalid regex \"{text}\": {e}")))
    }
}

/// An integer within `MIN..=MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounded<const MIN: u64, const MAX: u64>(pub u64);

impl<const MIN: u64, const MAX: u64> Bounded<MIN, MAX> {
    pub fn get(self) -> u64 {
        self.0
    }
}

impl<'de, const MIN: u64, const MAX: u64> Deserialize<'de> for Bounded<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = i64::deserialize(d)?;
        u64::try_from(value)
            .ok()
            .filter(|v| (MIN..=MAX).contains(v))
            .map(Bounded)
            .ok_or_else(|| D::Error::custom(format!("{value} is out of range: use {MIN} to {MAX}")))
    }
}

/// `[server] listen`: `host:port`, `[v6]:port`, or `:port` for every interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenAddress(String);

impl ListenAddress {
    pub fn parse(text: &str) -> Result<ListenAddress, String> {
        let invalid =
            || format!("invalid listen address \"{text}\": use host:port, such as \"127.0.0.1:8080\"");
        let (host, port) = text.rsplit_once(':').ok_or_else(invalid)?;
        let host_ok = !host.contains(char::is_whitespace) && (!host.contains(':') || host.starts_with('['));
        (host_ok && port.parse::<u16>().is_ok()).then(|| ListenAddress(text.to_owned())).ok_or_else(invalid)
    }
    /// The address as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address to bind: `:port` means every IPv4 interface.
    pub fn bind_address(&self) -> String {
        if self.0.starts_with(':') { format!("0.0.0.0{}", self.0) } else { self.0.clone() }
    }

    /// The URL of `path` on this server as a local client reaches it: a wildcard host is
    /// reached on loopback.
    pub fn loopback_url(&self, path: &str) -> String {
        let (host, port) = self.0.rsplit_once(':').unwrap_or((&self.0, "8080"));
        let host = match host {
            "" | "0.0.0.0" => "127.0.0.1",
            "[::]" => "[::1]",
            other => other,
        };
        format!("http://{host}:{port}{path}")
    }
}

impl<'de> Deserialize<'de> for ListenAddress {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_string(d, ListenAddress::parse)
    }
}
