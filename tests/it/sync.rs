//! `syndicator sync` end to end: stubs, pairing, conditional requests, author edits,
//! backfill, filters, hostile and mis-encoded input, a lost store, dry runs.

use super::app::{App, fixture};
use super::upstream::Route;

pub const MLST: &str = r#"
[[channels]]
id = "mlst"
name = "Machine Learning Street Talk"
tags = ["Podcast"]
categories = ["AI 技術前沿"]
backfill = 10
youtube = "{upstream}/youtube.xml"
podcast = "{upstream}/podcast.xml"
"#;

/// An app following the MLST fixtures: YouTube (no validators) and the podcast (ETag).
pub fn mlst_app(channel: &str) -> App {
    let app = App::new();
    app.upstream.set("/youtube.xml", Route::xml(fixture("youtube.xml")));
    app.upstream.set("/podcast.xml", Route::xml(fixture("podcast.xml")).with_etag("v1"));
    app.config(channel);
    app
}

/// The front matter of a stub, parsed back as YAML.
pub fn front_matter(text: &str) -> std::collections::BTreeMap<String, serde_json::Value> {
    let inner = text.strip_prefix("---\n").unwrap();
    let end = inner.find("\n---\n").unwrap();
    serde_saphyr::from_str(&inner[..end]).unwrap()
}

fn stub_containing<'a>(stubs: &'a [(String, String)], needle: &str) -> &'a (String, String) {
    stubs
        .iter()
        .find(|(_, text)| text.contains(needle))
        .unwrap_or_else(|| panic!("no stub contains {needle}"))
}

#[test]
fn first_sync_writes_one_stub_per_talk() {
    let app = mlst_app(MLST);
    let run = app.sync_expecting(0);
    assert!(run.stderr.contains("sync finished"), "one summary line: {}", run.stderr);
    let stubs = app.stubs();
    insta::assert_snapshot!("stub_names", app.stub_names().join("\n"));
    let (_, transformer) = stub_containing(&stubs, "Xk3pQ9LJt0s");
    insta::assert_snapshot!("transformer_stub", transformer);
    let (_, mailbag) = stub_containing(&stubs, "Mailbag");
    assert!(!mailbag.contains("{{< youtube"), "a podcast-only episode has no video embed");
    assert!(stubs.iter().all(|(_, text)| !text.contains("#shorts")), "Shorts are skipped");
}

#[test]
fn part_1_and_part_2_stay_apart_and_each_pairs_with_its_video() {
    let app = mlst_app(MLST);
    app.sync_expecting(0);
    let stubs = app.stubs();
    assert_eq!(stubs.len(), 4, "{:?}", app.stub_names());
    let (_, part1) = stub_containing(&stubs, "Part 1");
    let (_, part2) = stub_containing(&stubs, "Part 2");
    assert!(part1.contains("{{< youtube Lm5Tq0aZc3U >}}") && !part1.contains("Rp2W8nXo4aQ"));
    assert!(part2.contains("{{< youtube Rp2W8nXo4aQ >}}") && !part2.contains("Lm5Tq0aZc3U"));
}

#[test]
fn a_second_sync_is_conditional_and_writes_nothing() {
    let app = mlst_app(MLST);
    app.sync_expecting(0);
    let before = app.stubs();
    app.sync_expecting(0);
    assert_eq!(app.stubs(), before);
    let podcast = app.upstream.seen("/podcast.xml");
    assert_eq!(podcast.len(), 2);
    assert_eq!(podcast[1].headers.get("if-none-match").unwrap(), "\"v1\"");
    let youtube = app.upstream.seen("/youtube.xml");
    assert!(youtube[1].headers.get("if-none-match").is_none(), "YouTube sends no validators");
    assert!(youtube[0].headers.get("user-agent").unwrap().to_str().unwrap().starts_with("syndicator/"));
}

#[test]
fn author_edits_and_deletions_are_respected() {
    let app = mlst_app(MLST);
    app.sync_expecting(0);
    let stubs = app.stubs();
    let edited = &stub_containing(&stubs, "Part 1").0;
    let deleted = &stub_containing(&stubs, "Part 2").0;
    let posts = app.path("site/content/posts");
    std::fs::write(posts.join(edited), "---\ntitle: \"mine now\"\n---\nmy words\n").unwrap();
    std::fs::remove_file(posts.join(deleted)).unwrap();
    let newer =
        String::from_utf8(fixture("youtube.xml")).unwrap().replace("Xk3pQ9LJt0s", "NEWvideo123").replace(
            "He Co-Invented the Transformer. Now: Continuous Thought Machines [Llion Jones]",
            "A Brand New Talk About Agents [Guest]",
        );
    app.upstream.set("/youtube.xml", Route::xml(newer));
    app.sync_expecting(0);
    assert_eq!(
        std::fs::read_to_string(posts.join(edited)).unwrap(),
        "---\ntitle: \"mine now\"\n---\nmy words\n"
    );
    assert!(!posts.join(deleted).exists(), "a deleted stub stays deleted");
    assert_eq!(app.stubs().len(), stubs.len(), "one deleted, one new");
    stub_containing(&app.stubs(), "NEWvideo123");
}

#[test]
fn backfill_limits_the_first_sync_and_filters_apply() {
    let channel = MLST.replace("backfill = 10", "backfill = 2\nexclude = [\"(?i)mailbag\"]");
    let app = mlst_app(&channel);
    app.sync_expecting(0);
    let stubs = app.stubs();
    assert_eq!(stubs.len(), 2, "{:?}", app.stub_names());
    stub_containing(&stubs, "Xk3pQ9LJt0s");
    stub_containing(&stubs, "Part 2");
    assert!(stubs.iter().all(|(_, t)| !t.contains("Mailbag")));
    let status = app.run(&["status"]);
    assert!(status.stdout.contains("episodes:      3"), "backfilled episodes are seen: {}", status.stdout);
    app.sync_expecting(0);
    assert_eq!(app.stubs().len(), 2, "backfilled episodes stay without a stub");
}

#[test]
fn hostile_titles_round_trip_and_inject_nothing() {
    let title = r#"He said: "no" #1 --- {{< youtube evil >}} <script>alert(1)</script> 「引號」 yes"#;
    let escaped = title.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let feed = format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>{escaped}</title>
        <guid>g1</guid><pubDate>Mon, 24 Nov 2025 17:00:00 GMT</pubDate>
        <description>&lt;script&gt;alert(2)&lt;/script&gt;{{{{&lt; spotify "x" &gt;}}}} body</description></item></channel></rss>"#
    );
    let app = App::new();
    app.upstream.set("/feed.xml", Route::xml(feed));
    app.config("[[channels]]\nid = \"evil\"\nname = \"no\"\nfeed = \"{upstream}/feed.xml\"\n");
    app.sync_expecting(0);
    let stubs = app.stubs();
    assert_eq!(stubs.len(), 1);
    let (name, text) = &stubs[0];
    let front = front_matter(text);
    assert_eq!(front["title"], title);
    assert_eq!(front["source_name"], "no");
    assert_eq!(front["draft"], true);
    assert!(
        name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'),
        "{name}"
    );
    let body = &text[text.find("\n---\n").unwrap() + 5..];
    assert!(!body.contains("{{<") && !body.contains("{{%") && !body.contains("<script"), "{body}");
}

#[test]
fn a_latin1_feed_is_decoded() {
    let app = App::new();
    app.upstream.set("/latin1.xml", Route::xml(fixture("latin1.xml")));
    app.config(
        "[[channels]]\nid = \"cafe\"\nname = \"Café\"\nbackfill = 1\nfeed = \"{upstream}/latin1.xml\"\n",
    );
    app.sync_expecting(0);
    let stubs = app.stubs();
    assert_eq!(front_matter(&stubs[0].1)["title"], "Café à Zürich");
    assert!(stubs[0].0.contains("cafe-a-zurich"), "{}", stubs[0].0);
}

#[test]
fn a_lost_store_leads_to_no_duplicates() {
    let app = mlst_app(MLST);
    app.sync_expecting(0);
    let before = app.stubs();
    std::fs::remove_dir_all(app.path("state")).unwrap();
    app.sync_expecting(0);
    assert_eq!(app.stubs(), before);
    let status = app.run(&["status"]);
    assert!(status.stdout.contains("episodes:      4"), "the index is rebuilt: {}", status.stdout);
}

#[test]
fn a_dry_run_prints_the_plan_and_writes_nothing() {
    let app = mlst_app(MLST);
    let run = app.run(&["sync", "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.matches("would write ").count(), 4, "{}", run.stdout);
    assert!(run.stdout.contains("syndicator_id: \"mlst:youtube:Xk3pQ9LJt0s\""));
    assert!(!app.path("site/content").exists(), "no stub folder");
    assert!(
        !app.path("site/layouts").exists() && !app.path("site/static").exists(),
        "no shortcodes, no feeds"
    );
    assert!(!app.path("state/syndicator.db").exists(), "no store");
}

#[test]
fn channel_flag_limits_the_sync_to_one_channel() {
    let two =
        format!("{MLST}\n[[channels]]\nid = \"blog\"\nname = \"Blog\"\nfeed = \"{{upstream}}/blog.xml\"\n");
    let app = mlst_app(&two);
    app.upstream.set("/blog.xml", Route::xml(fixture("blog-rss.xml")));
    let run = app.run(&["sync", "--channel", "blog"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(app.upstream.seen("/youtube.xml").is_empty());
    assert_eq!(app.upstream.seen("/blog.xml").len(), 1);
    let unknown = app.run(&["sync", "--channel", "nope"]);
    assert_eq!(unknown.code, 64, "a usage error");
    assert!(unknown.stderr.contains("no channel \"nope\""), "{}", unknown.stderr);
}

#[test]
fn a_user_template_replaces_the_built_in_one() {
    let app = mlst_app(MLST);
    let site = super::app::SITE
        .replace("section = \"posts\"", "section = \"posts\"\nstub_template = \"config/stub.md.j2\"");
    let channel = MLST.replace("{upstream}", &app.upstream.url(""));
    std::fs::write(app.path("config/syndicator.toml"), format!("{site}\n{channel}")).unwrap();
    let template = "---\ntitle: {{ title_yaml }}\nsyndicator_id: {{ syndicator_id_yaml }}\n---\n{{ embeds }}\n# {{ year }}/{{ month }} {{ source_name }}\n";
    std::fs::write(app.path("config/stub.md.j2"), template).unwrap();
    app.sync_expecting(0);
    let (_, text) = stub_containing(&app.stubs(), "Xk3pQ9LJt0s").clone();
    assert!(
        text.ends_with("{{< youtube Xk3pQ9LJt0s >}}\n# 2025/11 Machine Learning Street Talk\n"),
        "{text}"
    );
    assert_eq!(front_matter(&text)["syndicator_id"], "mlst:youtube:Xk3pQ9LJt0s");
    std::fs::write(app.path("config/stub.md.j2"), "{{ broken").unwrap();
    let run = app.run(&["sync"]);
    assert_eq!(run.code, 3, "a broken template is a configuration error");
    assert!(
        run.stderr.contains("invalid stub template") && run.stderr.contains("stub.md.j2"),
        "{}",
        run.stderr
    );
}
