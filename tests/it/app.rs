//! The test harness: a temp working directory with a config, a site and a store, the real
//! `syndicator` binary run in it, and helpers to read what it wrote.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::upstream::Upstream;

pub struct App {
    pub dir: tempfile::TempDir,
    pub upstream: Upstream,
}

/// The output of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// Reads a fixture under `tests/fixtures/`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `[site]`, `[store]` and `[fetch]` sections every test config starts with.
pub const SITE: &str = r#"
[site]
root = "site"
title = "AI 技術前沿"
base_url = "https://blog.example.com/"
language = "zh-TW"
timezone = "Asia/Taipei"
section = "posts"

[store]
path = "state/syndicator.db"

[fetch]
timeout_secs = 2
"#;

/// The test site's own Hugo config, agreeing with [`SITE`].
pub const HUGO_CONFIG: &str = "baseURL = \"https://blog.example.com/\"\ntitle = \"AI 技術前沿\"\nlanguageCode = \"zh-TW\"\ntimeZone = \"Asia/Taipei\"\n";

impl App {
    pub fn new() -> App {
        App { dir: tempfile::tempdir().unwrap(), upstream: Upstream::start() }
    }

    /// Writes `config/syndicator.toml`: [`SITE`] followed by `rest`, with `{upstream}`
    /// replaced by the test server's base URL; and makes `site/` a Hugo site (a `hugo.toml`
    /// agreeing with [`SITE`]) unless it has a config already.
    pub fn config(&self, rest: &str) -> &App {
        if !self.path("site/hugo.toml").exists() {
            std::fs::create_dir_all(self.path("site")).unwrap();
            std::fs::write(self.path("site/hugo.toml"), HUGO_CONFIG).unwrap();
        }
        let text = format!("{SITE}\n{}", rest.replace("{upstream}", &self.upstream.url("")));
        std::fs::create_dir_all(self.path("config")).unwrap();
        std::fs::write(self.path("config/syndicator.toml"), text).unwrap();
        self
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Runs `syndicator <args>` in the app's folder, without Spotify credentials.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// Runs `syndicator <args>` in the app's folder with extra environment variables.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        self.command(args).envs(env.iter().copied()).output().unwrap().into()
    }

    /// `syndicator <args>` to run in the app's folder, without Spotify credentials.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_syndicator"));
        command
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("SYNDICATOR_CONFIG")
            .env_remove("SPOTIFY_CLIENT_ID")
            .env_remove("SPOTIFY_CLIENT_SECRET")
            .env("RUST_LOG", "info");
        command
    }

    /// Runs `syndicator sync` and asserts its exit code.
    pub fn sync_expecting(&self, code: i32) -> Run {
        let run = self.run(&["sync"]);
        assert_eq!(run.code, code, "sync exit code\nstdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
        run
    }

    /// The stub files in the section folder, sorted by name, with their text. Hidden files
    /// (a running daemon's `.syndicator-*.tmp`, gone a moment later) are no stubs.
    pub fn stubs(&self) -> Vec<(String, String)> {
        let dir = self.path("site/content/posts");
        let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
        let mut stubs: Vec<_> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
            .map(|p| {
                (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap())
            })
            .collect();
        stubs.sort();
        stubs
    }

    pub fn stub_names(&self) -> Vec<String> {
        self.stubs().into_iter().map(|(name, _)| name).collect()
    }
}
