//! Words for generated titles and prose, ranked by frequency: real common English words
//! first, then made-up but pronounceable ones, so that a Zipf draw over the ranks gives text
//! whose word frequencies look like real titles and posts.

use super::rng::Rng;

/// The most frequent words, most frequent first.
const COMMON: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "is",
    "how",
    "why",
    "what",
    "for",
    "with",
    "on",
    "ai",
    "future",
    "new",
    "your",
    "we",
    "from",
    "about",
    "data",
    "life",
    "world",
    "can",
    "will",
    "you",
    "are",
    "this",
    "that",
    "more",
    "than",
    "not",
    "it",
    "be",
    "should",
    "best",
    "without",
    "really",
    "makes",
    "matters",
    "after",
    "before",
    "between",
    "inside",
    "beyond",
    "against",
    "building",
    "learning",
    "thinking",
    "changes",
    "everything",
    "nothing",
    "science",
    "history",
    "money",
    "power",
    "mind",
    "brain",
    "body",
    "work",
    "time",
    "code",
    "design",
    "climate",
    "energy",
    "health",
    "music",
    "city",
    "war",
    "peace",
    "truth",
    "lies",
    "language",
    "models",
    "machines",
    "robots",
    "space",
    "ocean",
    "food",
    "sleep",
    "memory",
    "cancer",
    "economy",
    "markets",
    "startups",
    "open",
    "source",
    "security",
    "privacy",
    "internet",
    "software",
    "hardware",
    "chips",
    "math",
    "physics",
    "biology",
    "evolution",
    "philosophy",
    "ethics",
    "law",
    "education",
    "children",
    "family",
    "love",
];
const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ter", "van", "sol", "bri", "den", "qua", "zor", "pel", "rin", "tho", "mak", "ve",
    "lun", "gar", "sen", "tal", "or", "ix", "am", "bel", "cor",
];
const FIRST_NAMES: &[&str] = &[
    "Alice", "Bruno", "Chen", "Dana", "Emeka", "Fatima", "Giulia", "Hiro", "Ines", "Jonas", "Kavya", "Liam",
    "Maria", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tariq", "Uma", "Victor", "Wen", "Ximena",
    "Yusuf", "Zoe",
];

/// The word of frequency rank `rank` (0 is the most frequent).
pub fn word(rank: usize) -> String {
    if let Some(common) = COMMON.get(rank) {
        return (*common).to_owned();
    }
    let mut n = rank - COMMON.len();
    let mut out = String::new();
    loop {
        out.push_str(SYLLABLES[n % SYLLABLES.len()]);
        n /= SYLLABLES.len();
        if n == 0 {
            break;
        }
    }
    out
}

/// A word drawn by frequency from a vocabulary of `vocabulary` words.
pub fn draw(rng: &mut Rng, vocabulary: usize) -> String {
    word(rng.zipf(vocabulary))
}

/// `count` words drawn by frequency, without repeats.
pub fn phrase(rng: &mut Rng, count: usize, vocabulary: usize) -> Vec<String> {
    let mut words: Vec<String> = Vec::with_capacity(count);
    while words.len() < count {
        let next = draw(rng, vocabulary);
        if !words.contains(&next) {
            words.push(next);
        }
    }
    words
}

/// `Word` with its first letter upper-cased.
pub fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A guest's name: a first name and a made-up, fairly rare family name.
pub fn person(rng: &mut Rng) -> String {
    let family = word(COMMON.len() + rng.below(12_000));
    format!("{} {}", rng.pick(FIRST_NAMES), capitalised(&family))
}
