//! The JSON transcript format of the Podcasting 2.0 namespace:
//! `{"version": "1.0.0", "segments": [{"speaker": "…", "startTime": 0.5, "endTime": 1.2,
//! "body": "…"}]}`, often one word per segment. A segment of the wrong shape is skipped alone;
//! at most [`MAX_CUES`] are read.

use serde::{Deserialize, Deserializer};

use super::{Cue, MAX_CUES, one_line, speaker};
use crate::source::ParseError;
use crate::source::json::{Detail, first_lenient, from_json, lenient, media_secs};

#[derive(Deserialize)]
struct TranscriptFile {
    #[serde(deserialize_with = "segment_list")]
    segments: Vec<Option<Segment>>,
}

#[derive(Deserialize)]
struct Segment {
    #[serde(default, deserialize_with = "lenient")]
    speaker: Option<String>,
    #[serde(rename = "startTime", default, deserialize_with = "lenient")]
    start_time: Option<f64>,
    #[serde(default, deserialize_with = "lenient")]
    body: Option<String>,
}

fn segment_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Option<Segment>>, D::Error> {
    first_lenient(deserializer, MAX_CUES)
}

/// The segments of a JSON transcript as cues; a body that is not such a file is an error.
pub(super) fn cues(bytes: &[u8]) -> Result<Vec<Cue>, ParseError> {
    let file: TranscriptFile = from_json(bytes, Detail::Full)?;
    let segments = file.segments.into_iter().flatten();
    Ok(segments
        .map(|segment| Cue {
            start_secs: segment.start_time.and_then(media_secs),
            speaker: segment.speaker.as_deref().and_then(speaker),
            text: segment.body.as_deref().map(one_line).unwrap_or_default(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_become_cues_and_bad_ones_are_skipped() {
        let json = br#"{"version": "1.0.0", "segments": [
            {"speaker": "Tim Scarfe", "startTime": 0.4, "endTime": 1.0, "body": "Welcome"},
            {"speaker": "Tim Scarfe", "startTime": 1.0, "body": "back."},
            {"speaker": 7, "startTime": "x", "body": "odd\nshape"},
            "not a segment",
            {"startTime": -3, "body": null}
        ]}"#;
        let got: Vec<_> =
            cues(json).unwrap().into_iter().map(|c| (c.start_secs, c.speaker, c.text)).collect();
        let tim = || Some("Tim Scarfe".to_owned());
        assert_eq!(
            got,
            [
                (Some(0), tim(), "Welcome".to_owned()),
                (Some(1), tim(), "back.".to_owned()),
                (None, None, "odd shape".to_owned()),
                (None, None, String::new()),
            ]
        );
    }

    #[test]
    fn wrong_bodies_are_errors() {
        assert!(matches!(cues(b"<html>404</html>"), Err(ParseError::Json(_))));
        assert!(matches!(cues(b"{\"segments\": 5}"), Err(ParseError::Json(_))));
        assert!(matches!(cues(b"[1, 2]"), Err(ParseError::Json(_))));
        let deep = format!(r#"{{"segments": [{}{}]}}"#, "{\"a\":".repeat(10_000), "}".repeat(10_000));
        assert!(cues(deep.as_bytes()).unwrap_err().to_string().contains("recursion limit exceeded"));
    }
}
