//! What one run wrote that belongs in a commit: the stubs it wrote or rewrote (with their
//! titles, for the message), the resource files it wrote into page bundles, the feed files the rebuild changed, and the shortcode templates
//! syndicator installed (those holding exactly the shipped bytes), which the stubs need to
//! build.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::pipeline::ChannelReport;
use crate::publish::{BLOG_PATHS, CHANNEL_PATHS};

/// Why a file is in the commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    NewStub,
    UpdatedStub,
    /// A file in a stub's page bundle (the cover …).
    Resource,
    Feed,
    Shortcode,
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
    /// The stubs of `reports` (names relative to `section`), the six feeds in `public_dir`
    /// (a commit holds those that differ from the branch, so a rebuild outside a run or an
    /// earlier failed commit is caught up) and the shipped shortcode templates found
    /// unchanged in `site_root`.
    pub fn of_run(
        site_root: &Path,
        section: &Path,
        reports: &[ChannelReport],
        public_dir: &Path,
    ) -> RunFiles {
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
            entries.extend(report.resources.iter().map(|name| Entry {
                path: section.join(name),
                kind: Kind::Resource,
                title: None,
            }));
        }
        let feeds =
            [BLOG_PATHS, CHANNEL_PATHS].into_iter().flat_map(|paths| [paths.rss, paths.atom, paths.json]);
        entries.extend(feeds.map(|path| Entry {
            path: public_dir.join(path),
            kind: Kind::Feed,
            title: None,
        }));
        let dir = crate::shortcodes::dir(site_root);
        let shipped = crate::platform::templates().into_iter().map(|(name, bytes)| (dir.join(name), bytes));
        let installed =
            shipped.filter(|(path, bytes)| std::fs::read(path).is_ok_and(|b| b == bytes.as_bytes()));
        entries.extend(installed.map(|(path, _)| Entry { path, kind: Kind::Shortcode, title: None }));
        RunFiles(entries)
    }
}

/// The commit message for `entries`, each shown as its path in the repository.
pub fn message(entries: &[(&Entry, String)]) -> String {
    let count = |kind| entries.iter().filter(|(e, _)| e.kind == kind).count();
    let (new, updated) = (count(Kind::NewStub), count(Kind::UpdatedStub));
    let subject = match (new, updated) {
        (0, 0) => "syndicator: update the feeds and shortcodes".to_owned(),
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
            Kind::Resource => writeln!(text, "- file: {shown}"),
            Kind::Feed => writeln!(text, "- feed: {shown}"),
            Kind::Shortcode => writeln!(text, "- shortcode: {shown}"),
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
            resources: vec!["c/cover.jpg".into()],
            ..ChannelReport::default()
        };
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        let section = root.join("content/posts");
        let files = RunFiles::of_run(root, &section, &[report], &root.join("public"));
        let at = |relative: &str| root.join(relative).display().to_string();
        let paths: Vec<_> = files.0.iter().map(|e| e.path.display().to_string()).collect();
        let first = [at("content/posts/a.md"), at("content/posts/b.md"), at("content/posts/c/cover.jpg")];
        assert_eq!(paths[..4], [&first[..], &[at("public/feed.xml")]].concat());
        assert_eq!(
            paths.len(),
            3 + 6,
            "the stubs, the resource and the six feeds; no shortcode in an empty site"
        );
        let shown: Vec<_> = files.0.iter().take(4).map(|e| (e, e.path.display().to_string())).collect();
        assert_eq!(
            message(&shown),
            format!(
                "syndicator: 1 new episode(s), 1 stub(s) updated\n\n\
                 - new: First talk ({})\n\
                 - updated: ({})\n\
                 - file: {}\n\
                 - feed: {}\n",
                first[0],
                first[1],
                first[2],
                at("public/feed.xml")
            )
        );
    }
}
