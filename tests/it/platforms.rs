//! Apple Podcasts and Spotify beside YouTube and the podcast RSS: every embed in one stub in
//! the reference order, GUID and title/time pairing, OAuth and paging, late embeds, edited
//! stubs reported by `status`.

use super::app::{App, Run, fixture};
use super::upstream::Route;

pub const CHANNEL: &str = r#"
[spotify]
token_url = "{upstream}/api/token"

[[channels]]
id = "mlst"
name = "Machine Learning Street Talk"
tags = ["Podcast"]
categories = ["AI 技術前沿"]
backfill = 10
youtube = "{upstream}/youtube.xml"
podcast = "{upstream}/podcast.xml"
apple = "{upstream}/lookup?id=1510472996&entity=podcastEpisode&country=tw&limit=200"
spotify = "{upstream}/v1/shows/4yx0000000000000000000/episodes?market=TW&limit=2"
"#;

pub const CREDENTIALS: [(&str, &str); 2] =
    [("SPOTIFY_CLIENT_ID", "test-id"), ("SPOTIFY_CLIENT_SECRET", "test-secret")];
pub(super) const BASIC: &str = "Basic dGVzdC1pZDp0ZXN0LXNlY3JldA==";
const EPISODES: &str = "/v1/shows/4yx0000000000000000000/episodes";

pub(super) fn bearer() -> String {
    let token: serde_json::Value = serde_json::from_slice(&fixture("spotify-token.json")).unwrap();
    format!("Bearer {}", token["access_token"].as_str().unwrap())
}

/// An app following all four platforms, with the Apple lookup answering `apple`.
fn app_with_apple(apple: Vec<u8>) -> App {
    let app = App::new();
    serve_all_platforms(&app, apple);
    app.config(CHANNEL);
    app
}

/// Serves the four platforms' fixtures that [`CHANNEL`] follows on `app`'s upstream, the Apple
/// lookup answering `apple`.
pub fn serve_all_platforms(app: &App, apple: Vec<u8>) {
    let up = &app.upstream;
    up.set("/youtube.xml", Route::xml(fixture("youtube.xml")));
    up.set("/podcast.xml", Route::xml(fixture("podcast.xml")));
    up.set("/lookup", Route::json(apple));
    up.set("/api/token", Route::json(fixture("spotify-token.json")).requiring(BASIC));
    up.set_fixture(EPISODES, Route::json(fixture("spotify-episodes-1.json")).requiring(&bearer()));
    let page_2 = format!("{EPISODES}?offset=2&limit=2");
    up.set_fixture(&page_2, Route::json(fixture("spotify-episodes-2.json")).requiring(&bearer()));
}

fn sync(app: &App, code: i32) -> Run {
    let run = app.run_with_env(&["sync"], &CREDENTIALS);
    assert_eq!(run.code, code, "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    run
}

fn stub<'a>(stubs: &'a [(String, String)], needle: &str) -> &'a (String, String) {
    stubs.iter().find(|(_, text)| text.contains(needle)).unwrap_or_else(|| panic!("no stub has {needle}"))
}

fn embeds(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.starts_with("{{< ")).collect()
}

#[test]
fn every_platform_lands_in_one_stub_in_the_reference_order() {
    let app = app_with_apple(fixture("apple-lookup.json"));
    sync(&app, 0);
    let stubs = app.stubs();
    assert_eq!(stubs.len(), 4, "{:?}", app.stub_names());
    let (_, transformer) = stub(&stubs, "Xk3pQ9LJt0s");
    assert_eq!(
        embeds(transformer),
        vec![
            "{{< youtube Xk3pQ9LJt0s >}}",
            "{{< spotify \"episode/5Qm2cXb7TzR1vK9dLw3JpA\" >}}",
            "{{< apple-podcast \"tw/podcast/he-co-invented-the-transformer-now-continuous-thought/id1510472996?i=1000738009211\" >}}",
        ]
    );
    insta::assert_snapshot!("all_platforms_stub", transformer);
    let (_, mailbag) = stub(&stubs, "Mailbag");
    let mailbag_embeds = embeds(mailbag);
    assert_eq!(mailbag_embeds.len(), 2, "podcast-only: Spotify and Apple, no YouTube: {mailbag_embeds:?}");
    assert!(
        mailbag_embeds[0].contains("0hT8nV4sYpE6wQ2kUc9BrM") && mailbag_embeds[1].contains("1000736911872")
    );
}

#[test]
fn apple_pairs_by_guid_and_falls_back_to_title_and_time_without_crossing_parts() {
    let app = app_with_apple(fixture("apple-lookup.json"));
    sync(&app, 0);
    let stubs = app.stubs();
    let (_, part1) = stub(&stubs, "Part 1");
    let (_, part2) = stub(&stubs, "Part 2");
    assert!(part1.contains("i=1000735580406") && part1.contains("2Wc6pH0jXm4VbT7yNe3QsL"), "{part1}");
    assert!(part2.contains("i=1000736254103"), "Part 2 pairs by title/time: {part2}");
    assert!(part2.contains("7Ld3fG9xZa1NqS5tRw8KyE") && !part2.contains("1000735580406"));
}

#[test]
fn spotify_asks_for_one_token_per_sync_and_pages_with_it() {
    let app = app_with_apple(fixture("apple-lookup.json"));
    sync(&app, 0);
    assert_eq!(app.upstream.seen("/api/token").len(), 1);
    let pages = app.upstream.seen(EPISODES);
    assert_eq!(pages.len(), 2, "two pages of two");
    assert!(pages.iter().all(|p| p.headers["authorization"] == bearer().as_str()));
}

#[test]
fn a_rejected_token_fails_spotify_only() {
    let app = app_with_apple(fixture("apple-lookup.json"));
    app.upstream
        .set_fixture(EPISODES, Route::json(fixture("spotify-episodes-1.json")).requiring("Bearer other"));
    let run = sync(&app, 2);
    assert!(
        run.stderr.contains("mlst spotify:") && run.stderr.contains("rejected the token"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("test-secret") && !run.stderr.contains("made-up-token"),
        "no secret in logs"
    );
    let stubs = app.stubs();
    assert_eq!(stubs.len(), 4);
    assert!(stub(&stubs, "Xk3pQ9LJt0s").1.contains("apple-podcast"), "the other platforms go on");
}

#[test]
fn bad_credentials_fail_spotify_only() {
    let app = app_with_apple(fixture("apple-lookup.json"));
    app.upstream.set("/api/token", Route::json(fixture("spotify-token.json")).requiring("Basic nope"));
    let run = sync(&app, 2);
    assert!(
        run.stderr.contains("cannot get a Spotify token") && run.stderr.contains("401"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("test-secret"));
    assert_eq!(app.stubs().len(), 4);
}

#[test]
fn missing_credentials_are_named_and_the_rest_goes_on() {
    let app = app_with_apple(fixture("apple-lookup.json"));
    let run = app.run(&["sync"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let warning = run
        .stderr
        .lines()
        .find(|l| l.contains("SPOTIFY_CLIENT_ID"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(warning.contains("SPOTIFY_CLIENT_SECRET") && warning.contains("mlst spotify"), "{warning}");
    assert!(app.upstream.seen("/api/token").is_empty());
    assert_eq!(app.stubs().len(), 4);
}

/// The Apple lookup before Apple has published anything: only the show.
fn apple_without_episodes() -> Vec<u8> {
    let lookup: serde_json::Value = serde_json::from_slice(&fixture("apple-lookup.json")).unwrap();
    let show = lookup["results"][0].clone();
    serde_json::to_vec(&serde_json::json!({ "resultCount": 1, "results": [show] })).unwrap()
}

#[test]
fn a_late_embed_fills_an_untouched_stub_in_place() {
    let app = app_with_apple(apple_without_episodes());
    sync(&app, 0);
    let (name, before) = stub(&app.stubs(), "Xk3pQ9LJt0s").clone();
    assert!(!before.contains("apple-podcast"));
    app.upstream.set("/lookup", Route::json(fixture("apple-lookup.json")));
    let run = sync(&app, 0);
    assert!(run.stderr.contains("stubs_updated=4"), "{}", run.stderr);
    let stubs = app.stubs();
    assert_eq!(stubs.len(), 4, "rewritten in place, no new files: {:?}", app.stub_names());
    let (same_name, after) = stub(&stubs, "Xk3pQ9LJt0s");
    assert_eq!(same_name, &name);
    assert_eq!(embeds(after).len(), 3);
    assert!(embeds(after)[2].contains("i=1000738009211"));
}

#[test]
fn an_edited_stub_is_kept_and_its_pending_embeds_are_listed() {
    let app = app_with_apple(apple_without_episodes());
    sync(&app, 0);
    let (name, text) = stub(&app.stubs(), "Xk3pQ9LJt0s").clone();
    let path = app.path("site/content/posts").join(&name);
    let edited = text.replace("draft: true", "draft: false");
    std::fs::write(&path, &edited).unwrap();
    app.upstream.set("/lookup", Route::json(fixture("apple-lookup.json")));
    sync(&app, 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited, "the author's edit is kept");
    let status = app.run(&["status"]);
    let listed = format!("pending embeds for {}", path.display());
    assert!(status.stdout.contains(&listed), "{}", status.stdout);
    let apple = "    {{< apple-podcast \"tw/podcast/he-co-invented-the-transformer-now-continuous-thought/id1510472996?i=1000738009211\" >}}";
    assert!(status.stdout.lines().any(|l| l == apple), "{}", status.stdout);
    assert!(
        !status.stdout.contains("    {{< youtube Xk3pQ9LJt0s >}}"),
        "lines already in the file are not listed"
    );
}

#[test]
fn a_deleted_stub_stays_deleted_when_embeds_arrive() {
    let app = app_with_apple(apple_without_episodes());
    sync(&app, 0);
    let (name, _) = stub(&app.stubs(), "Xk3pQ9LJt0s").clone();
    std::fs::remove_file(app.path("site/content/posts").join(&name)).unwrap();
    app.upstream.set("/lookup", Route::json(fixture("apple-lookup.json")));
    sync(&app, 0);
    assert!(!app.path("site/content/posts").join(&name).exists());
    assert_eq!(app.stubs().len(), 3);
}

#[test]
fn an_edited_stub_survives_a_lost_store_and_late_embeds() {
    let app = app_with_apple(apple_without_episodes());
    sync(&app, 0);
    let (name, text) = stub(&app.stubs(), "Xk3pQ9LJt0s").clone();
    let path = app.path("site/content/posts").join(&name);
    let edited = format!("{text}\nMy own analysis.\n");
    std::fs::write(&path, &edited).unwrap();
    std::fs::remove_dir_all(app.path("state")).unwrap();
    sync(&app, 0);
    app.upstream.set("/lookup", Route::json(fixture("apple-lookup.json")));
    sync(&app, 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited, "an adopted, edited stub is never rewritten");
    let status = app.run(&["status"]);
    assert!(status.stdout.contains(&format!("pending embeds for {}", path.display())), "{}", status.stdout);
}

#[test]
fn a_rate_limited_later_page_keeps_spotifys_retry_after() {
    let app = app_with_apple(fixture("apple-lookup.json"));
    let page_2 = format!("{EPISODES}?offset=2&limit=2");
    app.upstream.set(&page_2, Route::status(429).with_header("retry-after", "3600"));
    let run = sync(&app, 2);
    assert!(run.stderr.contains("mlst spotify:") && run.stderr.contains("429"), "{}", run.stderr);
    let status = app.run(&["status"]);
    let line = status
        .stdout
        .lines()
        .find(|l| l.contains("backing off:   spotify"))
        .unwrap_or_else(|| panic!("{}", status.stdout));
    let retry_at = line.rsplit(' ').next().unwrap();
    let retry_at: chrono::DateTime<chrono::Utc> = retry_at.parse().unwrap();
    let wait = retry_at - chrono::Utc::now();
    assert!(wait > chrono::Duration::minutes(55), "Retry-After from page 2 is honoured: {line}");
    let pages_before = app.upstream.seen(EPISODES).len();
    sync(&app, 2);
    assert_eq!(app.upstream.seen(EPISODES).len(), pages_before, "not polled again before Retry-After");
}

#[test]
fn setting_credentials_later_polls_spotify_at_once() {
    let app = app_with_apple(fixture("apple-lookup.json"));
    assert_eq!(app.run(&["sync"]).code, 2);
    assert_eq!(app.run(&["sync"]).code, 2);
    let status = app.run(&["status"]);
    assert!(
        !status.stdout.contains("backing off:   spotify"),
        "no backoff for a setup problem: {}",
        status.stdout
    );
    sync(&app, 0);
    assert!(stub(&app.stubs(), "Xk3pQ9LJt0s").1.contains("{{< spotify"), "the Spotify embed arrives late");
}
