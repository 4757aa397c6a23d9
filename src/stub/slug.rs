//! Names of stub posts: `<YYYY-MM-DD>-<slug>.md` for a single file, `<YYYY-MM-DD>-<slug>` for
//! a page bundle's folder, where a slug only ever holds `[a-z0-9-]` so a name can never leave
//! the section folder.

use chrono_tz::Tz;

use super::local_date;
use crate::model::Episode;

/// The longest slug, in characters.
const MAX_SLUG: usize = 60;
/// The slug when neither the title nor the first copy's platform id gives one.
const FALLBACK_SLUG: &str = "episode";

/// `<YYYY-MM-DD>-<slug>.md`, the date in the site time zone. The caller resolves
/// collisions by appending `-2`, `-3` before `.md`.
pub fn file_name(episode: &Episode, tz: Tz) -> String {
    format!("{}.md", bundle_name(episode, tz))
}

/// `<YYYY-MM-DD>-<slug>`: the folder of the episode's page bundle, which is also the page's
/// last path segment on the site (Hugo names a leaf bundle's page after its folder).
pub fn bundle_name(episode: &Episode, tz: Tz) -> String {
    let date = local_date(episode, tz).format("%Y-%m-%d");
    format!("{date}-{}", episode_slug(episode))
}

fn episode_slug(episode: &Episode) -> String {
    let from_id = || episode.copies.first().map(|c| slugify(&c.platform_id));
    Some(slugify(episode.title()))
        .filter(|s| !s.is_empty())
        .or_else(|| from_id().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| FALLBACK_SLUG.to_owned())
}

/// ASCII-folded (CJK transliterated), lowercase, apostrophes dropped, runs of anything but
/// `[a-z0-9]` as one `-`, trimmed of `-`, at most 60 characters, cut at a hyphen when there is one.
pub fn slugify(text: &str) -> String {
    let folded = deunicode::deunicode(text).to_ascii_lowercase().replace('\'', "");
    let words: Vec<&str> =
        folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    truncate(&words.join("-"))
}

fn truncate(slug: &str) -> String {
    if slug.len() <= MAX_SLUG {
        return slug.to_owned();
    }
    let head = &slug[..=MAX_SLUG];
    let cut = head.rfind('-').filter(|&i| i > 0).unwrap_or(MAX_SLUG);
    slug[..cut].trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_examples() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("  --GPT-4: What's  next?--  "), "gpt-4-whats-next");
        assert_eq!(slugify("Café Déjà Vu"), "cafe-deja-vu");
        assert_eq!(slugify("訪談（上）"), "fang-tan-shang");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("🎙️🔥"), "microphone-fire");
        assert_eq!(slugify("!!! --- ？"), "");
        assert_eq!(slugify(""), "");
    }

    #[test]
    fn slugify_cuts_long_titles_at_a_hyphen() {
        let title = "word ".repeat(30);
        let slug = slugify(&title);
        assert!(slug.len() <= MAX_SLUG);
        assert!(slug.split('-').all(|w| w == "word"), "{slug}");
        assert_eq!(slugify(&"a".repeat(100)), "a".repeat(60));
        let exact = format!("{}-{}", "a".repeat(60), "b".repeat(10));
        assert_eq!(slugify(&exact), "a".repeat(60));
    }

    proptest::proptest! {
        #[test]
        fn slugs_are_safe(s in proptest::prelude::any::<String>()) {
            let slug = slugify(&s);
            proptest::prop_assert!(slug.len() <= MAX_SLUG);
            proptest::prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            proptest::prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
        }
    }
}
