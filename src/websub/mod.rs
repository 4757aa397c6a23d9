//! WebSub (W3C Recommendation, formerly PubSubHubbub), both directions. As a subscriber,
//! `serve` asks each channel's hub to push feed changes to a callback under
//! `[server] public_url`; a push starts that channel's normal run, and polling continues as
//! the safety net. As a publisher, hubs in `[websub] publish_hubs` are told when one of our
//! feeds changes (`crate::output`).

/// The path under `public_url` the hubs call back; the token follows it.
pub const CALLBACK_PATH: &str = "/websub/";

/// Where callbacks go under `public_url` (`check` shows it; a reverse proxy must forward it).
pub fn callback_base(public_url: &str) -> String {
    format!("{}{CALLBACK_PATH}", public_url.trim_end_matches('/'))
}
