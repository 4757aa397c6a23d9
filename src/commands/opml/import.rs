//! `syndicator opml import FILE [--dry-run]`: each feed outline's URL resolved the way `add`
//! resolves a URL (`discover`, so fetched once: a YouTube channel feed becomes `youtube`, a
//! feed with enclosures `podcast`, any other `feed`; an iTunes lookup or Spotify API URL is
//! `apple` or `spotify` as written), its folders becoming the channel's categories. A URL
//! already followed, in any form (`discover::source_key`), is skipped, and so is one that
//! cannot be imported (no `xmlUrl`, not http(s), not a working feed), each named on stderr.
//! The channels are appended in place (`config::edit`), every other byte kept; `--dry-run`
//! prints them instead. Exit 2 when some outline could not be imported.

use std::collections::HashMap;
use std::io::Read as _;
use std::path::Path;

use url::Url;

use super::super::config_file::{self, Discovery, edit_error};
use super::super::{Outcome, UsageError, shown};
use crate::config::edit::{self, NewChannel};
use crate::discover::{Discoverer, Found, source_key};
use crate::model::Platform;
use crate::opml::{self, FeedOutline, OpmlError};

pub async fn run(config_path: &Path, file: &Path, dry_run: bool) -> anyhow::Result<Outcome> {
    let outlines = read_opml(file)?;
    let (text, config) = config_file::read(config_path)?;
    let discovery = Discovery::new(&config)?;
    let mut plan = Plan { followed: HashMap::new(), channels: Vec::new(), failed: 0 };
    for channel in &config.channels {
        for (_, url) in channel.sources() {
            plan.followed.insert(source_key(url.url()), format!("channel \"{}\"", channel.id()));
        }
    }
    for outline in &outlines {
        plan.take(outline, &discovery.discoverer()).await;
    }
    let (edited, blocks) = plan.apply(&text, config_path)?;
    config_file::check(config_path, &edited)?;
    match (dry_run, plan.channels.len()) {
        (true, _) => print!("{blocks}"),
        (false, 0) => println!("nothing to add from {}", shown(file)),
        (false, n) => {
            config_file::write(config_path, &text, &edited)?;
            println!("added {n} channel(s) to the end of {}:\n{blocks}", shown(config_path));
        }
    }
    Ok(if plan.failed > 0 { Outcome::SomeFailed } else { Outcome::Ok })
}

/// The feed outlines of `file`, read at most [`opml::MAX_BYTES`] (whatever the file is).
fn read_opml(file: &Path) -> Result<Vec<FeedOutline>, UsageError> {
    let failed = |why: String| UsageError(format!("cannot import {}: {why}", shown(file)));
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(opml::MAX_BYTES as u64 + 1).read_to_end(&mut bytes))
        .map_err(|e| failed(e.to_string()))?;
    if bytes.len() > opml::MAX_BYTES {
        return Err(failed(OpmlError::TooLarge.to_string()));
    }
    let text =
        String::from_utf8(bytes).map_err(|e| failed(format!("not UTF-8 text ({e}); save it as UTF-8")))?;
    opml::parse(text.trim_start_matches('\u{feff}')).map_err(|e| failed(e.to_string()))
}

/// The import under way.
struct Plan {
    /// The key of every source followed (by the config or by an earlier outline), and who
    /// follows it, for the skip message.
    followed: HashMap<String, String>,
    /// The channels to add, in file order.
    channels: Vec<Planned>,
    /// How many outlines could not be imported.
    failed: usize,
}

/// A channel to add, before it has an id.
struct Planned {
    /// The outlines' name (`text`, else `title`).
    text: Option<String>,
    /// The outlines' folders: the channel's categories.
    folders: Vec<String>,
    /// The first source's own title, the name when the outline has none.
    title: Option<String>,
    sources: Vec<(Platform, String)>,
}

impl Plan {
    /// Resolves one outline and plans its sources, or says on stderr why it is skipped.
    async fn take(&mut self, outline: &FeedOutline, discoverer: &Discoverer<'_>) {
        let label = label(outline);
        let url = match written_url(outline) {
            Ok(url) => url,
            Err(reason) => return self.fail(&label, &reason),
        };
        if let Some(by) = self.followed.get(&source_key(&url)) {
            return tracing::info!("skipped outline {label}: already followed by {by}");
        }
        let found = match discoverer.resolve_written(url.as_str()).await {
            Ok(found) => found,
            Err(e) => return self.fail(&label, &e.to_string()),
        };
        let (known, new): (Vec<Found>, Vec<Found>) = found.into_iter().partition(|f| self.follows(&f.url));
        for found in &known {
            tracing::info!("skipped {} {} of outline {label}: already followed", found.platform, found.url);
        }
        self.followed.insert(source_key(&url), format!("outline {label}"));
        for found in &new {
            tracing::info!("outline {label}: {} {}", found.platform, found.url);
            self.followed.insert(key_of(&found.url), format!("outline {label}"));
        }
        if !new.is_empty() {
            self.plan(outline, new);
        }
    }

    fn fail(&mut self, label: &str, reason: &str) {
        tracing::warn!("skipped outline {label}: {reason}");
        self.failed += 1;
    }

    fn follows(&self, url: &str) -> bool {
        self.followed.contains_key(&key_of(url))
    }

    /// Adds the sources to the channel of the outline before when it has the same name and
    /// folders and none of these platforms; else plans a channel of their own.
    fn plan(&mut self, outline: &FeedOutline, found: Vec<Found>) {
        let joins = |last: &Planned| {
            outline.text.is_some()
                && last.text == outline.text
                && last.folders == outline.folders
                && !found.iter().any(|f| last.sources.iter().any(|(p, _)| *p == f.platform))
        };
        if let Some(last) = self.channels.last_mut().filter(|last| joins(last)) {
            last.sources.extend(found.into_iter().map(|f| (f.platform, f.url)));
            return;
        }
        self.channels.push(Planned {
            text: outline.text.clone(),
            folders: outline.folders.clone(),
            title: found.iter().find_map(|f| f.title.clone()),
            sources: found.into_iter().map(|f| (f.platform, f.url)).collect(),
        });
    }

    /// The config with every planned channel appended, and their blocks.
    fn apply(&self, text: &str, path: &Path) -> anyhow::Result<(String, String)> {
        let mut taken = edit::channel_ids(text).map_err(edit_error(path))?;
        let (mut edited, mut blocks) = (text.to_owned(), String::new());
        for planned in &self.channels {
            let name = planned.text.clone().or(planned.title.clone()).unwrap_or_else(|| host(planned));
            let id = edit::unique_id(&name, &taken);
            taken.push(id.clone());
            let channel = NewChannel {
                id,
                name,
                sources: planned.sources.clone(),
                categories: planned.folders.clone(),
            };
            edited = edit::add_channel(&edited, &channel).map_err(edit_error(path))?;
            let separator = if blocks.is_empty() { "" } else { "\n" };
            blocks =
                format!("{blocks}{separator}{}", edit::channel_block(&channel).map_err(edit_error(path))?);
        }
        Ok((edited, blocks))
    }
}

/// The outline as messages name it: its name and URL.
fn label(outline: &FeedOutline) -> String {
    match (&outline.text, &outline.xml_url) {
        (Some(text), Some(url)) => format!("\"{text}\" ({url})"),
        (Some(text), None) => format!("\"{text}\""),
        (None, Some(url)) => url.clone(),
        (None, None) => "without a name".to_owned(),
    }
}

/// The outline's `xmlUrl`, when it is an http(s) URL.
fn written_url(outline: &FeedOutline) -> Result<Url, String> {
    let written = outline.xml_url.as_deref().ok_or("it has no xmlUrl (the feed's URL)")?;
    let url = Url::parse(written).map_err(|e| format!("its xmlUrl is not a URL ({e})"))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(format!("its xmlUrl is a {other}: URL; only http and https feeds are imported")),
    }
}

fn key_of(url: &str) -> String {
    Url::parse(url).map(|url| source_key(&url)).unwrap_or_else(|_| url.to_owned())
}

/// The host of the channel's first source, the name of last resort.
fn host(planned: &Planned) -> String {
    let first = planned.sources.first().and_then(|(_, url)| Url::parse(url).ok());
    first.and_then(|url| url.host_str().map(str::to_owned)).unwrap_or_else(|| "channel".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(text: Option<&str>, folders: &[&str], url: &str) -> FeedOutline {
        FeedOutline {
            text: text.map(Into::into),
            xml_url: Some(url.into()),
            html_url: None,
            kind: Some("rss".into()),
            folders: folders.iter().map(|f| (*f).to_owned()).collect(),
        }
    }

    fn found(platform: Platform, url: &str) -> Vec<Found> {
        vec![Found { platform, url: url.into(), title: Some(format!("{platform} title")) }]
    }

    #[test]
    fn neighbouring_outlines_of_one_name_and_folder_are_one_channel_until_a_platform_repeats() {
        let mut plan = Plan { followed: HashMap::new(), channels: Vec::new(), failed: 0 };
        let show = |url| outline(Some("Show"), &["AI"], url);
        plan.plan(&show("https://a/yt"), found(Platform::Youtube, "https://a/yt"));
        plan.plan(&show("https://a/rss"), found(Platform::Podcast, "https://a/rss"));
        plan.plan(&show("https://b/rss"), found(Platform::Podcast, "https://b/rss"));
        plan.plan(&outline(Some("Show"), &[], "https://c/feed"), found(Platform::Feed, "https://c/feed"));
        plan.plan(&outline(None, &[], "https://d/feed"), found(Platform::Youtube, "https://d/feed"));
        plan.plan(&outline(None, &[], "https://e/feed"), found(Platform::Podcast, "https://e/feed"));
        let sources: Vec<usize> = plan.channels.iter().map(|c| c.sources.len()).collect();
        assert_eq!(
            sources,
            [2, 1, 1, 1, 1],
            "a repeated platform, another folder or no name starts a channel"
        );
        assert_eq!(plan.channels[0].title.as_deref(), Some("youtube title"));
    }

    #[test]
    fn only_http_urls_are_taken_and_messages_name_the_outline() {
        let url = |text: &str| written_url(&outline(Some("x"), &[], text));
        assert!(url("https://example.com/feed").is_ok());
        assert!(url("ftp://example.com/feed").unwrap_err().contains("ftp: URL"));
        assert!(url("javascript:alert(1)").unwrap_err().contains("javascript: URL"));
        assert!(url("not a url").unwrap_err().contains("not a URL"));
        let nameless = FeedOutline { text: None, xml_url: None, ..outline(None, &[], "") };
        assert_eq!(label(&nameless), "without a name");
        assert!(written_url(&nameless).unwrap_err().contains("no xmlUrl"));
        assert_eq!(label(&outline(Some("Show"), &[], "https://a/")), "\"Show\" (https://a/)");
    }

    #[test]
    fn planned_channels_get_free_ids_and_a_name_of_last_resort() {
        let mut plan = Plan { followed: HashMap::new(), channels: Vec::new(), failed: 0 };
        let nameless =
            Found { platform: Platform::Feed, url: "https://blog.example/feed".into(), title: None };
        plan.plan(&outline(None, &[], "https://blog.example/feed"), vec![nameless]);
        plan.plan(
            &outline(Some("Taken"), &["A", "B"], "https://t/rss"),
            found(Platform::Podcast, "https://t/rss"),
        );
        let config = "[[channels]]\nid = \"taken\"\nname = \"T\"\nfeed = \"https://x/\"\n";
        let (edited, blocks) = plan.apply(config, Path::new("c.toml")).unwrap();
        assert!(edited.starts_with(config), "{edited}");
        assert!(blocks.contains("id = \"blog-example\"\nname = \"blog.example\"\n"), "{blocks}");
        assert!(
            blocks.contains("id = \"taken-2\"\nname = \"Taken\"\ncategories = [\"A\", \"B\"]\n"),
            "{blocks}"
        );
    }
}
