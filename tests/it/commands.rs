//! `check`, `init`, `status` and the exit code of a bad config.

use super::app::App;
use super::sync::{MLST, mlst_app};

#[test]
fn check_prints_channels_paths_and_next_runs_on_stdout() {
    let app = mlst_app(&MLST.replace("backfill = 10", "backfill = 10\nschedule = \"0 15 * * * *\""));
    let run = app.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("mlst (Machine Learning Street Talk)"));
    assert!(run.stdout.contains(&app.upstream.url("/youtube.xml")));
    assert!(run.stdout.contains(&app.path("site/content/posts").display().to_string()));
    let runs: Vec<_> = run.stdout.lines().filter(|l| l.contains("next run")).collect();
    assert_eq!(runs.len(), 3, "{}", run.stdout);
    assert!(runs.iter().all(|l| l.contains(":15:00+08:00")), "{runs:?}");
}

#[test]
fn a_bad_config_exits_3_naming_the_key_value_and_line() {
    let app = mlst_app(&MLST.replace("backfill = 10", "backfill = 10\nschedule = \"every hour\""));
    let run = app.run(&["check"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let config = std::fs::read_to_string(app.path("config/syndicator.toml")).unwrap();
    let line = config.lines().position(|l| l.contains("every hour")).unwrap() + 1;
    assert!(run.stderr.contains("schedule = \"every hour\""), "names the key: {}", run.stderr);
    assert!(run.stderr.contains(&format!("line {line}")), "names the line {line}: {}", run.stderr);
    let missing = app.run(&["--config", "nope.toml", "sync"]);
    assert_eq!(missing.code, 3);
    assert!(missing.stderr.contains("nope.toml"), "{}", missing.stderr);
}

#[test]
fn init_writes_a_starter_config_once_and_keeps_it() {
    let app = App::new();
    let run = app.run(&["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = app.path("config/syndicator.toml");
    assert!(std::fs::read_to_string(&path).unwrap().contains("[[channels]]"));
    std::fs::write(&path, "# mine\n").unwrap();
    let again = app.run(&["init"]);
    assert_eq!(again.code, 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# mine\n");
    assert!(again.stderr.contains("kept the existing config"));
}

#[test]
fn the_config_path_comes_from_the_environment() {
    let app = mlst_app(MLST);
    std::fs::rename(app.path("config/syndicator.toml"), app.path("elsewhere.toml")).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_syndicator"))
        .arg("check")
        .current_dir(app.dir.path())
        .env("SYNDICATOR_CONFIG", "elsewhere.toml")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn status_reports_each_channel() {
    let app = mlst_app(MLST);
    app.sync_expecting(0);
    let run = app.run(&["status"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for expected in [
        "mlst (Machine Learning Street Talk)",
        "ok, 4 new episode(s)",
        "episodes:      4",
        "stubs written: 4",
        "last error:    -",
    ] {
        assert!(run.stdout.contains(expected), "{expected}: {}", run.stdout);
    }
}
