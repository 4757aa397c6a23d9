//! `syndicator opml export` and `syndicator opml import FILE [--dry-run]`: the channels as the
//! OPML 2.0 subscription list every feed reader speaks, and back. Export prints every
//! channel's source URLs (stdout), one outline each, a channel's outlines next to each other
//! under its name, in a folder named after its first category. Import (`import`) adds a
//! channel per feed outline, or per run of neighbouring outlines with one name and folder
//! (how export writes a channel with several platforms).

mod import;

pub use import::run as import;

use crate::config::{Channel, Config};
use crate::discover::web_page;
use crate::opml::{self, ExportChannel, ExportFeed};

/// The OPML document listing every channel of `config`.
pub fn export(config: &Config) -> String {
    let channels: Vec<ExportChannel> = config.channels.iter().map(export_channel).collect();
    opml::export(&format!("{}: the shows syndicator follows", config.site.title), &channels)
}

fn export_channel(channel: &Channel) -> ExportChannel {
    let feeds = channel
        .sources()
        .map(|(_, url)| ExportFeed { xml_url: url.as_str().to_owned(), html_url: web_page(url.url()) })
        .collect();
    ExportChannel { name: channel.name.clone(), category: channel.categories.first().cloned(), feeds }
}
