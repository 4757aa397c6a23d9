//! Test fixtures: items and episodes shaped like the reference post's.

use chrono::{TimeZone, Utc};

use crate::model::{Episode, Item, Platform, StubState};

pub const VIDEO_ID: &str = "DtePicx_kFY";
pub const SPOTIFY_ID: &str = "5zKGl6HNid03ExP7n5i4U8";
pub const APPLE_LINK: &str = "https://podcasts.apple.com/tw/podcast/he-co-invented-the-transformer-now-continuous-thought/id1510472996?i=1000738009211&uo=4&at=11l&ct=rss";

pub fn item(platform: Platform, platform_id: &str, title: &str, hour: u32) -> Item {
    Item::bare(platform, platform_id, title, Some(Utc.with_ymd_and_hms(2025, 11, 23, hour, 0, 0).unwrap()))
}

pub fn episode(copies: Vec<Item>) -> Episode {
    Episode {
        id: Episode::id_for("mlst", &copies[0]),
        channel: "mlst".to_owned(),
        copies,
        stub: StubState::Skipped,
    }
}

pub fn youtube(id: &str) -> Item {
    item(Platform::Youtube, id, "Video", 17)
}

pub fn spotify(id: &str) -> Item {
    item(Platform::Spotify, id, "Spotify", 18)
}

pub fn apple(link: &str) -> Item {
    Item { link: Some(link.to_owned()), ..item(Platform::Apple, "1000738009211", "Apple", 19) }
}
