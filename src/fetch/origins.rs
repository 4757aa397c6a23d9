//! Origin overrides: the environment variables `SYNDICATOR_ORIGIN_YOUTUBE`,
//! `SYNDICATOR_ORIGIN_ITUNES` and `SYNDICATOR_ORIGIN_SPOTIFY_API` name a scheme, host and port
//! that every request to `https://www.youtube.com`, `https://itunes.apple.com` or
//! `https://api.spotify.com` goes to instead (a mirror, or a test's local server). The config
//! and everything syndicator writes keep the canonical URLs; only the request is redirected.

use url::{Origin, Url};

/// The canonical origins that can be overridden, with their variables.
const OVERRIDABLE: [(&str, &str); 3] = [
    ("SYNDICATOR_ORIGIN_YOUTUBE", "https://www.youtube.com"),
    ("SYNDICATOR_ORIGIN_ITUNES", "https://itunes.apple.com"),
    ("SYNDICATOR_ORIGIN_SPOTIFY_API", "https://api.spotify.com"),
];

/// The overrides in force: canonical origin → the origin requests go to instead.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// Pairs of (canonical, replacement) URLs, each only scheme, host and port.
    overrides: Vec<(Url, Url)>,
}

impl Origins {
    /// The overrides set in the environment; a variable that is not an http(s) URL is an error
    /// naming it.
    pub fn from_env() -> Result<Origins, String> {
        let mut overrides = Vec::new();
        for (variable, canonical) in OVERRIDABLE {
            let Some(value) = std::env::var(variable).ok().filter(|v| !v.trim().is_empty()) else { continue };
            let replacement = Url::parse(value.trim())
                .ok()
                .filter(|url| matches!(url.scheme(), "http" | "https") && url.has_host())
                .ok_or_else(|| {
                    format!("{variable}={value:?} is not an http(s) origin such as http://127.0.0.1:8080")
                })?;
            overrides.push((Url::parse(canonical).expect("the canonical origins are URLs"), replacement));
        }
        Ok(Origins { overrides })
    }

    /// Where a request for `url` goes: `url` on the replacement origin when its origin is
    /// overridden, else `url` itself.
    pub fn route(&self, url: &Url) -> Routed<'_> {
        let via = self.overrides.iter().find(|(canonical, _)| canonical.origin() == url.origin());
        let routed =
            via.map_or_else(|| url.clone(), |(_, replacement)| with_origin(url, &replacement.origin()));
        Routed { url: routed, via }
    }
}

/// A request's URL after [`Origins::route`], remembering the override it went through.
#[derive(Debug)]
pub struct Routed<'a> {
    /// The URL the request goes to.
    pub url: Url,
    /// The (canonical, replacement) pair applied, if any.
    via: Option<&'a (Url, Url)>,
}

impl Routed<'_> {
    /// The canonical form of a URL the request reached (itself or a redirect's target on the
    /// same replacement origin), so that nothing written names the override.
    pub fn canonical(&self, reached: &Url) -> Url {
        match self.via {
            Some((canonical, replacement)) if replacement.origin() == reached.origin() => {
                with_origin(reached, &canonical.origin())
            }
            _ => reached.clone(),
        }
    }
}

/// `url` with the scheme, host and port of `origin`.
fn with_origin(url: &Url, origin: &Origin) -> Url {
    let mut moved = Url::parse(&origin.ascii_serialization()).expect("an origin serialises to a URL");
    moved.set_path(url.path());
    moved.set_query(url.query());
    moved.set_fragment(url.fragment());
    moved
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origins(pairs: &[(&str, &str)]) -> Origins {
        let url = |s: &str| Url::parse(s).unwrap();
        Origins { overrides: pairs.iter().map(|(c, r)| (url(c), url(r))).collect() }
    }

    #[test]
    fn overridden_origins_are_routed_and_mapped_back() {
        let origins = origins(&[("https://www.youtube.com", "http://127.0.0.1:4321")]);
        let feed = Url::parse("https://www.youtube.com/feeds/videos.xml?channel_id=UCx#f").unwrap();
        let routed = origins.route(&feed);
        assert_eq!(routed.url.as_str(), "http://127.0.0.1:4321/feeds/videos.xml?channel_id=UCx#f");
        assert_eq!(routed.canonical(&routed.url), feed);
        let elsewhere = Url::parse("https://cdn.example/x").unwrap();
        assert_eq!(routed.canonical(&elsewhere), elsewhere, "a redirect off the replacement stays");
        for untouched in
            ["https://youtube.com/@x", "http://www.youtube.com/x", "https://itunes.apple.com/lookup"]
        {
            let url = Url::parse(untouched).unwrap();
            let routed = origins.route(&url);
            assert_eq!(routed.url, url, "{untouched}");
            assert_eq!(
                routed.canonical(&Url::parse("http://127.0.0.1:4321/").unwrap()).as_str(),
                "http://127.0.0.1:4321/"
            );
        }
    }

    #[test]
    fn no_override_changes_nothing() {
        let url = Url::parse("https://api.spotify.com/v1/shows/x").unwrap();
        assert_eq!(Origins::default().route(&url).url, url);
    }
}
