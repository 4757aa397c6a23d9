//! The six feeds as real consumers see them: Python `feedparser` reads each without a bozo
//! error, `jing` validates both Atom files against the RFC 4287 RELAX NG schema, and real
//! `hugo` builds the fixture site into an RSS whose item links equal our blog feed's.
//! A missing tool skips its test loudly, or fails it when `CI=true`.

#[path = "common/files.rs"]
mod files;
#[path = "common/tools.rs"]
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, TimeZone, Utc};
use files::copy_dir;
use syndicator::model::{Episode, Platform};
use syndicator::pipeline::merge;
use syndicator::publish::{PushLinks, SiteMeta, render_all};
use syndicator::site::load_pages;
use syndicator::source::parse_feed;
use tools::require_tool;

include!("common/fixture_feeds.rs");

/// The Python that runs feedparser: `$PYTHON` if set, else `python3` from `PATH` (`.ci/run`
/// installs feedparser for that one).
fn python() -> String {
    std::env::var("PYTHON").ok().filter(|p| !p.trim().is_empty()).unwrap_or_else(|| "python3".to_owned())
}

/// The six fixture feeds written under a fresh temporary folder.
fn written_feeds() -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (name, text) in fixture_feeds() {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        paths.push(path);
    }
    (dir, paths)
}

/// Parses one feed and prints a JSON report. feedparser reads JSON Feed only from 6.1 on
/// (Debian's 6.0 has no JSON parser), so with an older one a `.json` file is checked against
/// JSON Feed 1.1's required fields instead, and the report says so.
const FEEDPARSER: &str = r#"
import json, sys, datetime, feedparser
path = sys.argv[1]
if path.endswith(".json") and not hasattr(feedparser.parsers, "json"):
    errors = []
    feed = json.load(open(path, encoding="utf-8"))
    if not feed.get("version", "").startswith("https://jsonfeed.org/version/1"):
        errors.append("version")
    for key in ["title", "home_page_url", "feed_url"]:
        if not isinstance(feed.get(key), str):
            errors.append(key)
    for item in feed.get("items", []):
        if not isinstance(item.get("id"), str) or not item["id"]:
            errors.append("items[].id")
        if not isinstance(item.get("content_html", item.get("content_text")), str):
            errors.append("items[].content_html")
        datetime.datetime.fromisoformat(item["date_published"])
    print(json.dumps({"checker": "jsonfeed-fields", "bozo": bool(errors), "error": str(errors),
                      "version": feed.get("version", ""), "entries": len(feed.get("items", []))}))
else:
    headers = {"content-type": "application/feed+json"} if path.endswith(".json") else {}
    d = feedparser.parse(path, response_headers=headers)
    print(json.dumps({"checker": "feedparser", "bozo": bool(d.bozo), "error": str(d.get("bozo_exception", "")),
                      "version": d.version, "entries": len(d.entries)}))
"#;

#[test]
fn feedparser_reads_all_six_without_bozo() {
    let python = python();
    if !require_tool(&python, &["-c", "import feedparser"]) {
        return;
    }
    let (_dir, paths) = written_feeds();
    let episodes = fixture_episodes().len();
    for path in &paths {
        let out = Command::new(&python).args(["-c", FEEDPARSER]).arg(path).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        if report["checker"] != "feedparser" {
            eprintln!(
                "NOTE: {} checked for JSON Feed fields; this feedparser cannot read JSON",
                path.display()
            );
        }
        assert_eq!(report["bozo"], false, "{}: {report}", path.display());
        assert_ne!(report["version"], "", "{}: {report}", path.display());
        let want = if path.to_string_lossy().contains("sources") { episodes } else { 8 };
        assert_eq!(report["entries"], want, "{}: {report}", path.display());
    }
}

/// The RFC 4287 RELAX NG schema, shipped in the fixtures (see `tests/fixtures/README.md`).
fn atom_schema() -> PathBuf {
    fixture_dir().join("atom-rfc4287.rnc")
}

#[test]
fn jing_validates_both_atom_files() {
    let schema = atom_schema();
    // jing prints warnings about xml-apis on stderr; only its exit code counts.
    if !require_tool("jing", &[]) {
        return;
    }
    let (_dir, paths) = written_feeds();
    for path in paths.iter().filter(|p| p.ends_with("atom.xml")) {
        let out = Command::new("jing").arg("-c").arg(&schema).arg(path).output().unwrap();
        assert!(
            out.status.success(),
            "{} is not valid Atom:\n{}",
            path.display(),
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

fn rss_links(text: &str) -> Vec<String> {
    let channel = rss::Channel::read_from(text.as_bytes()).unwrap();
    channel.items.into_iter().filter_map(|i| i.link).collect()
}

#[test]
fn blog_links_equal_those_of_hugos_own_rss() {
    if !require_tool("hugo", &["version"]) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let site = work.path().join("site");
    copy_dir(&fixture_dir().join("site"), &site);
    let out_dir = work.path().join("public");
    let out =
        Command::new("hugo").arg("--quiet").arg("-s").arg(&site).arg("-d").arg(&out_dir).output().unwrap();
    assert!(out.status.success(), "hugo failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let hugo = rss_links(&std::fs::read_to_string(out_dir.join("index.xml")).unwrap());
    let feeds = fixture_feeds();
    let ours = rss_links(&feeds.iter().find(|(n, _)| *n == "feed.xml").unwrap().1);
    assert_eq!(ours, hugo);
}
