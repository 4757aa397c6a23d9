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

#[test]
fn a_document_is_read_in_pieces_and_bounded() {
    let paragraphs: String = (0..3000).map(|i| format!("<p>Paragraph {i} &amp; more</p>\n")).collect();
    let text = plain_text_of_document(&paragraphs);
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3000);
    assert_eq!((lines[0], lines[2999]), ("Paragraph 0 & more", "Paragraph 2999 & more"));
    assert!(!text.contains("\n\n\n"));
    let one_node = "é&amp;".repeat(12 * 1024);
    let text = plain_text_of_document(&one_node);
    assert_eq!(text.chars().filter(|c| *c == 'é').count(), 12 * 1024, "cut into chunks, nothing lost");
    let huge = "x".repeat(MAX_DOCUMENT_BYTES + 1000);
    assert_eq!(plain_text_of_document(&huge).matches('x').count(), MAX_DOCUMENT_BYTES);
}
