use super::*;

fn date(s: &str) -> Option<DateTime<FixedOffset>> {
    Some(DateTime::parse_from_rfc3339(s).unwrap())
}

#[test]
fn yaml_front_matter_and_body() {
    let text = "---\ntitle: \"Hi: there\"\ndate: 2025-01-10T09:30:00+08:00\nLastMod: 2025-01-12\ndraft: false\ntags: [a, b]\ncategories: one\nslug: my-slug\nsyndicator_id: \"c:youtube:x\"\nunknown: {nested: [1, 2]}\n---\n\nBody\n";
    let (front, body) = split(text).unwrap();
    assert_eq!(front.title, "Hi: there");
    assert_eq!(front.date, date("2025-01-10T09:30:00+08:00"));
    assert_eq!(front.lastmod, date("2025-01-12T00:00:00Z"));
    assert_eq!(front.tags, ["a", "b"]);
    assert_eq!(front.categories, ["one"]);
    assert_eq!(front.slug.as_deref(), Some("my-slug"));
    assert_eq!(front.syndicator_id.as_deref(), Some("c:youtube:x"));
    assert!(!front.draft);
    assert_eq!(body, "\nBody\n");
}

#[test]
fn toml_front_matter_with_datetimes() {
    let text = "+++\ntitle = \"T\"\ndate = 2025-03-01T02:00:00+08:00\npublishDate = 2025-03-02\nexpirydate = 2030-01-01T00:00:00\ndraft = true\nguid = \"tag:x.org,2025:1\"\n[params]\nx = 1\n+++\nBody";
    let (front, body) = split(text).unwrap();
    assert_eq!(front.date, date("2025-03-01T02:00:00+08:00"));
    assert_eq!(front.publish_date, date("2025-03-02T00:00:00Z"));
    assert_eq!(front.expiry_date, date("2030-01-01T00:00:00Z"));
    assert_eq!(front.published(), front.publish_date);
    assert!(front.draft);
    assert_eq!(front.guid.as_deref(), Some("tag:x.org,2025:1"));
    assert_eq!(body, "Body");
}

#[test]
fn date_formats() {
    for (text, want) in [
        ("2025-01-02T03:04:05Z", "2025-01-02T03:04:05Z"),
        ("2025-01-02T03:04:05.5-07:00", "2025-01-02T03:04:05.5-07:00"),
        ("2025-01-02 03:04:05 +0800", "2025-01-02T03:04:05+08:00"),
        ("2025-01-02 03:04:05", "2025-01-02T03:04:05Z"),
        ("2025-01-02T03:04", "2025-01-02T03:04:00Z"),
        ("2025-01-02", "2025-01-02T00:00:00Z"),
    ] {
        assert_eq!(parse_date(text), date(want), "{text}");
    }
    assert_eq!(parse_date("yesterday"), None);
}

#[test]
fn no_front_matter_and_errors() {
    let (front, body) = split("Just text").unwrap();
    assert_eq!(front, FrontMatter::default());
    assert_eq!(body, "Just text");
    assert_eq!(split("---\ntitle: x\n").unwrap_err(), FrontMatterError::Unclosed("---"));
    assert!(matches!(split("---\ndate: someday\n---\n"), Err(FrontMatterError::Date { key: "date", .. })));
    assert!(matches!(split("+++\ntitle = \n+++\n"), Err(FrontMatterError::Toml(_))));
}

#[test]
fn crlf_and_bom_are_tolerated() {
    let (front, body) = split("\u{feff}---\r\ntitle: x\r\n---\r\nbody").unwrap();
    assert_eq!(front.title, "x");
    assert_eq!(body, "body");
}

/// Runs `check` on a thread with a 2 MiB stack, the size of a tokio worker's.
fn on_a_worker_sized_stack(check: impl FnOnce() + Send + 'static) {
    let worker = std::thread::Builder::new().stack_size(2 << 20).spawn(check).unwrap();
    worker.join().expect("no panic");
}

#[test]
fn front_matter_nested_100000_deep_is_an_error_not_a_crash() {
    on_a_worker_sized_stack(|| {
        let levels = 100_000;
        let yaml_flow = format!("---\ntitle: x\ndeep: {}{}\n---\n", "[".repeat(levels), "]".repeat(levels));
        let yaml_block: String = (0..levels).map(|i| format!("{}- \n", " ".repeat(i % 50))).collect();
        let yaml_block = format!("---\ndeep:\n{yaml_block}---\n");
        let toml = format!("+++\ntitle = \"x\"\ndeep = {}{}\n+++\n", "[".repeat(levels), "]".repeat(levels));
        let toml_tables = format!("+++\ndeep = {}{}\n+++\n", "{a = ".repeat(levels), "}".repeat(levels));
        for text in [yaml_flow, toml, toml_tables] {
            assert!(split(&text).is_err(), "{}", &text[..40]);
        }
        let _ = split(&yaml_block);
    });
}

#[test]
fn markdown_nested_100000_deep_renders() {
    on_a_worker_sized_stack(|| {
        let quotes = format!("{} deep\n", ">".repeat(100_000));
        let lists: String = (0..1_000).map(|i| format!("{}- item\n", "  ".repeat(i))).collect();
        let emphasis = format!("{}x{}", "*_".repeat(50_000), "_*".repeat(50_000));
        for markdown in [quotes, lists, emphasis] {
            assert!(crate::site::render_markdown(&markdown).contains('<'));
        }
    });
}
