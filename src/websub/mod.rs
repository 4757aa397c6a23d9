//! WebSub (W3C Recommendation, formerly PubSubHubbub), both directions. As a subscriber,
//! `serve` asks each channel's hub to push feed changes to a callback under
//! `[server] public_url`; a push starts that channel's normal run, and polling continues as
//! the safety net. As a publisher, hubs in `[websub] publish_hubs` are told when one of our
//! feeds changes (`crate::output`).
//!
//! - [`plan`]: which sources want a subscription and what each record needs now (pure).
//! - [`subscriber`]: the loop and the requests to hubs.
//! - [`callback`]: the hub's verification and notification requests to our callback.
//! - [`push`]: running a channel for a push (coalesced, retried while the feed lags).
//! - [`signature`], [`token`], [`topic`]: `X-Hub-Signature`, callback tokens and secrets,
//!   comparing topic URLs.

pub mod callback;
pub mod plan;
pub mod push;
pub mod signature;
pub mod subscriber;
pub mod token;
pub mod topic;

use crate::config::PublicUrl;

/// The path under `public_url` the hubs call back; the token follows it.
pub const CALLBACK_PATH: &str = "/websub/";

/// The lease asked for (hubs grant what they like; YouTube's is five days).
pub const LEASE_SECONDS: u64 = 10 * 24 * 3600;

/// Where callbacks go under `public_url` (`check` shows it; a reverse proxy must forward it).
pub fn callback_base(public_url: &str) -> String {
    format!("{}{CALLBACK_PATH}", public_url.trim_end_matches('/'))
}

/// The callback URL of the subscription `token`.
pub fn callback_url(public_url: &PublicUrl, token: &str) -> String {
    format!("{}{token}", callback_base(public_url.as_str()))
}
