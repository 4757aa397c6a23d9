//! What a request to the status page carries: its session cookie, its form fields, and
//! whether a state-changing request comes from the page itself.
//!
//! The cross-origin rule is the one of Go's `net/http.CrossOriginProtection` (Go 1.25): a
//! browser's `Sec-Fetch-Site` decides when present (`same-origin`, or `none` for what the
//! user typed, passes); else an `Origin` must name this host (the `Host` header, or the
//! configured public URL when a proxy rewrites `Host`); a request with neither is not from a
//! browser that could be tricked, and the CSRF token alone decides. The session cookie is
//! `SameSite=Strict` besides, so another site's form arrives without it.

use axum::http::{HeaderMap, header};

/// The session cookie's name.
pub const COOKIE: &str = "syndicator_session";

/// Whether a POST may be acted on as coming from our own page; `public_origin` is the
/// scheme and host (with port) of `[server] public_url`, if set.
pub fn same_origin(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    match text(headers, "sec-fetch-site") {
        Some("same-origin" | "none") => return true,
        Some(_) => return false,
        None => {}
    }
    let Some(origin) = text(headers, header::ORIGIN.as_str()) else { return true };
    let host_matches = origin
        .split_once("://")
        .zip(text(headers, header::HOST.as_str()))
        .is_some_and(|((_, origin_host), host)| origin_host.eq_ignore_ascii_case(host));
    host_matches || public_origin.is_some_and(|public| origin.eq_ignore_ascii_case(public))
}

/// The value of the session cookie, from any `Cookie` header.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(name, value)| (name == COOKIE).then_some(value))
}

/// The value of `field` in an `application/x-www-form-urlencoded` body.
pub fn form_field(body: &[u8], field: &str) -> Option<String> {
    url::form_urlencoded::parse(body).find_map(|(name, value)| (name == field).then(|| value.into_owned()))
}

fn text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        let host = ("host", "127.0.0.1:8080");
        assert!(same_origin(&headers(&[host, ("sec-fetch-site", "same-origin")]), None));
        assert!(same_origin(&headers(&[host, ("sec-fetch-site", "none")]), None));
        for site in ["same-site", "cross-site", "bogus"] {
            let same_origin_header = ("origin", "http://127.0.0.1:8080");
            let request = [host, same_origin_header, ("sec-fetch-site", site)];
            assert!(!same_origin(&headers(&request), None), "{site}");
        }
    }

    #[test]
    fn without_fetch_metadata_the_origin_must_name_this_host() {
        let host = ("host", "127.0.0.1:8080");
        assert!(same_origin(&headers(&[host, ("origin", "http://127.0.0.1:8080")]), None));
        assert!(!same_origin(&headers(&[host, ("origin", "http://127.0.0.1:9090")]), None));
        assert!(!same_origin(&headers(&[host, ("origin", "https://evil.example")]), None));
        assert!(!same_origin(&headers(&[host, ("origin", "null")]), None));
        assert!(!same_origin(&headers(&[("origin", "http://127.0.0.1:8080")]), None), "no Host");
        assert!(same_origin(&headers(&[host]), None), "not a browser: the CSRF token decides");
        let proxied = [("host", "127.0.0.1:8080"), ("origin", "https://feeds.example.com")];
        assert!(same_origin(&headers(&proxied), Some("https://feeds.example.com")));
        assert!(!same_origin(&headers(&proxied), Some("https://other.example.com")));
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let request = headers(&[("cookie", "a=1; syndicator_session=abc ; b=2"), ("cookie", "c=3")]);
        assert_eq!(session_cookie(&request), Some("abc"));
        assert_eq!(session_cookie(&headers(&[("cookie", "syndicator_sessionx=1")])), None);
        assert_eq!(session_cookie(&HeaderMap::new()), None);
    }

    #[test]
    fn form_fields_are_decoded() {
        assert_eq!(form_field(b"token=a%2Bb+c&x=1", "token").as_deref(), Some("a+b c"));
        assert_eq!(form_field(b"x=1", "token"), None);
    }
}
