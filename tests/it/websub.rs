//! WebSub both ways, through the real binary: `serve` subscribes at the test hub
//! (`hub.rs`), answers its verification of intent, and runs a channel within seconds of a
//! signed push while the channel's cron schedule would not fire for years; bad pushes,
//! edits and deletions change nothing; leases are renewed; removed channels unsubscribed;
//! a hub that is down leaves polling alone. (Publishing: `websub_publish.rs`.)

use std::time::Duration;

use syndicator::websub::signature::Method;

use super::app::{App, fixture};
use super::hub::{Hub, Signature, Verified};
use super::serve::{Serve, TOKEN, wait_until};
use super::upstream::Route;

/// Fires on 29 February only: no scheduled run happens during a test.
const CONFIG: &str = r#"
[schedule]
default = "0 0 0 29 2 *"
jitter_secs = 0

[server]
listen = "127.0.0.1:{port}"
public_url = "http://127.0.0.1:{port}"

[websub]
subscribe = true
hub = "{hub}"

[[channels]]
id = "mlst"
name = "Machine Learning Street Talk"
backfill = 10
youtube = "{upstream}/youtube.xml"
"#;

const NEW_VIDEO: &str = "Pushed In Seconds";

/// A free port on 127.0.0.1, for a `public_url` known before `serve` starts.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// An app following MLST's YouTube feed, subscribing at `hub`.
fn app_with(hub: &Hub) -> App {
    let app = App::new();
    app.upstream.set("/youtube.xml", Route::xml(fixture("youtube.xml")));
    let port = free_port().to_string();
    app.config(&CONFIG.replace("{port}", &port).replace("{hub}", &hub.url()));
    app
}

fn start(app: &App) -> Serve {
    Serve::start(app, &[("SYNDICATOR_ADMIN_TOKEN", TOKEN)])
}

fn topic(app: &App) -> String {
    app.upstream.url("/youtube.xml")
}

/// Makes the upstream YouTube feed list the pushed video.
pub fn list_new_video(app: &App) {
    app.upstream
        .set("/youtube.xml", Route::xml(feed_with_new_video("Pushed In Seconds: What Hubs Taught Us")));
}

/// The push fixture's `<entry>`, spliced into the YouTube feed as its newest video, with
/// `title` replacing the fixture's.
fn feed_with_new_video(title: &str) -> String {
    let push = String::from_utf8(fixture("websub-push.xml")).unwrap();
    let entry = &push[push.find("<entry>").unwrap()..push.find("</entry>").unwrap() + "</entry>".len()];
    let entry = entry.replace("Pushed In Seconds: What Hubs Taught Us", title);
    String::from_utf8(fixture("youtube.xml")).unwrap().replacen(" <entry>", &format!(" {entry}\n <entry>"), 1)
}

/// Finished stubs (not a temporary file being written) containing `needle`.
fn stubs_with(app: &App, needle: &str) -> usize {
    app.stubs().iter().filter(|(name, text)| name.ends_with(".md") && text.contains(needle)).count()
}

/// Waits until `serve` has logged `n` finished channel runs.
fn wait_runs(serve: &Serve, n: usize) {
    let done = wait_until(|| (serve.log().matches("channel synced").count() >= n).then_some(()));
    assert!(done.is_some(), "not {n} runs:\n{}", serve.log());
}

async fn get(serve: &Serve, path: &str) -> (u16, String) {
    let response = reqwest::Client::new().get(serve.url(path)).bearer_auth(TOKEN).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn api_status(serve: &Serve) -> serde_json::Value {
    serde_json::from_str(&get(serve, "/api/status").await.1).unwrap()
}

/// Starts `serve` and waits for its start-up run (three stubs: the Short is skipped) and its
/// confirmed subscription.
async fn subscribed(app: &App, hub: &Hub) -> (Serve, Verified) {
    let serve = start(app);
    assert!(wait_until(|| (app.stubs().len() == 3).then_some(())).is_some(), "{}", serve.log());
    let verified = hub.wait_subscribed(&topic(app), 1);
    (serve, verified)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signed_push_makes_the_stub_in_seconds_while_the_schedule_sleeps() {
    let hub = Hub::start();
    let app = app_with(&hub);
    let (serve, verified) = subscribed(&app, &hub).await;
    let request = &verified.request;
    assert_eq!(request.lease_seconds, "864000");
    assert_eq!(request.secret.len(), 64, "a random 32-byte secret");
    let token = request.callback.rsplit('/').next().unwrap();
    assert!(request.callback.starts_with("http://127.0.0.1:") && token.len() == 64, "{}", request.callback);
    assert_eq!(verified.status, 200);

    list_new_video(&app);
    let fetched = app.upstream.seen("/youtube.xml").len();
    let push = fixture("websub-push.xml");
    assert_eq!(hub.push(&verified, &push, Signature::With(Method::Sha1), &topic(&app)).await, 204);
    let stub = wait_until(|| (stubs_with(&app, NEW_VIDEO) == 1).then_some(()));
    assert!(stub.is_some(), "no stub for the pushed video:\n{}", serve.log());
    assert_eq!(app.upstream.seen("/youtube.xml").len(), fetched + 1, "one run, started by the push");

    let status = api_status(&serve).await;
    let subscription = &status["websub"][0];
    assert_eq!(subscription["state"], "active", "{status}");
    assert_eq!(subscription["topic"], topic(&app).as_str());
    assert!(subscription["lease_expires"].is_string() && subscription["last_notification"].is_string());
    assert!(
        subscription.get("secret").is_none() && !status.to_string().contains(token),
        "no secret, no token"
    );
    let metrics = get(&serve, "/metrics").await.1;
    for line in [
        "syndicator_websub_notifications_total{channel=\"mlst\",result=\"accepted\"} 1",
        "syndicator_websub_subscription{channel=\"mlst\",platform=\"youtube\",state=\"active\"} 1",
        "syndicator_websub_lease_expiry_timestamp_seconds{channel=\"mlst\",platform=\"youtube\",state=\"active\"}",
    ] {
        assert!(metrics.contains(line), "{line} in\n{metrics}");
    }
    assert_eq!(serve.stop().0, 0);
    let status = app.run(&["status"]);
    let shown = format!("mlst youtube at {}: active", hub.url());
    assert!(status.stdout.contains(&shown), "{}", status.stdout);
    assert!(!status.stdout.contains("last notification: never"), "{}", status.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn unsigned_mis_signed_and_wrong_topic_pushes_change_nothing() {
    let hub = Hub::start();
    let app = app_with(&hub);
    let (serve, verified) = subscribed(&app, &hub).await;
    list_new_video(&app);
    let fetched = app.upstream.seen("/youtube.xml").len();
    let push = fixture("websub-push.xml");
    let elsewhere = "https://www.youtube.com/feeds/videos.xml?channel_id=UCsomeoneelse";
    let bad = [
        (Signature::Unsigned, topic(&app)),
        (Signature::WrongSecret, topic(&app)),
        (Signature::With(Method::Sha512), elsewhere.to_owned()),
    ];
    for (signature, topic) in bad {
        assert_eq!(hub.push(&verified, &push, signature, &topic).await, 204, "answered 2xx as the spec asks");
    }
    let guessed = Verified {
        request: super::hub::Request {
            callback: serve.url(&format!("/websub/{}", "0".repeat(64))),
            ..verified.request.clone()
        },
        ..verified.clone()
    };
    assert_eq!(hub.push(&guessed, &push, Signature::With(Method::Sha256), &topic(&app)).await, 404);
    let metrics = get(&serve, "/metrics").await.1;
    for result in ["unsigned", "bad_signature", "wrong_topic"] {
        let line = format!("syndicator_websub_notifications_total{{channel=\"mlst\",result=\"{result}\"}} 1");
        assert!(metrics.contains(&line), "{line} in\n{metrics}");
    }
    assert_eq!(app.upstream.seen("/youtube.xml").len(), fetched, "no run");
    assert_eq!(stubs_with(&app, NEW_VIDEO), 0);
    let status = api_status(&serve).await;
    assert!(status["websub"][0]["last_notification"].is_null(), "{status}");

    assert_eq!(hub.push(&verified, &push, Signature::With(Method::Sha384), &topic(&app)).await, 204);
    assert!(wait_until(|| (stubs_with(&app, NEW_VIDEO) == 1).then_some(())).is_some(), "{}", serve.log());
    assert_eq!(app.upstream.seen("/youtube.xml").len(), fetched + 1, "only the signed push ran the channel");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edit_push_makes_no_second_stub_and_a_deleted_entry_deletes_nothing() {
    let hub = Hub::start();
    let app = app_with(&hub);
    let (serve, verified) = subscribed(&app, &hub).await;
    list_new_video(&app);
    let push = fixture("websub-push.xml");
    hub.push(&verified, &push, Signature::With(Method::Sha256), &topic(&app)).await;
    assert!(wait_until(|| (stubs_with(&app, NEW_VIDEO) == 1).then_some(())).is_some(), "{}", serve.log());
    wait_runs(&serve, 2);
    let before = app.stubs();

    let edited =
        String::from_utf8(push).unwrap().replace("What Hubs Taught Us", "What Hubs Taught Us (edited title)");
    app.upstream.set(
        "/youtube.xml",
        Route::xml(feed_with_new_video("Pushed In Seconds: What Hubs Taught Us (edited title)")),
    );
    let fetched = app.upstream.seen("/youtube.xml").len();
    hub.push(&verified, edited.as_bytes(), Signature::With(Method::Sha256), &topic(&app)).await;
    wait_runs(&serve, 3);
    assert_eq!(app.upstream.seen("/youtube.xml").len(), fetched + 1, "the edit ran the channel");
    assert_eq!(app.stubs(), before, "the edit made no second stub and touched none");

    let fetched = app.upstream.seen("/youtube.xml").len();
    let deleted = fixture("websub-deleted.xml");
    assert_eq!(hub.push(&verified, &deleted, Signature::With(Method::Sha256), &topic(&app)).await, 204);
    let metrics = get(&serve, "/metrics").await.1;
    assert!(metrics.contains("syndicator_websub_deleted_entries_total{channel=\"mlst\"} 1"), "{metrics}");
    serve.wait_for_log("yt:video:Xk3pQ9LJt0s");
    assert_eq!(app.stubs(), before, "the deleted video's stub is kept");
    assert_eq!(app.upstream.seen("/youtube.xml").len(), fetched, "a deletion alone runs nothing");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lease_about_to_expire_is_renewed() {
    let hub = Hub::start();
    hub.grant_lease(3);
    let app = app_with(&hub);
    let (serve, first) = subscribed(&app, &hub).await;
    let renewed = hub.wait_subscribed(&topic(&app), 2);
    assert_eq!(renewed.request.callback, first.request.callback, "the same subscription");
    assert_eq!(renewed.request.secret, first.request.secret);
    hub.grant_lease(432_000);
    let third = hub.wait_subscribed(&topic(&app), 3);
    assert_eq!(third.request.callback, first.request.callback);
    let status = api_status(&serve).await;
    let expires: chrono::DateTime<chrono::Utc> =
        status["websub"][0]["lease_expires"].as_str().unwrap().parse().unwrap();
    assert!(expires > chrono::Utc::now() + chrono::Duration::days(4), "the renewed lease: {expires}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_removed_channel_is_unsubscribed_on_reload() {
    let hub = Hub::start();
    let app = app_with(&hub);
    let (serve, _) = subscribed(&app, &hub).await;
    let config = std::fs::read_to_string(app.path("config/syndicator.toml")).unwrap();
    let podcast_only = config.replace("youtube = \"", "podcast = \"");
    app.upstream.set("/youtube.xml", Route::xml(fixture("podcast.xml")));
    std::fs::write(app.path("config/syndicator.toml"), podcast_only).unwrap();
    serve.signal("HUP");
    serve.wait_for_log("config reloaded");
    let deadline = std::time::Instant::now() + super::serve::PATIENCE;
    while !hub.verified().iter().any(|v| v.request.mode == "unsubscribe" && v.echoed) {
        assert!(
            std::time::Instant::now() < deadline,
            "no confirmed unsubscription: {:?}\n{}",
            hub.verified(),
            serve.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    while !api_status(&serve).await["websub"].as_array().unwrap().is_empty() {
        assert!(std::time::Instant::now() < deadline, "not forgotten once the hub confirmed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hub_that_is_down_is_retried_and_polling_goes_on() {
    let app = App::new();
    app.upstream.set("/youtube.xml", Route::xml(fixture("youtube.xml")));
    let port = free_port().to_string();
    let closed = format!("http://127.0.0.1:{}/", free_port());
    app.config(&CONFIG.replace("{port}", &port).replace("{hub}", &closed));
    let serve = start(&app);
    assert!(
        wait_until(|| (app.stubs().len() == 3).then_some(())).is_some(),
        "polling goes on:\n{}",
        serve.log()
    );
    serve.wait_for_log("cannot reach the hub");
    let status = api_status(&serve).await;
    let subscription = &status["websub"][0];
    assert_eq!(subscription["state"], "failed", "{status}");
    assert!(subscription["retry_at"].is_string() && subscription["failures"] == 1, "{status}");
    assert!(subscription["last_error"].as_str().unwrap().contains("polling continues"));
}

#[test]
fn subscribing_without_a_public_url_is_a_config_error_naming_the_fix() {
    let app = App::new();
    app.config("[websub]\nsubscribe = true\n\n[[channels]]\nid = \"mlst\"\nname = \"MLST\"\nyoutube = \"{upstream}/youtube.xml\"\n");
    let run = app.run(&["check"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("public_url = \"https://") && run.stderr.contains("line"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_rss_feed_is_subscribed_at_the_hub_it_names_under_its_own_url() {
    let hub = Hub::start();
    let app = App::new();
    let own = "https://podcast.example/feed.rss";
    let podcast = String::from_utf8(fixture("podcast.xml")).unwrap().replacen(
        "<channel>",
        &format!(
            "<channel><atom:link rel=\"hub\" href=\"{}\"/><atom:link rel=\"self\" href=\"{own}\"/>",
            hub.url()
        ),
        1,
    );
    app.upstream.set("/podcast.xml", Route::xml(podcast.clone()));
    let config = CONFIG.replace("{port}", &free_port().to_string()).replace("hub = \"{hub}\"", "");
    app.config(
        &config.replace("youtube = \"{upstream}/youtube.xml\"", "podcast = \"{upstream}/podcast.xml\""),
    );
    let serve = start(&app);
    let verified = hub.wait_subscribed(own, 1);
    assert_eq!(verified.status, 200, "{}", serve.log());
    let fetched = app.upstream.seen("/podcast.xml").len();
    assert_eq!(hub.push(&verified, podcast.as_bytes(), Signature::With(Method::Sha256), own).await, 204);
    let ran = wait_until(|| (app.upstream.seen("/podcast.xml").len() > fetched).then_some(()));
    assert!(ran.is_some(), "a fat ping runs the channel:\n{}", serve.log());
}
