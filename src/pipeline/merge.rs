//! Folding newly seen items into a channel's episodes (pure): an item joins the episode of
//! the same talk (see [`crate::episodes`]) or founds a new one.

use chrono::{DateTime, Utc};

use crate::episodes::{TitleKeys, find_episode_with};
use crate::model::{Episode, Item, Platform, StubState};

/// The episodes a batch of new items touched.
#[derive(Debug, Default)]
pub struct Merged {
    /// Episodes founded by this batch, oldest first; their stub is not decided yet.
    pub created: Vec<Episode>,
    /// Known episodes that gained a copy.
    pub grown: Vec<Episode>,
}

/// Merges `items` (none of them known yet) into `known` episodes of `channel`.
/// Items without a date get `now`, their first-seen time.
pub fn merge(channel: &str, known: Vec<Episode>, mut items: Vec<Item>, now: DateTime<Utc>) -> Merged {
    for item in &mut items {
        item.published.get_or_insert(now);
    }
    items.sort_by_key(|item| item.published);
    let mut episodes = known;
    let known_count = episodes.len();
    let mut grown = vec![false; known_count];
    let mut keys = TitleKeys::default();
    for item in items {
        match find_by_guid(&episodes, &item).or_else(|| find_episode_with(&episodes, &item, &mut keys)) {
            Some(index) => {
                episodes[index].copies.push(item);
                if index < known_count {
                    grown[index] = true;
                }
            }
            None => episodes.push(found_episode(channel, item)),
        }
    }
    let created = episodes.split_off(known_count);
    let grown = episodes.into_iter().zip(grown).filter(|(_, g)| *g).map(|(e, _)| e).collect();
    Merged { created, grown }
}

/// The episode holding the other half of an Apple ↔ podcast pair: Apple's `episodeGuid` is
/// the RSS guid of the same episode, an exact match that wins over the title rule.
fn find_by_guid(episodes: &[Episode], item: &Item) -> Option<usize> {
    let pair = |apple: &Item, podcast: &Item| {
        apple.platform == Platform::Apple
            && podcast.platform == Platform::Podcast
            && apple.podcast_guid.as_deref() == Some(podcast.platform_id.as_str())
    };
    episodes.iter().position(|e| e.copies.iter().any(|c| pair(c, item) || pair(item, c)))
}

fn found_episode(channel: &str, item: Item) -> Episode {
    Episode {
        id: Episode::id_for(channel, &item),
        channel: channel.to_owned(),
        copies: vec![item],
        stub: StubState::Skipped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(platform: Platform, id: &str, title: &str, day: u32) -> Item {
        Item::bare(platform, id, title, Some(format!("2025-11-{day:02}T10:00:00Z").parse().unwrap()))
    }

    #[test]
    fn pairs_a_video_and_its_podcast_and_keeps_other_talks_apart() {
        let items = vec![
            item(Platform::Podcast, "g1", "Continuous Thought Machines - Llion Jones", 25),
            item(Platform::Youtube, "v1", "Continuous Thought Machines [Llion Jones]", 24),
            item(Platform::Youtube, "v2", "Something else entirely", 20),
        ];
        let merged = merge("mlst", vec![], items, Utc::now());
        assert_eq!(merged.created.len(), 2);
        let paired = &merged.created[1];
        assert_eq!(paired.id, "mlst:youtube:v1", "the earliest copy founds the episode");
        assert_eq!(paired.copies.len(), 2);
        assert!(merged.grown.is_empty());
    }

    #[test]
    fn a_late_copy_grows_a_known_episode() {
        let known =
            merge("mlst", vec![], vec![item(Platform::Youtube, "v1", "Talk about agents", 24)], Utc::now());
        let merged = merge(
            "mlst",
            known.created,
            vec![item(Platform::Podcast, "g1", "Talk about agents", 25)],
            Utc::now(),
        );
        assert!(merged.created.is_empty());
        assert_eq!(merged.grown.len(), 1);
        assert_eq!(merged.grown[0].copies.len(), 2);
    }

    #[test]
    fn apple_joins_the_podcast_item_with_its_guid_whatever_the_title() {
        let mut apple = item(Platform::Apple, "1000738009211", "Totally different wording", 25);
        apple.podcast_guid = Some("g1".into());
        let items = vec![
            item(Platform::Podcast, "g1", "Continuous Thought Machines - Llion Jones", 24),
            item(Platform::Podcast, "g2", "Totally different wording", 24),
            apple,
        ];
        let merged = merge("mlst", vec![], items, Utc::now());
        let with_apple = merged.created.iter().find(|e| e.copy(Platform::Apple).is_some()).unwrap();
        assert_eq!(with_apple.copy(Platform::Podcast).unwrap().platform_id, "g1");
    }

    #[test]
    fn a_podcast_item_finds_the_apple_copy_that_came_first() {
        let mut apple = item(Platform::Apple, "1000738009211", "Apple title", 20);
        apple.podcast_guid = Some("g1".into());
        let known = merge("mlst", vec![], vec![apple], Utc::now()).created;
        let merged =
            merge("mlst", known, vec![item(Platform::Podcast, "g1", "Podcast title", 24)], Utc::now());
        assert_eq!(merged.grown.len(), 1);
    }

    #[test]
    fn undated_items_get_the_first_seen_time() {
        let mut undated = item(Platform::Feed, "x", "Undated", 1);
        undated.published = None;
        let now: DateTime<Utc> = "2025-11-28T00:00:00Z".parse().unwrap();
        let merged = merge("blog", vec![], vec![undated], now);
        assert_eq!(merged.created[0].copies[0].published, Some(now));
    }
}
