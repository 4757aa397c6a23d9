//! Transcripts end to end: a Podcasting 2.0 feed's `podcast:transcript` (JSON and WebVTT
//! variants, served by the local upstream) fetched in the richest format into `transcript.md`
//! in the page bundle, or, for a single-file stub, into `<site>/_raw/`; the real `hugo`
//! publishes the bundle's cover but no transcript text anywhere, and never the `_raw` folder; a
//! failed fetch never holds the stub up and is retried; nothing is written over an existing
//! file; and the README's transcriber hook for shows that publish none.

use std::path::{Path, PathBuf};

use super::app::{App, fixture};
use super::covers::{attribute, build};
use super::raw_material::DEEP_SIGNALS;
use super::tools::require_tool;
use super::upstream::Route;

/// A sentence only the transcripts hold (not the show notes, not the titles).
const ONLY_IN_TRANSCRIPT: &str = "forgetting is a feature";

/// Deep Signals (`podcasting2.xml`): #101 offers WebVTT and JSON, #100 WebVTT and a PDF, #99
/// nothing. Its artwork is served locally; `extra` is added to the channel.
fn deep_signals(extra: &str) -> App {
    let app = App::new();
    let feed = String::from_utf8(fixture("podcasting2.xml")).unwrap();
    let feed = feed.replace("https://deepsignals.example/art/", "{upstream}/art/");
    app.upstream.set_fixture("/podcast.xml", Route::xml(feed));
    app.upstream
        .set("/art/show.jpg", Route { content_type: "image/jpeg", ..Route::xml(fixture("thumbnail.jpg")) });
    app.upstream.set("/ds-101/chapters.json", Route::json(fixture("podcasting2-chapters.json")));
    app.upstream.set("/ds-101/transcript.json", Route::json(fixture("podcasting2-transcript.json")));
    app.upstream.set("/ds-101/transcript.vtt", vtt());
    app.upstream.set("/ds-100/transcript.vtt", vtt());
    app.config(&DEEP_SIGNALS.replace("backfill = 10\n", &format!("backfill = 10\n{extra}")));
    app
}

fn vtt() -> Route {
    Route { content_type: "text/vtt", ..Route::xml(fixture("podcasting2-transcript.vtt")) }
}

fn posts(app: &App) -> PathBuf {
    app.path("site/content/posts")
}

/// The section entry (bundle folder or `.md` file) whose name holds `needle`.
fn entry(app: &App, needle: &str) -> PathBuf {
    let entries = std::fs::read_dir(posts(app)).unwrap().map(|e| e.unwrap().path());
    entries
        .into_iter()
        .find(|p| p.to_string_lossy().contains(needle))
        .unwrap_or_else(|| panic!("no {needle}"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir` whose bytes hold `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()) {
        if entry.is_dir() {
            found.extend(files_holding(&entry, needle));
        } else if String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).contains(needle) {
            found.push(entry);
        }
    }
    found
}

/// Publishes the page at `page` (`draft: false` in its text at `file`) and builds the site.
fn publish(app: &App, file: &Path, page: &Path) -> String {
    std::fs::write(file, read(file).replace("draft: true", "draft: false")).unwrap();
    build(app, page)
}

#[test]
fn bundles_get_the_richest_transcript_and_hugo_publishes_the_cover_but_never_the_transcript() {
    let app = deep_signals("bundles = true\n");
    let run = app.sync_expecting(0);
    let memory = entry(&app, "why-memory-matters");
    let json = read(&memory.join("transcript.md"));
    assert!(json.starts_with("# 逐字稿：Why Memory Matters for Agents\n\n> 原始資料，取自 "), "{json}");
    assert!(json.contains("/ds-101/transcript.json（JSON, en）。"), "JSON beats WebVTT: {json}");
    assert!(
        json.contains("\n**[00:00] Ada Moreno:** Welcome to Deep Signals. Today: memory, and why agents need less of it.\n"),
        "one speaker's segments make one paragraph: {json}"
    );
    assert!(json.contains("\n**[00:07] Priya Raman:** Thanks for having me, Ada."), "{json}");
    assert!(!json.contains("{{<") && !json.contains("<script"), "nothing live: {json}");
    assert!(app.upstream.seen("/ds-101/transcript.vtt").is_empty(), "only the richest format is fetched");
    let robots = entry(&app, "robots-that-learn");
    let vtt = read(&robots.join("transcript.md"));
    assert!(
        vtt.contains("/ds-100/transcript.vtt（WebVTT, en）。") && vtt.contains("**[01:35] Ada Moreno:**"),
        "{vtt}"
    );
    assert!(!entry(&app, "listener-questions").join("transcript.md").exists(), "none offered, none written");
    let shown =
        format!("wrote content/posts/{}/transcript.md", memory.file_name().unwrap().to_string_lossy());
    assert!(run.stdout.lines().any(|l| l == shown), "{}", run.stdout);
    assert_eq!(std::fs::read_dir(&memory).unwrap().count(), 3, "index.md, cover.jpg, transcript.md");

    app.sync_expecting(0);
    assert_eq!(app.upstream.seen("/ds-101/transcript.json").len(), 1, "fetched once");

    if !require_tool("hugo", &["version"]) {
        return;
    }
    let html = publish(&app, &memory.join("index.md"), &memory);
    let og = attribute(&html, "<meta property=\"og:image\" content=\"");
    let published = app.path("public").join(og.strip_prefix("https://blog.example.com/").expect(&og));
    assert_eq!(std::fs::read(&published).ok(), Some(fixture("thumbnail.jpg")), "og:image {og} is the cover");
    assert_eq!(files_holding(&app.path("public"), ONLY_IN_TRANSCRIPT), Vec::<PathBuf>::new());
    assert_eq!(files_holding(&app.path("public"), "Thanks for having me"), Vec::<PathBuf>::new());
}

#[test]
fn a_single_file_stubs_transcript_goes_to_the_raw_folder_hugo_never_publishes() {
    let app = deep_signals("");
    let run = app.sync_expecting(0);
    let stub = entry(&app, "why-memory-matters");
    let name = stub.file_name().unwrap().to_string_lossy().trim_end_matches(".md").to_owned();
    let raw = format!("_raw/posts/{name}/transcript.md");
    assert!(read(&app.path(&format!("site/{raw}"))).contains(ONLY_IN_TRANSCRIPT));
    assert!(run.stdout.lines().any(|l| l == format!("wrote {raw}")), "{}", run.stdout);
    assert!(
        files_holding(&posts(&app), ONLY_IN_TRANSCRIPT).is_empty(),
        "nothing beside the stub in content/"
    );

    if !require_tool("hugo", &["version"]) {
        return;
    }
    publish(&app, &stub, &posts(&app).join(&name));
    assert_eq!(files_holding(&app.path("public"), ONLY_IN_TRANSCRIPT), Vec::<PathBuf>::new());
    assert!(!app.path("public/_raw").exists() && files_holding(&app.path("public"), "逐字稿").is_empty());
}

#[test]
fn a_failed_transcript_never_holds_the_stub_up_is_retried_and_never_replaces_a_file() {
    let app = deep_signals("bundles = true\n");
    app.upstream.set("/ds-101/transcript.json", Route::status(500));
    let run = app.sync_expecting(0);
    let memory = entry(&app, "why-memory-matters");
    assert!(memory.join("index.md").exists() && !memory.join("transcript.md").exists());
    assert!(
        run.stderr.contains("no transcript yet, retried next run")
            && run.stderr.contains("/ds-101/transcript.json"),
        "{}",
        run.stderr
    );
    let status = app.run(&["status"]).stdout;
    let line =
        status.lines().find(|l| l.contains("transcript missing for")).unwrap_or_else(|| panic!("{status}"));
    assert!(
        line.contains(&memory.join("index.md").display().to_string())
            && line.contains("after 1 attempt(s), retried next run")
            && line.contains("/ds-101/transcript.json"),
        "{line}"
    );
    let robots = entry(&app, "robots-that-learn");
    std::fs::remove_file(robots.join("transcript.md")).unwrap();
    std::fs::write(robots.join("transcript.md"), "my own notes\n").unwrap();

    app.upstream.set("/ds-101/transcript.json", Route::json(fixture("podcasting2-transcript.json")));
    app.sync_expecting(0);
    assert!(read(&memory.join("transcript.md")).contains(ONLY_IN_TRANSCRIPT), "retried by the next run");
    assert!(!app.run(&["status"]).stdout.contains("transcript missing"), "no longer pending");
    assert_eq!(read(&robots.join("transcript.md")), "my own notes\n", "the author's file is kept");
}

#[test]
fn templates_see_transcript_path_once_the_transcript_is_there() {
    let app = deep_signals("");
    std::fs::write(app.path("stub.md.j2"), "---\ntitle: {{ title_yaml }}\nsyndicator_id: {{ syndicator_id_yaml }}\n---\ntranscript: {{ transcript_path }}\n").unwrap();
    let config = read(&app.path("config/syndicator.toml"));
    let template = format!("section = \"posts\"\nstub_template = \"{}\"", app.path("stub.md.j2").display());
    std::fs::write(app.path("config/syndicator.toml"), config.replacen("section = \"posts\"", &template, 1))
        .unwrap();
    let run = app.sync_expecting(0);
    let stub = entry(&app, "why-memory-matters");
    let name = stub.file_name().unwrap().to_string_lossy().trim_end_matches(".md").to_owned();
    assert!(
        read(&stub).ends_with(&format!("transcript: _raw/posts/{name}/transcript.md\n")),
        "{}",
        read(&stub)
    );
    assert!(run.stdout.contains(&format!("updated content/posts/{name}.md")), "{}", run.stdout);
    assert!(read(&entry(&app, "listener-questions")).ends_with("transcript: \n"));
}
/// A folder holding stand-ins for `yt-dlp` (writes `audio.mp3`, notes the URL it got) and
/// `whisper` (writes `audio.txt` into `--output_dir`), as the README's transcriber hook calls
/// them; returns a `PATH` with it first.
fn fake_transcriber(app: &App) -> String {
    let bin = app.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let tools = [
        (
            "yt-dlp",
            "out=''; for a; do [ \"$prev\" = --output ] && out=$a; prev=$a; done\n\
                    printf '%s' \"$prev\" > \"$(dirname \"$0\")/url\"; printf audio > \"$(echo \"$out\" | sed 's/%(ext)s/mp3/')\"\n",
        ),
        (
            "whisper",
            "dir=''; for a; do [ \"$prev\" = --output_dir ] && dir=$a; prev=$a; done\n\
                     printf 'Machine words. {{< not-a-shortcode >}}\\n' > \"$dir/audio.txt\"\n",
        ),
    ];
    for (name, body) in tools {
        let path = bin.join(name);
        std::fs::write(&path, format!("#!/bin/sh\nprev=''\n{body}")).unwrap();
        let mut permissions = std::fs::metadata(&path).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
        std::fs::set_permissions(&path, permissions).unwrap();
    }
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())
}

/// The README's `[[notify]]` entry running `examples/hooks/transcribe.sh`.
fn transcriber_hook() -> String {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/hooks/transcribe.sh");
    format!(
        "[[notify]]\nkind = \"command\"\ncommand = [\"sh\", \"{}\", \"site\"]\nevents = [\"stub.written\"]\n",
        script.display()
    )
}

#[test]
fn the_readmes_transcriber_hook_writes_beside_a_single_file_stub() {
    let app = App::new();
    app.upstream.set("/youtube.xml", Route::xml(fixture("youtube-prose-times.xml")));
    let channel =
        "[[channels]]\nid = \"lab\"\nname = \"Deep Signals\"\nyoutube = \"{upstream}/youtube.xml\"\n";
    app.config(&format!("{channel}\n{}", transcriber_hook()));
    let path = fake_transcriber(&app);
    let run = app.run_with_env(&["sync"], &[("PATH", path.as_str())]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stub = &app.stub_names()[0];
    let transcript = app.path(&format!("site/_raw/posts/{}/transcript.md", stub.trim_end_matches(".md")));
    let text = std::fs::read_to_string(&transcript)
        .unwrap_or_else(|e| panic!("{}: {e}\n{}", transcript.display(), run.stderr));
    assert_eq!(
        text,
        "# Transcript (machine-made from https://www.youtube.com/watch?v=Pq7Rt2VxW9a)\n\n\
         Machine words. {&#123;< not-a-shortcode >}}\n"
    );
    assert_eq!(
        std::fs::read_to_string(app.path("bin/url")).unwrap(),
        "https://www.youtube.com/watch?v=Pq7Rt2VxW9a"
    );
}
