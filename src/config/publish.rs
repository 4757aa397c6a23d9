//! `[publish]`: copies of the feeds beyond the public folder. Today `[publish.s3]`, object
//! storage over the S3 protocol. Credentials come from the standard environment variables
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, optional `AWS_SESSION_TOKEN`), never from
//! this file.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publish {
    pub s3: Option<S3>,
}

/// A bucket the feeds are uploaded to, each at `<prefix>/<feed path>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3 {
    pub bucket: Bucket,
    /// A folder inside the bucket; empty means the bucket's root.
    #[serde(default)]
    pub prefix: Prefix,
    /// An S3-compatible service; AWS when absent.
    pub endpoint: Option<Endpoint>,
    #[serde(default = "default_region")]
    pub region: String,
    /// `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key`.
    #[serde(default)]
    pub path_style: bool,
}

/// A bucket name: 1 to 255 characters, none of them `/`, whitespace or control characters.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Bucket(String);

impl TryFrom<String> for Bucket {
    type Error = String;
    fn try_from(name: String) -> Result<Bucket, String> {
        let bad = |c: char| c == '/' || c.is_whitespace() || c.is_control();
        match name.is_empty() || name.len() > 255 || name.contains(bad) {
            true => {
                Err(format!("invalid bucket name \"{}\": use the bucket's plain name", name.escape_debug()))
            }
            false => Ok(Bucket(name)),
        }
    }
}

impl Bucket {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Folders inside the bucket, without leading or trailing `/`: `blog/` and `/blog` are `blog`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Prefix(String);

impl TryFrom<String> for Prefix {
    type Error = String;
    fn try_from(prefix: String) -> Result<Prefix, String> {
        let trimmed = prefix.trim_matches('/');
        let bad_segment = |s: &str| s.is_empty() || s == "." || s == ".." || s.contains(char::is_control);
        match !trimmed.is_empty() && trimmed.split('/').any(bad_segment) {
            true => Err(format!(
                "invalid prefix \"{}\": use folder names separated by single `/`, without `.`, `..` or control characters",
                prefix.escape_debug()
            )),
            false => Ok(Prefix(trimmed.to_owned())),
        }
    }
}

impl Prefix {
    /// The object key of a feed at `path` (relative, `/`-separated).
    pub fn key(&self, path: &str) -> String {
        match self.0.is_empty() {
            true => path.to_owned(),
            false => format!("{}/{path}", self.0),
        }
    }
}

/// An http or https base URL of an S3-compatible service.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Endpoint(url::Url);

impl TryFrom<String> for Endpoint {
    type Error = String;
    fn try_from(s: String) -> Result<Endpoint, String> {
        let url = url::Url::parse(s.trim()).map_err(|e| format!("invalid endpoint \"{s}\": {e}"))?;
        match url.scheme() {
            "http" | "https" if url.host().is_some() => Ok(Endpoint(url)),
            _ => Err(format!(
                "invalid endpoint \"{s}\": use an http or https URL such as https://s3.example.com"
            )),
        }
    }
}

impl Endpoint {
    pub fn url(&self) -> &url::Url {
        &self.0
    }
}

fn default_region() -> String {
    "us-east-1".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_is_a_folder_whatever_its_slashes() {
        for written in ["blog", "blog/", "/blog/"] {
            assert_eq!(Prefix::try_from(written.to_owned()).unwrap().key("feed.xml"), "blog/feed.xml");
        }
        assert_eq!(Prefix::default().key("feed.xml"), "feed.xml");
        for bad in ["a//b", "a/../b", "./a", "a\u{7}b"] {
            assert!(Prefix::try_from(bad.to_owned()).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn hostile_bucket_names_and_endpoints_are_refused_with_the_value() {
        for bad in ["", "a/b", "a b", "a\nb"] {
            assert!(Bucket::try_from(bad.to_owned()).is_err(), "{bad:?} accepted");
        }
        let err = Endpoint::try_from("ftp://host".to_owned()).unwrap_err();
        assert!(err.contains("ftp://host"), "{err}");
        assert!(Endpoint::try_from("http://127.0.0.1:9000".to_owned()).is_ok());
    }
}
