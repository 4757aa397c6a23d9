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

fn file_fetcher(max_body: u64) -> Fetcher {
    Fetcher::new("test", Duration::from_secs(2), max_body).unwrap()
}

async fn get_file(fetcher: &Fetcher, path: &std::path::Path) -> Result<FetchOutcome, FetchError> {
    let url = Url::from_file_path(path).unwrap();
    let none = Validators::default();
    let bounded = tokio::time::timeout(Duration::from_secs(20), fetcher.get(&url, &none, None));
    bounded.await.expect("a file: fetch never hangs")
}

#[tokio::test]
async fn file_sources_obey_the_body_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.xml");
    std::fs::write(&path, vec![b' '; 40_000]).unwrap();
    let error = get_file(&file_fetcher(32_768), &path).await.unwrap_err();
    assert!(matches!(error.kind, FetchErrorKind::TooLarge(32_768)), "{error}");
    assert!(
        matches!(get_file(&file_fetcher(40_000), &path).await, Ok(FetchOutcome::Modified(body, _)) if body.len() == 40_000)
    );
}

#[tokio::test]
async fn devices_and_folders_are_refused_as_file_sources() {
    let dir = tempfile::tempdir().unwrap();
    let mut refused = vec![dir.path().to_owned()];
    let zero = std::path::Path::new("/dev/zero");
    match zero.exists() {
        true => refused.push(zero.to_owned()),
        false => eprintln!("SKIPPED the /dev/zero case: this system has no /dev/zero"),
    }
    for path in refused {
        let error = get_file(&file_fetcher(1024), &path).await.unwrap_err();
        assert!(matches!(error.kind, FetchErrorKind::NotAFile), "{}: {error}", path.display());
        assert!(error.to_string().contains("not a regular file"), "{error}");
    }
}

#[tokio::test]
async fn a_fifo_is_refused_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("feed.fifo");
    match std::process::Command::new("mkfifo").arg(&fifo).status() {
        Ok(status) => assert!(status.success(), "mkfifo failed"),
        Err(e) => {
            eprintln!("SKIPPED a_fifo_is_refused_without_hanging: cannot run mkfifo ({e})");
            return;
        }
    }
    let error = get_file(&file_fetcher(1024), &fifo).await.unwrap_err();
    assert!(matches!(error.kind, FetchErrorKind::NotAFile), "{error}");
}
