//! Who is on an episode besides the host: the `podcast:person`s with role `guest`, then the
//! names its titles carry by the conventions the matcher already reads past (`… [Guest]`,
//! `… (Guest)`, `… - Guest`, `… | Guest`, `… with Guest`, `… ft. Guest`, several joined by
//! `,`, `&` or `and`). A name from a title has two to four words, each capitalised (particles
//! such as `van` or `de` inside), no digits, no word that names a kind of video (`Official`,
//! `Interview`, `Part` …); `Dr.`/`Prof.` in front are dropped. Never a host: a
//! `podcast:person` with role `host`, or a name found in more than half of the channel's
//! titles (at least [`MIN_HOST_TITLES`] of them), is the host's. Pure: no IO.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::Episode;

/// The most guests an episode gets.
pub const MAX_GUESTS: usize = 8;
/// A name must be in at least this many of the channel's titles to be taken for the host's.
pub const MIN_HOST_TITLES: usize = 3;
/// The longest name taken from a title, in characters.
const MAX_NAME_CHARS: usize = 60;

/// `with`, `ft.`, `feat.`, `featuring` and the names after it, up to a bracket, `|`, `:` or a
/// spaced dash.
static JOINED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:with|ft\.?|feat\.?|featuring)\s+([^\[\]()|:]+?)\s*(?:$|[\[\]()|:]|\s[-–—]\s)")
        .expect("joined-by pattern")
});
/// A bracketed or parenthesised group; group 1 is its text.
static GROUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\[(【]([^\[\]()【】]+)[\])】]").expect("group pattern"));
/// What sets the last part of a title apart: a spaced dash or bar.
static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s[-–—|]\s").expect("separator pattern"));
/// What separates several names in one place.
static NAME_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*(?:,|&|\+|\band\b)\s*").expect("name separator pattern"));

/// Titles that are dropped in front of a name.
const HONORIFICS: &[&str] = &["dr", "dr.", "prof", "prof.", "professor", "sir", "dame"];
/// Lowercase words that may stand inside a name.
const PARTICLES: &[&str] =
    &["van", "von", "der", "den", "de", "da", "di", "du", "dos", "le", "la", "bin", "al", "y"];
/// Capitalised words that say what a video is or what it is about, never who is in it.
const NOT_NAMES: &[&str] = &[
    "official",
    "video",
    "audio",
    "full",
    "interview",
    "episode",
    "podcast",
    "live",
    "stream",
    "part",
    "special",
    "edition",
    "trailer",
    "teaser",
    "highlights",
    "clip",
    "short",
    "shorts",
    "bonus",
    "preview",
    "version",
    "update",
    "review",
    "reaction",
    "explained",
    "news",
    "show",
    "talk",
    "talks",
    "keynote",
    "lecture",
    "panel",
    "series",
    "season",
    "chapter",
    "premiere",
    "replay",
    "recap",
    "summary",
    "discussion",
    "debate",
    "conversation",
    "ama",
    "tutorial",
    "demo",
    "extended",
    "cut",
    "remastered",
    "subtitles",
    "english",
    "chinese",
    "hd",
    "mailbag",
    "questions",
    "answers",
    "q&a",
    "intro",
    "outro",
    "ai",
    "the",
    "large",
    "language",
    "languages",
    "model",
    "models",
    "learning",
    "machine",
    "machines",
    "neural",
    "network",
    "networks",
    "data",
    "system",
    "systems",
    "intelligence",
    "agent",
    "agents",
    "robot",
    "robots",
];

/// The hosts of a channel, told from its episodes (see the module docs).
#[derive(Debug, Default)]
pub struct Hosts {
    /// One lowercase title per episode.
    titles: Vec<String>,
    /// The lowercase names of the `podcast:person`s with a host role.
    named: HashSet<String>,
}

impl Hosts {
    /// The hosts of the channel whose episodes are `episodes`.
    pub fn of<'a>(episodes: impl IntoIterator<Item = &'a Episode>) -> Hosts {
        let mut hosts = Hosts::default();
        hosts.add(episodes);
        hosts
    }

    /// Counts more of the channel's episodes in.
    pub fn add<'a>(&mut self, episodes: impl IntoIterator<Item = &'a Episode>) {
        for episode in episodes {
            self.titles.push(episode.title().to_lowercase());
            let persons = episode.copies.iter().flat_map(|c| &c.podcasting.persons);
            self.named.extend(persons.filter(|p| p.is_host()).map(|p| p.name.to_lowercase()));
        }
    }

    /// Whether `name` is a host's.
    pub fn contains(&self, name: &str) -> bool {
        let name = name.to_lowercase();
        if self.named.contains(&name) {
            return true;
        }
        let in_titles = self.titles.iter().filter(|title| title.contains(&name)).count();
        in_titles >= MIN_HOST_TITLES && in_titles * 2 > self.titles.len()
    }
}

/// The guests of `episode`: its `podcast:person` guests, then the names in its copies'
/// titles, without hosts, each once (whatever the case), at most [`MAX_GUESTS`].
pub fn guests(episode: &Episode, hosts: &Hosts) -> Vec<String> {
    let persons = episode.copies.iter().flat_map(|c| &c.podcasting.persons);
    let named = persons.filter(|p| p.is_guest()).map(|p| p.name.clone());
    let titled = episode.copies.iter().flat_map(|c| title_guests(&c.title));
    let mut seen = HashSet::new();
    named
        .chain(titled)
        .filter(|name| !hosts.contains(name) && seen.insert(name.to_lowercase()))
        .take(MAX_GUESTS)
        .collect()
}

/// The names a title carries by the conventions in the module docs, in title order.
pub fn title_guests(title: &str) -> Vec<String> {
    let groups = GROUP.captures_iter(title).map(|caps| caps.get(1).map_or("", |m| m.as_str()));
    let joined = JOINED_BY.captures_iter(title).map(|caps| caps.get(1).map_or("", |m| m.as_str()));
    let outside_groups = GROUP.replace_all(title, " ");
    let tail = SEPARATOR.find_iter(&outside_groups).last().map(|m| &outside_groups[m.end()..]);
    let places = groups.chain(joined).chain(tail);
    let mut names: Vec<String> = Vec::new();
    for name in
        places.flat_map(|place| NAME_SEPARATOR.split(place).filter_map(person_name).collect::<Vec<_>>())
    {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// `text` as a person's name (honorifics dropped), if it looks like one.
fn person_name(text: &str) -> Option<String> {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    while words.first().is_some_and(|w| HONORIFICS.contains(&w.to_lowercase().as_str())) {
        words.remove(0);
    }
    let name = words.join(" ");
    let shaped = (2..=4).contains(&words.len())
        && name.chars().count() <= MAX_NAME_CHARS
        && words.iter().enumerate().all(|(i, word)| name_word(word, i == 0 || i == words.len() - 1));
    shaped.then_some(name)
}

/// Whether `word` can be part of a name: capitalised letters (with `.`, `'`, `’`, `-`), or a
/// particle inside the name.
fn name_word(word: &str, at_an_end: bool) -> bool {
    let lower = word.to_lowercase();
    if PARTICLES.contains(&lower.as_str()) {
        return !at_an_end;
    }
    let capitalised = word.chars().next().is_some_and(char::is_uppercase);
    let letters = word.chars().all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '’' | '-'));
    capitalised && letters && !NOT_NAMES.contains(&lower.trim_end_matches('.'))
}

#[cfg(test)]
mod tests;
