//! Spotify: the Web API URLs of a show — its episodes (what the `spotify` source polls), the
//! show itself (its name) and an episode (its show) — in the market of the site's language.
//! Pure.

use crate::model::Language;

/// Episodes per page the `spotify` source asks for (the API's maximum).
const PAGE_LIMIT: u32 = 50;

/// The market (ISO country) whose catalogue is asked for.
pub fn market_of(language: Language) -> &'static str {
    match language {
        Language::ZhTw => "TW",
        Language::En => "US",
    }
}

/// The canonical episodes URL of a show, as written to the config.
pub fn episodes_url(show_id: &str, market: &str) -> String {
    format!("https://api.spotify.com/v1/shows/{show_id}/episodes?market={market}&limit={PAGE_LIMIT}")
}

/// The show object, for its name.
pub fn show_url(show_id: &str, market: &str) -> String {
    format!("https://api.spotify.com/v1/shows/{show_id}?market={market}")
}

/// The episode object, for its show.
pub fn episode_url(episode_id: &str, market: &str) -> String {
    format!("https://api.spotify.com/v1/episodes/{episode_id}?market={market}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_urls() {
        let id = "4yx0000000000000000000";
        assert_eq!(
            episodes_url(id, market_of(Language::ZhTw)),
            format!("https://api.spotify.com/v1/shows/{id}/episodes?market=TW&limit=50")
        );
        assert_eq!(show_url(id, "US"), format!("https://api.spotify.com/v1/shows/{id}?market=US"));
        assert_eq!(episode_url(id, "US"), format!("https://api.spotify.com/v1/episodes/{id}?market=US"));
    }
}
