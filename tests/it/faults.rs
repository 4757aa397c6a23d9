//! One source failing must not stop the others: malformed XML, an HTML page, a timeout, an
//! oversized body, an HTTP error. Each is reported by channel, platform and URL, and exit 2.

use std::time::{Duration, Instant};

use super::app::{App, Run, fixture};
use super::upstream::Route;

/// A good channel beside a `broken` one whose feed answers `route`; `fetch` lines are added
/// to the `[fetch]` table.
fn app_with_broken(route: Route, fetch: &str) -> App {
    let app = App::new();
    app.upstream.set("/broken.xml", route);
    let url = app.upstream.url("/broken.xml");
    with_broken_channel(app, &url, fetch)
}

/// Configures `app` with a good channel beside a `broken` one whose feed is at `url`.
pub fn with_broken_channel(app: App, url: &str, fetch: &str) -> App {
    app.upstream.set("/good.xml", Route::xml(fixture("podcast.xml")));
    app.config(&format!(
        "{fetch}\n[[channels]]\nid = \"good\"\nname = \"Good\"\npodcast = \"{{upstream}}/good.xml\"\n\
         [[channels]]\nid = \"broken\"\nname = \"Broken\"\nfeed = \"{url}\"\n"
    ));
    app
}

fn assert_isolated_failure(app: &App, cause: &str) {
    assert_failure_at(app, &app.upstream.url("/broken.xml"), cause);
}

/// Asserts that a sync exits 2 naming the `broken` channel, its platform, `url` and `cause`,
/// that the good channel still gets its stubs, and that `status` shows the cause.
pub fn assert_failure_at(app: &App, url: &str, cause: &str) -> Run {
    let run = app.sync_expecting(2);
    let line =
        run.stderr.lines().find(|l| l.contains("broken feed:")).unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(line.contains(url) && line.contains(cause), "{line}");
    assert_eq!(app.stubs().len(), 3, "the good channel is processed: {:?}", app.stub_names());
    let status = app.run(&["status"]);
    assert!(status.stdout.contains(cause), "status shows the last error: {}", status.stdout);
    run
}

#[test]
fn malformed_xml_fails_only_its_source() {
    assert_isolated_failure(&app_with_broken(Route::xml(fixture("malformed.xml")), ""), "malformed");
}

#[test]
fn an_html_page_fails_only_its_source() {
    assert_isolated_failure(&app_with_broken(Route::xml(fixture("not-a-feed.html")), ""), "HTML page");
}

#[test]
fn an_http_error_fails_only_its_source() {
    assert_isolated_failure(&app_with_broken(Route::status(503), ""), "503");
    assert_isolated_failure(&app_with_broken(Route::status(500), ""), "500");
}

#[test]
fn a_timeout_is_bounded_and_named() {
    let app = app_with_broken(Route::xml(fixture("podcast.xml")).with_delay(Duration::from_secs(30)), "");
    let started = Instant::now();
    assert_isolated_failure(&app, "timed out after 2 s");
    assert!(started.elapsed() < Duration::from_secs(15), "took {:?}", started.elapsed());
}

#[test]
fn an_oversized_body_is_cut_off() {
    let huge = vec![b' '; 64 * 1024];
    let app = app_with_broken(Route::xml(huge), "max_body_bytes = 32768");
    assert_isolated_failure(&app, "larger than the limit of 32768 bytes");
}

#[test]
fn a_failing_source_backs_off_and_is_retried_later() {
    let app = app_with_broken(Route::status(500), "");
    app.sync_expecting(2);
    let run = app.sync_expecting(2);
    assert!(run.stderr.contains("backing off until"), "{}", run.stderr);
    assert_eq!(app.upstream.seen("/broken.xml").len(), 1, "not polled again during backoff");
}

#[test]
fn an_unwritable_content_folder_marks_nothing_seen() {
    let app = App::new();
    app.upstream.set("/podcast.xml", Route::xml(fixture("podcast.xml")).with_etag("v1"));
    app.config("[[channels]]\nid = \"mlst\"\nname = \"M\"\npodcast = \"{upstream}/podcast.xml\"\n");
    std::fs::create_dir_all(app.path("site/content")).unwrap();
    std::fs::write(app.path("site/content/posts"), "a file where the section folder should be").unwrap();
    let run = app.sync_expecting(2);
    assert!(run.stderr.contains("cannot use the content folder"), "{}", run.stderr);
    std::fs::remove_file(app.path("site/content/posts")).unwrap();
    app.sync_expecting(0);
    assert_eq!(app.stubs().len(), 3, "the next sync writes the stubs: {:?}", app.stub_names());
}
