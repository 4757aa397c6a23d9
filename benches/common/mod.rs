//! Deterministic synthetic inputs shared by the benches (nothing big is committed).
#![allow(dead_code)]

pub mod blog;
pub mod cpu_time;
pub mod rng;
pub mod shows;
pub mod store;
pub mod words;

use chrono::{DateTime, Duration, Utc};
use syndicator::model::{DatePrecision, Enclosure, Item, Platform, Podcasting};

pub const TOPICS: [&str; 8] =
    ["agents", "scaling", "reasoning", "robots", "compilers", "kernels", "vision", "speech"];

pub fn base() -> DateTime<Utc> {
    "2020-01-01T00:00:00Z".parse().unwrap()
}

/// The title of episode `n`: distinct numbers, so no two episodes are the same talk.
pub fn title(n: usize) -> String {
    let topic: Vec<&str> = (0..3).map(|k| TOPICS[(n + k) % TOPICS.len()]).collect();
    format!("Episode {n}: {} with Dr. Guest {}", topic.join(" and "), n % 97)
}

pub fn notes(n: usize) -> String {
    format!(
        "<p>In episode {n} we talk about {}. {}</p><p>TIMESTAMPS:<br>00:00 Intro<br>04:12 Part one</p>\
         <a href=\"https://example.com/ep/{n}\">notes</a>",
        title(n),
        "A longer paragraph of show notes with links &amp; timestamps. ".repeat(4)
    )
}

/// A podcast RSS document with `count` items, newest first, one day apart.
pub fn podcast_rss(count: usize) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\" \
         xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"><channel><title>Show</title>\
         <link>https://example.com/</link><description>A show</description>\n",
    );
    for n in (0..count).rev() {
        let date = (base() + Duration::days(n as i64)).to_rfc2822();
        out.push_str(&format!(
            "<item><title><![CDATA[{} - Dr. Guest]]></title><description><![CDATA[{}]]></description>\
             <link>https://example.com/ep/{n}</link><guid isPermaLink=\"false\">guid-{n}</guid>\
             <pubDate>{date}</pubDate><enclosure url=\"https://cdn.example.com/{n}.mp3\" \
             length=\"{}\" type=\"audio/mpeg\"/><itunes:duration>01:02:03</itunes:duration>\
             <itunes:image href=\"https://cdn.example.com/{n}.jpg\"/></item>\n",
            title(n),
            notes(n),
            1_000_000 + n
        ));
    }
    out.push_str("</channel></rss>\n");
    out
}

/// One podcast item as hostile as the tests' (`hostile_feeds.rs`): a 1 MB title and a 2 MB
/// HTML description.
pub fn megabyte_item_rss() -> String {
    let title = format!("Mega{}", " talk about scaling".repeat(50_000));
    let description = format!("<p>{}</p>", "Show notes &amp; more. ".repeat(10_000)).repeat(10);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Show</title>\
         <item><guid>big</guid><title>{title}</title><pubDate>Mon, 24 Nov 2025 17:00:00 GMT</pubDate>\
         <description><![CDATA[{description}]]></description></item></channel></rss>"
    )
}

/// A YouTube channel feed (Atom, 15 entries as YouTube serves).
pub fn youtube_atom() -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns:yt=\"http://www.youtube.com/xml/schemas/2015\" \
         xmlns:media=\"http://search.yahoo.com/mrss/\" xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <link rel=\"self\" href=\"http://www.youtube.com/feeds/videos.xml?channel_id=UC123\"/>\n\
         <id>yt:channel:123</id><title>Show</title>\n",
    );
    for n in (0..15).rev() {
        let date = (base() + Duration::days(n as i64)).to_rfc3339();
        let id = format!("vid{n:08}");
        out.push_str(&format!(
            "<entry><id>yt:video:{id}</id><yt:videoId>{id}</yt:videoId><yt:channelId>UC123</yt:channelId>\
             <title>{}</title><link rel=\"alternate\" href=\"https://www.youtube.com/watch?v={id}\"/>\
             <author><name>Show</name><uri>https://www.youtube.com/channel/UC123</uri></author>\
             <published>{date}</published><updated>{date}</updated><media:group><media:title>{}</media:title>\
             <media:content url=\"https://www.youtube.com/v/{id}?version=3\" type=\"application/x-shockwave-flash\" width=\"640\" height=\"390\"/>\
             <media:thumbnail url=\"https://i2.ytimg.com/vi/{id}/hqdefault.jpg\" width=\"480\" height=\"360\"/>\
             <media:description>{}</media:description><media:community><media:starRating count=\"100\" average=\"5.00\" min=\"1\" max=\"5\"/>\
             <media:statistics views=\"1234\"/></media:community></media:group></entry>\n",
            title(n),
            title(n),
            "Show notes with timestamps and links &amp; more. ".repeat(20)
        ));
    }
    out.push_str("</feed>\n");
    out
}

/// Item `n` of `platform`; the podcast copy of an episode comes a day after the video and
/// words its title differently (`- Guest` vs `[Guest]`).
pub fn item(platform: Platform, n: usize) -> Item {
    let (id, title, offset) = match platform {
        Platform::Youtube => (format!("vid{n:08}"), format!("{} [Dr. Guest]", title(n)), 0),
        _ => (format!("guid-{n}"), format!("{} - Dr. Guest", title(n)), 1),
    };
    Item {
        platform,
        platform_id: id,
        title,
        link: Some(format!("https://example.com/ep/{n}")),
        published: Some(base() + Duration::days(7 * n as i64 + offset)),
        precision: DatePrecision::Exact,
        description_html: notes(n),
        thumbnail: Some(format!("https://cdn.example.com/{n}.jpg")),
        enclosure: (platform == Platform::Podcast).then(|| Enclosure {
            url: format!("https://cdn.example.com/{n}.mp3"),
            mime_type: "audio/mpeg".into(),
            length: Some(1_000_000),
        }),
        duration_secs: Some(3723),
        is_short: false,
        podcast_guid: None,
        podcasting: Podcasting::default(),
    }
}
