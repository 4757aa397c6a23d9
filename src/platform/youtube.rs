//! YouTube: a video id of 6–20 characters `[A-Za-z0-9_-]` (real ones have 11), Hugo's built-in
//! `{{< youtube ID >}}` shortcode, a linked thumbnail in the blog feed, and
//! `watch?v=ID&t=123s` links to a moment.

use super::{CopyRef, Embed, valid_id, web_url};
use crate::model::Item;

pub struct Youtube;

/// The id rule, for stubs and for the blog feed alike.
fn video_id(id: &str) -> Option<&str> {
    valid_id(id, 6..=20, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-').then_some(id)
}

/// A video named by a pasted URL (`watch?v=`, `youtu.be/`, `/shorts/`, `/live/`, `/embed/`)
/// or its bare id.
pub(super) fn copy_ref(text: &str) -> Option<CopyRef> {
    let id = match web_url(text) {
        Some(url) => video_in(&url)?,
        None => text.to_owned(),
    };
    let id = video_id(&id)?.to_owned();
    Some(CopyRef { link: Some(format!("https://www.youtube.com/watch?v={id}")), platform_id: id })
}

fn video_in(url: &url::Url) -> Option<String> {
    let host = url.host_str()?.trim_start_matches("www.").trim_start_matches("m.");
    let mut path = url.path_segments()?;
    match (host, path.next()?) {
        ("youtu.be", id) => Some(id.to_owned()),
        ("youtube.com" | "music.youtube.com", "watch") => {
            url.query_pairs().find(|(key, _)| key == "v").map(|(_, id)| id.into_owned())
        }
        ("youtube.com" | "music.youtube.com", "shorts" | "live" | "embed") => path.next().map(str::to_owned),
        _ => None,
    }
}

impl Embed for Youtube {
    fn shortcode(&self) -> &'static str {
        "youtube"
    }

    fn stub_line(&self, copy: &Item) -> Option<String> {
        video_id(&copy.platform_id).map(|id| format!("{{{{< youtube {id} >}}}}"))
    }

    fn template(&self) -> Option<&'static str> {
        None
    }

    fn moment_link(&self, copy: &Item, secs: u64) -> Option<String> {
        video_id(&copy.platform_id).map(|id| format!("https://www.youtube.com/watch?v={id}&t={secs}s"))
    }

    fn feed_html(&self, argument: &str) -> Option<String> {
        let id = video_id(argument)?;
        let watch = format!("https://www.youtube.com/watch?v={id}");
        Some(format!(
            "<a href=\"{watch}\"><img src=\"https://i.ytimg.com/vi/{id}/hqdefault.jpg\" alt=\"YouTube video\"></a><br>\
             <a href=\"{watch}\">Watch on YouTube</a>"
        ))
    }
}
