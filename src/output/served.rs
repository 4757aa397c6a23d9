//! The feeds `serve` answers from: the changed ones are compressed once and swapped into the
//! shared set; the others keep their bodies, ETags and Last-Modified. A feed the public folder
//! holds byte for byte is dated by that file's mtime (the file is only rewritten when its
//! bytes change), so `Last-Modified` survives a restart; any other is dated now.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::Destination;
use crate::publish::Feed;
use crate::server::SharedFeeds;

pub struct Served {
    pub feeds: SharedFeeds,
    /// Named on the index page.
    pub site_title: String,
    /// The public folder, whose files date the feeds they hold.
    pub public_dir: PathBuf,
}

impl Served {
    /// When `feed`'s bytes last changed: the public file's mtime if it holds them, else now.
    fn last_modified(&self, feed: &Feed) -> DateTime<Utc> {
        let held = super::public_files::held_since(&self.public_dir.join(feed.path), feed.text.as_bytes());
        held.map_or_else(Utc::now, Into::into)
    }
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
        let next = previous.with_changes(changed, &self.site_title, |feed| self.last_modified(feed));
        self.feeds.publish(next);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::FeedFormat;

    #[test]
    fn a_feed_the_public_folder_holds_is_dated_by_the_file_not_by_now() {
        let public = tempfile::tempdir().unwrap();
        std::fs::write(public.path().join("feed.xml"), "<rss/>").unwrap();
        let written: DateTime<Utc> =
            std::fs::metadata(public.path().join("feed.xml")).unwrap().modified().unwrap().into();
        let served = Served {
            feeds: SharedFeeds::default(),
            site_title: "Blog".into(),
            public_dir: public.path().to_owned(),
        };
        let held = Feed { path: "feed.xml", format: FeedFormat::Rss, text: "<rss/>".into() };
        let new = Feed { path: "atom.xml", format: FeedFormat::Atom, text: "<feed/>".into() };
        std::thread::sleep(std::time::Duration::from_millis(20));
        let before_delivery = Utc::now();
        served.deliver(&[&held, &new]).unwrap();
        let current = served.feeds.current();
        assert_eq!(current.get("/feed.xml").unwrap().last_modified(), written, "a restart keeps it");
        assert!(current.get("/atom.xml").unwrap().last_modified() >= before_delivery, "not on disk: now");
    }
}
