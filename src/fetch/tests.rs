//! Unit tests of `fetch` that need no server: `Retry-After`, body hashes, form encoding and
//! error messages. Requests against a server are covered by the integration tests.

use super::*;

fn headers(value: &str) -> header::HeaderMap {
    let mut map = header::HeaderMap::new();
    map.insert(header::RETRY_AFTER, value.parse().unwrap());
    map
}

#[test]
fn retry_after_reads_seconds_and_http_dates() {
    let now = DateTime::parse_from_rfc3339("2025-11-24T00:00:00Z").unwrap().to_utc();
    assert_eq!(retry_after(&headers("120"), now), Some(now + chrono::Duration::seconds(120)));
    let date = retry_after(&headers("Mon, 24 Nov 2025 01:00:00 GMT"), now).unwrap();
    assert_eq!(date.to_rfc3339(), "2025-11-24T01:00:00+00:00");
    assert_eq!(retry_after(&headers("soon"), now), None);
}

#[test]
fn forms_are_urlencoded() {
    assert_eq!(form_urlencoded(&[("grant_type", "client_credentials")]), "grant_type=client_credentials");
    assert_eq!(form_urlencoded(&[("a b", "x&y=z/é"), ("c", "")]), "a+b=x%26y%3Dz%2F%C3%A9&c=");
}

#[test]
fn error_names_the_method() {
    let error = FetchError {
        method: "POST",
        url: "https://accounts.spotify.com/api/token".into(),
        kind: FetchErrorKind::Status { status: StatusCode::BAD_REQUEST, retry_after: None },
    };
    assert_eq!(
        error.to_string(),
        "POST https://accounts.spotify.com/api/token answered HTTP 400 Bad Request"
    );
}

#[test]
fn hash_is_sha256_hex() {
    assert_eq!(hash_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
