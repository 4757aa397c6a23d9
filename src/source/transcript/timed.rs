//! WebVTT and SRT: blocks whose timing line holds `-->`. The cue's start is the time before
//! the arrow (`hh:mm:ss.ttt`, `mm:ss.ttt`, SRT's `,` too); its text is the lines after it up
//! to a blank line. A WebVTT voice tag at the start (`<v Speaker>`, `<v.loud Speaker>`) names
//! the speaker; every other tag (`<i>`, `<c.x>`, `<00:00:01.000>`) is dropped and entities
//! are decoded. Headers, `NOTE`, `STYLE` and `REGION` blocks and SRT's cue numbers hold no
//! timing line and are skipped.

use std::sync::LazyLock;

use regex::Regex;

use super::{Cue, MAX_CUES, clock, one_line, speaker};

/// A voice tag at the start of a cue's text; group 1 is the speaker.
static VOICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*<v(?:\.[^\s>]*)?\s+([^>]*)>").expect("voice tag pattern"));
/// Any tag, with no `>` inside.
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("tag pattern"));

/// The cues of a WebVTT or SRT text (line ends already `\n`), at most [`MAX_CUES`].
pub(super) fn cues(text: &str) -> Vec<Cue> {
    let mut cues = Vec::new();
    let mut current: Option<(Option<u64>, Vec<&str>)> = None;
    for line in text.lines() {
        if let Some((start, _)) = line.split_once("-->") {
            cues.extend(current.take().map(|(start, lines)| cue(start, &lines)));
            if cues.len() >= MAX_CUES {
                return cues;
            }
            current = Some((start_secs(start), Vec::new()));
        } else if line.trim().is_empty() {
            cues.extend(current.take().map(|(start, lines)| cue(start, &lines)));
        } else if let Some((_, lines)) = current.as_mut() {
            lines.push(line);
        }
    }
    cues.extend(current.map(|(start, lines)| cue(start, &lines)));
    cues.truncate(MAX_CUES);
    cues
}

fn cue(start_secs: Option<u64>, lines: &[&str]) -> Cue {
    let joined = lines.join(" ");
    let speaker = VOICE.captures(&joined).and_then(|caps| speaker(&caps[1]));
    let stripped = TAG.replace_all(&joined, "");
    let text = one_line(&html_escape::decode_html_entities(&stripped));
    Cue { start_secs, speaker, text }
}

/// The time before a cue's arrow in seconds (`hh:mm:ss.ttt`, `mm:ss.ttt`, SRT's `,`).
fn start_secs(time: &str) -> Option<u64> {
    clock(&time.trim().replace(',', "."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[(Option<u64>, Option<&str>, &str)]) {
        let got: Vec<_> = cues(text).into_iter().map(|c| (c.start_secs, c.speaker, c.text)).collect();
        let expected: Vec<_> =
            expected.iter().map(|(s, v, t)| (*s, v.map(str::to_owned), t.to_string())).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn webvtt_cues_with_voices_tags_and_entities() {
        let vtt = "WEBVTT Kind: captions\n\nNOTE written by hand\n\nSTYLE\n::cue { color: red }\n\n\
            intro\n00:00:00.000 --> 00:00:04.500 align:start\n<v Tim Scarfe>Welcome back to <i>MLST</i>.\n\n\
            00:04.500 --> 00:09.000\n<v.loud Llion Jones>Thanks &amp; hello,\n<c.yellow>Tim</c>!</v>\n\n\
            01:02:03.004 --> 01:02:05.000\nNo voice &lt;here&gt;\n";
        check(
            vtt,
            &[
                (Some(0), Some("Tim Scarfe"), "Welcome back to MLST."),
                (Some(4), Some("Llion Jones"), "Thanks & hello, Tim!"),
                (Some(3723), None, "No voice <here>"),
            ],
        );
    }

    #[test]
    fn srt_blocks() {
        let srt = "1\n00:00:01,000 --> 00:00:03,000\nHello there.\nSecond line\n\n2\n00:01:05,250 --> 00:01:07,000\n- Yes.\n";
        check(srt, &[(Some(1), None, "Hello there. Second line"), (Some(65), None, "- Yes.")]);
    }

    #[test]
    fn hostile_cues_stay_bounded() {
        let bad_times = "99999999:00:00.000 --> x\ntext\n\n00:99:00.000 --> y\nmore\n\n--> \n\n";
        check(bad_times, &[(None, None, "text"), (None, None, "more"), (None, None, "")]);
        let long_voice = format!("00:00.000 --> 00:01.000\n<v {}>hi\n", "n".repeat(500));
        check(&long_voice, &[(Some(0), None, "hi")]);
        let unclosed = "00:00.000 --> 00:01.000\n<v Someone never closed\n";
        check(unclosed, &[(Some(0), None, "<v Someone never closed")]);
        let many = "00:00.000 --> 00:01.000\nx\n\n".repeat(MAX_CUES + 10);
        assert_eq!(cues(&many).len(), MAX_CUES);
        assert!(cues("<html><body>Not found</body></html>").is_empty());
    }
}
