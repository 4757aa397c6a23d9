//! What the JSON adapters (`apple`, `spotify`, JSON chapters and transcripts) share: decoding a
//! body into serde types with clear [`ParseError`]s (an HTML error page is named as such),
//! leniency towards one entry or field of the wrong type, bounded lists, and the small
//! conversions they need.
//!
//! serde_json's default recursion limit (128) stays on: a body nested deeper is an error,
//! never a stack overflow.

use std::marker::PhantomData;

use serde::de::{Deserialize, DeserializeOwned, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde_json::Value;

use super::{ParseError, non_blank};

/// How much of a serde error a message may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Detail {
    /// serde's whole message (it may quote values from the body).
    Full,
    /// Only the kind of error and its position, for bodies that carry secrets.
    Position,
}

/// What [`ParseError::Json`] says of an HTML or XML body.
pub(super) const MARKUP: &str = "got an HTML or XML page instead";

/// Decodes a JSON body; empty and markup (HTML/XML) bodies get their own errors.
pub(super) fn from_json<T: DeserializeOwned>(bytes: &[u8], detail: Detail) -> Result<T, ParseError> {
    let trimmed = bytes.trim_ascii_start();
    if trimmed.is_empty() {
        return Err(ParseError::Empty);
    }
    if trimmed.starts_with(b"<") {
        return Err(ParseError::Json(MARKUP.into()));
    }
    serde_json::from_slice(trimmed).map_err(|error| ParseError::Json(describe(&error, detail)))
}

fn describe(error: &serde_json::Error, detail: Detail) -> String {
    match detail {
        Detail::Full => error.to_string(),
        Detail::Position => {
            let kind = format!("{:?}", error.classify()).to_lowercase();
            format!("{kind} error at line {} column {}", error.line(), error.column())
        }
    }
}

/// For `#[serde(deserialize_with)]` on a list of entries: an entry that does not fit `T` (a
/// mistyped required shape) becomes `None`, logged, instead of failing the whole body.
pub(super) fn each_lenient<'de, D, T>(deserializer: D) -> Result<Vec<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let values = Vec::<Value>::deserialize(deserializer)?;
    Ok(values.into_iter().map(fitting).collect())
}

/// [`each_lenient`] for lists a hostile body could make huge: keeps the first `max` entries
/// and skips the rest without building them.
pub(super) fn first_lenient<'de, D, T>(deserializer: D, max: usize) -> Result<Vec<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    deserializer.deserialize_seq(FirstEntries { max, entries: PhantomData })
}

/// The visitor of [`first_lenient`].
struct FirstEntries<T> {
    /// How many entries are built.
    max: usize,
    entries: PhantomData<T>,
}

impl<'de, T: DeserializeOwned> Visitor<'de> for FirstEntries<T> {
    type Value = Vec<Option<T>>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        while entries.len() < self.max {
            match seq.next_element::<Value>()? {
                Some(value) => entries.push(fitting(value)),
                None => return Ok(entries),
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(entries)
    }
}

/// The longest media time read from a chapters or transcript file: 100 hours.
pub(super) const MAX_MEDIA_SECS: f64 = 100.0 * 3600.0;

/// A media time in seconds (a JSON number, maybe fractional) as whole seconds; `None` when it
/// is negative, not finite or past [`MAX_MEDIA_SECS`].
pub(super) fn media_secs(seconds: f64) -> Option<u64> {
    (seconds.is_finite() && (0.0..=MAX_MEDIA_SECS).contains(&seconds)).then(|| seconds.floor() as u64)
}

/// For `#[serde(default, deserialize_with)]` on an optional field: a value of the wrong type
/// (a string for a number, a negative or huge number for a `u64`) becomes `None`, logged,
/// instead of failing the whole body.
pub(super) fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Value::deserialize(deserializer).map(fitting)
}

/// `value` as a `T`; `null` and values that do not fit are `None` (the latter logged).
fn fitting<T: DeserializeOwned>(value: Value) -> Option<T> {
    if value.is_null() {
        return None;
    }
    T::deserialize(value)
        .inspect_err(|error| {
            let expected = std::any::type_name::<T>().rsplit("::").next().unwrap_or("value");
            tracing::warn!("ignoring a JSON value that is not a valid {expected}: {error}");
        })
        .ok()
}

/// Milliseconds as whole seconds, rounded to the nearest.
pub(super) fn millis_to_secs(millis: u64) -> u64 {
    millis.saturating_add(500) / 1000
}

/// Plain text as HTML: trimmed and escaped; `None` when blank.
pub(super) fn text_as_html(text: Option<&str>) -> Option<String> {
    non_blank(text).map(|text| html_escape::encode_text(&text).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(bytes: &[u8], detail: Detail) -> String {
        from_json::<serde_json::Value>(bytes, detail).unwrap_err().to_string()
    }

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(error_of(b" \n", Detail::Full), "empty body");
        assert_eq!(
            error_of(b"\n<!DOCTYPE html><html>", Detail::Full),
            "invalid JSON: got an HTML or XML page instead"
        );
        assert_eq!(
            error_of(b"{\"a\": ", Detail::Full),
            "invalid JSON: EOF while parsing a value at line 1 column 6"
        );
        assert_eq!(error_of(b"{\"a\" 1}", Detail::Position), "invalid JSON: syntax error at line 1 column 6");
    }

    #[test]
    fn position_detail_never_quotes_the_body() {
        type Numbers = std::collections::HashMap<String, u64>;
        let full = from_json::<Numbers>(br#"{"n": "hunter2"}"#, Detail::Full).unwrap_err();
        assert!(full.to_string().contains("hunter2"));
        let short = from_json::<Numbers>(br#"{"n": "hunter2"}"#, Detail::Position).unwrap_err();
        assert_eq!(short.to_string(), "invalid JSON: data error at line 1 column 15");
    }

    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(default, deserialize_with = "lenient")]
        n: Option<u64>,
        #[serde(default, deserialize_with = "lenient")]
        s: Option<String>,
    }

    #[derive(serde::Deserialize)]
    struct List {
        #[serde(deserialize_with = "each_lenient")]
        entries: Vec<Option<Entry>>,
    }

    #[test]
    fn a_mistyped_field_or_entry_is_dropped_alone() {
        let json = br#"{"entries": [{"n": 5, "s": "ok"}, {"n": -1, "s": 7}, {"n": 99999999999999999999999},
            {"n": 1.5}, {"n": "12"}, "not an object", 42, null, {"n": null}]}"#;
        let list: List = from_json(json, Detail::Full).unwrap();
        let fields: Vec<_> = list.entries.iter().map(|e| e.as_ref().map(|e| (e.n, e.s.clone()))).collect();
        let expected = [
            Some((Some(5), Some("ok".to_owned()))),
            Some((None, None)),
            Some((None, None)),
            Some((None, None)),
            Some((None, None)),
            None,
            None,
            None,
            Some((None, None)),
        ];
        assert_eq!(fields, expected);
    }

    #[derive(serde::Deserialize)]
    struct Bounded {
        #[serde(deserialize_with = "first_three")]
        entries: Vec<Option<Entry>>,
    }

    fn first_three<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Option<Entry>>, D::Error> {
        first_lenient(deserializer, 3)
    }

    #[test]
    fn a_bounded_list_keeps_its_first_entries_and_skips_the_rest() {
        let many =
            format!(r#"{{"entries": [{{"n": 1}}, 7, {}{{"n": 4}}]}}"#, r#"{"n": 2}, "#.repeat(100_000));
        let list: Bounded = from_json(many.as_bytes(), Detail::Full).unwrap();
        let ns: Vec<_> = list.entries.iter().map(|e| e.as_ref().map(|e| e.n)).collect();
        assert_eq!(ns, [Some(Some(1)), None, Some(Some(2))]);
        let short: Bounded = from_json(br#"{"entries": [{"n": 9}]}"#, Detail::Full).unwrap();
        assert_eq!(short.entries.len(), 1);
        let broken = from_json::<Bounded>(br#"{"entries": [{"n": 1}, 2, 3, 4, ]}"#, Detail::Full);
        assert!(broken.is_err(), "a syntax error after the kept entries still fails the body");
        assert!(from_json::<Bounded>(br#"{"entries": {"n": 1}}"#, Detail::Full).is_err());
    }

    #[test]
    fn media_times_are_whole_bounded_seconds() {
        assert_eq!(media_secs(252.9), Some(252));
        assert_eq!(media_secs(0.0), Some(0));
        assert_eq!(media_secs(MAX_MEDIA_SECS), Some(360_000));
        for bad in [-0.5, f64::NAN, f64::INFINITY, 1e300, MAX_MEDIA_SECS + 1.0] {
            assert_eq!(media_secs(bad), None, "{bad}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = |open: &str, close: &str| {
            format!(
                r#"{{"entries": [{{"n": 1, "extra": {}{}}}]}}"#,
                open.repeat(100_000),
                close.repeat(100_000)
            )
        };
        for body in [deep("[", "]"), deep(r#"{"a":"#, "}")] {
            let error = from_json::<List>(body.as_bytes(), Detail::Full).err().unwrap().to_string();
            assert!(error.contains("recursion limit exceeded"), "{error}");
        }
        let in_lenient =
            format!(r#"{{"entries": [{{"n": {}{}}}]}}"#, "[".repeat(100_000), "]".repeat(100_000));
        let error = from_json::<List>(in_lenient.as_bytes(), Detail::Full).err().unwrap().to_string();
        assert!(error.contains("recursion limit exceeded"), "{error}");
    }

    #[test]
    fn conversions() {
        assert_eq!(millis_to_secs(5_025_499), 5025);
        assert_eq!(millis_to_secs(5_025_500), 5026);
        assert_eq!(millis_to_secs(u64::MAX), u64::MAX / 1000);
        assert_eq!(text_as_html(Some("  Q&A <live>\n")).as_deref(), Some("Q&amp;A &lt;live&gt;"));
        assert_eq!(text_as_html(Some(" ")), None);
    }
}
