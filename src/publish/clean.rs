//! The one place every string of a feed passes through before a writer sees it, and the date
//! rule every writer can represent. Upstream fields may carry anything; XML 1.0 cannot carry
//! control characters or U+FFFE/F at all (no escaping helps), RFC 822 and RFC 3339 need a
//! four-digit year, and XML Schema (which RFC 4287's dates follow) has no year 0. Pure.

use chrono::{DateTime, Datelike, Utc};

/// The years RSS, Atom and JSON Feed dates can all represent.
const REPRESENTABLE_YEARS: std::ops::RangeInclusive<i32> = 1..=9999;
/// A MIME type for an enclosure whose own type is missing or malformed.
const UNKNOWN_MEDIA_TYPE: &str = "application/octet-stream";

/// Whether every writer can represent `date`.
pub fn is_representable(date: DateTime<Utc>) -> bool {
    REPRESENTABLE_YEARS.contains(&date.year())
}

/// Multi-line text (HTML summaries and content): keeps tabs and line breaks, drops every
/// other control character and whatever XML 1.0 forbids.
pub fn text(value: &mut String) {
    if value.chars().any(|c| !is_text_char(c)) {
        value.retain(is_text_char);
    }
}

/// A one-line field (title, author, category, language): line breaks and tabs become spaces,
/// other control characters and non-XML characters are dropped.
pub fn line(value: &mut String) {
    if value.chars().any(|c| c.is_control() || !is_xml_char(c)) {
        *value = value
            .chars()
            .filter(|c| is_text_char(*c))
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
    }
}

/// A URL or URI: spaces percent-encoded, every other control, whitespace and non-XML
/// character dropped, so an attribute value never holds a raw control character.
pub fn url(value: &mut String) {
    if value.chars().any(|c| c.is_whitespace() || c.is_control() || !is_xml_char(c)) {
        *value = value
            .chars()
            .filter_map(|c| match c {
                ' ' => Some("%20".to_owned()),
                c if c.is_whitespace() || c.is_control() || !is_xml_char(c) => None,
                c => Some(c.to_string()),
            })
            .collect();
    }
}

/// `type/subtype` (with optional parameters) as given, else `application/octet-stream`:
/// RFC 4287 requires a link `type` to match `.+/.+`, and RSS requires one on an enclosure.
pub fn media_type(value: &mut String) {
    line(value);
    let essence = value.split(';').next().unwrap_or_default().trim();
    let token =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c));
    let valid = essence.split_once('/').is_some_and(|(kind, sub)| token(kind) && token(sub));
    if !valid {
        *value = UNKNOWN_MEDIA_TYPE.to_owned();
    }
}

fn is_text_char(c: char) -> bool {
    is_xml_char(c) && (!c.is_control() || matches!(c, '\t' | '\n' | '\r'))
}

/// The XML 1.0 `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn cleaned(clean: fn(&mut String), input: &str) -> String {
        let mut value = input.to_owned();
        clean(&mut value);
        value
    }

    #[test]
    fn each_kind_of_field_loses_what_xml_cannot_hold() {
        assert_eq!(cleaned(text, "a\u{0}b\u{1b}[2J\tc\nd\u{FFFF}\u{85}"), "ab[2J\tc\nd");
        assert_eq!(cleaned(line, "Ep\u{8} 12\u{1}\nnext\u{FFFE}"), "Ep 12 next");
        assert_eq!(cleaned(url, "https://x.test/a b\u{0}\n\u{1b}c\u{FFFF}"), "https://x.test/a%20bc");
        assert_eq!(cleaned(text, "平常 <p>text</p>"), "平常 <p>text</p>");
    }

    #[test]
    fn media_types_are_kept_only_when_well_formed() {
        assert_eq!(cleaned(media_type, "audio/mpeg"), "audio/mpeg");
        assert_eq!(cleaned(media_type, "audio/mp4; codecs=\"mp4a\""), "audio/mp4; codecs=\"mp4a\"");
        for bad in ["", "audio", "/mpeg", "audio/", "au dio/mpeg", "audio/\u{1}"] {
            assert_eq!(cleaned(media_type, bad), UNKNOWN_MEDIA_TYPE, "{bad:?}");
        }
    }

    #[test]
    fn only_four_digit_years_from_1_are_representable() {
        let year = |y| Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).unwrap();
        assert!(is_representable(year(1)) && is_representable(year(9999)));
        assert!(
            !is_representable(year(0)) && !is_representable(year(10000)) && !is_representable(year(12345))
        );
    }
}
