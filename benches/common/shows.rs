//! A realistic first sync of one channel: `count` talks, each a YouTube video and a podcast
//! item with differently worded titles (guest in brackets or after a bar, episode numbers,
//! a channel suffix), about three talks a day, the podcast copy 1–30 hours after the video.
//! Title words follow a Zipf law over a large vocabulary, so a few words ("the", "of",
//! "ai") are in many titles and most are rare, as on real channels.

use chrono::Duration;
use syndicator::model::{DatePrecision, Enclosure, Item, Platform, Podcasting};

use super::rng::Rng;
use super::words::{capitalised, person, phrase};

/// Words a title draws from.
const VOCABULARY: usize = 6_000;

/// The video and podcast items of `count` talks, videos first.
pub fn first_sync(count: usize) -> Vec<Item> {
    let mut rng = Rng::new(17);
    let (mut videos, mut audio) = (Vec::with_capacity(count), Vec::with_capacity(count));
    for n in 0..count {
        let (video, podcast) = talk(&mut rng, n);
        videos.push(video);
        audio.push(podcast);
    }
    videos.extend(audio);
    videos
}

fn talk(rng: &mut Rng, n: usize) -> (Item, Item) {
    let words = rng.within(3..9);
    let topic: Vec<String> = phrase(rng, words, VOCABULARY).iter().map(|w| capitalised(w)).collect();
    let topic = topic.join(" ");
    let guest = rng.chance(80).then(|| person(rng));
    let at = super::base() + Duration::hours(8 * n as i64) + Duration::minutes(rng.below(240) as i64);
    let video = Item {
        published: Some(at),
        ..bare(Platform::Youtube, format!("v{n:010}"), video_title(rng, &topic, guest.as_deref()))
    };
    let delay = Duration::hours(rng.within(1..31) as i64);
    let podcast = Item {
        published: Some(at + delay),
        enclosure: Some(Enclosure {
            url: format!("https://cdn.example.com/{n}.mp3"),
            mime_type: "audio/mpeg".into(),
            length: Some(40_000_000),
        }),
        ..bare(Platform::Podcast, format!("guid-{n}"), podcast_title(rng, &topic, guest.as_deref(), n + 1))
    };
    (video, podcast)
}

fn video_title(rng: &mut Rng, topic: &str, guest: Option<&str>) -> String {
    let Some(guest) = guest else { return topic.to_owned() };
    match rng.below(4) {
        0 => format!("{topic} [{guest}]"),
        1 => format!("{topic} | {guest}"),
        2 => format!("{guest}: {topic}"),
        _ => format!("{topic} | {guest} | The Long Conversation"),
    }
}

fn podcast_title(rng: &mut Rng, topic: &str, guest: Option<&str>, number: usize) -> String {
    let Some(guest) = guest else { return format!("#{number} {topic}") };
    match rng.below(3) {
        0 => format!("#{number} - {topic} - {guest}"),
        1 => format!("{topic} with {guest} (Ep. {number})"),
        _ => format!("Ep. {number}: {guest} on {topic}"),
    }
}

fn bare(platform: Platform, id: String, title: String) -> Item {
    Item {
        platform,
        link: Some(format!("https://example.com/{id}")),
        platform_id: id,
        title,
        published: None,
        precision: DatePrecision::Exact,
        description_html: "<p>Show notes with <a href=\"https://example.com/\">links</a>.</p>".into(),
        thumbnail: None,
        enclosure: None,
        duration_secs: Some(3723),
        is_short: false,
        podcast_guid: None,
        podcasting: Podcasting::default(),
    }
}
