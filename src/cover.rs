//! An episode's cover image: which artwork URLs to try, best first, and whether fetched bytes
//! really are an image. Pure: the pipeline downloads (through `fetch`) and writes the bytes
//! into the page bundle as `cover.<ext>`, a name Hugo's own OpenGraph and Twitter-card
//! templates find there by themselves (a bundle image matching `*cover*`, when the page sets
//! no `images`).

use crate::model::{Episode, Platform};

/// Downloads per missing cover before syndicator stops trying (about five hours of runs at
/// the default schedule); `status` keeps showing the last error.
pub const MAX_ATTEMPTS: u32 = 10;

/// The file-name stem of the cover resource in a bundle.
pub const STEM: &str = "cover";

/// The image formats a cover may be in, told by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl ImageKind {
    /// The file extension Hugo and browsers expect for it.
    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "jpg",
            ImageKind::Png => "png",
            ImageKind::Webp => "webp",
            ImageKind::Gif => "gif",
        }
    }

    /// `cover.<ext>`.
    pub fn file_name(self) -> String {
        format!("{STEM}.{}", self.extension())
    }
}

/// The image format `bytes` are in, from their magic bytes alone (a server's Content-Type
/// proves nothing: an error page is often sent as `image/jpeg`).
pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(ImageKind::Jpeg),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(ImageKind::Png),
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some(ImageKind::Gif),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(ImageKind::Webp),
        _ => None,
    }
}

/// The artwork URLs worth trying for `episode`, best first, without repeats: the YouTube
/// video's highest-resolution thumbnail (`maxresdefault`, then `hqdefault`, then the feed's
/// own), then the podcast item's image (its `itunes:image`, else the show's), then Apple's
/// and Spotify's artwork, then a plain feed's. Only http(s) URLs: upstream never gets a local
/// file read.
pub fn candidates(episode: &Episode) -> Vec<String> {
    let mut urls: Vec<String> = Vec::new();
    for platform in [Platform::Youtube, Platform::Podcast, Platform::Apple, Platform::Spotify, Platform::Feed]
    {
        let Some(url) = thumbnail(episode, platform) else { continue };
        let variants = match platform {
            Platform::Youtube => youtube_variants(url),
            Platform::Podcast | Platform::Apple | Platform::Spotify | Platform::Feed => vec![url.to_owned()],
        };
        for variant in variants {
            if !urls.contains(&variant) {
                urls.push(variant);
            }
        }
    }
    urls
}

/// The artwork URL exactly as the best platform gave it (no guessed variant, which might not
/// exist): what a single-file stub's `cover` names.
pub fn remote(episode: &Episode) -> Option<&str> {
    [Platform::Youtube, Platform::Podcast, Platform::Apple, Platform::Spotify, Platform::Feed]
        .into_iter()
        .find_map(|platform| thumbnail(episode, platform))
}

/// The cover among a bundle's `files` (`cover.jpg`, `cover.png` …), if there is one.
pub fn in_bundle(files: &[String]) -> Option<&str> {
    let kinds = [ImageKind::Jpeg, ImageKind::Png, ImageKind::Webp, ImageKind::Gif];
    let mut names = kinds.iter().map(|kind| kind.file_name()).chain([format!("{STEM}.jpeg")]);
    names.find_map(|name| files.iter().find(|file| **file == name)).map(String::as_str)
}

/// The trimmed http(s) thumbnail of the episode's copy on `platform`.
fn thumbnail(episode: &Episode, platform: Platform) -> Option<&str> {
    let url = episode.copy(platform)?.thumbnail.as_deref()?.trim();
    let scheme = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (scheme.starts_with("https://") || scheme.starts_with("http://")).then_some(url)
}

/// `…/vi/ID/hqdefault.jpg` → `…/maxresdefault.jpg`, `…/hqdefault.jpg`, then the URL itself;
/// a URL whose last segment is not a `*default.<ext>` thumbnail is tried as it is.
fn youtube_variants(url: &str) -> Vec<String> {
    let (base, query) = url.split_once('?').map_or((url, None), |(base, query)| (base, Some(query)));
    let Some((folder, file)) = base.rsplit_once('/') else { return vec![url.to_owned()] };
    let Some((stem, extension)) = file.rsplit_once('.') else { return vec![url.to_owned()] };
    if !stem.ends_with("default") {
        return vec![url.to_owned()];
    }
    let suffix = query.map(|q| format!("?{q}")).unwrap_or_default();
    let mut variants: Vec<String> = ["maxresdefault", "hqdefault"]
        .iter()
        .map(|best| format!("{folder}/{best}.{extension}{suffix}"))
        .collect();
    if !variants.iter().any(|v| v == url) {
        variants.push(url.to_owned());
    }
    variants
}

#[cfg(test)]
mod tests;
