//! The `transcript.md` written beside a stub: a heading, a note saying where it came from and
//! that it is someone else's work, then one Markdown paragraph per speaker turn, headed by its
//! time and speaker when the transcript gives them (`**[04:12] Llion Jones:** …`). Every
//! upstream string is neutralised like the stub's body, so no transcript can hold a live
//! shortcode: Hugo reads the Markdown files of a bundle even when it never publishes them, and
//! an unknown shortcode would fail the whole site's build. Pure: no IO.

use super::text::{clock, neutralise};
use crate::model::{Language, TranscriptLink};
use crate::source::{Paragraph, TranscriptFormat};

/// The transcript of the episode titled `title`, read from `source` in `format`.
pub fn render_transcript(
    title: &str,
    source: &TranscriptLink,
    format: TranscriptFormat,
    paragraphs: &[Paragraph],
    language: Language,
) -> String {
    let title = neutralise(title);
    let url = neutralise(&source.url);
    let about = match &source.language {
        Some(tag) => format!("{}, {}", format.name(), neutralise(tag)),
        None => format.name().to_owned(),
    };
    let mut out = match language {
        Language::ZhTw => format!(
            "# 逐字稿：{title}\n\n> 原始資料，取自 {url}（{about}）。這是別人的作品，只供寫作時參考，不要原樣發布。\n"
        ),
        Language::En => format!(
            "# Transcript: {title}\n\n> Raw material from {url} ({about}): someone else's work, to write from, never to publish as is.\n"
        ),
    };
    for paragraph in paragraphs {
        out.push('\n');
        out.push_str(&heading(paragraph));
        out.push_str(&neutralise(&paragraph.text));
        out.push('\n');
    }
    out
}

/// `**[mm:ss] Speaker:** `, `**[mm:ss]** `, `**Speaker:** ` or nothing.
fn heading(paragraph: &Paragraph) -> String {
    let time = paragraph.start_secs.map(|secs| format!("[{}]", clock(secs)));
    let speaker = paragraph.speaker.as_deref().map(|name| format!("{}:", neutralise(name)));
    match (time, speaker) {
        (Some(time), Some(speaker)) => format!("**{time} {speaker}** "),
        (Some(only), None) | (None, Some(only)) => format!("**{only}** "),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(start_secs: Option<u64>, speaker: Option<&str>, text: &str) -> Paragraph {
        Paragraph { start_secs, speaker: speaker.map(str::to_owned), text: text.to_owned() }
    }

    fn source(language: Option<&str>) -> TranscriptLink {
        TranscriptLink {
            url: "https://cdn.example/ep1.vtt".into(),
            mime_type: "text/vtt".into(),
            language: language.map(str::to_owned),
            rel: None,
        }
    }

    #[test]
    fn paragraphs_with_times_and_speakers() {
        let paragraphs = [
            paragraph(Some(0), Some("Tim Scarfe"), "Welcome back."),
            paragraph(Some(3723), None, "Later."),
            paragraph(None, Some("Llion"), "Hi."),
            paragraph(None, None, "Plain."),
        ];
        let text =
            render_transcript("Talk", &source(Some("en")), TranscriptFormat::Vtt, &paragraphs, Language::En);
        assert_eq!(
            text,
            "# Transcript: Talk\n\n> Raw material from https://cdn.example/ep1.vtt (WebVTT, en): someone else's work, \
             to write from, never to publish as is.\n\n**[00:00] Tim Scarfe:** Welcome back.\n\n**[1:02:03]** Later.\n\n\
             **Llion:** Hi.\n\nPlain.\n"
        );
        let zh = render_transcript(
            "訪談",
            &source(None),
            TranscriptFormat::Json,
            &paragraphs[..1],
            Language::ZhTw,
        );
        assert!(
            zh.starts_with("# 逐字稿：訪談\n\n> 原始資料，取自 https://cdn.example/ep1.vtt（JSON）。"),
            "{zh}"
        );
    }

    #[test]
    fn nothing_upstream_becomes_live() {
        let hostile = paragraph(
            Some(1),
            Some("{{< evil >}} [x](javascript:y)"),
            "<script>x</script> {{% y %}} ![i](data:z)",
        );
        let text = render_transcript(
            "{{< t >}}",
            &source(Some("<b>")),
            TranscriptFormat::Html,
            &[hostile],
            Language::En,
        );
        assert!(!text.contains("{{<") && !text.contains("{{%") && !text.contains('<'), "{text}");
        assert!(!text.contains("[x]") && !text.contains("![i]"), "{text}");
    }
}
