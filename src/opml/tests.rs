use super::*;

fn channel(name: &str, category: Option<&str>, feeds: &[&str]) -> ExportChannel {
    let feed = |url: &&str| ExportFeed {
        xml_url: (*url).to_owned(),
        html_url: Some("https://show.example/?a=1&b=2".into()),
    };
    ExportChannel {
        name: name.into(),
        category: category.map(Into::into),
        feeds: feeds.iter().map(feed).collect(),
    }
}

#[test]
fn export_then_parse_keeps_every_url_name_and_folder() {
    let channels = [
        channel(
            "Street Talk \"MLST\" & co",
            Some("AI 技術"),
            &["https://yt.example/f?x=1&y=2", "https://pod.example/rss"],
        ),
        channel("Plain", None, &["https://blog.example/feed"]),
        channel("Other AI", Some("AI 技術"), &["https://other.example/rss"]),
    ];
    let feeds = parse(&export("My <blog>", &channels)).unwrap();
    let got: Vec<_> = feeds
        .iter()
        .map(|f| (f.xml_url.as_deref().unwrap(), f.text.as_deref().unwrap(), f.folders.clone()))
        .collect();
    let ai = vec!["AI 技術".to_owned()];
    assert_eq!(
        got,
        [
            ("https://yt.example/f?x=1&y=2", "Street Talk \"MLST\" & co", ai.clone()),
            ("https://pod.example/rss", "Street Talk \"MLST\" & co", ai.clone()),
            ("https://other.example/rss", "Other AI", ai),
            ("https://blog.example/feed", "Plain", vec![]),
        ]
    );
    assert!(feeds.iter().all(|f| f.kind.as_deref() == Some("rss")));
    assert_eq!(feeds[0].html_url.as_deref(), Some("https://show.example/?a=1&b=2"));
}

#[test]
fn nested_folders_titles_and_odd_attribute_spellings_are_read() {
    let text = r#"<?xml version="1.0"?>
<opml version="1.0"><head><title>x</title></head><body>
  <outline title="Tech"><outline text="Rust">
    <outline type="atom" title="Only a title" xmlurl=" https://a.example/atom " htmlurl=""/>
  </outline></outline>
  <outline text="no url"/>
  <outline type="rss" text="a feed folder"><outline type="RSS" text="lost its url" xmlUrl=""/></outline>
  <outline text="&#x4E2D;&amp;" xmlUrl="https://b.example/rss"></outline>
  <outline type="rss" xmlUrl="https://c.example/rss" title=""/>
</body></opml>"#;
    let feeds = parse(text).unwrap();
    assert_eq!(feeds.len(), 4);
    assert_eq!(
        (feeds[0].text.as_deref(), feeds[0].xml_url.as_deref()),
        (Some("Only a title"), Some("https://a.example/atom"))
    );
    assert_eq!(feeds[0].folders, ["Tech", "Rust"]);
    assert_eq!((feeds[0].kind.as_deref(), feeds[0].html_url.as_deref()), (Some("atom"), None));
    assert_eq!(
        (feeds[1].text.as_deref(), feeds[1].xml_url.as_deref(), feeds[1].folders.clone()),
        (Some("lost its url"), None, vec!["a feed folder".to_owned()]),
        "a feed outline without its URL is kept, for the importer to report"
    );
    assert_eq!((feeds[2].text.as_deref(), feeds[2].folders.len()), (Some("中&"), 0));
    assert_eq!(
        (feeds[3].text.as_deref(), feeds[3].xml_url.as_deref()),
        (None, Some("https://c.example/rss"))
    );
}

#[test]
fn hostile_files_fail_with_a_reason_and_never_panic() {
    let deep = format!(
        "<opml><body>{}{}</body></opml>",
        "<outline text=\"f\">".repeat(100_000),
        "</outline>".repeat(100_000)
    );
    assert_eq!(parse(&deep), Err(OpmlError::TooDeep));
    let bomb = "<?xml version=\"1.0\"?><!DOCTYPE opml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>\
                <opml><body><outline text=\"&b;\" xmlUrl=\"https://x.example/\"/></body></opml>";
    assert_eq!(parse(bomb), Err(OpmlError::Doctype));
    let unknown_entity = "<opml><body><outline text=\"&b;\" xmlUrl=\"https://x.example/\"/></body></opml>";
    assert!(matches!(parse(unknown_entity), Err(OpmlError::Syntax { .. })), "{:?}", parse(unknown_entity));
    let many = format!(
        "<opml><body>{}</body></opml>",
        "<outline xmlUrl=\"https://x.example/\"/>".repeat(MAX_FEEDS + 1)
    );
    assert_eq!(parse(&many), Err(OpmlError::TooMany));
    assert_eq!(parse(&" ".repeat(MAX_BYTES + 1)), Err(OpmlError::TooLarge));
    assert_eq!(parse("<rss/>"), Err(OpmlError::NotOpml("rss".into())));
    assert!(parse("<opml><body><outline xmlUrl=\"x").is_err());
    assert_eq!(parse(""), Err(OpmlError::NotOpml(String::new())));
}

proptest::proptest! {
    #[test]
    fn any_text_parses_or_fails_without_panicking(text in "(<opml>|<outline |xmlUrl=\"|\"|/>|</outline>|&amp;|&#|<!DOCTYPE|[a-z<>&;\" ]){0,60}") {
        let _ = parse(&text);
    }
}
