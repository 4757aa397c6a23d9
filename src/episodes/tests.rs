use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::model::Platform;

fn at(days: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 11, 24, 1, 0, 0).unwrap() + Duration::days(days)
}

fn item(platform: Platform, title: &str, published: Option<DateTime<Utc>>) -> Item {
    Item::bare(platform, &format!("{platform}-{title}"), title, published)
}

/// A YouTube video and a podcast item a day apart, titled `a` and `b`.
fn check(a: &str, b: &str, expected: bool) {
    let video = item(Platform::Youtube, a, Some(at(0)));
    let audio = item(Platform::Podcast, b, Some(at(1)));
    assert_eq!(same_talk(&video, &audio), expected, "{a:?} vs {b:?}");
    assert_eq!(same_talk(&audio, &video), expected, "{b:?} vs {a:?} (reversed)");
}

#[test]
fn identical_and_case_and_punctuation() {
    check("The Future of AI", "The Future of AI", true);
    check("The Future of AI", "the future of ai!", true);
    check("Why LLMs can't reason?", "Why LLMs cant reason", true);
    check("GPT-4: what's next", "GPT 4 — What’s Next", true);
}

#[test]
fn mlst_guest_suffixes() {
    check(
        "He Co-Invented the Transformer [Llion Jones]",
        "He Co-Invented the Transformer - Llion Jones",
        true,
    );
    check("Title of Talk (Dr. Jane Doe)", "Title of Talk | Dr Jane Doe", true);
}

#[test]
fn reordered_guests_and_joiners() {
    check("Scaling Laws [Alice Smith, Bob Lee]", "Scaling Laws - Bob Lee & Alice Smith", true);
    check("Scaling Laws with Alice and Bob", "Scaling Laws ft. Bob & Alice", true);
    check("Scaling Laws feat. Alice", "Scaling Laws - Alice", true);
}

#[test]
fn episode_numbering_removed() {
    check("#123 The Future of AI", "The Future of AI", true);
    check("Ep. 12: The Future of AI", "The Future of AI", true);
    check("Episode 12 - The Future of AI", "The Future of AI", true);
    check("EP12 | The Future of AI", "The Future of AI", true);
    check("E12 The Future of AI", "#12 The Future of AI", true);
    check("123 - The Future of AI", "The Future of AI", true);
    check("The Future of AI | Ep 12", "The Future of AI", true);
    check("第12集 人工智慧的未來", "人工智慧的未來", true);
}

#[test]
fn different_episode_numbers_never_merge() {
    check("#45 This Week in AI", "#46 This Week in AI", false);
    check("Ep. 12: News Roundup", "Ep. 13: News Roundup", false);
}

#[test]
fn parts_never_cross() {
    check("Deep Dive Part 1", "Deep Dive Part 2", false);
    check("Deep Dive Pt. 1", "Deep Dive Pt 2", false);
    check("Deep Dive (1/2)", "Deep Dive (2/2)", false);
    check("Deep Dive Part I", "Deep Dive Part II", false);
    check("Deep Dive Part One", "Deep Dive Part Two", false);
    check(
        "A Very Long Deep Dive Into Transformers Part 1",
        "A Very Long Deep Dive Into Transformers Part 2",
        false,
    );
    check("Deep Dive Part 1", "Deep Dive", false);
}

#[test]
fn parts_match_themselves() {
    check("Deep Dive Part 1", "Deep Dive Pt. 1", true);
    check("Deep Dive Part II", "Deep Dive Part 2", true);
    check("Deep Dive (1/2)", "Deep Dive （１／２）", true);
    check("Deep Dive Part 2 [Alice]", "Deep Dive Part 2 - Alice", true);
}

#[test]
fn slightly_different_titles() {
    // Subset with ≥ 4 words in the smaller title.
    check("Why Greatness Cannot Be Planned", "Why Greatness Cannot Be Planned with Kenneth Stanley", true);
    // Subset too small.
    check("AI Safety", "AI Safety with Someone Else Entirely", false);
    // Jaccard ≥ 0.8: one word of ten differs.
    check(
        "alpha beta gamma delta epsilon zeta eta theta iota kappa",
        "alpha beta gamma delta epsilon zeta eta theta iota lambda",
        true,
    );
}

#[test]
fn different_talks_sharing_a_word() {
    check("The Future of AI", "The Past of Databases", false);
    check("Transformers explained", "Transformers in biology", false);
    check("AI", "AI Safety", false);
}

#[test]
fn cjk_titles() {
    check("訪談（上）", "訪談（下）", false);
    check("人工智慧的未來與我們的選擇訪談（上）", "人工智慧的未來與我們的選擇訪談（下）", false);
    check("訪談（上）", "訪談 (上)", true);
    check("我發明了 Transformer [Llion Jones]", "我發明了 Transformer - Llion Jones", true);
    check("人工智慧的未來", "人工智能的過去", false);
    check("第一集 深度學習", "第二集 深度學習", false);
}

#[test]
fn emoji_are_ignored() {
    check("🚀 Launch Day!", "Launch Day", true);
    check("🔥🔥🔥", "🔥🔥🔥", false);
    check("🚀 Launch Day 1", "🚀 Launch Day 2", false);
}

#[test]
fn time_window() {
    let video = item(Platform::Youtube, "Same Title Here", Some(at(0)));
    let near = item(Platform::Podcast, "Same Title Here", Some(at(7)));
    let far = item(Platform::Podcast, "Same Title Here", Some(at(8)));
    let before = item(Platform::Podcast, "Same Title Here", Some(at(-7)));
    let undated = item(Platform::Podcast, "Same Title Here", None);
    assert!(same_talk(&video, &near));
    assert!(same_talk(&video, &before));
    assert!(!same_talk(&video, &far));
    assert!(!same_talk(&video, &undated));
    assert!(!same_talk(&undated, &undated.clone()));
}

#[test]
fn podcast_guid_is_ignored_here() {
    let mut apple = item(Platform::Apple, "Completely Different", Some(at(0)));
    apple.podcast_guid = Some("guid-1".into());
    let mut audio = item(Platform::Podcast, "Another Thing", Some(at(0)));
    audio.platform_id = "guid-1".into();
    assert!(!same_talk(&apple, &audio));
}

#[test]
fn title_tokens_key() {
    let key = title_tokens("#12 Deep Dive Part II [Alice & Bob]");
    let words: Vec<_> = key.words.iter().map(String::as_str).collect();
    assert_eq!(words, ["alice", "bob", "deep", "dive"]);
    assert_eq!(key.numbers, ["2"]);
    assert_eq!(key.episode_no.as_deref(), Some("12"));
    let cjk = title_tokens("訪談（上）");
    assert_eq!(cjk.words.len(), 2);
    assert_eq!(cjk.numbers, ["上"]);
}

proptest::proptest! {
    #[test]
    fn different_part_numbers_never_merge(title in "[A-Za-z ]{0,40}", a in 1u32..50, b in 1u32..50) {
        proptest::prop_assume!(a != b);
        check(&format!("{title} Part {a}"), &format!("{title} Part {b}"), false);
    }

    #[test]
    fn same_talk_is_symmetric_and_reflexive(a in "\\PC{0,30}", b in "\\PC{0,30}") {
        let x = item(Platform::Youtube, &a, Some(at(0)));
        let y = item(Platform::Podcast, &b, Some(at(2)));
        proptest::prop_assert_eq!(same_talk(&x, &y), same_talk(&y, &x));
        proptest::prop_assert_eq!(same_talk(&x, &x), !title_tokens(&a).words.is_empty());
    }
}
