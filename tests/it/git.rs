//! `[git]` end to end with the real `git` from PATH: a bare repository as the remote, a
//! clone playing the author, and the site as syndicator's own clone. Skipped loudly when git
//! is absent (a failure under CI=true). Git runs with a temporary HOME, no system config and a
//! fixed identity, so the machine's settings do not matter.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::app::{App, HUGO_CONFIG, Run, fixture};
use super::upstream::Route;

const BOT: &str = "Syndicator Bot <bot@example.org>";

/// The shortcode templates syndicator installs (the stubs need them to build).
const SHORTCODES: [&str; 2] = ["layouts/shortcodes/apple-podcast.html", "layouts/shortcodes/spotify.html"];

/// The six feeds, as `git show --name-only` lists them.
const FEEDS: [&str; 6] = [
    "static/atom.xml",
    "static/feed.json",
    "static/feed.xml",
    "static/sources/atom.xml",
    "static/sources/feed.json",
    "static/sources/feed.xml",
];

/// An RSS feed with one item per title, the first the newest.
fn show_feed(titles: &[&str]) -> String {
    let items: String = titles
        .iter()
        .enumerate()
        .map(|(i, title)| {
            let day = 28 - i;
            format!(
                "<item><guid>{title}</guid><title>{title}</title>\
                 <pubDate>{day} Nov 2025 10:00:00 GMT</pubDate>\
                 <enclosure url=\"https://cdn.test/{day}.mp3\" type=\"audio/mpeg\" length=\"1\"/></item>"
            )
        })
        .collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Show</title>{items}</channel></rss>")
}

/// The channel and `[git]` block; `extra` adds `[git]` keys.
fn config(extra: &str) -> String {
    format!(
        "[[channels]]\nid = \"show\"\nname = \"Show\"\nbackfill = 10\npodcast = \"{{upstream}}/show.xml\"\n\n\
         [git]\nenabled = true\nauthor_name = \"Syndicator Bot\"\nauthor_email = \"bot@example.org\"\n{extra}"
    )
}

/// A blog repository: `remote.git` (bare), `author/` (the author's clone) and `site/`
/// (syndicator's clone), with the feed at `/show.xml`.
struct Blog {
    app: App,
    home: tempfile::TempDir,
}

impl Blog {
    /// `None` (test skipped, loudly) when git is not installed; a failure under CI.
    fn new(git_config: &str, titles: &[&str]) -> Option<Blog> {
        if Command::new("git").arg("--version").output().is_err() {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "git is required under CI");
            eprintln!("SKIPPED: git is not on PATH; install git to run the [git] tests");
            return None;
        }
        let blog = Blog { app: App::new(), home: tempfile::tempdir().unwrap() };
        let gitconfig =
            "[user]\n\tname = Tester\n\temail = tester@example.org\n[init]\n\tdefaultBranch = main\n";
        std::fs::write(blog.home.path().join(".gitconfig"), gitconfig).unwrap();
        blog.git(".", &["init", "--quiet", "--bare", "remote.git"]);
        blog.git(".", &["clone", "--quiet", "remote.git", "author"]);
        blog.write("author/content/posts/hello.md", "---\ntitle: Hello\ndate: 2025-01-01\n---\nhi\n");
        blog.write("author/.gitignore", "public/\n");
        blog.write("author/hugo.toml", HUGO_CONFIG);
        blog.git("author", &["add", "-A"]);
        blog.git("author", &["commit", "--quiet", "-m", "the blog"]);
        blog.git("author", &["push", "--quiet", "origin", "HEAD:main"]);
        blog.git(".", &["clone", "--quiet", "remote.git", "site"]);
        blog.app.upstream.set("/show.xml", Route::xml(show_feed(titles)));
        blog.app.config(&config(git_config));
        Some(blog)
    }

    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("HOME", self.home.path().display().to_string()),
            ("XDG_CONFIG_HOME", self.home.path().display().to_string()),
            ("GIT_CONFIG_NOSYSTEM", "1".to_owned()),
            ("GIT_CEILING_DIRECTORIES", self.app.dir.path().display().to_string()),
        ]
    }

    /// `git <args>` in `dir` (relative to the app folder); its stdout. Panics on failure.
    fn git(&self, dir: &str, args: &[&str]) -> String {
        let output = Command::new("git")
            .args(args)
            .current_dir(self.app.path(dir))
            .envs(self.env())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "git {args:?} in {dir}: {stderr}");
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.app.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.app.path(relative)).unwrap()
    }

    /// The author commits everything in their clone and pushes it.
    fn author_commit(&self, message: &str) {
        self.git("author", &["pull", "--quiet", "--ff-only"]);
        self.git("author", &["add", "-A"]);
        self.git("author", &["commit", "--quiet", "-m", message]);
        self.git("author", &["push", "--quiet", "origin", "HEAD:main"]);
    }

    fn set_titles(&self, titles: &[&str]) {
        self.app.upstream.set("/show.xml", Route::xml(show_feed(titles)));
    }

    fn run(&self, args: &[&str]) -> Run {
        let env = self.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.app.run_with_env(args, &env)
    }

    fn sync_expecting(&self, code: i32) -> Run {
        let run = self.run(&["sync"]);
        assert_eq!(run.code, code, "sync exit code\nstdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
        run
    }

    /// `<author> | <committer> | <subject>` of each commit of `branch` in the remote, newest first.
    fn remote_log(&self, branch: &str) -> Vec<String> {
        let log = self.git("remote.git", &["log", "--format=%an <%ae> | %cn <%ce> | %s", branch]);
        log.lines().map(str::to_owned).collect()
    }
}

/// The paths `sync` printed as written (`wrote <path>`), relative to the site root.
fn written(run: &Run) -> Vec<String> {
    run.stdout.lines().filter_map(|l| l.strip_prefix("wrote ")).map(str::to_owned).collect()
}

#[test]
fn a_new_episode_is_one_pushed_commit_of_only_our_files_by_the_configured_author() {
    let Some(blog) = Blog::new("push = true\n", &["First talk"]) else { return };
    blog.write("site/content/posts/hello.md", "---\ntitle: Hello\n---\nthe author's unsaved edit\n");
    blog.write("site/content/posts/staged.md", "---\ntitle: Staged\n---\n");
    blog.git("site", &["add", "content/posts/staged.md"]);
    let run = blog.sync_expecting(0);
    let stubs = written(&run);
    assert_eq!(stubs.len(), 1, "{}", run.stdout);

    let log = blog.remote_log("main");
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0], format!("{BOT} | {BOT} | syndicator: 1 new episode(s)"));
    let files = blog.git("remote.git", &["show", "--name-only", "--format=", "main"]);
    let expected: Vec<&str> = [stubs[0].as_str()].into_iter().chain(SHORTCODES).chain(FEEDS).collect();
    assert_eq!(files.lines().collect::<Vec<_>>(), expected, "the stub, shortcodes and feeds, nothing else");
    let message = blog.git("remote.git", &["log", "-1", "--format=%B", "main"]);
    assert!(message.contains(&format!("- new: First talk ({})", stubs[0])), "{message}");
    assert!(message.contains("- feed: static/feed.xml"), "{message}");

    assert_eq!(blog.git("site", &["diff", "--name-only"]), "content/posts/hello.md", "still unstaged");
    assert_eq!(
        blog.git("site", &["diff", "--cached", "--name-only"]),
        "content/posts/staged.md",
        "still staged"
    );
    assert_eq!(blog.git("site", &["status", "--porcelain"]).lines().count(), 2, "nothing else changed");
    assert!(blog.read("site/content/posts/hello.md").contains("the author's unsaved edit"));

    blog.sync_expecting(0);
    assert_eq!(blog.remote_log("main").len(), 2, "a run with nothing new makes no commit");

    blog.write("author/content/about.md", "---\ntitle: About\n---\n");
    blog.author_commit("author: about page");
    blog.sync_expecting(0);
    assert_eq!(blog.git("site", &["rev-parse", "HEAD"]), blog.git("remote.git", &["rev-parse", "main"]));
    assert!(blog.app.path("site/content/about.md").exists(), "the site was fast-forwarded");
    assert_eq!(blog.git("site", &["diff", "--name-only"]), "content/posts/hello.md", "still unstaged");
    assert_eq!(
        blog.git("site", &["diff", "--cached", "--name-only"]),
        "content/posts/staged.md",
        "still staged"
    );
}

#[test]
fn an_author_push_meanwhile_gets_our_commits_rebased_on_top_and_pushed() {
    let Some(blog) = Blog::new("push = false\n", &["First talk"]) else { return };
    blog.sync_expecting(0);
    blog.write("author/content/about.md", "---\ntitle: About\n---\n");
    blog.author_commit("author: about page");
    let authors_commit = blog.git("remote.git", &["rev-parse", "main"]);
    blog.app.config(&config("push = true\n"));
    blog.set_titles(&["Second talk", "First talk"]);
    blog.write("site/content/posts/hello.md", "---\ntitle: Hello\n---\nthe author's unsaved edit\n");

    let run = blog.sync_expecting(0);
    assert!(run.stderr.contains("moved meanwhile; rebasing our commits"), "{}", run.stderr);
    let log = blog.remote_log("main");
    assert_eq!(log.len(), 4, "{log:?}");
    assert!(log[0].starts_with(BOT) && log[1].starts_with(BOT), "{log:?}");
    assert!(log[2].ends_with("author: about page"), "{log:?}");
    blog.git("remote.git", &["merge-base", "--is-ancestor", &authors_commit, "main"]);
    assert_eq!(blog.git("site", &["rev-parse", "HEAD"]), blog.git("remote.git", &["rev-parse", "main"]));
    assert!(blog.app.path("site/content/about.md").exists(), "the site has the author's page");
    assert!(blog.read("site/content/posts/hello.md").contains("the author's unsaved edit"), "{}", run.stderr);
    assert_eq!(blog.git("site", &["status", "--porcelain"]), "M content/posts/hello.md");
}

#[test]
fn a_conflict_loses_nothing_exits_2_and_the_next_run_recovers() {
    let Some(blog) = Blog::new("push = false\n", &["First talk"]) else { return };
    let stub = written(&blog.sync_expecting(0)).remove(0);
    let ours = blog.read(&format!("site/{stub}"));
    blog.write(&format!("author/{stub}"), "---\ntitle: The author's own post\n---\nmine\n");
    blog.author_commit("author: a post at the same path");
    blog.app.config(&config("push = true\n"));

    let run = blog.sync_expecting(2);
    assert!(run.stderr.contains("do not rebase cleanly"), "{}", run.stderr);
    assert!(run.stderr.contains("the next run retries"), "{}", run.stderr);
    assert_eq!(blog.read(&format!("site/{stub}")), ours, "our stub is intact");
    assert!(blog.remote_log("main")[0].ends_with("author: a post at the same path"));
    assert_eq!(
        blog.git("remote.git", &["show", &format!("main:{stub}")]),
        "---\ntitle: The author's own post\n---\nmine"
    );
    assert!(blog.git("site", &["log", "-1", "--format=%an <%ae>"]) == BOT, "our commit is kept");
    assert_eq!(blog.git("site", &["worktree", "list"]).lines().count(), 1, "no rebase work tree left");
    assert!(
        !blog.app.path("site/.git/rebase-merge").exists()
            && !blog.app.path("site/.git/rebase-apply").exists()
    );
    let status = blog.run(&["status"]);
    assert!(
        status.stdout.contains("unpushed:      1 commit(s) (the next run pushes them)"),
        "{}",
        status.stdout
    );

    blog.sync_expecting(2);
    blog.git("author", &["mv", &stub, "content/posts/authors-own.md"]);
    blog.git("author", &["commit", "--quiet", "-m", "author: move my post"]);
    blog.git("author", &["push", "--quiet", "origin", "HEAD:main"]);
    blog.sync_expecting(0);
    assert_eq!(blog.git("remote.git", &["show", &format!("main:{stub}")]), ours.trim_end());
    let theirs = blog.git("remote.git", &["show", "main:content/posts/authors-own.md"]);
    assert!(theirs.contains("mine"));
    let status = blog.run(&["status"]);
    assert!(status.stdout.contains("unpushed:      0 commit(s)\n"), "{}", status.stdout);
}

#[test]
fn a_push_that_hangs_is_killed_at_the_timeout_with_what_it_started_and_retried() {
    let Some(blog) = Blog::new("push = true\ntimeout_secs = 2\n", &["First talk"]) else { return };
    let marker = format!("hang-{}", std::process::id());
    let hanging = format!("sh -c 'sleep 600; echo {marker}' receive-pack");
    blog.git("site", &["config", "remote.origin.receivepack", &hanging]);

    let run = blog.sync_expecting(2);
    assert!(run.stderr.contains("did not finish within 2 s and was killed"), "{}", run.stderr);
    assert!(run.stderr.contains("raise [git] timeout_secs"), "{}", run.stderr);
    let stub = written(&run).remove(0);
    assert!(blog.app.path(&format!("site/{stub}")).exists(), "the stub stays on disk");
    assert_eq!(blog.remote_log("main").len(), 1, "nothing reached the remote");
    assert!(!running_with(&marker), "the hung receive-pack was killed with git");

    blog.git("site", &["config", "--unset", "remote.origin.receivepack"]);
    blog.sync_expecting(0);
    assert_eq!(blog.remote_log("main")[0], format!("{BOT} | {BOT} | syndicator: 1 new episode(s)"));
}

/// Whether a process whose command line holds `marker` is running.
fn running_with(marker: &str) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else { return false };
    entries.flatten().any(|entry| {
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        String::from_utf8_lossy(&cmdline).contains(marker)
    })
}

#[test]
fn another_branch_gets_the_commits_and_the_checkout_stays_as_it_was() {
    let Some(blog) = Blog::new("push = true\nbranch = \"drafts\"\n", &["First talk"]) else { return };
    let head = blog.git("site", &["rev-parse", "HEAD"]);
    let stub = written(&blog.sync_expecting(0)).remove(0);
    let log = blog.remote_log("drafts");
    assert_eq!(log.len(), 2, "{log:?}");
    assert!(log[0].starts_with(BOT));
    let files = blog.git("remote.git", &["show", "--name-only", "--format=", "drafts"]);
    assert_eq!(files.lines().next(), Some(stub.as_str()), "{files}");
    assert_eq!(blog.remote_log("main").len(), 1, "main is untouched");
    assert_eq!(blog.git("site", &["symbolic-ref", "--short", "HEAD"]), "main");
    assert_eq!(blog.git("site", &["rev-parse", "HEAD"]), head);
    assert_eq!(blog.git("site", &["diff", "HEAD", "--name-only"]), "", "no tracked file changed");
    assert!(blog.git("site", &["status", "--porcelain"]).contains(&format!("?? {stub}")));

    blog.set_titles(&["Second talk", "First talk"]);
    blog.sync_expecting(0);
    assert_eq!(blog.remote_log("drafts").len(), 3);
}

#[test]
fn git_enabled_outside_a_work_tree_is_a_config_error() {
    let Some(blog) = Blog::new("", &["First talk"]) else { return };
    std::fs::remove_dir_all(blog.app.path("site/.git")).unwrap();
    for command in ["check", "sync"] {
        let run = blog.run(&[command]);
        assert_eq!(run.code, 3, "{command}: {}", run.stderr);
        assert!(run.stderr.contains("not inside a git work tree"), "{}", run.stderr);
        assert!(run.stderr.contains("git init"), "{}", run.stderr);
    }
    assert_eq!(blog.app.stub_names(), ["hello.md"], "sync wrote no stub");
}

#[test]
fn serve_commits_and_pushes_a_new_episode() {
    let Some(blog) = Blog::new("push = true\n", &["First talk"]) else { return };
    let mut text = std::fs::read_to_string(blog.app.path("config/syndicator.toml")).unwrap();
    text.push_str(
        "\n[schedule]\ndefault = \"* * * * * *\"\njitter_secs = 0\n\n[server]\nlisten = \"127.0.0.1:0\"\n",
    );
    std::fs::write(blog.app.path("config/syndicator.toml"), text).unwrap();
    let log = std::fs::File::create(blog.app.path("serve.log")).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_syndicator"))
        .arg("serve")
        .current_dir(blog.app.dir.path())
        .envs(blog.env())
        .env_remove("SYNDICATOR_ADMIN_TOKEN")
        .env("RUST_LOG", "info")
        .stderr(log)
        .spawn()
        .unwrap();
    let _serve = KillOnDrop(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while blog.remote_log("main").len() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let log = blog.remote_log("main");
    let serve_log = std::fs::read_to_string(blog.app.path("serve.log")).unwrap();
    assert_eq!(log.len(), 2, "{log:?}\n{serve_log}");
    assert_eq!(log[0], format!("{BOT} | {BOT} | syndicator: 1 new episode(s)"));
    let files = blog.git("remote.git", &["show", "--name-only", "--format=", "main"]);
    let stubs = files.lines().filter(|f| f.starts_with("content/posts/")).count();
    assert!(stubs == 1 && files.lines().count() == 1 + SHORTCODES.len() + FEEDS.len(), "{files}");
}

struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_new_bundle_is_committed_with_its_cover() {
    let Some(blog) = Blog::new("", &["First talk"]) else { return };
    blog.app.config(&config("").replace("backfill = 10\n", "backfill = 10\nbundles = true\n"));
    let itunes = "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">";
    let artwork =
        format!("<title>Show</title><itunes:image href=\"{}\"/>", blog.app.upstream.url("/art.png"));
    let feed = show_feed(&["First talk"])
        .replace("<rss version=\"2.0\">", itunes)
        .replace("<title>Show</title>", &artwork);
    blog.app.upstream.set("/show.xml", Route::xml(feed));
    blog.app
        .upstream
        .set("/art.png", Route { content_type: "image/png", ..Route::xml(fixture("artwork.png")) });
    let run = blog.sync_expecting(0);
    let paths = written(&run);
    assert_eq!(paths.len(), 2, "{}", run.stdout);
    assert!(paths[0].ends_with("-first-talk/index.md"), "{paths:?}");
    assert_eq!(paths[1], paths[0].replace("index.md", "cover.png"));
    let files = blog.git("site", &["show", "--name-only", "--format=", "HEAD"]);
    assert!(paths.iter().all(|path| files.lines().any(|f| f == path)), "{files}");
    let message = blog.git("site", &["log", "-1", "--format=%B"]);
    assert!(message.contains(&format!("- file: {}", paths[1])), "{message}");
    assert_eq!(blog.git("site", &["status", "--porcelain"]), "", "everything we wrote is committed");
}
