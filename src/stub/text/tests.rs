use super::*;

#[test]
fn summary_short_text_is_kept_on_one_line() {
    assert_eq!(summary("Short\n\ntext  here."), "Short text here.");
}

#[test]
fn summary_cuts_at_sentence_end() {
    let first = "a".repeat(90) + ".";
    let text = format!("{first} {}", "b ".repeat(60));
    assert_eq!(summary(&text), first);
}

#[test]
fn summary_cuts_at_cjk_sentence_end() {
    let first = "字".repeat(100) + "。";
    let text = format!("{first}{}", "字".repeat(100));
    assert_eq!(summary(&text), first);
}

#[test]
fn summary_ignores_decimal_points() {
    let text = format!("{} 3.5 {}", "word ".repeat(20), "x".repeat(200));
    let out = summary(&text);
    assert!(out.ends_with('…'), "{out}");
    assert!(!out.ends_with("3.…"));
}

#[test]
fn summary_cuts_at_space_with_ellipsis() {
    let text = "word ".repeat(50);
    let out = summary(&text);
    assert!(out.ends_with("word…"), "{out}");
    assert!(out.chars().count() <= 160);
}

#[test]
fn summary_hard_cut_without_spaces() {
    let text = "字".repeat(300);
    let out = summary(&text);
    assert_eq!(out, "字".repeat(159) + "…");
}

#[test]
fn summary_early_sentence_end_is_not_used() {
    let text = format!("Hi. {}", "x".repeat(300));
    assert_eq!(summary(&text).chars().count(), 160);
}

#[test]
fn neutralise_shortcodes_html_and_entities() {
    assert_eq!(neutralise("{{< youtube x >}}"), "{&#123;&lt; youtube x >}}");
    assert_eq!(neutralise("{{% note %}}"), "{&#123;% note %}}");
    assert_eq!(neutralise("{{{"), "{&#123;{");
    assert_eq!(neutralise("<script>x</script>"), "&lt;script>x&lt;/script>");
    assert_eq!(neutralise("AT&amp;T &#60; R&D"), "AT&amp;amp;T &amp;#60; R&D");
    assert_eq!(neutralise("平常的文字"), "平常的文字");
}

#[test]
fn neutralise_markdown_links_images_and_references() {
    assert_eq!(neutralise("[x](javascript:alert(1))"), "\\[x\\](javascript:alert(1))");
    assert_eq!(neutralise("![t](https://tracker.test/p.gif)"), "!\\[t\\](https://tracker.test/p.gif)");
    assert_eq!(neutralise("[r]: vbscript:x"), "\\[r\\]: vbscript:x");
    assert_eq!(neutralise("\\[x](y)"), "\\\\\\[x\\](y)", "an upstream backslash cannot undo ours");
    assert_eq!(neutralise("<javascript:alert(1)>"), "&lt;javascript:alert(1)>");
}

#[test]
fn clocks() {
    assert_eq!(
        [clock(0), clock(252), clock(3599), clock(3723), clock(360_000)],
        ["00:00", "04:12", "59:59", "1:02:03", "100:00:00"]
    );
}

#[test]
fn link_targets_cannot_leave_the_link() {
    assert_eq!(
        link_target("https://x.example/a b)(c)[d]{{<e>}}'\"?q=1&t=2#t=5").as_deref(),
        Some("https://x.example/a%20b%29%28c%29%5Bd%5D%7B%7B%3Ce%3E%7D%7D%27%22?q=1&t=2#t=5")
    );
    for bad in ["javascript:alert(1)", "file:///etc/passwd", "/relative", "data:text/html,x", ""] {
        assert_eq!(link_target(bad), None, "{bad:?}");
    }
    let target = link_target("https://x.example/p)[x](javascript:alert(1))").unwrap();
    assert_eq!(rendered_links(&format!("[04:12]({target}) Title")), [target]);
}

/// The links and images the body makes once rendered as CommonMark (as Hugo does).
fn rendered_links(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new(markdown)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
            Event::Html(html) | Event::InlineHtml(html) => Some(html.to_string()),
            _ => None,
        })
        .collect()
}

proptest::proptest! {
    #[test]
    fn summary_never_exceeds_limit(s in "\\PC{0,400}") {
        proptest::prop_assert!(summary(&s).chars().count() <= 160);
    }

    #[test]
    fn neutralised_text_has_no_live_markup(s in "([{}<%a&;# ]|script|SCRIPT|\\PC){0,60}") {
        let out = neutralise(&s);
        proptest::prop_assert!(!out.contains("{{<") && !out.contains("{{%"), "{}", out);
        proptest::prop_assert!(!out.to_lowercase().contains("<script"), "{}", out);
        proptest::prop_assert!(!out.contains('<'));
    }

    #[test]
    fn a_link_target_is_one_whole_link(url in "https://x\\.example/([\\[\\]()<>{}\"' \\\\a-z#?&=%]|\\PC){0,40}") {
        if let Some(target) = link_target(&url) {
            let links = rendered_links(&format!("[x]({target}) tail"));
            proptest::prop_assert_eq!(links, vec![target.clone()]);
            proptest::prop_assert!(!target.contains("{{"));
        }
    }

    #[test]
    fn neutralised_text_renders_no_link_image_or_html(
        s in "(\\[|\\]|\\(|\\)|<|>|!|:|\\\\|\n|javascript|x| ){0,40}"
    ) {
        let links = rendered_links(&neutralise(&s));
        proptest::prop_assert!(links.is_empty(), "{:?} -> {:?}", s, links);
    }
}
