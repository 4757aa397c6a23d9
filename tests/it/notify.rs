//! `[[notify]]` end to end: a real receiver on 127.0.0.1 gets the signed event JSON, every
//! event exactly once and in order after refusing for a while, and the events of a sync
//! killed before it could notify; a hanging command hook is killed at its timeout; ntfy gets
//! its headers; sources failing and recovering are announced.

use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::app::App;
use super::sync::{MLST, mlst_app};
use super::upstream::Route;

const SECRET_VAR: &str = "SYNDICATOR_TEST_WEBHOOK_SECRET";
const SECRET: &str = "correct horse battery staple";

fn webhook(extra: &str) -> String {
    format!("{MLST}\n[[notify]]\nkind = \"webhook\"\nurl = \"{{upstream}}/hook\"\n{extra}\n")
}

/// The events the receiver got at `/hook` with a 2xx answer expected, parsed.
fn bodies(app: &App, path: &str) -> Vec<serde_json::Value> {
    app.upstream.seen(path).iter().map(|seen| serde_json::from_slice(&seen.body).unwrap()).collect()
}

fn ids(events: &[serde_json::Value]) -> Vec<String> {
    events.iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect()
}

/// The `wrote content/posts/…` paths a sync printed, in the order it wrote them.
fn written(stdout: &str) -> Vec<String> {
    stdout.lines().filter_map(|l| l.strip_prefix("wrote ")).map(str::to_owned).collect()
}

#[test]
fn a_webhook_gets_signed_json_for_each_new_stub() {
    let app = mlst_app(&webhook(&format!("secret_env = \"{SECRET_VAR}\"")));
    app.upstream.set("/hook", Route::status(204));
    let run = app.run_with_env(&["sync"], &[(SECRET_VAR, SECRET)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains(SECRET), "the secret is never logged");
    let seen = app.upstream.seen("/hook");
    let events = bodies(&app, "/hook");
    assert_eq!(
        events.iter().map(|e| e["path"].as_str().unwrap().to_owned()).collect::<Vec<_>>(),
        written(&run.stdout)
    );
    for (request, event) in seen.iter().zip(&events) {
        let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
        mac.update(&request.body);
        let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(request.headers["x-syndicator-signature"], format!("sha256={expected}").as_str());
        assert_eq!(request.headers["content-type"], "application/json");
        assert_eq!(event["event"], "stub.written");
        assert_eq!(event["channel"], "mlst");
        let path = event["path"].as_str().unwrap();
        let stub = std::fs::read_to_string(app.path("site").join(path)).unwrap();
        assert!(stub.contains(event["title"].as_str().unwrap()), "the title is the stub's: {event}");
        assert!(
            event["permalink"].as_str().unwrap().starts_with("https://blog.example.com/posts/"),
            "{event}"
        );
        let embeds = event["embeds"].as_array().unwrap();
        assert!(embeds.iter().all(|line| stub.contains(line.as_str().unwrap())), "{event}");
        assert!(!event["urls"].as_object().unwrap().is_empty(), "{event}");
        chrono::DateTime::parse_from_rfc3339(event["time"].as_str().unwrap()).unwrap();
        let keys: Vec<&str> = event.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["id", "event", "channel", "title", "path", "permalink", "embeds", "urls", "time"]);
    }
    assert!(events.iter().any(|e| e["embeds"][0].as_str().is_some_and(|l| l.starts_with("{{< youtube"))));
    let again = app.run_with_env(&["sync"], &[(SECRET_VAR, SECRET)]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(app.upstream.seen("/hook").len(), seen.len(), "nothing is delivered twice");
}

#[test]
fn a_missing_secret_variable_is_a_config_error_naming_it() {
    let app = mlst_app(&webhook(&format!("secret_env = \"{SECRET_VAR}\"")));
    let run = app.run(&["check"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains(SECRET_VAR) && run.stderr.contains("line"), "{}", run.stderr);
}

#[test]
fn a_receiver_that_refuses_for_a_while_gets_every_event_once_in_order() {
    let app = mlst_app(&webhook(""));
    app.upstream.set("/hook", Route::status(503));
    let first = app.sync_expecting(0);
    assert_eq!(app.upstream.seen("/hook").len(), 1, "event 2 waits for event 1");
    app.sync_expecting(0);
    assert_eq!(app.upstream.seen("/hook").len(), 1, "the entry backs off");
    app.run(&["sync", "--force"]);
    assert_eq!(app.upstream.seen("/hook").len(), 2, "a forced run retries at once");
    app.upstream.set("/hook", Route::status(200));
    app.run(&["sync", "--force"]);
    let events = bodies(&app, "/hook");
    let delivered = &events[2..];
    let paths: Vec<String> = delivered.iter().map(|e| e["path"].as_str().unwrap().to_owned()).collect();
    assert_eq!(paths, written(&first.stdout), "every event, in order");
    assert_eq!(
        ids(&events[..2]),
        [ids(delivered)[0].clone(), ids(delivered)[0].clone()],
        "retries keep the id"
    );
    app.run(&["sync", "--force"]);
    assert_eq!(app.upstream.seen("/hook").len(), events.len(), "exactly once");
}

#[test]
fn a_sync_killed_before_notifying_is_notified_by_the_next_run() {
    let app = mlst_app(&webhook("timeout_secs = 600"));
    app.upstream.set("/hook", Route::status(200).with_delay(Duration::from_secs(600)));
    let mut child = app.command(&["sync"]).stdout(std::process::Stdio::piped()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while app.upstream.seen("/hook").is_empty() {
        assert!(Instant::now() < deadline, "sync never tried to notify");
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), None, "killed by a signal while notifying");
    let stubs = app.stub_names();
    assert_eq!(stubs.len(), 4, "the stubs were written before the kill");
    app.upstream.set("/hook", Route::status(200));
    app.sync_expecting(0);
    let events = bodies(&app, "/hook");
    let mut delivered: Vec<String> = events[1..]
        .iter()
        .map(|e| e["path"].as_str().unwrap().rsplit('/').next().unwrap().to_owned())
        .collect();
    delivered.sort();
    assert_eq!(delivered, stubs, "every stub's event is delivered by the next run");
    assert_eq!(events[0]["id"], events[1]["id"], "the interrupted event keeps its id");
}

#[test]
fn a_stub_adopted_after_a_lost_store_is_announced_with_the_same_id() {
    let app = mlst_app(&webhook(""));
    app.upstream.set("/hook", Route::status(500));
    app.sync_expecting(0);
    let refused = bodies(&app, "/hook");
    std::fs::remove_dir_all(app.path("state")).unwrap();
    app.upstream.set("/hook", Route::status(200));
    app.sync_expecting(0);
    let events = bodies(&app, "/hook");
    assert_eq!(events.len(), 5, "the refused one, then the four adopted stubs: {events:?}");
    assert!(ids(&events[1..]).contains(&ids(&refused)[0]), "receivers can dedupe by id");
}

#[test]
fn a_hanging_command_hook_is_killed_at_its_timeout_and_the_sync_finishes() {
    let script = "cat > event.json; echo \"$SYNDICATOR_EVENT $SYNDICATOR_CHANNEL $SYNDICATOR_PATH\" > env.txt; \
                  sleep 600 & echo $! > sleeper.pid; wait";
    let app = mlst_app(&format!(
        "{MLST}\n[[notify]]\nkind = \"command\"\ncommand = [\"sh\", \"-c\", {script:?}]\ntimeout_secs = 1\n"
    ));
    let run = app.sync_expecting(0);
    assert!(run.stderr.contains("sync finished"), "{}", run.stderr);
    assert!(run.stderr.contains("was killed"), "{}", run.stderr);
    let event: serde_json::Value =
        serde_json::from_slice(&std::fs::read(app.path("event.json")).unwrap()).unwrap();
    assert_eq!(event["event"], "stub.written");
    let env = std::fs::read_to_string(app.path("env.txt")).unwrap();
    assert_eq!(env.trim(), format!("stub.written mlst {}", event["path"].as_str().unwrap()));
    let pid: i32 = std::fs::read_to_string(app.path("sleeper.pid")).unwrap().trim().parse().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    // SAFETY: signal 0 only asks whether the process exists.
    while unsafe { libc::kill(pid, 0) } == 0 {
        assert!(Instant::now() < deadline, "the hook's child {pid} outlived the timeout");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn ntfy_gets_title_click_and_tags_and_only_the_events_it_wants() {
    let app = mlst_app(&format!(
        "{MLST}\n[[notify]]\nkind = \"ntfy\"\nurl = \"{{upstream}}/topic\"\nevents = [\"stub.written\"]\nchannels = [\"mlst\"]\n\
         \n[[notify]]\nkind = \"webhook\"\nurl = \"{{upstream}}/failing-only\"\nevents = [\"source.failing\"]\n"
    ));
    app.upstream.set("/topic", Route::status(200));
    app.upstream.set("/failing-only", Route::status(200));
    let run = app.sync_expecting(0);
    let seen = app.upstream.seen("/topic");
    assert_eq!(seen.len(), written(&run.stdout).len());
    for request in &seen {
        let title = request.headers["title"].to_str().unwrap();
        assert!(title.starts_with("New draft: "), "{title}");
        assert!(request.headers["click"].to_str().unwrap().starts_with("https://blog.example.com/posts/"));
        assert_eq!(request.headers["tags"], "syndicator,stub.written");
        let body = String::from_utf8(request.body.clone()).unwrap();
        assert!(body.contains(&title["New draft: ".len()..]) && body.contains("content/posts/"), "{body}");
    }
    assert!(app.upstream.seen("/failing-only").is_empty(), "filtered by event");
}

#[test]
fn a_source_failing_three_runs_in_a_row_is_announced_once_and_its_recovery_too() {
    let app = mlst_app(&webhook(""));
    app.upstream.set("/hook", Route::status(200));
    app.upstream.set("/podcast.xml", Route::status(500));
    for _ in 0..4 {
        app.run(&["sync", "--force"]);
    }
    let sources = |app: &App| -> Vec<serde_json::Value> {
        bodies(app, "/hook")
            .into_iter()
            .filter(|e| e["event"].as_str().unwrap().starts_with("source."))
            .collect()
    };
    let failing = sources(&app);
    assert_eq!(failing.len(), 1, "{failing:?}");
    assert_eq!(failing[0]["event"], "source.failing");
    assert_eq!(failing[0]["urls"]["podcast"], app.upstream.url("/podcast.xml"));
    assert!(failing[0]["error"].as_str().unwrap().contains("500"), "{}", failing[0]);
    app.upstream.set("/podcast.xml", Route::xml(super::app::fixture("podcast.xml")));
    app.run(&["sync", "--force"]);
    app.run(&["sync", "--force"]);
    let events = sources(&app);
    assert_eq!(
        events.iter().map(|e| e["event"].as_str().unwrap()).collect::<Vec<_>>(),
        ["source.failing", "source.recovered"]
    );
}
