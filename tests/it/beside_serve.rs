//! `status`, `status --json` and `feeds` while a real `serve` holds the store: they ask its
//! admin API with `SYNDICATOR_ADMIN_TOKEN`, and say which variable to set without it. And the
//! container rule: loopback-only `serve` warns and `healthcheck` fails inside a container.

use super::app::App;
use super::serve::{Serve, TOKEN, app};

const IN_CONTAINER: (&str, &str) = ("SYNDICATOR_IN_CONTAINER", "1");

/// Rewrites the config's listen address to the port `serve` got, on `host`.
fn point_config_at(app: &App, serve: &Serve, host: &str) {
    let path = app.path("config/syndicator.toml");
    let port = serve
        .log()
        .lines()
        .find_map(|l| l.split("listening on http://").nth(1))
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap()
        .trim()
        .to_owned();
    let config = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, config.replace("127.0.0.1:0", &format!("{host}:{port}"))).unwrap();
}

#[test]
fn status_and_feeds_ask_the_running_serve() {
    let app = app();
    let serve = Serve::start(&app, &[("SYNDICATOR_ADMIN_TOKEN", TOKEN)]);
    serve.wait_for_log("channel synced");
    point_config_at(&app, &serve, "127.0.0.1");
    let without = app.run(&["status"]);
    assert_eq!(without.code, 1, "{}", without.stderr);
    assert!(without.stderr.contains("set SYNDICATOR_ADMIN_TOKEN to the admin token"), "{}", without.stderr);
    let token = [("SYNDICATOR_ADMIN_TOKEN", TOKEN)];
    let status = app.run_with_env(&["status"], &token);
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(status.stdout.contains("mlst (Machine Learning Street Talk)\n  last poll:"), "{}", status.stdout);
    let json = app.run_with_env(&["status", "--json"], &token);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["channels"][0]["id"], "mlst");
    assert!(value["channels"][0]["next_run"].is_string(), "the service knows the next run: {value}");
    assert_eq!(value["channels"][0]["platforms"], serde_json::json!(["podcast"]));
    assert_eq!(value["recent_stubs"].as_array().map(Vec::len), Some(4), "the newest stubs: {value}");
    let wrong = app.run_with_env(&["status"], &[("SYNDICATOR_ADMIN_TOKEN", "wrong")]);
    assert_eq!(wrong.code, 1);
    assert!(wrong.stderr.contains("refused the token in SYNDICATOR_ADMIN_TOKEN"), "{}", wrong.stderr);
    let feeds = app.run_with_env(&["feeds"], &token);
    assert_eq!(feeds.code, 0, "{}", feeds.stderr);
    let feed = app.path("site/static/sources/feed.xml");
    assert!(feeds.stdout.lines().any(|l| l == feed.display().to_string()), "{}", feeds.stdout);
    assert!(feeds.stderr.contains("rebuilt by the running serve"), "{}", feeds.stderr);
    assert!(!serve.log().contains(TOKEN), "the token is never logged");
    let (code, _) = serve.stop();
    assert_eq!(code, 0);
}

#[test]
fn status_json_without_a_serve_reads_the_store() {
    let app = app();
    app.run(&["sync"]);
    let json = app.run(&["status", "--json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["channels"][0]["episodes"], 4);
    assert_eq!(value["channels"][0]["stubs_written"], 4);
    let newest = &value["recent_stubs"][0];
    assert_eq!(
        (&newest["channel"], &newest["has"], &newest["missing"]),
        (&"mlst".into(), &serde_json::json!(["podcast"]), &serde_json::json!([]))
    );
}

#[test]
fn loopback_only_in_a_container_warns_and_fails_the_healthcheck() {
    let app = app();
    let serve = Serve::start(&app, &[IN_CONTAINER]);
    serve.wait_for_log("is loopback only, so nothing outside the container can reach it");
    point_config_at(&app, &serve, "127.0.0.1");
    let inside = app.run_with_env(&["healthcheck"], &[IN_CONTAINER]);
    assert_eq!(inside.code, 1, "{}", inside.stdout);
    assert!(
        inside.stderr.contains("unhealthy") && inside.stderr.contains("0.0.0.0:8080"),
        "{}",
        inside.stderr
    );
    let outside = app.run_with_env(&["healthcheck"], &[("SYNDICATOR_IN_CONTAINER", "0")]);
    assert_eq!(outside.code, 0, "the same server is healthy outside a container: {}", outside.stderr);
}
