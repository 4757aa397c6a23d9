//! The table of contents a YouTube description carries: lines that start with a time
//! (`0:00`, `00:00`, `1:02:03`, bare or in brackets or parentheses, maybe after a bullet),
//! then a separator (` - `, ` – `, ` — `, `: `, `|`, or only a space) and a title. Like
//! YouTube's own chapters, a list needs at least [`MIN_CHAPTERS`] lines with strictly
//! increasing times, the first within [`MAX_FIRST_SECS`] of the start; blank lines may
//! separate them, any other line ends the list. So a time inside prose, or a line or two
//! starting with one, makes no chapters.

use std::sync::LazyLock;

use regex::Regex;

use super::chapters::{MAX_CHAPTERS, chapter_title};
use super::dates::parse_duration;
use crate::model::Chapter;

/// The fewest lines that make a table of contents.
pub const MIN_CHAPTERS: usize = 3;
/// The latest the first chapter may start, in seconds.
pub const MAX_FIRST_SECS: u64 = 60;

/// A line that starts with a time (`h:mm:ss`, or `m:ss` with minutes up to 999), optionally
/// bracketed, after an optional bullet; then a separator and the title (the last group).
static TIMESTAMP_LINE: LazyLock<Regex> = LazyLock::new(|| {
    let time = r"(\d{1,2}:\d{2}:\d{2}|\d{1,3}:\d{2})";
    Regex::new(&format!(r"^\s*(?:[-*•·▪►▶]\s*)?(?:\[{time}\]|\({time}\)|{time})(?:\s*[-–—|:]\s*|\s+)(\S.*)$"))
        .expect("timestamp line pattern")
});

/// The chapters of a description in plain text (lines kept), or none: see the module docs.
pub fn description_chapters(plain: &str) -> Vec<Chapter> {
    let mut run: Vec<Chapter> = Vec::new();
    for line in plain.lines() {
        let chapter = match timestamp_line(line) {
            None if line.trim().is_empty() => continue,
            None => None,
            Some(chapter) => {
                let extends = run.last().map_or(chapter.start_secs <= MAX_FIRST_SECS, |last| {
                    chapter.start_secs > last.start_secs
                });
                if extends {
                    run.extend(Some(chapter).filter(|_| run.len() < MAX_CHAPTERS));
                    continue;
                }
                Some(chapter)
            }
        };
        if run.len() >= MIN_CHAPTERS {
            break;
        }
        run.clear();
        run.extend(chapter.filter(|c| c.start_secs <= MAX_FIRST_SECS));
    }
    if run.len() >= MIN_CHAPTERS { run } else { Vec::new() }
}

/// The chapter a line announces, if it is a timestamp line with a valid time and a title.
fn timestamp_line(line: &str) -> Option<Chapter> {
    let caps = TIMESTAMP_LINE.captures(line)?;
    let time = (1..=3).find_map(|group| caps.get(group))?.as_str();
    let title = caps.get(4)?.as_str();
    Some(Chapter { start_secs: parse_duration(time)?, title: chapter_title(title)?, url: None })
}

#[cfg(test)]
mod tests;
