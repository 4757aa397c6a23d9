//! Hostile feed content (issue 6): the same episode re-published under a new guid and audio
//! URL, duplicate guids, items with neither guid nor link, megabyte titles and descriptions,
//! wrong or missing encoding declarations. Each gives exactly one stub per episode, and a stub
//! whose front matter parses back.

use super::app::App;
use super::sync::front_matter;
use super::upstream::Route;

/// An RSS document around `items`, with `prolog` as its first line.
fn rss(prolog: &str, items: &str) -> String {
    format!("{prolog}<rss version=\"2.0\"><channel><title>Show</title>{items}</channel></rss>")
}

const UTF8: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

/// One RSS item; `guid` is left out when `None`.
fn item(guid: Option<&str>, title: &str, date: &str, audio: &str) -> String {
    let guid = guid.map(|g| format!("<guid isPermaLink=\"false\">{g}</guid>")).unwrap_or_default();
    format!(
        "<item>{guid}<title>{title}</title><pubDate>{date}</pubDate>\
         <enclosure url=\"{audio}\" type=\"audio/mpeg\" length=\"1\"/></item>"
    )
}

/// An app whose one channel `show` follows `/show.xml`, answering `feed`.
fn show_app(feed: impl Into<Vec<u8>>) -> App {
    let app = App::new();
    app.upstream.set("/show.xml", Route::xml(feed));
    app.config(
        "[[channels]]\nid = \"show\"\nname = \"Show\"\nbackfill = 10\npodcast = \"{upstream}/show.xml\"\n",
    );
    app
}

fn assert_episodes(app: &App, count: usize) {
    let status = app.run(&["status"]);
    assert!(status.stdout.contains(&format!("episodes:      {count}\n")), "{}", status.stdout);
}

const TITLE: &str = "Scaling Laws Revisited with Dr. Ada Lovelace";

#[test]
fn an_episode_republished_under_a_new_guid_and_audio_url_gets_no_second_stub() {
    let original = item(Some("g-1"), TITLE, "Mon, 24 Nov 2025 17:00:00 GMT", "https://cdn.test/a.mp3");
    let app = show_app(rss(UTF8, &original));
    app.sync_expecting(0);
    let before = app.stubs();
    assert_eq!(before.len(), 1);
    let again =
        item(Some("reupload-7"), TITLE, "Mon, 24 Nov 2025 19:30:00 GMT", "https://cdn2.test/a-v2.mp3");
    app.upstream.set("/show.xml", Route::xml(rss(UTF8, &again)));
    app.sync_expecting(0);
    assert_eq!(app.stub_names(), [before[0].0.clone()], "still one stub");
    assert_episodes(&app, 1);
}

#[test]
fn duplicate_guids_in_one_feed_give_one_stub() {
    let items: String = ["First", "Second copy", "Third copy"]
        .iter()
        .map(|title| item(Some("same"), title, "Mon, 24 Nov 2025 17:00:00 GMT", "https://cdn.test/a.mp3"))
        .collect();
    let app = show_app(rss(UTF8, &items));
    app.sync_expecting(0);
    let stubs = app.stubs();
    assert_eq!(stubs.len(), 1, "{:?}", app.stub_names());
    assert_eq!(front_matter(&stubs[0].1)["title"], "First", "the first item wins");
}

#[test]
fn items_without_guid_or_link_keep_a_stable_identity() {
    let bare = |title: &str, day: u32| {
        format!("<item><title>{title}</title><pubDate>{day} Nov 2025</pubDate></item>")
    };
    let two = format!("{}{}", bare("Alpha talk", 20), bare("Beta talk", 21));
    let app = show_app(rss(UTF8, &two));
    app.sync_expecting(0);
    assert_eq!(app.stubs().len(), 2);
    app.upstream.set("/show.xml", Route::xml(rss(UTF8, &format!("{}{two}", bare("Gamma talk", 22)))));
    app.sync_expecting(0);
    assert_eq!(app.stubs().len(), 3, "only the new item: {:?}", app.stub_names());
}

#[test]
fn megabyte_titles_and_descriptions_give_one_bounded_stub() {
    let title = format!("Mega{}", " talk about scaling".repeat(50_000));
    let description = format!("<p>{}</p>", "Show notes &amp; more. ".repeat(10_000)).repeat(10);
    let feed = rss(
        UTF8,
        &format!(
            "<item><guid>big</guid><title>{title}</title><pubDate>Mon, 24 Nov 2025 17:00:00 GMT</pubDate>\
             <description><![CDATA[{description}]]></description></item>"
        ),
    );
    let app = show_app(feed.clone());
    app.sync_expecting(0);
    let stubs = app.stubs();
    assert_eq!(stubs.len(), 1);
    let (name, text) = &stubs[0];
    assert!(name.len() <= "2025-11-25-.md".len() + 60, "{name}");
    assert!(text.len() < 3 * feed.len(), "stub of {} bytes from a {} byte feed", text.len(), feed.len());
    let front = front_matter(text);
    assert_eq!(front["title"], title.as_str());
    assert!(front["description"].as_str().unwrap().chars().count() <= 160);
}

#[test]
fn wrong_or_missing_encoding_declarations_still_give_a_stub() {
    let latin1 = b"Caf\xe9 \xe0 Z\xfcrich".to_vec();
    let feed = |prolog: &str, title: &[u8]| {
        let body =
            rss(prolog, &item(Some("g"), "TITLE", "Mon, 24 Nov 2025 17:00:00 GMT", "https://cdn.test/a.mp3"));
        let (head, tail) = body.split_once("TITLE").unwrap();
        [head.as_bytes(), title, tail.as_bytes()].concat()
    };
    let app = App::new();
    let cases: [(&str, Vec<u8>); 3] = [
        ("none", feed("", &latin1)),
        ("declared-utf8", feed(UTF8, &latin1)),
        ("utf8-declared-latin1", feed("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>", "Café".as_bytes())),
    ];
    let mut config = String::new();
    for (id, body) in cases {
        app.upstream.set(&format!("/{id}.xml"), Route::xml(body));
        config.push_str(&format!(
            "[[channels]]\nid = \"{id}\"\nname = \"{id}\"\nfeed = \"{{upstream}}/{id}.xml\"\n"
        ));
    }
    app.config(&config);
    app.sync_expecting(0);
    let stubs = app.stubs();
    assert_eq!(stubs.len(), 3, "{:?}", app.stub_names());
    for (_, text) in &stubs {
        assert!(front_matter(text)["title"].as_str().unwrap().starts_with("Caf"), "{text}");
    }
}
