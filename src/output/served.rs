//! The feeds `serve` answers from: the changed ones are compressed once and swapped into the
//! shared set; the others keep their bodies, ETags and Last-Modified.

use chrono::Utc;

use super::Destination;
use crate::publish::Feed;
use crate::server::SharedFeeds;

pub struct Served {
    pub feeds: SharedFeeds,
    /// Named on the index page.
    pub site_title: String,
}

impl Destination for Served {
    fn name(&self) -> &'static str {
        "served feeds"
    }

    fn holds(&self, feed: &Feed) -> bool {
        let current = self.feeds.current();
        current.get(&format!("/{}", feed.path)).is_some_and(|body| body.bytes() == feed.text.as_bytes())
    }

    fn deliver(&self, changed: &[&Feed]) -> anyhow::Result<()> {
        let previous = self.feeds.current();
        self.feeds.publish(previous.with_changes(changed, &self.site_title, Utc::now()));
        Ok(())
    }
}
