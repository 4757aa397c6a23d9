//! What the JSON adapters (`apple`, `spotify`) share: decoding a body into serde types with
//! clear [`ParseError`]s (an HTML error page is named as such), and the small conversions
//! both platforms need.

use serde::de::DeserializeOwned;

use super::{ParseError, non_blank};

/// How much of a serde error a message may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Detail {
    /// serde's whole message (it may quote values from the body).
    Full,
    /// Only the kind of error and its position, for bodies that carry secrets.
    Position,
}

/// Decodes a JSON body; empty and markup (HTML/XML) bodies get their own errors.
pub(super) fn from_json<T: DeserializeOwned>(bytes: &[u8], detail: Detail) -> Result<T, ParseError> {
    let trimmed = bytes.trim_ascii_start();
    if trimmed.is_empty() {
        return Err(ParseError::Empty);
    }
    if trimmed.starts_with(b"<") {
        return Err(ParseError::Json("got an HTML or XML page instead".into()));
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

    #[test]
    fn conversions() {
        assert_eq!(millis_to_secs(5_025_499), 5025);
        assert_eq!(millis_to_secs(5_025_500), 5026);
        assert_eq!(millis_to_secs(u64::MAX), u64::MAX / 1000);
        assert_eq!(text_as_html(Some("  Q&A <live>\n")).as_deref(), Some("Q&amp;A &lt;live&gt;"));
        assert_eq!(text_as_html(Some(" ")), None);
    }
}
