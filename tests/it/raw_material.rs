//! What a stub hands the author besides the show notes: chapters (from a Podcasting 2.0
//! chapters file, else the video's table of contents) and guests (in the front matter and
//! leading the tags), end to end through `sync`.

use super::app::{App, fixture};
use super::sync::front_matter;
use super::upstream::Route;

pub const DEEP_SIGNALS: &str = r#"
[[channels]]
id = "deep"
name = "Deep Signals"
tags = ["Podcast"]
backfill = 10
podcast = "{upstream}/podcast.xml"
"#;

/// An app following the Deep Signals podcast (`podcasting2.xml`), its chapters file served.
fn deep_signals(config: &str) -> App {
    let app = App::new();
    app.upstream.set_fixture("/podcast.xml", Route::xml(fixture("podcasting2.xml")));
    app.upstream.set("/ds-101/chapters.json", Route::json(fixture("podcasting2-chapters.json")));
    app.config(config);
    app
}

fn stub<'a>(stubs: &'a [(String, String)], needle: &str) -> &'a str {
    &stubs.iter().find(|(_, text)| text.contains(needle)).unwrap_or_else(|| panic!("no stub with {needle}")).1
}

#[test]
fn podcast_chapters_are_listed_with_links_into_the_audio() {
    let app = deep_signals(DEEP_SIGNALS);
    app.sync_expecting(0);
    let stubs = app.stubs();
    let memory = stub(&stubs, "Why Memory Matters");
    let audio = app.upstream.url("/audio/ds-101.mp3");
    let list = format!(
        "\n\n章節：\n\n- [00:00]({audio}#t=0) Cold open\n- [01:35]({audio}#t=95) What memory means for an agent — \
         https://arxiv.org/abs/2304.03442\n- [41:02]({audio}#t=2462) Forgetting on purpose\n- [1:07:00]({audio}#t=4020) \
         Where to read more\n"
    );
    assert!(memory.ends_with(&list), "{memory}");
    assert!(!memory.contains("Sponsor"), "a chapter marked toc: false is not listed");
    assert!(!stub(&stubs, "Robots That Learn").contains("章節"), "no chapters file, no chapters");
    app.sync_expecting(0);
    assert_eq!(app.upstream.seen("/ds-101/chapters.json").len(), 1, "fetched once, kept with the item");
}

#[test]
fn a_chapters_file_that_fails_never_holds_the_stub_up() {
    let app = deep_signals(DEEP_SIGNALS);
    app.upstream.set("/ds-101/chapters.json", Route::status(500));
    let run = app.sync_expecting(0);
    assert!(
        run.stderr.contains("cannot read the chapters") && run.stderr.contains("/ds-101/chapters.json"),
        "{}",
        run.stderr
    );
    assert!(!stub(&app.stubs(), "Why Memory Matters").contains("章節"));
    let app = deep_signals(DEEP_SIGNALS);
    app.upstream.set("/ds-101/chapters.json", Route::json("<html>not json</html>"));
    app.sync_expecting(0);
    assert_eq!(app.stubs().len(), 3);
}

#[test]
fn guests_come_from_persons_and_titles_and_lead_the_tags_but_never_the_host() {
    let app = deep_signals(DEEP_SIGNALS);
    app.sync_expecting(0);
    let stubs = app.stubs();
    let tags = |needle: &str| front_matter(stub(&stubs, needle))["tags"].clone();
    let guests = |needle: &str| front_matter(stub(&stubs, needle)).get("guests").cloned();
    assert_eq!(tags("Why Memory Matters"), serde_json::json!(["Priya Raman", "Podcast"]));
    assert_eq!(guests("Why Memory Matters"), Some(serde_json::json!(["Priya Raman"])));
    assert_eq!(
        guests("Robots That Learn"),
        Some(serde_json::json!(["Tomás Ferreira"])),
        "once, from person and title"
    );
    assert_eq!(tags("Listener Questions"), serde_json::json!(["Podcast"]), "the channel's host is no guest");
    assert_eq!(guests("Listener Questions"), None, "no guests, no key: the stub is as before");
}

#[test]
fn guest_tags_can_be_turned_off() {
    let app = App::new();
    app.upstream.set_fixture("/podcast.xml", Route::xml(fixture("podcasting2.xml")));
    app.config(DEEP_SIGNALS);
    let config = std::fs::read_to_string(app.path("config/syndicator.toml")).unwrap();
    let config = config.replace("section = \"posts\"\n", "section = \"posts\"\nguest_tags = false\n");
    std::fs::write(app.path("config/syndicator.toml"), config).unwrap();
    app.sync_expecting(0);
    let memory = front_matter(stub(&app.stubs(), "Why Memory Matters"));
    assert_eq!(
        (memory["tags"].clone(), memory["guests"].clone()),
        (serde_json::json!(["Podcast"]), serde_json::json!(["Priya Raman"]))
    );
}

#[test]
fn a_video_description_with_times_only_in_prose_gets_no_chapters() {
    let app = App::new();
    app.upstream.set("/youtube.xml", Route::xml(fixture("youtube-prose-times.xml")));
    app.config("[[channels]]\nid = \"lab\"\nname = \"Deep Signals\"\nyoutube = \"{upstream}/youtube.xml\"\n");
    app.sync_expecting(0);
    let stubs = app.stubs();
    let (_, lab) = &stubs[0];
    assert!(lab.contains("12:40 is the moment the arm drops its first block."), "{lab}");
    assert!(!lab.contains("章節") && !lab.contains("&t="), "{lab}");
}

#[test]
fn a_video_table_of_contents_links_each_chapter_to_its_moment() {
    let app = super::sync::mlst_app(super::sync::MLST);
    app.sync_expecting(0);
    let stubs = app.stubs();
    let transformer = stub(&stubs, "Xk3pQ9LJt0s");
    assert!(
        transformer.contains(
            "- [04:12](https://www.youtube.com/watch?v=Xk3pQ9LJt0s&t=252s) Why transformers got stuck\n"
        ),
        "{transformer}"
    );
    let part1 = stub(&stubs, "Lm5Tq0aZc3U");
    assert!(!part1.contains("章節"), "no table of contents, no chapters");
    assert_eq!(front_matter(part1)["tags"], serde_json::json!(["Maya Okafor", "Podcast"]));
}
