//! One published feed held in memory, ready to serve: the bytes compressed once per rebuild
//! (gzip and brotli), a strong ETag per representation, and Last-Modified.

use std::io::Write as _;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use crate::hash::hash_hex;

/// A content encoding we can answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// One representation: its bytes and ETag.
#[derive(Debug, Clone)]
struct Variant {
    bytes: Bytes,
    etag: HeaderValue,
}

/// A feed as served at `path`.
#[derive(Debug, Clone)]
pub struct FeedBody {
    pub path: String,
    pub content_type: &'static str,
    identity: Variant,
    gzip: Variant,
    brotli: Variant,
    last_modified: DateTime<Utc>,
}

impl FeedBody {
    /// Compresses `bytes` once; `modified` is when the content last changed.
    pub fn new(
        path: String,
        content_type: &'static str,
        bytes: Vec<u8>,
        modified: DateTime<Utc>,
    ) -> FeedBody {
        let tag = &hash_hex(&bytes)[..20];
        let variant = |bytes: Vec<u8>, suffix: &str| Variant {
            bytes: Bytes::from(bytes),
            etag: HeaderValue::from_str(&format!("\"{tag}{suffix}\"")).expect("hex is a valid header"),
        };
        FeedBody {
            path,
            content_type,
            gzip: variant(gzip(&bytes), "-gz"),
            brotli: variant(brotli(&bytes), "-br"),
            identity: variant(bytes, ""),
            last_modified: modified,
        }
    }

    /// The uncompressed bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.identity.bytes
    }

    /// When the content last changed, as sent in `Last-Modified`.
    pub fn last_modified(&self) -> DateTime<Utc> {
        self.last_modified
    }

    /// The response to a GET or HEAD with these request headers.
    pub fn respond(&self, request: &HeaderMap, max_age: u32) -> Response {
        let encoding = negotiate(request);
        let variant = match encoding {
            Encoding::Brotli => &self.brotli,
            Encoding::Gzip => &self.gzip,
            Encoding::Identity => &self.identity,
        };
        let mut headers = HeaderMap::new();
        headers.insert(header::ETAG, variant.etag.clone());
        headers.insert(header::LAST_MODIFIED, http_date(self.last_modified));
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        let cache = format!("public, max-age={max_age}");
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_str(&cache).expect("ascii"));
        if let Some(matched) = self.not_modified(request, variant) {
            headers.insert(header::ETAG, matched.clone());
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        match encoding {
            Encoding::Brotli => headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br")),
            Encoding::Gzip => headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip")),
            Encoding::Identity => None,
        };
        (StatusCode::OK, headers, variant.bytes.clone()).into_response()
    }

    /// The validator a 304 should carry, if the request's copy is current: `If-None-Match`
    /// (any representation's ETag, or `*`) wins over `If-Modified-Since`. A 304 echoes the
    /// ETag that matched, so a cache holding that representation can use it.
    fn not_modified<'a>(&'a self, request: &HeaderMap, chosen: &'a Variant) -> Option<&'a HeaderValue> {
        if let Some(tags) = request.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
            let ours = [&self.identity, &self.gzip, &self.brotli];
            return tags.split(',').map(|t| t.trim().trim_start_matches("W/")).find_map(|tag| match tag {
                "*" => Some(&chosen.etag),
                tag => ours.iter().map(|v| &v.etag).find(|etag| etag.as_bytes() == tag.as_bytes()),
            });
        }
        let since = request.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok());
        let since = since.and_then(|s| DateTime::parse_from_rfc2822(s).ok())?;
        (self.last_modified.timestamp() <= since.timestamp()).then_some(&chosen.etag)
    }
}

/// The best encoding the client accepts: brotli, then gzip, then none.
fn negotiate(request: &HeaderMap) -> Encoding {
    let Some(accept) = request.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()) else {
        return Encoding::Identity;
    };
    let accepts = |name: &str| {
        accept.split(',').any(|part| {
            let mut pieces = part.split(';').map(str::trim);
            let coding = pieces.next().unwrap_or("");
            let refused =
                pieces.any(|p| matches!(p.strip_prefix("q="), Some(q) if q.parse::<f32>() == Ok(0.0)));
            coding.eq_ignore_ascii_case(name) && !refused
        })
    };
    if accepts("br") {
        Encoding::Brotli
    } else if accepts("gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

fn http_date(time: DateTime<Utc>) -> HeaderValue {
    let text = time.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    HeaderValue::from_str(&text).expect("an HTTP date is a valid header")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail")
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 9, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    fn body() -> FeedBody {
        let modified = "2025-11-24T10:00:00Z".parse().unwrap();
        FeedBody::new(
            "/feed.xml".into(),
            "application/rss+xml; charset=utf-8",
            b"<rss>hello hello hello</rss>".to_vec(),
            modified,
        )
    }

    fn request(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (k.clone(), HeaderValue::from_str(v).unwrap())).collect()
    }

    #[test]
    fn answers_with_validators_and_caching() {
        let response = body().respond(&HeaderMap::new(), 300);
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers();
        assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=300");
        assert_eq!(headers[header::LAST_MODIFIED], "Mon, 24 Nov 2025 10:00:00 GMT");
        assert_eq!(headers[header::CONTENT_TYPE], "application/rss+xml; charset=utf-8");
        assert!(headers.get(header::CONTENT_ENCODING).is_none());
    }

    #[test]
    fn conditional_requests_get_304() {
        let feed = body();
        let etag = feed.respond(&HeaderMap::new(), 300).headers()[header::ETAG].to_str().unwrap().to_owned();
        let again = feed.respond(&request(&[(header::IF_NONE_MATCH, &etag)]), 300);
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        let other_encoding =
            feed.respond(&request(&[(header::IF_NONE_MATCH, &etag), (header::ACCEPT_ENCODING, "br")]), 300);
        assert_eq!(other_encoding.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(other_encoding.headers()[header::ETAG], etag.as_str(), "the 304 echoes the matched ETag");
        let stale = feed.respond(&request(&[(header::IF_NONE_MATCH, "\"other\"")]), 300);
        assert_eq!(stale.status(), StatusCode::OK);
        let since =
            feed.respond(&request(&[(header::IF_MODIFIED_SINCE, "Mon, 24 Nov 2025 10:00:00 GMT")]), 300);
        assert_eq!(since.status(), StatusCode::NOT_MODIFIED);
        let before =
            feed.respond(&request(&[(header::IF_MODIFIED_SINCE, "Mon, 24 Nov 2025 09:59:59 GMT")]), 300);
        assert_eq!(before.status(), StatusCode::OK);
    }

    #[test]
    fn compressed_variants_decode_to_the_same_bytes() {
        let feed = body();
        assert_eq!(negotiate(&request(&[(header::ACCEPT_ENCODING, "gzip, br")])), Encoding::Brotli);
        assert_eq!(negotiate(&request(&[(header::ACCEPT_ENCODING, "gzip, br;q=0")])), Encoding::Gzip);
        assert_eq!(negotiate(&request(&[(header::ACCEPT_ENCODING, "identity")])), Encoding::Identity);
        let mut text = String::new();
        flate2::read::GzDecoder::new(&feed.gzip.bytes[..]).read_to_string(&mut text).unwrap();
        assert_eq!(text.as_bytes(), &feed.bytes()[..]);
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &feed.brotli.bytes[..], &mut out).unwrap();
        assert_eq!(out, feed.bytes().to_vec());
        assert_ne!(feed.gzip.etag, feed.identity.etag, "each representation has its own strong ETag");
    }
}
