//! Title normalisation: turns a raw title into a [`TitleKey`] — folding case and width,
//! removing episode numbering, splitting words (one token per CJK ideograph) and sorting
//! tokens into words, numbers and ignored joiners.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::TitleKey;

/// Episode numbering: "#123", "Ep. 12", "Episode 12", "EP12", "E12", "第12集", and a bare
/// leading "12." / "123 -". Capture group `n` is the number.
static EPISODE_NO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)#\s*(?<n>\d+)\b",
        r"|\b(?:episode|ep)\s*\.?\s*#?\s*(?<n2>\d+)\b",
        r"|\be(?<n3>\d+)\b",
        r"|第\s*(?<n4>[0-9]+)\s*[集期話话回]",
        r"|^\s*(?<n5>\d+)\s*[.:|\-–—]\s",
    ))
    .expect("episode number pattern compiles")
});

/// Words that join guest names or label parts; they never decide a match.
const IGNORED: &[&str] = &["and", "with", "ft", "feat", "featuring", "part", "pt"];
/// Words after which a single-letter Roman numeral ("Part I") is a number.
const PART_WORDS: &[&str] = &["part", "pt", "vol", "volume", "chapter", "ch", "book", "season"];
const ROMAN: &[&str] = &[
    "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv", "xvi",
    "xvii", "xviii", "xix", "xx",
];
const NUMBER_WORDS: &[&str] =
    &["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
/// CJK numerals, valued by position.
const CJK_NUMERALS: &str = "零一二三四五六七八九十";
/// CJK ordinal markers of multi-part talks: 上 / 中 / 下 must never merge with each other.
const CJK_MARKERS: &str = "上中下前後后";

/// Normalises a title into the key used for matching.
pub fn title_tokens(title: &str) -> TitleKey {
    let folded = fold_width(title).to_lowercase();
    let (episode_no, stripped) = strip_episode_numbers(&folded);
    let mut key = TitleKey { episode_no, words: Vec::with_capacity(16), ..TitleKey::default() };
    let mut after_part = false;
    split_tokens(&stripped, |token| {
        let is_part_word = PART_WORDS.contains(&token);
        classify(token, after_part, &mut key);
        after_part = is_part_word;
    });
    key.numbers.sort();
    key.words.sort_unstable();
    key.words.dedup();
    key
}

/// The first episode number in `title` (canonical), and the title with every one replaced by
/// a space. One pass of [`EPISODE_NO`], and none for a title without a digit (every form of
/// episode number has one).
fn strip_episode_numbers(title: &str) -> (Option<String>, Cow<'_, str>) {
    if !title.chars().any(char::is_numeric) {
        return (None, Cow::Borrowed(title));
    }
    let mut episode_no = None;
    let mut stripped = String::with_capacity(title.len());
    let mut last = 0;
    // Only the first match's groups are read: the others are found without them (a search
    // for groups is several times slower), and the first is searched again for its groups.
    for (nth, whole) in EPISODE_NO.find_iter(title).enumerate() {
        if nth == 0 {
            episode_no = EPISODE_NO.captures_at(title, whole.start()).and_then(|caps| {
                let n = ["n", "n2", "n3", "n4", "n5"].iter().find_map(|g| caps.name(g))?;
                Some(canonical_number(n.as_str()))
            });
        }
        stripped.push_str(&title[last..whole.start()]);
        stripped.push(' ');
        last = whole.end();
    }
    stripped.push_str(&title[last..]);
    (episode_no, Cow::Owned(stripped))
}

/// Files `token` (the one after a part word when `after_part`) as a number or a word.
fn classify(token: &str, after_part: bool, key: &mut TitleKey) {
    if let Some(n) = number_value(token, after_part) {
        key.numbers.push(n);
    } else if is_cjk_marker(token) {
        key.numbers.push(token.to_owned());
    } else if !IGNORED.contains(&token) {
        key.words.push(token.to_owned());
    }
}

/// The canonical value of a token that is a number: digits, a number word, a CJK numeral,
/// a multi-letter Roman numeral, or a single-letter one right after a part word.
fn number_value(token: &str, after_part: bool) -> Option<String> {
    if token.bytes().all(|b| b.is_ascii_digit()) {
        return Some(canonical_number(token));
    }
    // Most words are none of the forms below: a glance at their letters rules them out
    // before any list is searched.
    if token.bytes().all(|b| matches!(b, b'i' | b'v' | b'x')) {
        let roman = ROMAN.iter().position(|r| *r == token);
        return roman.filter(|_| token.len() > 1 || after_part).map(|i| (i + 1).to_string());
    }
    if token.is_ascii() {
        return NUMBER_WORDS.iter().position(|w| *w == token).map(|i| i.to_string());
    }
    let mut chars = token.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => CJK_NUMERALS.chars().position(|n| n == c).map(|i| i.to_string()),
        _ => None,
    }
}

fn canonical_number(digits: &str) -> String {
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() { "0".to_owned() } else { trimmed.to_owned() }
}

fn is_cjk_marker(token: &str) -> bool {
    let mut chars = token.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if CJK_MARKERS.contains(c))
}

/// Splits into lowercase ASCII-folded words, handed to `emit` in order; each CJK character
/// is a token of its own; apostrophes join, every other non-alphanumeric separates. One
/// buffer holds each word in turn: `emit` copies what it keeps.
fn split_tokens(text: &str, mut emit: impl FnMut(&str)) {
    let mut word = String::with_capacity(text.len());
    for c in text.chars() {
        if is_cjk(c) {
            flush(&mut word, &mut emit);
            emit(c.encode_utf8(&mut [0; 4]));
        } else if c.is_ascii_alphanumeric() {
            word.push(c);
        } else if c.is_alphanumeric() {
            let ascii = deunicode::deunicode_char(c).unwrap_or("");
            word.extend(ascii.chars().filter(char::is_ascii_alphanumeric).map(|a| a.to_ascii_lowercase()));
        } else if !matches!(c, '\'' | '’') {
            flush(&mut word, &mut emit);
        }
    }
    flush(&mut word, &mut emit);
}

fn flush(word: &mut String, emit: &mut impl FnMut(&str)) {
    if !word.is_empty() {
        emit(word);
        word.clear();
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK Unified Ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK Compatibility Ideographs
        | '\u{20000}'..='\u{2FFFF}')
}

/// Full-width ASCII forms ("（１／２）") to their ASCII counterparts; borrowed when there are
/// none (most titles).
fn fold_width(title: &str) -> Cow<'_, str> {
    let full_width = |c: char| matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}');
    if !title.chars().any(full_width) {
        return Cow::Borrowed(title);
    }
    let folded = title.chars().map(|c| match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    });
    Cow::Owned(folded.collect())
}
