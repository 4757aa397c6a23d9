//! `check`, `init`, `status` and the exit code of a bad config.

use super::app::{App, SITE};
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
    std::fs::create_dir_all(app.path("blog")).unwrap();
    std::fs::write(app.path("blog/hugo.toml"), "title = 'B'\nbaseURL = 'https://b.test/'\n").unwrap();
    let run = app.run(&["init", "--site", "blog"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = app.path("config/syndicator.toml");
    assert!(std::fs::read_to_string(&path).unwrap().contains("[[channels]]"));
    let mine = format!("# mine\n{SITE}");
    std::fs::write(&path, &mine).unwrap();
    std::fs::create_dir_all(app.path("site")).unwrap();
    std::fs::write(app.path("site/hugo.toml"), "").unwrap();
    let again = app.run(&["init", "--site", "blog"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), mine);
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

#[test]
fn init_installs_the_shortcodes_once_and_keeps_a_customised_one() {
    let app = App::new();
    app.config("");
    let run = app.run(&["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = app.path("site/layouts/shortcodes");
    for name in ["spotify.html", "apple-podcast.html"] {
        let path = dir.join(name);
        assert!(run.stdout.contains(&format!("installed {}\n", path.display())), "{}", run.stdout);
        assert!(std::fs::read_to_string(&path).unwrap().contains("<iframe"));
    }
    std::fs::write(dir.join("spotify.html"), "mine").unwrap();
    let again = app.run(&["init"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(!again.stdout.lines().any(|l| l.starts_with("installed ")), "{}", again.stdout);
    assert!(again.stdout.contains(&format!("shortcodes already installed in {}", dir.display())));
    assert_eq!(std::fs::read_to_string(dir.join("spotify.html")).unwrap(), "mine");
}

#[test]
fn init_with_an_invalid_existing_config_keeps_it_and_exits_3() {
    let app = App::new();
    std::fs::create_dir_all(app.path("config")).unwrap();
    std::fs::write(app.path("config/syndicator.toml"), "# mine\n").unwrap();
    let run = app.run(&["init"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(app.path("config/syndicator.toml")).unwrap(), "# mine\n");
    assert!(!app.path("site/layouts").exists());
}
