//! Hugo shortcode embeds for an episode's copies — YouTube, Spotify, Apple Podcasts, in that
//! order — each id validated so that upstream data can never inject a shortcode.

use crate::model::{Episode, Platform};

const APPLE_PREFIX: &str = "https://podcasts.apple.com/";
/// The only query parameter an Apple embed keeps: the episode id.
const APPLE_EPISODE_PARAM: &str = "i=";

/// The shortcode lines for the copies the episode has, YouTube, Spotify, Apple in order.
pub fn embed_lines(episode: &Episode) -> Vec<String> {
    let youtube = youtube_id(episode).map(|id| format!("{{{{< youtube {id} >}}}}"));
    let spotify = spotify_id(episode).map(|id| format!("{{{{< spotify \"episode/{id}\" >}}}}"));
    let apple = apple_path(episode).map(|path| format!("{{{{< apple-podcast \"{path}\" >}}}}"));
    [youtube, spotify, apple].into_iter().flatten().collect()
}

fn youtube_id(episode: &Episode) -> Option<&str> {
    let id = episode.copy(Platform::Youtube)?.platform_id.as_str();
    valid_id(id, 6..=20, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-').then_some(id)
}

fn spotify_id(episode: &Episode) -> Option<&str> {
    let id = episode.copy(Platform::Spotify)?.platform_id.as_str();
    valid_id(id, 10..=40, |c| c.is_ascii_alphanumeric()).then_some(id)
}

/// The Apple copy's link without the site prefix and with only the `i=` query parameter.
fn apple_path(episode: &Episode) -> Option<String> {
    let link = episode.copy(Platform::Apple)?.link.as_deref()?;
    let rest = link.strip_prefix(APPLE_PREFIX)?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let episode_param = query.split('&').find(|p| p.starts_with(APPLE_EPISODE_PARAM));
    let full = match episode_param {
        Some(param) => format!("{path}?{param}"),
        None => path.to_owned(),
    };
    let allowed = |c: char| c.is_ascii_alphanumeric() || "/_.%?=-".contains(c);
    valid_id(&full, 1..=500, allowed).then_some(full)
}

fn valid_id(id: &str, len: std::ops::RangeInclusive<usize>, allowed: impl Fn(char) -> bool) -> bool {
    len.contains(&id.len()) && id.chars().all(allowed)
}

#[cfg(test)]
mod tests;
