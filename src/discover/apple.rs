//! Apple Podcasts: a show's iTunes lookup URL (what the `apple` source polls) for the store
//! country in the pasted URL, else the site language's. The lookup's answer also names the
//! show's own RSS (`feedUrl`), which becomes the `podcast` source. Pure.

use crate::model::Language;

/// How many episodes a lookup asks for (Apple's maximum).
const LOOKUP_LIMIT: u32 = 200;

/// The canonical lookup URL of a show's episodes in a store country (`tw`, `us` …).
pub fn lookup_url(show_id: &str, country: &str) -> String {
    format!(
        "https://itunes.apple.com/lookup?id={show_id}&entity=podcastEpisode&country={country}&limit={LOOKUP_LIMIT}"
    )
}

/// The store country of a site language, for a URL that names none.
pub fn country_of(language: Language) -> &'static str {
    match language {
        Language::ZhTw => "tw",
        Language::En => "us",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_urls() {
        assert_eq!(
            lookup_url("1510472996", "tw"),
            "https://itunes.apple.com/lookup?id=1510472996&entity=podcastEpisode&country=tw&limit=200"
        );
        assert_eq!(country_of(Language::En), "us");
        assert_eq!(country_of(Language::ZhTw), "tw");
    }
}
