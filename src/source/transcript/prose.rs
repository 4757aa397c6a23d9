//! Transcripts without cues (HTML made plain, plain text): paragraphs separated by blank
//! lines or by a new speaker. A line that is only a time (`0:00`, `01:02:03`, maybe in
//! brackets) dates the paragraph after it; a line that is only a short `Label:` (as the
//! namespace's HTML example writes `<cite>Kevin:</cite>`), or a `Label: ` at the start of a
//! line, names its speaker. A label is at most four words and starts with a capital letter or
//! a digit-free word such as `Speaker 1`.

use std::sync::LazyLock;

use regex::Regex;

use super::{Paragraph, clock, one_line, speaker};

/// A line that is only a time, maybe bracketed; group 1 is the time.
static TIME_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\[(]?(\d{1,2}:\d{2}:\d{2}|\d{1,3}:\d{2})(?:[.,]\d+)?[\])]?$").expect("time line pattern")
});
/// A speaker label at the start of a line (`Kevin:`, `Speaker 1: hello`); group 1 is the
/// label, group 2 what follows.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Lu}[\p{L}\p{N}.'’-]*(?: [\p{L}\p{N}.'’-]+){0,3}):(?:\s+(.*))?$").expect("label pattern")
});

/// The paragraphs of plain text (line ends `\n`).
pub(super) fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    let mut open = false;
    let (mut start_secs, mut who) = (None, None);
    for line in text.lines().map(one_line) {
        if line.is_empty() {
            open = false;
        } else if let Some(time) = TIME_LINE.captures(&line) {
            start_secs = clock(&time[1]);
            open = false;
        } else if let Some(label) = LABEL.captures(&line) {
            who = speaker(&label[1]);
            open = false;
            if let Some(said) = label.get(2) {
                out.push(Paragraph {
                    start_secs: start_secs.take(),
                    speaker: who.clone(),
                    text: said.as_str().to_owned(),
                });
                open = true;
            }
        } else if let Some(last) = out.last_mut().filter(|_| open) {
            last.text.push(' ');
            last.text.push_str(&line);
        } else {
            out.push(Paragraph { start_secs: start_secs.take(), speaker: who.clone(), text: line });
            open = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[(Option<u64>, Option<&str>, &str)]) {
        let got: Vec<_> = paragraphs(text).into_iter().map(|p| (p.start_secs, p.speaker, p.text)).collect();
        let expected: Vec<_> =
            expected.iter().map(|(s, v, t)| (*s, v.map(str::to_owned), t.to_string())).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn labels_times_and_blank_lines_shape_paragraphs() {
        check(
            "Kevin:\n0:00\nHello and welcome.\nSecond line.\n\nStill Kevin.\nJane:\n[01:02:03]\nHi!\n",
            &[
                (Some(0), Some("Kevin"), "Hello and welcome. Second line."),
                (None, Some("Kevin"), "Still Kevin."),
                (Some(3723), Some("Jane"), "Hi!"),
            ],
        );
        check(
            "Speaker 1: Good morning.\nSpeaker 2: Morning!\nand more",
            &[(None, Some("Speaker 1"), "Good morning."), (None, Some("Speaker 2"), "Morning! and more")],
        );
        check(
            "just prose\nover two lines\n\nand a second paragraph",
            &[(None, None, "just prose over two lines"), (None, None, "and a second paragraph")],
        );
    }

    #[test]
    fn lowercase_or_long_labels_are_text() {
        check(
            "note: this is text\nThis Is Far Too Long A Label: x",
            &[(None, None, "note: this is text This Is Far Too Long A Label: x")],
        );
    }
}
