//! Authors move files: a stub is found by its `syndicator_id` wherever it sits in the section
//! (renamed, in a subfolder, a page bundle; CRLF, a BOM, TOML front matter). Late embeds reach
//! it, a lost store never duplicates it, and only a stub no file carries any more is deleted.

use std::path::PathBuf;

use super::app::{App, Run, fixture};
use super::upstream::Route;

pub(super) const CHANNEL: &str = r#"
[[channels]]
id = "mlst"
name = "Machine Learning Street Talk"
backfill = 10
youtube = "{upstream}/youtube.xml"
podcast = "{upstream}/podcast.xml"
apple = "{upstream}/lookup?id=1510472996&entity=podcastEpisode&country=tw&limit=200"
"#;

pub(super) const APPLE_EMBED: &str = "{{< apple-podcast \"tw/podcast/he-co-invented-the-transformer-now-continuous-thought/id1510472996?i=1000738009211\" >}}";

/// An app following YouTube, the podcast and an Apple lookup that lists no episode yet.
pub(super) fn app_with(channel: &str) -> App {
    let app = App::new();
    app.upstream.set("/youtube.xml", Route::xml(fixture("youtube.xml")));
    app.upstream.set("/podcast.xml", Route::xml(fixture("podcast.xml")));
    let lookup: serde_json::Value = serde_json::from_slice(&fixture("apple-lookup.json")).unwrap();
    let show_only = serde_json::json!({ "resultCount": 1, "results": [lookup["results"][0].clone()] });
    app.upstream.set("/lookup", Route::json(serde_json::to_vec(&show_only).unwrap()));
    app.config(channel);
    app
}

/// The Apple episodes arrive: the next sync brings late embeds.
pub(super) fn apple_arrives(app: &App) {
    app.upstream.set("/lookup", Route::json(fixture("apple-lookup.json")));
}

pub(super) fn posts(app: &App) -> PathBuf {
    app.path("site/content/posts")
}

/// The file name of the Llion Jones stub, after a first sync.
pub(super) fn transformer(app: &App) -> String {
    let stubs = app.stubs();
    stubs.into_iter().find(|(_, text)| text.contains("Xk3pQ9LJt0s")).expect("the Llion Jones stub").0
}

/// Moves the stub `name` to `relative` (folders created), optionally rewriting its text.
fn move_stub(app: &App, name: &str, relative: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let text = std::fs::read_to_string(posts(app).join(name)).unwrap();
    let target = posts(app).join(relative);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::write(&target, edit(&text)).unwrap();
    std::fs::remove_file(posts(app).join(name)).unwrap();
    target
}

/// Every Markdown file under the section, at any depth.
pub(super) fn all_files(app: &App) -> Vec<PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { walk(&path, out) } else { out.push(path) }
        }
    }
    let mut files = Vec::new();
    walk(&posts(app), &mut files);
    files.sort();
    files
}

pub(super) fn assert_pending_listed(app: &App, path: &std::path::Path) -> Run {
    let status = app.run(&["status"]);
    assert!(status.stdout.contains(&format!("pending embeds for {}", path.display())), "{}", status.stdout);
    assert!(status.stdout.lines().any(|l| l == format!("    {APPLE_EMBED}")), "{}", status.stdout);
    status
}

#[test]
fn a_renamed_stub_gets_its_late_embed_in_place() {
    let app = app_with(CHANNEL);
    app.sync_expecting(0);
    let renamed = move_stub(&app, &transformer(&app), "llion-jones.md", str::to_owned);
    apple_arrives(&app);
    let run = app.sync_expecting(0);
    assert!(run.stdout.lines().any(|l| l == "updated content/posts/llion-jones.md"), "{}", run.stdout);
    let text = std::fs::read_to_string(&renamed).unwrap();
    assert!(text.contains(APPLE_EMBED), "{text}");
    assert_eq!(all_files(&app).len(), 4, "rewritten where it is, nothing new: {:?}", all_files(&app));
}

#[test]
fn a_stub_moved_into_a_subfolder_and_edited_lists_its_pending_embeds_at_its_new_path() {
    let app = app_with(CHANNEL);
    app.sync_expecting(0);
    let edit = |text: &str| text.replace("draft: true", "draft: false");
    let moved = move_stub(&app, &transformer(&app), "2025/11/interviews/llion.md", edit);
    let edited = std::fs::read_to_string(&moved).unwrap();
    apple_arrives(&app);
    app.sync_expecting(0);
    assert_eq!(std::fs::read_to_string(&moved).unwrap(), edited, "the author's edit is kept");
    assert_pending_listed(&app, &moved);
    assert_eq!(all_files(&app).len(), 4);
    let again = posts(&app).join("archive/llion.md");
    std::fs::create_dir_all(again.parent().unwrap()).unwrap();
    std::fs::rename(&moved, &again).unwrap();
    let status = assert_pending_listed(&app, &again);
    assert!(!status.stdout.contains("interviews"), "moved again, found again: {}", status.stdout);
}

#[test]
fn an_edited_page_bundle_stub_lists_its_pending_embeds() {
    let app = app_with(CHANNEL);
    app.sync_expecting(0);
    let bundle = move_stub(&app, &transformer(&app), "llion-jones/index.md", |t| format!("{t}\nMy notes.\n"));
    std::fs::write(posts(&app).join("llion-jones/cover.jpg"), b"jpeg").unwrap();
    apple_arrives(&app);
    app.sync_expecting(0);
    assert!(std::fs::read_to_string(&bundle).unwrap().ends_with("My notes.\n"));
    assert_pending_listed(&app, &bundle);
}

#[test]
fn a_toml_front_matter_stub_survives_a_lost_store_without_a_duplicate() {
    let app = app_with(CHANNEL);
    let site = super::app::SITE
        .replace("section = \"posts\"", "section = \"posts\"\nstub_template = \"config/toml.md.j2\"");
    let channel = CHANNEL.replace("{upstream}", &app.upstream.url(""));
    std::fs::write(app.path("config/syndicator.toml"), format!("{site}\n{channel}")).unwrap();
    let template = "+++\ntitle = {{ title_yaml }}\ndraft = true\nsyndicator_id = {{ syndicator_id_yaml }}\n+++\n\n{{ embeds }}\n";
    std::fs::write(app.path("config/toml.md.j2"), template).unwrap();
    app.sync_expecting(0);
    let before = app.stubs();
    assert_eq!(before.len(), 4);
    assert!(before.iter().all(|(_, text)| text.starts_with("+++\n")), "{before:?}");
    std::fs::remove_dir_all(app.path("state")).unwrap();
    let run = app.sync_expecting(0);
    assert_eq!(app.stubs(), before, "no duplicate, nothing rewritten");
    assert_eq!(run.stdout, "", "{}", run.stdout);
}

#[test]
fn crlf_and_bom_stubs_survive_a_lost_store_without_a_duplicate() {
    let app = app_with(CHANNEL);
    app.sync_expecting(0);
    let names = app.stub_names();
    let crlf = posts(&app).join(&names[0]);
    let bom = posts(&app).join(&names[1]);
    std::fs::write(&crlf, std::fs::read_to_string(&crlf).unwrap().replace('\n', "\r\n")).unwrap();
    std::fs::write(&bom, format!("\u{feff}{}", std::fs::read_to_string(&bom).unwrap())).unwrap();
    let before = app.stubs();
    std::fs::remove_dir_all(app.path("state")).unwrap();
    app.sync_expecting(0);
    assert_eq!(app.stubs(), before, "no duplicate, nothing rewritten");
}

#[test]
fn a_stub_deleted_for_real_stays_deleted() {
    let app = app_with(CHANNEL);
    app.sync_expecting(0);
    let moved = move_stub(&app, &transformer(&app), "archive/llion.md", str::to_owned);
    app.sync_expecting(0);
    std::fs::remove_file(&moved).unwrap();
    apple_arrives(&app);
    let run = app.sync_expecting(0);
    app.sync_expecting(0);
    assert_eq!(all_files(&app).len(), 3, "not recreated anywhere: {:?}", all_files(&app));
    assert!(!run.stdout.contains("llion"), "{}", run.stdout);
    let status = app.run(&["status"]);
    assert!(!status.stdout.contains("pending embeds"), "{}", status.stdout);
}
