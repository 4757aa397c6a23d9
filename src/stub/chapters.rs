//! The `chapters` a stub lists, each linking to its moment. A podcast item's chapters (read
//! from its `podcast:chapters` file) win, linking into its audio file with a Media Fragment
//! (`…/episode.mp3#t=252`, which every browser's player honours; the episode's page link
//! when it has no audio file) because those times count in the audio. Else the table of
//! contents in the YouTube description, linking to `https://www.youtube.com/watch?v=ID&t=252s`.

use serde::Serialize;

use super::text::{clock, link_target, neutralise};
use crate::html::plain_text;
use crate::model::{Chapter, Episode, Item, Platform};
use crate::platform;
use crate::source::description_chapters;

/// One chapter as templates see it (documented on [`super::Template`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChapterVar {
    /// Start, in seconds.
    start: u64,
    /// Start as `mm:ss` or `h:mm:ss`.
    time: String,
    /// Title, body-safe.
    title: String,
    /// The moment's link, a safe Markdown link destination; `""` when there is none.
    link: String,
    /// The show's link for the chapter (JSON chapters' `url`), body-safe; `""` when none.
    url: String,
}

/// The chapters of `episode`; `plain` is the plain text of its longest description (reused
/// when that is the video's).
pub fn chapters(episode: &Episode, plain: &str) -> Vec<ChapterVar> {
    if let Some(copy) = episode.copies.iter().find(|c| !c.podcasting.chapters.is_empty()) {
        return vars(&copy.podcasting.chapters, |secs| audio_moment(copy, secs));
    }
    let Some(video) = episode.copy(Platform::Youtube) else { return Vec::new() };
    let described = match video.description_html == episode.description_html() {
        true => description_chapters(plain),
        false => description_chapters(&plain_text(&video.description_html)),
    };
    let embed = platform::embed(Platform::Youtube);
    vars(&described, |secs| embed.and_then(|e| e.moment_link(video, secs)))
}

fn vars(chapters: &[Chapter], moment: impl Fn(u64) -> Option<String>) -> Vec<ChapterVar> {
    let var = |chapter: &Chapter| ChapterVar {
        start: chapter.start_secs,
        time: clock(chapter.start_secs),
        title: neutralise(&chapter.title),
        link: moment(chapter.start_secs).and_then(|url| link_target(&url)).unwrap_or_default(),
        url: chapter.url.as_deref().map(neutralise).unwrap_or_default(),
    };
    chapters.iter().map(var).collect()
}

/// The podcast copy's audio file (else its page) at `secs` seconds, as a Media Fragment.
fn audio_moment(copy: &Item, secs: u64) -> Option<String> {
    let audio = copy.enclosure.as_ref().map(|e| e.url.as_str());
    let mut url = audio.or(copy.link.as_deref()).and_then(|url| url::Url::parse(url).ok())?;
    url.set_fragment(Some(&format!("t={secs}")));
    Some(url.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Enclosure;
    use crate::stub::fixtures::{VIDEO_ID, episode, item, youtube};

    const TOC: &str = "<p>About the talk.</p><p>00:00 Intro<br>04:12 Why [transformers] got stuck<br>1:02:03 Keeping {{< time >}}</p>";

    fn links(vars: &[ChapterVar]) -> Vec<(&str, &str, &str)> {
        vars.iter().map(|v| (v.time.as_str(), v.title.as_str(), v.link.as_str())).collect()
    }

    #[test]
    fn a_video_description_gives_youtube_moments() {
        let mut video = youtube(VIDEO_ID);
        video.description_html = TOC.to_owned();
        let ep = episode(vec![video]);
        let vars = chapters(&ep, &plain_text(ep.description_html()));
        assert_eq!(
            links(&vars),
            [
                ("00:00", "Intro", "https://www.youtube.com/watch?v=DtePicx_kFY&t=0s"),
                (
                    "04:12",
                    "Why \\[transformers\\] got stuck",
                    "https://www.youtube.com/watch?v=DtePicx_kFY&t=252s"
                ),
                (
                    "1:02:03",
                    "Keeping {&#123;&lt; time >}}",
                    "https://www.youtube.com/watch?v=DtePicx_kFY&t=3723s"
                ),
            ]
        );
        assert_eq!(vars[1].start, 252);
    }

    #[test]
    fn podcast_chapters_win_and_link_into_the_audio() {
        let mut video = youtube(VIDEO_ID);
        video.description_html = TOC.to_owned();
        let mut audio = item(Platform::Podcast, "guid", "Talk", 18);
        audio.enclosure = Some(Enclosure {
            url: "https://cdn.example/ep1.mp3?x=(1)".into(),
            mime_type: "audio/mpeg".into(),
            length: None,
        });
        audio.podcasting.chapters = vec![
            Chapter { start_secs: 0, title: "Cold open".into(), url: None },
            Chapter {
                start_secs: 95,
                title: "Paper".into(),
                url: Some("https://arxiv.org/abs/1706.03762".into()),
            },
        ];
        let ep = episode(vec![video, audio.clone()]);
        let vars = chapters(&ep, &plain_text(ep.description_html()));
        assert_eq!(
            links(&vars),
            [
                ("00:00", "Cold open", "https://cdn.example/ep1.mp3?x=%281%29#t=0"),
                ("01:35", "Paper", "https://cdn.example/ep1.mp3?x=%281%29#t=95")
            ]
        );
        assert_eq!(vars[1].url, "https://arxiv.org/abs/1706.03762");
        audio.enclosure = None;
        audio.link = Some("https://show.example/ep/1#player".into());
        assert_eq!(chapters(&episode(vec![audio.clone()]), "")[1].link, "https://show.example/ep/1#t=95");
        audio.link = Some("javascript:alert(1)".into());
        assert_eq!(chapters(&episode(vec![audio]), "")[1].link, "");
    }

    #[test]
    fn no_table_of_contents_no_chapters() {
        let mut video = youtube(VIDEO_ID);
        video.description_html = "<p>We met at 10:30 and talked until 12:45.</p>".to_owned();
        let ep = episode(vec![video]);
        assert!(chapters(&ep, &plain_text(ep.description_html())).is_empty());
        let mut audio = item(Platform::Podcast, "guid", "Talk", 18);
        audio.description_html = TOC.to_owned();
        let podcast_only = episode(vec![audio]);
        assert!(chapters(&podcast_only, &plain_text(TOC)).is_empty(), "only a video's description is read");
    }
}
