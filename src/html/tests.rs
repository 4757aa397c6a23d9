use super::*;

#[test]
fn plain_text_strips_tags_and_keeps_paragraphs() {
    let html = "<p>First   paragraph<br>second line</p>\n\n\n<p>Second <b>bold</b> &amp; more</p>";
    assert_eq!(plain_text(html), "First paragraph\nsecond line\n\nSecond bold & more");
}

#[test]
fn plain_text_drops_script_and_style_content() {
    let html = "<style>p{color:red}</style>Hi<script>alert('x')</script> there";
    assert_eq!(plain_text(html), "Hi there");
}

#[test]
fn plain_text_block_tags_and_lists() {
    let html = "<h2>Topics</h2><ul><li>One</li><li>Two</li></ul><div>End</div>";
    assert_eq!(plain_text(html), "Topics\n\nOne\nTwo\nEnd");
}

#[test]
fn plain_text_decodes_entities_and_passes_plain_text() {
    assert_eq!(plain_text("Tom &amp; Jerry &lt;3 &#x4E2D;&nbsp;文"), "Tom & Jerry <3 中 文");
    assert_eq!(plain_text("just text\n\n\n\nmore   text  "), "just text\n\nmore text");
    assert_eq!(plain_text(""), "");
    assert_eq!(plain_text("a < b"), "a < b");
}
