//! What one run wrote that belongs in a commit: the stubs it wrote or rewrote (with their
//! titles, for the message) and the feed files the rebuild changed. Pure.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::pipeline::ChannelReport;

/// Why a file is in the commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    NewStub,
    UpdatedStub,
    Feed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub path: PathBuf,
    pub kind: Kind,
    /// The stub's title, from its front matter.
    pub title: Option<String>,
}

/// The files of one run, in the order they are listed in the commit message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunFiles(pub Vec<Entry>);

impl RunFiles {
    /// The stubs of `reports` (names relative to `section`) and the changed `feeds` (paths
    /// relative to `public_dir`).
    pub fn of_run(section: &Path, reports: &[ChannelReport], public_dir: &Path, feeds: &[&str]) -> RunFiles {
        let stub = |kind| {
            move |(name, text): &(String, String)| Entry {
                path: section.join(name),
                kind,
                title: crate::site::split(text).ok().map(|(front, _)| front.title).filter(|t| !t.is_empty()),
            }
        };
        let mut entries: Vec<Entry> = Vec::new();
        for report in reports {
            entries.extend(report.stubs.iter().map(stub(Kind::NewStub)));
            entries.extend(report.updated.iter().map(stub(Kind::UpdatedStub)));
        }
        let feed = |path: &&str| Entry { path: public_dir.join(path), kind: Kind::Feed, title: None };
        entries.extend(feeds.iter().map(feed));
        RunFiles(entries)
    }
}

/// The commit message for `entries`, each shown as its path in the repository.
pub fn message(entries: &[(&Entry, String)]) -> String {
    let count = |kind| entries.iter().filter(|(e, _)| e.kind == kind).count();
    let (new, updated) = (count(Kind::NewStub), count(Kind::UpdatedStub));
    let subject = match (new, updated) {
        (0, 0) => "syndicator: update the feeds".to_owned(),
        (n, 0) => format!("syndicator: {n} new episode(s)"),
        (0, u) => format!("syndicator: {u} stub(s) updated with late embeds"),
        (n, u) => format!("syndicator: {n} new episode(s), {u} stub(s) updated"),
    };
    let mut text = format!("{subject}\n\n");
    for (entry, shown) in entries {
        let title = entry.title.as_deref().map(|t| format!("{t} ")).unwrap_or_default();
        let _ = match entry.kind {
            Kind::NewStub => writeln!(text, "- new: {title}({shown})"),
            Kind::UpdatedStub => writeln!(text, "- updated: {title}({shown})"),
            Kind::Feed => writeln!(text, "- feed: {shown}"),
        };
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_lists_the_episodes_by_title_and_path() {
        let report = ChannelReport {
            stubs: vec![("a.md".into(), "---\ntitle: \"First talk\"\n---\nbody".into())],
            updated: vec![("b.md".into(), "no front matter".into())],
            ..ChannelReport::default()
        };
        let files =
            RunFiles::of_run(Path::new("/s/content/posts"), &[report], Path::new("/s/public"), &["feed.xml"]);
        let paths: Vec<_> = files.0.iter().map(|e| e.path.display().to_string()).collect();
        assert_eq!(paths, ["/s/content/posts/a.md", "/s/content/posts/b.md", "/s/public/feed.xml"]);
        let shown: Vec<_> = files.0.iter().map(|e| (e, e.path.display().to_string())).collect();
        assert_eq!(
            message(&shown),
            "syndicator: 1 new episode(s), 1 stub(s) updated\n\n\
             - new: First talk (/s/content/posts/a.md)\n\
             - updated: (/s/content/posts/b.md)\n\
             - feed: /s/public/feed.xml\n"
        );
    }
}
