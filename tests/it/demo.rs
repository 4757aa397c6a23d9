//! The offline demo (`config/demo.toml`) runs with no network and writes the README's full
//! example stub, all three embeds included (as a single file, whose front matter adds the
//! video's artwork as `images`).

use std::path::Path;

use super::app::App;

fn repo(relative: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The README's example stub before and after the show notes (the README shows a
/// placeholder there).
fn readme_example() -> (String, String) {
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let section = &readme[readme.find("## What a stub looks like").expect("the stub section")..];
    let block = &section[section.find("```markdown\n").expect("the example") + "```markdown\n".len()..];
    let block = &block[..block.find("```").unwrap()];
    let (head, tail) = block
        .split_once("<the episode description as plain text, for the author's reference>\n")
        .expect("the placeholder");
    (head.to_owned(), tail.to_owned())
}

/// Copies `config/demo.toml`, every `file:` source it names and its Hugo site's config into
/// the app's folder, so the demo runs there exactly as from the repository root.
fn demo_app() -> App {
    let app = App::new();
    let config = std::fs::read_to_string(repo("config/demo.toml")).unwrap();
    let values = config.lines().filter_map(|l| l.split_once(" = \"")).map(|(_, v)| v.trim_end_matches('"'));
    for file in values.filter_map(|v| v.strip_prefix("file:")) {
        std::fs::create_dir_all(app.path(file).parent().unwrap()).unwrap();
        std::fs::copy(repo(file), app.path(file)).unwrap();
    }
    std::fs::create_dir_all(app.path("config")).unwrap();
    std::fs::write(app.path("config/demo.toml"), &config).unwrap();
    let site = config.lines().find_map(|l| l.strip_prefix("root = \"")).unwrap().trim_end_matches('"');
    std::fs::create_dir_all(app.path(site)).unwrap();
    std::fs::copy(repo(site).join("hugo.toml"), app.path(site).join("hugo.toml")).unwrap();
    app
}

#[test]
fn the_offline_demo_writes_the_readmes_example_stub() {
    let config = std::fs::read_to_string(repo("config/demo.toml")).unwrap();
    for key in ["youtube", "podcast", "apple", "spotify"] {
        let line = config.lines().find(|l| l.starts_with(&format!("{key} ="))).expect(key);
        assert!(line.contains("\"file:"), "the demo uses no network: {line}");
    }
    let app = demo_app();
    let run = app.run(&["--config", "config/demo.toml", "sync"]);
    assert_eq!(run.code, 0, "no credentials, no network needed: {}", run.stderr);
    let dir = app.path("examples/demo-site/content/posts");
    let stub = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .find(|text| text.contains("Xk3pQ9LJt0s"))
        .expect("the Llion Jones stub");
    let images = "images: [\"https://i2.ytimg.com/vi/Xk3pQ9LJt0s/hqdefault.jpg\"]\n---\n";
    assert!(stub.contains(images), "a single file's social-card image, last in its front matter:\n{stub}");
    let stub = stub.replacen(images, "---\n", 1);
    let (head, tail) = readme_example();
    assert_eq!(&stub[..head.len().min(stub.len())], head, "the demo's stub is the README's example");
    assert!(stub.ends_with(&tail), "the README's chapters end the demo's stub:\n{stub}");
    assert!(stub.len() > head.len() + tail.len(), "the show notes are in between");
}
