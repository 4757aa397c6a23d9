//! YouTube: a video id of 6–20 characters `[A-Za-z0-9_-]` (real ones have 11), Hugo's built-in
//! `{{< youtube ID >}}` shortcode, and a linked thumbnail in the blog feed.

use super::{Embed, valid_id};
use crate::model::Item;

pub struct Youtube;

/// The id rule, for stubs and for the blog feed alike.
fn video_id(id: &str) -> Option<&str> {
    valid_id(id, 6..=20, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-').then_some(id)
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

    fn feed_html(&self, argument: &str) -> Option<String> {
        let id = video_id(argument)?;
        let watch = format!("https://www.youtube.com/watch?v={id}");
        Some(format!(
            "<a href=\"{watch}\"><img src=\"https://i.ytimg.com/vi/{id}/hqdefault.jpg\" alt=\"YouTube video\"></a><br>\
             <a href=\"{watch}\">Watch on YouTube</a>"
        ))
    }
}
