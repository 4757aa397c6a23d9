//! Lenient parsing of the dates and durations real feeds write: RFC 822/2822 dates in all
//! their sloppy variants, RFC 3339 / ISO 8601 timestamps, and `itunes:duration` values.
//! Anything that cannot be read becomes `None`; nothing here panics. [`plausible`] is the
//! one rule every source applies to a publish date before it is stored.

use std::sync::LazyLock;

use std::fmt::Display;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use regex::Regex;

/// RFC 822/2822 with the usual sloppiness: optional (possibly wrong) weekday, one- or
/// two-digit day, full or abbreviated month, two- or four-digit year, optional seconds and
/// fraction, optional zone.
static RFC2822: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:[a-z]+\.?\s*,?\s*)?(\d{1,2})\s+([a-z]{3,9})\.?,?\s+(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(\S*)$",
    )
    .expect("valid RFC 2822 regex")
});

/// RFC 3339 / ISO 8601: date, optional time (with `T` or a space), optional zone.
static ISO8601: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(\d{4})-(\d{2})-(\d{2})(?:[t\s]+(\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(\S*)$")
        .expect("valid ISO 8601 regex")
});

/// Parses a feed date leniently into UTC.
///
/// Accepts RFC 3339 / ISO 8601 (`2025-11-18T10:00:00Z`, `2025-11-18 10:00:00+01:00`, a bare
/// date meaning midnight UTC) and RFC 822/2822 with the usual sloppiness: missing or wrong
/// weekday, single-digit day, no seconds, extra whitespace, two-digit years, and zones written
/// as offsets (`+0100`, `-0000`, `+01:00`), `GMT`/`UT`/`UTC`/`Z`, or North American
/// abbreviations (`EST`, `PDT`, …). A missing or unknown zone name is taken as UTC.
pub fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    parse_iso8601(&text).or_else(|| parse_rfc2822(&text))
}

/// How far ahead of now a publish date may lie (time zones, clock skew, a premiere
/// announced for tomorrow); later dates are taken as mistakes.
pub const MAX_FUTURE_DAYS: i64 = 2;

/// `date` when a feed can mean it: from 1970 to [`MAX_FUTURE_DAYS`] after `now`.
///
/// Dates outside (year 0, 9999, +12345, before the epoch) are placeholders or mistakes: they
/// would sit on top of the merged feed for ever (or below every real one), and the feed
/// writers cannot represent some of them (RFC 822 has four-digit years, RFC 4287 none
/// before 0001). They are dropped at parse time, so nothing unrepresentable is stored: the
/// item counts as undated and the pipeline uses its first-seen time.
pub fn plausible_at(date: DateTime<Utc>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let latest = now.checked_add_signed(TimeDelta::days(MAX_FUTURE_DAYS)).unwrap_or(now);
    (DateTime::UNIX_EPOCH..=latest).contains(&date).then_some(date)
}

/// [`plausible_at`] now; a dropped date is logged with `what` it belonged to.
pub(super) fn plausible(date: DateTime<Utc>, what: impl Display) -> Option<DateTime<Utc>> {
    let kept = plausible_at(date, Utc::now());
    if kept.is_none() {
        tracing::warn!(
            "ignoring the publish date {date:?} of {what}: before 1970 or more than \
             {MAX_FUTURE_DAYS} days ahead; the item counts as undated (first seen now)"
        );
    }
    kept
}

fn parse_iso8601(text: &str) -> Option<DateTime<Utc>> {
    let caps = ISO8601.captures(text)?;
    let date = ymd(&caps[1], &caps[2], &caps[3])?;
    let time = match caps.get(4) {
        Some(hour) => hms(hour.as_str(), &caps[5], caps.get(6).map(|s| s.as_str()))?,
        None => NaiveTime::MIN,
    };
    to_utc(date.and_time(time), &caps[7])
}

fn parse_rfc2822(text: &str) -> Option<DateTime<Utc>> {
    let caps = RFC2822.captures(text)?;
    let year = full_year(&caps[3])?;
    let date = NaiveDate::from_ymd_opt(year, month_number(&caps[2])?, caps[1].parse().ok()?)?;
    let time = hms(&caps[4], &caps[5], caps.get(6).map(|s| s.as_str()))?;
    to_utc(date.and_time(time), &caps[7])
}

fn ymd(year: &str, month: &str, day: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

fn hms(hour: &str, minute: &str, second: Option<&str>) -> Option<NaiveTime> {
    let second = second.map_or(Some(0), |s| s.parse().ok())?;
    NaiveTime::from_hms_opt(hour.parse().ok()?, minute.parse().ok()?, second)
}

/// RFC 2822's rule for two-digit years: 00–49 are 20xx, 50–99 are 19xx.
fn full_year(year: &str) -> Option<i32> {
    let value: i32 = year.parse().ok()?;
    Some(match (year.len(), value) {
        (2, 0..=49) => 2000 + value,
        (2, _) => 1900 + value,
        _ => value,
    })
}

fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let prefix = name.get(..3)?.to_ascii_lowercase();
    let index = MONTHS.iter().position(|m| *m == prefix)?;
    u32::try_from(index + 1).ok()
}

fn to_utc(local: NaiveDateTime, zone: &str) -> Option<DateTime<Utc>> {
    let offset = FixedOffset::east_opt(zone_offset_secs(zone)?)?;
    let fixed = offset.from_local_datetime(&local).single()?;
    Some(fixed.with_timezone(&Utc))
}

/// The zone's offset east of UTC in seconds; `None` for a malformed numeric offset.
fn zone_offset_secs(zone: &str) -> Option<i32> {
    if let Some(rest) = zone.strip_prefix('+') {
        return numeric_offset(rest);
    }
    if let Some(rest) = zone.strip_prefix('-') {
        return numeric_offset(rest).map(|secs| -secs);
    }
    let hours = match zone.to_ascii_uppercase().as_str() {
        "EDT" => -4,
        "EST" | "CDT" => -5,
        "CST" | "MDT" => -6,
        "MST" | "PDT" => -7,
        "PST" => -8,
        _ => 0,
    };
    Some(hours * 3600)
}

/// `hh`, `hhmm` or `hh:mm` (the sign already removed) as seconds.
fn numeric_offset(text: &str) -> Option<i32> {
    let digits = text.replacen(':', "", 1);
    if !matches!(digits.len(), 2 | 4) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes) = digits.split_at(2);
    let hours: i32 = hours.parse().ok()?;
    let minutes: i32 = if minutes.is_empty() { 0 } else { minutes.parse().ok()? };
    (minutes < 60).then_some(hours * 3600 + minutes * 60)
}

/// Parses an `itunes:duration` into whole seconds.
///
/// Accepts plain seconds (`3600`) and clock forms `M:SS`, `MM:SS`, `H:MM:SS`, `HH:MM:SS`; the
/// leading field may be any size (`90:00` is 90 minutes) but later fields must be below 60.
/// A fractional part on the seconds (`3600.5`, `1:02:03.75`) is dropped, never rounded up.
/// Anything else (empty, negative, words, too many fields, overflow) is `None`.
pub fn parse_duration(raw: &str) -> Option<u64> {
    let text = raw.trim();
    let (clock, fraction) = text.split_once('.').unwrap_or((text, "0"));
    if !is_digits(fraction) {
        return None;
    }
    let fields: Vec<&str> = clock.split(':').collect();
    if fields.len() > 3 || !fields.iter().all(|f| is_digits(f)) {
        return None;
    }
    let (first, rest) = fields.split_first()?;
    let mut total: u64 = first.parse().ok()?;
    for field in rest {
        let value: u64 = field.parse().ok()?;
        if value >= 60 {
            return None;
        }
        total = total.checked_mul(60)?.checked_add(value)?;
    }
    Some(total)
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Option<&str>) {
        let expected = expected.map(|e| DateTime::parse_from_rfc3339(e).unwrap().to_utc());
        assert_eq!(parse_date(input), expected, "parsing {input:?}");
    }

    #[test]
    fn rfc2822_dates() {
        let cases = [
            ("Mon, 24 Nov 2025 17:00:00 GMT", Some("2025-11-24T17:00:00Z")),
            ("Mon, 24 Nov 2025 17:00:00 +0000", Some("2025-11-24T17:00:00Z")),
            ("Tue, 4 Nov 2025 09:05 -0000", Some("2025-11-04T09:05:00Z")),
            ("Tue, 04 Nov 2025 09:05:07 UT", Some("2025-11-04T09:05:07Z")),
            ("Tue, 04 Nov 2025 09:05:07 UTC", Some("2025-11-04T09:05:07Z")),
            ("Tue, 04 Nov 2025 09:05:07 Z", Some("2025-11-04T09:05:07Z")),
            ("Wed, 12 Nov 2025 14:30:00 PST", Some("2025-11-12T22:30:00Z")),
            ("Wed, 12 Nov 2025 14:30:00 PDT", Some("2025-11-12T21:30:00Z")),
            ("Wed, 12 Nov 2025 14:30:00 EST", Some("2025-11-12T19:30:00Z")),
            ("Wed, 12 Nov 2025 14:30:00 edt", Some("2025-11-12T18:30:00Z")),
            ("Wed, 12 Nov 2025 14:30:00 CST", Some("2025-11-12T20:30:00Z")),
            ("Wed, 12 Nov 2025 14:30:00 MDT", Some("2025-11-12T20:30:00Z")),
            ("Sat, 08 Nov 2025 16:45:00 +0100", Some("2025-11-08T15:45:00Z")),
            ("Sat, 08 Nov 2025 16:45:00 +01:00", Some("2025-11-08T15:45:00Z")),
            ("Sat, 08 Nov 2025 16:45:00 -0530", Some("2025-11-08T22:15:00Z")),
            ("08 Nov 2025 16:45:00 GMT", Some("2025-11-08T16:45:00Z")),
            ("Fri, 08 Nov 2025 16:45:00 GMT", Some("2025-11-08T16:45:00Z")),
            ("  Sat,  15 Nov 2025 08:00:00   GMT ", Some("2025-11-15T08:00:00Z")),
            ("Sat,15 Nov 2025 08:00:00 GMT", Some("2025-11-15T08:00:00Z")),
            ("Saturday, 15 November 2025 08:00:00 GMT", Some("2025-11-15T08:00:00Z")),
            ("15 Nov 2025 08:00", Some("2025-11-15T08:00:00Z")),
            ("15 nov 25 08:00:00 GMT", Some("2025-11-15T08:00:00Z")),
            ("15 Nov 99 08:00:00 GMT", Some("1999-11-15T08:00:00Z")),
            ("15 Nov 2025 08:00:00.250 GMT", Some("2025-11-15T08:00:00Z")),
            ("15 Nov 2025 08:00:00 XYZ", Some("2025-11-15T08:00:00Z")),
        ];
        for (input, expected) in cases {
            check(input, expected);
        }
    }

    #[test]
    fn iso8601_dates() {
        let cases = [
            ("2025-11-18T10:00:00Z", Some("2025-11-18T10:00:00Z")),
            ("2025-11-18T10:00:00.123Z", Some("2025-11-18T10:00:00Z")),
            ("2025-11-18T10:00:00+01:00", Some("2025-11-18T09:00:00Z")),
            ("2025-11-18T10:00:00-0500", Some("2025-11-18T15:00:00Z")),
            ("2025-11-18 10:00:00 +01:00", Some("2025-11-18T09:00:00Z")),
            ("2025-11-18t10:00z", Some("2025-11-18T10:00:00Z")),
            ("2025-11-18T10:00:00", Some("2025-11-18T10:00:00Z")),
            ("2025-11-18", Some("2025-11-18T00:00:00Z")),
        ];
        for (input, expected) in cases {
            check(input, expected);
        }
    }

    #[test]
    fn unparseable_dates_are_none() {
        let cases = [
            "",
            "   ",
            "sometime last week",
            "32 Nov 2025 10:00:00 GMT",
            "30 Feb 2025 10:00:00 GMT",
            "15 Foo 2025 10:00:00 GMT",
            "15 Nov 2025 25:00:00 GMT",
            "15 Nov 2025 10:61:00 GMT",
            "15 Nov 2025 10:00:00 +99999",
            "15 Nov 2025 10:00:00 +2500",
            "2025-13-01T00:00:00Z",
            "2025-11-18T10:00:00+1",
            "1700000000",
        ];
        for input in cases {
            check(input, None);
        }
    }

    #[test]
    fn only_dates_from_1970_to_two_days_ahead_are_plausible() {
        let now = DateTime::parse_from_rfc3339("2026-12-03T10:00:00Z").unwrap().to_utc();
        let at = |text: &str| parse_date(text).and_then(|date| plausible_at(date, now));
        assert_eq!(at("1970-01-01T00:00:00Z"), Some(DateTime::UNIX_EPOCH));
        assert_eq!(at("2026-12-05T10:00:00Z"), Some(now + TimeDelta::days(2)));
        assert!(at("Mon, 24 Nov 2025 17:00:00 GMT").is_some());
        let edges = [
            "1969-12-31T23:59:59Z",
            "2026-12-05T10:00:01Z",
            "0000-01-01T00:00:00Z",
            "0001-01-01",
            "9999-12-31T23:59:59Z",
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "Mon, 01 Jan 0000 00:00:00 GMT",
            "01 Jan 1900 00:00:00 GMT",
        ];
        for edge in edges {
            assert!(parse_date(edge).is_some(), "{edge} parses");
            assert_eq!(at(edge), None, "{edge} is implausible");
        }
        let far = DateTime::<Utc>::MAX_UTC;
        assert_eq!(plausible_at(far, far), Some(far), "no overflow at the end of time");
    }

    #[test]
    fn years_beyond_four_digits_do_not_parse_or_are_dropped() {
        let now = Utc::now();
        for text in ["+12345-01-01", "12345-01-01T00:00:00Z", "-0001-01-01", "Mon, 01 Jan 12345 00:00 GMT"] {
            assert_eq!(parse_date(text).and_then(|date| plausible_at(date, now)), None, "{text}");
        }
    }

    fn check_duration(input: &str, expected: Option<u64>) {
        assert_eq!(parse_duration(input), expected, "parsing {input:?}");
    }

    #[test]
    fn durations() {
        let cases = [
            ("3600", Some(3600)),
            (" 3600 ", Some(3600)),
            ("0", Some(0)),
            ("3600.5", Some(3600)),
            ("3600.99", Some(3600)),
            ("5:07", Some(307)),
            ("05:07", Some(307)),
            ("90:00", Some(5400)),
            ("1:02:03", Some(3723)),
            ("01:23:45", Some(5025)),
            ("01:23:45.9", Some(5025)),
            ("", None),
            ("  ", None),
            ("abc", None),
            ("-30", None),
            ("1:60", None),
            ("1:75:00", None),
            ("1:2:3:4", None),
            ("1::3", None),
            (":30", None),
            ("12:", None),
            ("3600.", None),
            ("3600.5.5", None),
            ("1e3", None),
            ("45 min", None),
            ("99999999999999999999", None),
            ("99999999999999999:00:00", None),
            ("18446744073709551615", Some(u64::MAX)),
            ("18446744073709551616", None),
            ("-1:00", None),
            ("+30", None),
        ];
        for (input, expected) in cases {
            check_duration(input, expected);
        }
    }
}
