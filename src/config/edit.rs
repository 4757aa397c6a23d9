//! Editing the user's config file in place (`add`, `opml import`): appending a
//! `[[channels]]` block and adding platform URLs to an existing channel, through `toml_edit`
//! so that every comment, blank line, key order and formatting outside the change survives
//! byte for byte. Pure: text in, text out; the caller reads and writes the file.
//!
//! ```
//! use syndicator::config::edit::{NewChannel, add_channel};
//! use syndicator::model::Platform;
//!
//! let before = "[site]\nroot = \"site\"  # my blog\n";
//! let channel = NewChannel {
//!     id: "mlst".into(),
//!     name: "Machine Learning Street Talk".into(),
//!     sources: vec![(Platform::Podcast, "https://example.com/rss".into())],
//!     categories: vec![],
//! };
//! let after = add_channel(before, &channel).unwrap();
//! assert!(after.starts_with(before));
//! assert!(after.ends_with("[[channels]]\nid = \"mlst\"\nname = \"Machine Learning Street Talk\"\npodcast = \"https://example.com/rss\"\n"));
//! ```

use thiserror::Error;
use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use crate::model::Platform;

/// A channel to add: what `add` discovered, or an OPML outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChannel {
    /// The `id` key; must be unused (see [`unique_id`] for a free one from a title).
    pub id: String,
    /// The `name` key, the show's name as stubs show it.
    pub name: String,
    /// The platform URLs, written in [`Platform::ALL`] order whatever the order here.
    pub sources: Vec<(Platform, String)>,
    /// The `categories` key, left out when empty (OPML folders become categories).
    pub categories: Vec<String>,
}

/// Why the config could not be edited; each names what to fix.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum EditError {
    #[error("the config is not valid TOML: {0}")]
    Parse(String),
    #[error("a channel with id \"{0}\" already exists: pick another id (--id)")]
    IdTaken(String),
    #[error("no channel with id \"{0}\" in the config")]
    NoSuchChannel(String),
    #[error("`channels` is not written as [[channels]] blocks, so it cannot be edited in place")]
    NotBlocks,
    #[error("channel \"{id}\" already has {platform} = \"{url}\": remove that line to replace it")]
    PlatformSet { id: String, platform: Platform, url: String },
    #[error("{0} is given twice: a channel has one URL per platform")]
    TwicePlatform(Platform),
}

/// `text` with `channel` appended as a new `[[channels]]` block at the end of the file, after a
/// blank line; the original text is an unchanged prefix of the result.
pub fn add_channel(text: &str, channel: &NewChannel) -> Result<String, EditError> {
    if channel_ids(text)?.contains(&channel.id) {
        return Err(EditError::IdTaken(channel.id.clone()));
    }
    let separator = match text {
        "" => "",
        t if t.ends_with("\n\n") => "",
        t if t.ends_with('\n') => "\n",
        _ => "\n\n",
    };
    let edited = format!("{text}{separator}{}", channel_block(channel)?);
    // An appended [[channels]] can only clash with a `channels = [...]` array.
    match channel_ids(&edited)?.contains(&channel.id) {
        true => Ok(edited),
        false => Err(EditError::NotBlocks),
    }
}

/// The `[[channels]]` block [`add_channel`] appends, as `--dry-run` prints it.
pub fn channel_block(channel: &NewChannel) -> Result<String, EditError> {
    let mut table = Table::new();
    table.insert("id", value(&channel.id));
    table.insert("name", value(&channel.name));
    if !channel.categories.is_empty() {
        table.insert("categories", value(channel.categories.iter().collect::<toml_edit::Array>()));
    }
    for (platform, url) in in_platform_order(&channel.sources)? {
        table.insert(platform.as_str(), value(url));
    }
    let mut blocks = ArrayOfTables::new();
    blocks.push(table);
    let mut document = DocumentMut::new();
    document.insert("channels", Item::ArrayOfTables(blocks));
    Ok(document.to_string())
}

/// `text` with `sources` added to the channel `id` as `platform = "url"` lines after its last
/// key. A platform already set to the same URL is left alone; set to another URL, it is an
/// error (nothing is replaced silently).
pub fn add_sources(text: &str, id: &str, sources: &[(Platform, String)]) -> Result<String, EditError> {
    fix_sources(text, id, sources, |_| false)
}

/// [`add_sources`], except that a platform set to a URL for which `replaceable` holds (a web
/// page pasted where a feed belongs, see `discover::is_pasted_page`) gets the new URL in
/// place, keeping its line's comment.
pub fn fix_sources(
    text: &str,
    id: &str,
    sources: &[(Platform, String)],
    replaceable: impl Fn(&str) -> bool,
) -> Result<String, EditError> {
    let mut document = parse(text)?;
    let table = channel_table(&mut document, id)?;
    for (platform, url) in in_platform_order(sources)? {
        let key = platform.as_str();
        match table.get_mut(key).and_then(Item::as_value_mut) {
            Some(set) if set.as_str() == Some(url) => continue,
            Some(set) if set.as_str().is_some_and(&replaceable) => {
                let decor = set.decor().clone();
                *set = url.into();
                *set.decor_mut() = decor;
            }
            Some(set) => {
                let set = set.as_str().map_or_else(|| set.to_string(), str::to_owned);
                return Err(EditError::PlatformSet { id: id.to_owned(), platform, url: set });
            }
            None => {
                table.insert(key, value(url));
            }
        }
    }
    Ok(document.to_string())
}

/// The lines [`add_sources`] adds for `sources`, as `--dry-run` prints them.
pub fn source_lines(sources: &[(Platform, String)]) -> Result<String, EditError> {
    let mut document = DocumentMut::new();
    for (platform, url) in in_platform_order(sources)? {
        document.insert(platform.as_str(), value(url));
    }
    Ok(document.to_string())
}

/// The ids of the channels in the config text, in file order.
pub fn channel_ids(text: &str) -> Result<Vec<String>, EditError> {
    let document = parse(text)?;
    let Some(channels) = document.get("channels") else { return Ok(Vec::new()) };
    let tables = channels.as_array_of_tables().ok_or(EditError::NotBlocks)?;
    Ok(tables.iter().filter_map(|t| t.get("id").and_then(Item::as_str)).map(str::to_owned).collect())
}

/// A channel id made from `title` (slugged: `[a-z0-9-]`, "channel" when nothing is left) that
/// is not in `taken`: `-2`, `-3` … appended as needed.
pub fn unique_id(title: &str, taken: &[String]) -> String {
    let base = Some(crate::stub::slugify(title)).filter(|s| !s.is_empty()).unwrap_or("channel".into());
    let free = |id: &String| !taken.contains(id);
    std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(free)
        .expect("an unbounded sequence of distinct ids has a free one")
}

fn parse(text: &str) -> Result<DocumentMut, EditError> {
    text.parse::<DocumentMut>().map_err(|e| EditError::Parse(e.to_string()))
}

fn channel_table<'a>(document: &'a mut DocumentMut, id: &str) -> Result<&'a mut Table, EditError> {
    let channels = document.get_mut("channels").ok_or_else(|| EditError::NoSuchChannel(id.to_owned()))?;
    let tables = channels.as_array_of_tables_mut().ok_or(EditError::NotBlocks)?;
    tables
        .iter_mut()
        .find(|t| t.get("id").and_then(Item::as_str) == Some(id))
        .ok_or_else(|| EditError::NoSuchChannel(id.to_owned()))
}

/// `sources` sorted into [`Platform::ALL`] order; a platform given twice is an error.
fn in_platform_order(sources: &[(Platform, String)]) -> Result<Vec<(Platform, &str)>, EditError> {
    let mut sorted = Vec::with_capacity(sources.len());
    for platform in Platform::ALL {
        let mut urls = sources.iter().filter(|(p, _)| *p == platform);
        if let Some((_, url)) = urls.next() {
            sorted.push((platform, url.as_str()));
        }
        if urls.next().is_some() {
            return Err(EditError::TwicePlatform(platform));
        }
    }
    Ok(sorted)
}

#[cfg(test)]
mod tests;
