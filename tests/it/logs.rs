//! `--log-format json`: every log line on stderr is one JSON object, and a failing source's
//! warning carries `channel`, `platform` and `url` as fields.

use super::app::App;
use super::faults::with_broken_channel;
use super::upstream::Route;

fn json_lines(stderr: &str) -> Vec<serde_json::Value> {
    stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect()
}

#[test]
fn json_logs_carry_the_failing_sources_channel_platform_and_url() {
    let app = App::new();
    app.upstream.set("/broken.xml", Route::status(500));
    let url = app.upstream.url("/broken.xml");
    let app = with_broken_channel(app, &url, "");
    for run in [
        app.run(&["--log-format", "json", "sync"]),
        app.run_with_env(&["sync", "--force"], &[("SYNDICATOR_LOG_FORMAT", "json")]),
    ] {
        assert_eq!(run.code, 2, "{}", run.stderr);
        let lines = json_lines(&run.stderr);
        let failure = lines
            .iter()
            .find(|l| l["level"] == "WARN" && l["channel"] == "broken")
            .unwrap_or_else(|| panic!("no warning for the broken channel: {}", run.stderr));
        assert_eq!(failure["platform"], "feed");
        assert_eq!(failure["url"], url.as_str());
        assert_eq!(failure["kind"], "fetch");
        assert!(failure["message"].as_str().unwrap().contains("500"), "{failure}");
        assert!(lines.iter().any(|l| l["message"] == "sync finished"), "{}", run.stderr);
    }
}

#[test]
fn text_logs_stay_the_default() {
    let app = App::new();
    app.upstream.set("/gone.xml", Route::status(404));
    let url = app.upstream.url("/gone.xml");
    let app = with_broken_channel(app, &url, "");
    let run = app.sync_expecting(2);
    assert!(
        run.stderr.lines().all(|l| serde_json::from_str::<serde_json::Value>(l).is_err()),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("broken feed:"), "{}", run.stderr);
}
