//! Running where the blog lives: `init --site` on a real `hugo new site`, `sync` into it and
//! `hugo -D` building every embed; a mistyped root refused before anything is written;
//! missing shortcodes caught by `check` and installed by `sync`. Tests needing `hugo` skip
//! loudly without it (and fail under `CI=true`).

use std::path::Path;
use std::process::Command;

use super::app::{App, fixture};
use super::platforms::{CHANNEL, CREDENTIALS, serve_all_platforms};
use super::sync::{MLST, mlst_app};
use super::tools::require_tool;

/// Runs `hugo <args>` in `dir` and asserts it succeeds.
fn hugo(dir: &Path, args: &[&str]) {
    let out = Command::new("hugo").args(args).current_dir(dir).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "hugo {args:?} failed:\n{stdout}\n{stderr}");
}

/// The single-page layout a theme would bring (a bare `hugo new site` has none).
fn add_layouts(site: &Path) {
    std::fs::create_dir_all(site.join("layouts/_default")).unwrap();
    std::fs::write(site.join("layouts/_default/single.html"), "{{ .Content }}\n").unwrap();
    std::fs::write(site.join("layouts/_default/list.html"), "{{ .Title }}\n").unwrap();
}

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn init_on_a_fresh_hugo_site_then_sync_then_hugo_builds_every_embed() {
    if !require_tool("hugo", &["version"]) {
        return;
    }
    let app = App::new();
    serve_all_platforms(&app, fixture("apple-lookup.json"));
    hugo(app.dir.path(), &["new", "site", "blog"]);
    let site = app.path("blog");
    add_layouts(&site);
    let init = app.run(&["init", "--site", "blog"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let config_path = app.path("config/syndicator.toml");
    let starter = std::fs::read_to_string(&config_path).unwrap();
    let root_line = format!("root = {}", toml::Value::String(site.display().to_string()));
    assert!(starter.contains(&root_line), "{starter}");
    for name in ["spotify.html", "apple-podcast.html"] {
        let path = site.join("layouts/shortcodes").join(name);
        assert!(init.stdout.contains(&format!("installed {}", path.display())), "{}", init.stdout);
    }
    assert!(init.stdout.contains("next steps:") && init.stdout.contains("check"), "{}", init.stdout);
    let again = app.run(&["init", "--site", "blog"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&config_path).unwrap(), starter, "kept byte for byte");

    let ours = starter.split("# One [[channels]]").next().unwrap();
    let channels = CHANNEL.replace("{upstream}", &app.upstream.url(""));
    std::fs::write(&config_path, format!("{ours}\n{channels}")).unwrap();
    let check = app.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stdout.contains("title:       My New Hugo Site (from the Hugo config)"),
        "{}",
        check.stdout
    );
    let sync = app.run_with_env(&["sync"], &CREDENTIALS);
    assert_eq!(sync.code, 0, "{}", sync.stderr);
    let stubs = std::fs::read_dir(site.join("content/posts")).unwrap().count();
    assert!(stubs >= 4, "{stubs} stubs");
    assert!(site.join("static/feed.xml").is_file() && site.join("static/sources/atom.xml").is_file());

    hugo(&site, &["-D", "--quiet"]);
    let html: String = files_under(&site.join("public/posts"))
        .iter()
        .filter(|f| f.ends_with("index.html"))
        .map(|f| std::fs::read_to_string(site.join("public/posts").join(f)).unwrap())
        .collect();
    for player in [
        "https://www.youtube.com/embed/",
        "https://open.spotify.com/embed/episode/",
        "https://embed.podcasts.apple.com/",
    ] {
        assert!(html.contains(&format!("src=\"{player}")), "no {player} iframe in the built posts");
    }
    assert!(site.join("public/feed.xml").is_file(), "hugo publishes the feeds from static/");
}

#[test]
fn a_mistyped_root_exits_3_and_writes_nothing() {
    let app = mlst_app(MLST);
    let config = std::fs::read_to_string(app.path("config/syndicator.toml")).unwrap();
    std::fs::write(app.path("config/syndicator.toml"), config.replace("root = \"site\"", "root = \"blgo\""))
        .unwrap();
    let before = files_under(app.dir.path());
    for command in [&["check"][..], &["sync"], &["sync", "--dry-run"], &["feeds"]] {
        let run = app.run(command);
        assert_eq!(run.code, 3, "{command:?}: {}", run.stderr);
        assert!(run.stderr.contains("blgo is not a Hugo site"), "{command:?}: {}", run.stderr);
        assert!(run.stderr.contains("the folder does not exist"), "{}", run.stderr);
    }
    assert!(!app.path("blgo").exists());
    assert_eq!(files_under(app.dir.path()), before, "no file written anywhere");
}

#[test]
fn init_refuses_a_folder_that_is_not_a_hugo_site_unless_forced() {
    let app = App::new();
    std::fs::create_dir_all(app.path("notes")).unwrap();
    let run = app.run(&["init", "--site", "notes"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("is not a Hugo site") && run.stderr.contains("--force"), "{}", run.stderr);
    assert!(!app.path("config").exists() && !app.path("notes/layouts").exists());
    let here = app.run(&["init"]);
    assert_eq!(here.code, 3, "{}", here.stderr);
    assert!(here.stderr.contains("init --site PATH"), "{}", here.stderr);
    let forced = app.run(&["init", "--site", "notes", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(
        app.path("config/syndicator.toml").is_file()
            && app.path("notes/layouts/shortcodes/spotify.html").is_file()
    );
}

#[test]
fn init_without_a_flag_uses_the_current_hugo_site() {
    let app = App::new();
    std::fs::create_dir_all(app.path("config/_default")).unwrap();
    std::fs::write(app.path("config/_default/hugo.toml"), "title = 'T'\nbaseURL = 'https://t.test/'\n")
        .unwrap();
    let run = app.run(&["--config", "syndicator.toml", "init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let config = std::fs::read_to_string(app.path("syndicator.toml")).unwrap();
    let root = std::fs::canonicalize(app.dir.path()).unwrap();
    assert!(
        config.contains(&format!("root = {}", toml::Value::String(root.display().to_string())))
            || config
                .contains(&format!("root = {}", toml::Value::String(app.dir.path().display().to_string()))),
        "{config}"
    );
    assert!(app.path("layouts/shortcodes/apple-podcast.html").is_file());
}

#[test]
fn check_warns_about_what_would_break_the_blog_and_sync_installs_the_shortcodes() {
    let app = mlst_app(&MLST.replace(
        "backfill = 10",
        "backfill = 10\nschedule = \"0 0 * * * * 2030\"\nspotify = \"{upstream}/v1/shows/x/episodes\"",
    ));
    let config = std::fs::read_to_string(app.path("config/syndicator.toml")).unwrap();
    std::fs::write(
        app.path("config/syndicator.toml"),
        config.replace("title = \"AI 技術前沿\"", "title = \"Another Title\""),
    )
    .unwrap();
    let check = app.run_with_env(&["check"], &[("SYNDICATOR_ADMIN_TOKEN", "t")]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    for warning in [
        "SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET",
        "the shortcode spotify.html is missing",
        "the shortcode apple-podcast.html is missing",
        "[site] title = \"Another Title\" but title = \"AI 技術前沿\"",
        "\"0 0 * * * * 2030\" has a seventh (year) field",
    ] {
        assert!(check.stderr.contains(warning), "{warning}: {}", check.stderr);
    }
    for line in [
        "title:       Another Title (from [site])",
        "time zone:   Asia/Taipei (from [site])",
        "listen:      127.0.0.1:8080",
        "admin token: set (SYNDICATOR_ADMIN_TOKEN)",
    ] {
        assert!(check.stdout.contains(line), "{line}: {}", check.stdout);
    }
    let sync = app.run(&["sync"]);
    let shortcodes = app.path("site/layouts/shortcodes");
    for name in ["spotify.html", "apple-podcast.html"] {
        let line = format!("installed the shortcode {}", shortcodes.join(name).display());
        assert!(sync.stderr.contains(&line), "{line}: {}", sync.stderr);
    }
    std::fs::write(shortcodes.join("spotify.html"), "mine").unwrap();
    app.run(&["sync"]);
    assert_eq!(
        std::fs::read_to_string(shortcodes.join("spotify.html")).unwrap(),
        "mine",
        "never overwritten"
    );
    let again = app.run(&["check"]);
    assert!(!again.stderr.contains("is missing"), "{}", again.stderr);
}
