//! `[websub]` and `[server] public_url`: push in both directions (README: "WebSub"). The
//! subscriber asks a hub to call `serve` back when a channel's feed changes; the publisher
//! tells hubs when our own feeds change. Both need the externally reachable base URL of
//! `serve`, `public_url`, for the callbacks and the feeds' `rel="self"` links.

use serde::Deserialize;
use toml::Spanned;

use super::values::line_of;

/// The hub YouTube publishes its channel feeds through.
pub const YOUTUBE_HUB: &str = "https://pubsubhubbub.appspot.com/";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Websub {
    /// Subscribe to every channel's hub in `serve` (`false` by default: it needs a public URL).
    #[serde(default = "unset")]
    pub subscribe: Spanned<bool>,
    /// The hub for `youtube` sources; other feeds name their own with `rel="hub"`.
    #[serde(default = "default_hub")]
    pub hub: HubUrl,
    /// Hubs told (`hub.mode=publish`) whenever one of our six feeds changes; empty: none.
    #[serde(default = "unset")]
    pub publish_hubs: Spanned<Vec<HubUrl>>,
}

impl Default for Websub {
    fn default() -> Self {
        Websub { subscribe: unset(), hub: default_hub(), publish_hubs: unset() }
    }
}

impl Websub {
    /// Whether `serve` subscribes to hubs.
    pub fn subscribes(&self) -> bool {
        *self.subscribe.get_ref()
    }

    /// The hubs pinged when a feed changes.
    pub fn publish_hubs(&self) -> &[HubUrl] {
        self.publish_hubs.get_ref()
    }

    /// Fails when subscribing or publishing is asked for without `public_url`, naming the line
    /// and the fix.
    pub fn check(&self, public_url: Option<&PublicUrl>, text: &str) -> Result<(), String> {
        if public_url.is_some() {
            return Ok(());
        }
        let (key, at) = match (self.subscribes(), self.publish_hubs().is_empty()) {
            (true, _) => ("subscribe = true", self.subscribe.span().start),
            (false, false) => ("publish_hubs", self.publish_hubs.span().start),
            (false, true) => return Ok(()),
        };
        Err(format!(
            "[websub] {key} at line {} needs [server] public_url, the address the hub and feed readers \
             reach this server at: set public_url = \"https://feeds.example.com\" under [server] \
             (README: \"WebSub\")",
            line_of(text, at)
        ))
    }
}

/// `[server] public_url`: an http(s) base URL without query or fragment, kept without a
/// trailing `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    /// `path` (starting with `/`, or not) under this base.
    pub fn join(&self, path: &str) -> String {
        format!("{}/{}", self.0, path.trim_start_matches('/'))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for PublicUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let url =
            http_url(&text, "public_url", "https://feeds.example.com").map_err(serde::de::Error::custom)?;
        if url.query().is_some() || url.fragment().is_some() {
            return Err(serde::de::Error::custom(format!(
                "invalid public_url \"{text}\": use a base URL without ? or #, such as https://feeds.example.com"
            )));
        }
        Ok(PublicUrl(url.as_str().trim_end_matches('/').to_owned()))
    }
}

/// A hub's http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubUrl(url::Url);

impl HubUrl {
    pub fn url(&self) -> &url::Url {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl<'de> Deserialize<'de> for HubUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        http_url(&text, "hub", YOUTUBE_HUB).map(HubUrl).map_err(serde::de::Error::custom)
    }
}

/// `text` as an http or https URL with a host; the error names `what` and an example.
fn http_url(text: &str, what: &str, example: &str) -> Result<url::Url, String> {
    let invalid = |why: String| format!("invalid {what} \"{}\": {why}", text.escape_debug());
    let url = url::Url::parse(text.trim()).map_err(|e| invalid(e.to_string()))?;
    match url.scheme() {
        "http" | "https" if url.host().is_some() => Ok(url),
        _ => Err(invalid(format!("use an http or https URL such as {example}"))),
    }
}

/// A key left out: its default, spanning nothing.
fn unset<T: Default>() -> Spanned<T> {
    Spanned::new(0..0, T::default())
}

fn default_hub() -> HubUrl {
    HubUrl(url::Url::parse(YOUTUBE_HUB).expect("the YouTube hub's URL is valid"))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::Config;

    fn parse(rest: &str) -> Result<Config, String> {
        let text = format!(
            "[site]\nroot = \"site\"\ntitle = \"T\"\nbase_url = \"https://blog.example.com/\"\n\n\
             [[channels]]\nid = \"mlst\"\nname = \"MLST\"\nyoutube = \"https://example.com/y.xml\"\n\n{rest}"
        );
        Config::parse(&text, Path::new("test.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_subscribe_to_nothing_and_ping_nobody() {
        let config = parse("").unwrap();
        assert!(!config.websub.subscribes());
        assert_eq!(config.websub.hub.as_str(), super::YOUTUBE_HUB);
        assert!(config.websub.publish_hubs().is_empty());
        assert!(config.server.public_url.is_none());
    }

    #[test]
    fn the_contract_parses() {
        let config = parse(
            "[server]\npublic_url = \"https://feeds.example.com/\"\n\n[websub]\nsubscribe = true\n\
             hub = \"http://127.0.0.1:9/hub\"\npublish_hubs = [\"https://pubsubhubbub.appspot.com/\"]\n",
        )
        .unwrap();
        let public = config.server.public_url.as_ref().unwrap();
        assert_eq!(public.join("/websub/abc"), "https://feeds.example.com/websub/abc");
        assert!(config.websub.subscribes());
        assert_eq!(config.websub.hub.as_str(), "http://127.0.0.1:9/hub");
        assert_eq!(config.websub.publish_hubs().len(), 1);
    }

    #[test]
    fn pushing_without_a_public_url_names_the_line_and_the_fix() {
        let error = parse("[websub]\nsubscribe = true\n").unwrap_err();
        assert!(error.contains("line 12") && error.contains("public_url = \"https://"), "{error}");
        let error = parse("[websub]\npublish_hubs = [\"https://hub.example/\"]\n").unwrap_err();
        assert!(error.contains("publish_hubs at line 12") && error.contains("[server]"), "{error}");
        assert!(parse("[websub]\nsubscribe = false\n").is_ok());
    }

    #[test]
    fn bad_urls_are_refused_with_the_value_and_the_line() {
        let cases = [
            ("[server]\npublic_url = \"ftp://x\"\n", "ftp://x"),
            ("[server]\npublic_url = \"https://x.example/?a=1\"\n", "without ?"),
            ("[websub]\nhub = \"not a url\"\n", "not a url"),
            ("[websub]\npublish_hubs = [\"file:///hub\"]\n", "file:///hub"),
        ];
        for (rest, needle) in cases {
            let error = parse(rest).unwrap_err();
            assert!(error.contains(needle) && error.contains("line 12"), "{rest}: {error}");
        }
    }
}
