//! Hugo shortcodes in a page's Markdown, replaced by HTML that survives feed readers (which
//! strip iframes) before the Markdown is rendered, as each platform's module says
//! ([`crate::platform`]): `youtube` → a linked thumbnail and a watch link; `spotify` and
//! `apple-podcast` → links to the episode. Every other shortcode — closing
//! tags, unknown names, `{{%/* */%}}` escapes, ids that fail validation — is dropped, keeping
//! the text between a paired shortcode's tags; no `{{<` or `{{%` survives. Pure.

/// The Markdown source with every shortcode replaced or dropped.
pub fn replace_shortcodes(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(start) = next_opener(rest) {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        let close = if rest.as_bytes()[start + 2] == b'<' { ">}}" } else { "%}}" };
        match after.find(close) {
            Some(end) => {
                out.push_str(&render(&after[..end]));
                rest = &after[end + close.len()..];
            }
            // An unclosed opener: drop it and keep the text after it.
            None => rest = after,
        }
    }
    out.push_str(rest);
    out
}

fn next_opener(text: &str) -> Option<usize> {
    let angle = text.find("{{<");
    let percent = text.find("{{%");
    match (angle, percent) {
        (Some(a), Some(p)) => Some(a.min(p)),
        (a, p) => a.or(p),
    }
}

/// The HTML for one shortcode's inside (between `{{<` and `>}}`), or "" to drop it.
fn render(inside: &str) -> String {
    let inside = inside.trim();
    if inside.starts_with('/') {
        return String::new();
    }
    let args = split_args(inside);
    let Some((name, args)) = args.split_first() else { return String::new() };
    let argument = named(args, "id").or_else(|| positional(args, 0));
    let html = crate::platform::by_shortcode(name).zip(argument).and_then(|(e, a)| e.feed_html(a));
    html.unwrap_or_default()
}

fn named<'a>(args: &'a [String], key: &str) -> Option<&'a str> {
    args.iter().find_map(|a| a.strip_prefix(key)?.strip_prefix('='))
}

fn positional(args: &[String], index: usize) -> Option<&str> {
    args.iter().filter(|a| !is_named(a)).nth(index).map(String::as_str)
}

/// `key=value` with an identifier as key (a URL with `?i=` is positional).
fn is_named(arg: &str) -> bool {
    arg.split_once('=').is_some_and(|(key, _)| {
        !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    })
}

/// Splits shortcode arguments on whitespace, honouring `"…"` and `` `…` `` quotes (which are
/// removed, also in `key="value"`).
fn split_args(inside: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in inside.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '`') => quote = Some(c),
            (None, c) if c.is_whitespace() => {
                if !current.is_empty() {
                    args.push(std::mem::take(&mut current));
                }
            }
            (None, c) => current.push(c),
        }
    }
    if !current.is_empty() {
        args.push(current);
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn youtube_becomes_thumbnail_and_link() {
        let out = replace_shortcodes("before\n\n{{< youtube DtePicx_kFY >}}\n\nafter");
        assert!(out.contains("<img src=\"https://i.ytimg.com/vi/DtePicx_kFY/hqdefault.jpg\""));
        assert!(out.contains("<a href=\"https://www.youtube.com/watch?v=DtePicx_kFY\">Watch on YouTube</a>"));
        assert!(out.starts_with("before\n\n<a ") && out.ends_with("\n\nafter"));
    }

    #[test]
    fn youtube_named_id() {
        assert!(replace_shortcodes(r#"{{< youtube id="abc_123" >}}"#).contains("watch?v=abc_123"));
    }

    #[test]
    fn spotify_and_apple_become_links() {
        let out = replace_shortcodes(r#"{{< spotify "episode/5zKGl6HNid03ExP7n5i4U8" >}}"#);
        assert_eq!(
            out,
            "<a href=\"https://open.spotify.com/episode/5zKGl6HNid03ExP7n5i4U8\">Listen on Spotify</a>"
        );
        let out = replace_shortcodes(r#"{{< apple-podcast "tw/podcast/x/id1510472996?i=1000738009211" >}}"#);
        assert_eq!(
            out,
            "<a href=\"https://podcasts.apple.com/tw/podcast/x/id1510472996?i=1000738009211\">Listen on Apple Podcasts</a>"
        );
    }

    #[test]
    fn unknown_and_closing_shortcodes_are_dropped_keeping_inner_text() {
        let out = replace_shortcodes(
            "a {{< note type=\"x\" >}}inner{{< /note >}} b {{% raw %}}c{{% /raw %}} {{< gist u 1 >}}",
        );
        assert_eq!(out, "a inner b c ");
    }

    #[test]
    fn hostile_ids_and_escapes_are_dropped() {
        assert_eq!(replace_shortcodes(r#"{{< youtube "x\"><script>" >}}"#), "");
        assert_eq!(replace_shortcodes(r#"{{< spotify "episode/a b" >}}"#), "");
        assert_eq!(replace_shortcodes(r#"{{< apple-podcast "javascript:alert(1)" >}}"#), "");
        assert_eq!(replace_shortcodes("{{</* youtube abc */>}}"), "");
    }

    #[test]
    fn unclosed_opener_never_survives() {
        let out = replace_shortcodes("x {{< youtube abc and {{% more");
        assert!(!out.contains("{{<") && !out.contains("{{%"), "{out}");
    }
}
