//! A page's Markdown body as HTML for a feed's full content: shortcodes replaced first (see
//! [`super::shortcodes`]), then CommonMark with tables, footnotes and strikethrough via
//! pulldown-cmark. Pure.

use pulldown_cmark::{Options, Parser, html};

use super::shortcodes::replace_shortcodes;

/// The body rendered to HTML.
pub fn render_markdown(markdown: &str) -> String {
    let source = replace_shortcodes(markdown);
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(&source, options));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown_and_embeds() {
        let html = render_markdown("# Hi\n\nSome *text*.\n\n{{< youtube abcdef >}}\n\n{{< unknown >}}\n");
        assert!(html.contains("<h1>Hi</h1>"));
        assert!(html.contains("<em>text</em>"));
        assert!(html.contains("<p><a href=\"https://www.youtube.com/watch?v=abcdef\"><img"));
        assert!(!html.contains("{{"));
    }
}
