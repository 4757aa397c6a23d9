//! Apple Podcasts: the episode's `trackViewUrl` path (`tw/podcast/<slug>/id<show>?i=<episode>`,
//! tracking parameters dropped), our `apple-podcast` shortcode rendering Apple's embed player,
//! and a "Listen on Apple Podcasts" link in the blog feed.

use html_escape::encode_double_quoted_attribute as attr;

use super::{CopyRef, Embed, valid_id, web_url};
use crate::model::Item;

pub struct Apple;

const SITE: &str = "https://podcasts.apple.com/";
/// The only query parameter an Apple embed keeps: the episode id.
const EPISODE_PARAM: &str = "i=";

/// The path rule, for stubs and for the blog feed alike (the feed also allows `&`, for paths
/// an author wrote by hand; it is attribute-escaped there).
fn valid_path(path: &str, extra: &str) -> bool {
    valid_id(path, 1..=500, |c| c.is_ascii_alphanumeric() || "/_.%?=-".contains(c) || extra.contains(c))
}

/// The copy's link without the site prefix and with only the `i=` query parameter.
fn episode_path(copy: &Item) -> Option<String> {
    let rest = copy.link.as_deref()?.strip_prefix(SITE)?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let full = match query.split('&').find(|p| p.starts_with(EPISODE_PARAM)) {
        Some(param) => format!("{path}?{param}"),
        None => path.to_owned(),
    };
    valid_path(&full, "").then_some(full)
}

/// An episode named by a pasted episode URL (`podcasts.apple.com/…/id<show>?i=<episode>`,
/// kept as its link so the embed can be made) or its bare track id (digits).
pub(super) fn copy_ref(text: &str) -> Option<CopyRef> {
    let Some(url) = web_url(text) else {
        let digits = valid_id(text, 1..=20, |c| c.is_ascii_digit());
        return digits.then(|| CopyRef { platform_id: text.to_owned(), link: None });
    };
    let episode = url.query_pairs().find(|(key, _)| key == "i").map(|(_, id)| id.into_owned())?;
    let ours =
        url.host_str() == Some("podcasts.apple.com") && valid_id(&episode, 1..=20, |c| c.is_ascii_digit());
    ours.then(|| CopyRef { platform_id: episode, link: Some(text.to_owned()) })
}

impl Embed for Apple {
    fn shortcode(&self) -> &'static str {
        "apple-podcast"
    }

    fn stub_line(&self, copy: &Item) -> Option<String> {
        episode_path(copy).map(|path| format!("{{{{< apple-podcast \"{path}\" >}}}}"))
    }

    fn template(&self) -> Option<&'static str> {
        Some(include_str!("apple-podcast.html"))
    }

    fn feed_html(&self, argument: &str) -> Option<String> {
        let path = argument.strip_prefix(SITE).unwrap_or(argument).trim_start_matches('/');
        valid_path(path, "&").then(|| {
            let url = format!("{SITE}{path}");
            format!("<a href=\"{}\">Listen on Apple Podcasts</a>", attr(&url))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stub::fixtures::apple;

    #[test]
    fn apple_tracking_params_dropped() {
        let path = |link: &str| episode_path(&apple(link));
        let base = "https://podcasts.apple.com/us/podcast/show/id1";
        assert_eq!(
            path(&format!("{base}?uo=4&i=1000&mt=2&ls=1&app=podcast")).unwrap(),
            "us/podcast/show/id1?i=1000"
        );
        assert_eq!(path(&format!("{base}?uo=4")).unwrap(), "us/podcast/show/id1");
        assert_eq!(path(base).unwrap(), "us/podcast/show/id1");
        assert_eq!(path("https://example.com/us/podcast/show/id1"), None);
    }
}
