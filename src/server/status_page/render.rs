//! The status page's HTML: minijinja templates (`templates/`, HTML auto-escaping, unknown
//! variables an error), labels in the site language, times in the site time zone, and the
//! security headers every page response carries. The one stylesheet and the one script are
//! inline and allowed by their SHA-256 in the Content-Security-Policy, so no other script or
//! style can run, whatever a channel's name or an error text holds.

use std::sync::LazyLock;

use axum::http::{HeaderName, HeaderValue, header};
use base64::Engine as _;
use chrono::DateTime;
use chrono_tz::Tz;
use minijinja::{Environment, UndefinedBehavior, Value, context};
use sha2::{Digest, Sha256};

use super::labels::labels;
use crate::model::Language;

const CSS: &str = include_str!("templates/style.css");
const JS: &str = include_str!("templates/copy.js");

/// `Content-Security-Policy`: nothing but our own inline style and script, forms posting only
/// here, never inside a frame.
static CSP: LazyLock<String> = LazyLock::new(|| {
    format!(
        "default-src 'none'; style-src '{}'; script-src '{}'; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'",
        csp_hash(CSS),
        csp_hash(JS)
    )
});

/// The headers of every status-page response: no caching (the page holds a CSRF token and
/// the operator's data), no framing, no sniffing, no referrer leaving the site.
pub fn security_headers() -> [(HeaderName, HeaderValue); 6] {
    let csp = HeaderValue::from_str(&CSP).expect("the policy is ASCII");
    [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (header::CONTENT_SECURITY_POLICY, csp),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::REFERRER_POLICY, HeaderValue::from_static("same-origin")),
    ]
}

/// The templates, compiled once, with the site's language, time zone and title.
pub struct Renderer {
    env: Environment<'static>,
    /// Shared by every page: language tag, labels, site title, the inline style.
    common: Value,
}

impl Renderer {
    pub fn new(language: Language, timezone: Tz, site_title: &str) -> Renderer {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for (name, source) in [
            ("layout.html", include_str!("templates/layout.html")),
            ("login.html", include_str!("templates/login.html")),
            ("message.html", include_str!("templates/message.html")),
            ("status.html", include_str!("templates/status.html")),
        ] {
            env.add_template(name, source).expect("the built-in templates compile");
        }
        let never = labels(language)["never"];
        env.add_filter("when", move |time: Option<String>| local_time(time.as_deref(), timezone, never));
        let common = context! {
            lang => language.tag(), t => labels(language), site_title => site_title, css => CSS,
        };
        Renderer { env, common }
    }

    /// The login form; `problem` names the label of what went wrong with the last attempt.
    pub fn login(&self, problem: Option<&str>) -> Result<String, minijinja::Error> {
        self.render("login.html", context! { problem => problem })
    }

    /// A refusal or failure: the label `message`, then `detail` (already printable) if any.
    pub fn message(&self, message: &str, detail: Option<&str>) -> Result<String, minijinja::Error> {
        self.render("message.html", context! { message => message, detail => detail })
    }

    /// The status page for the `/api/status` data `status`, with the served feeds' paths and
    /// the session's CSRF token; `synced` names a channel whose run was just started.
    pub fn status(
        &self,
        status: &serde_json::Value,
        feeds: &[&str],
        csrf: &str,
        synced: Option<&str>,
    ) -> Result<String, minijinja::Error> {
        let channels = status["channels"].as_array().map(Vec::as_slice).unwrap_or_default();
        let synced = synced.filter(|id| channels.iter().any(|channel| channel["id"] == *id));
        let pending_count: usize =
            channels.iter().filter_map(|c| c["pending_embeds"].as_array()).map(Vec::len).sum();
        let page = context! {
            status => status, feeds => feeds, csrf => csrf, synced => synced,
            pending_count => pending_count, js => JS,
        };
        self.render("status.html", page)
    }

    fn render(&self, name: &str, page: Value) -> Result<String, minijinja::Error> {
        self.env.get_template(name)?.render(context! { ..page, ..self.common.clone() })
    }
}

/// An RFC 3339 time as `YYYY-MM-DD HH:MM` in the site's time zone; `never` when absent.
fn local_time(time: Option<&str>, timezone: Tz, never: &str) -> String {
    let Some(time) = time else { return never.to_owned() };
    match DateTime::parse_from_rfc3339(time) {
        Ok(time) => time.with_timezone(&timezone).format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => time.to_owned(),
    }
}

/// A CSP source expression allowing exactly `text` as an inline block.
fn csp_hash(text: &str) -> String {
    format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renderer(language: Language) -> Renderer {
        Renderer::new(language, "Asia/Taipei".parse().unwrap(), "AI <技術> 前沿")
    }

    #[test]
    fn times_are_shown_in_the_site_time_zone() {
        let taipei: Tz = "Asia/Taipei".parse().unwrap();
        assert_eq!(local_time(Some("2025-11-28T10:00:00Z"), taipei, "never"), "2025-11-28 18:00");
        assert_eq!(local_time(None, taipei, "從未"), "從未");
        assert_eq!(local_time(Some("soon"), taipei, "never"), "soon");
    }

    #[test]
    fn upstream_text_is_escaped_and_the_language_is_the_sites() {
        let status = serde_json::json!({
            "channels": [{
                "id": "mlst", "name": "<script>alert(1)</script>", "platforms": ["youtube"],
                "last_poll": null, "last_result": null, "last_error": "bad <b>", "next_run": null,
                "backoff": [], "pending_embeds": [{ "path": "/s/a.md", "lines": ["{{< spotify id=\"x\" >}}"] }],
            }],
            "recent_stubs": [], "feeds_error": null,
            "websub": [{
                "channel": "mlst", "platform": "youtube", "topic": "https://example.com/t?a=1&b=2",
                "hub": "https://hub.example/", "state": "failed", "lease_expires": null,
                "last_notification": "2025-11-28T10:00:00Z", "failures": 2,
                "retry_at": "2025-11-28T11:00:00Z", "last_error": "hub down <503>",
            }],
        });
        let html = renderer(Language::ZhTw).status(&status, &["/feed.xml"], "c5rf", Some("mlst")).unwrap();
        assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"), "{html}");
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(
            html.contains("AI &lt;技術&gt; 前沿") && html.contains("立即同步") && html.contains("已開始同步")
        );
        assert!(html.contains("{{&lt; spotify id=&quot;x&quot; &gt;}}"), "embed lines escaped: {html}");
        assert!(html.contains("<html lang=\"zh-TW\">"));
        let websub = &html[html.find("id=\"websub\"").unwrap()..html.find("id=\"feeds\"").unwrap()];
        for part in [
            "WebSub 訂閱",
            "t?a=1&amp;b=2",
            "failed",
            "2025-11-28 18:00",
            "hub down &lt;503&gt; (2 次失敗，下次重試 2025-11-28 19:00)",
        ] {
            assert!(websub.contains(part), "{part:?} in the subscriptions:\n{websub}");
        }
        let english = renderer(Language::En).status(&status, &[], "c5rf", Some("<nope>")).unwrap();
        assert!(english.contains("Sync now") && !english.contains("Sync started"), "unknown ids not echoed");
    }

    #[test]
    fn the_policy_allows_exactly_the_inline_style_and_script() {
        let empty =
            serde_json::json!({ "channels": [], "recent_stubs": [], "websub": [], "feeds_error": null });
        let html = renderer(Language::En).status(&empty, &[], "c", None).unwrap();
        let inline = |open: &str, close: &str| {
            let start = html.find(open).unwrap() + open.len();
            html[start..start + html[start..].find(close).unwrap()].to_owned()
        };
        assert_eq!(inline("<style>", "</style>"), CSS);
        assert_eq!(inline("<script>", "</script>"), JS);
        assert!(CSP.contains(&csp_hash(CSS)) && CSP.contains(&csp_hash(JS)));
        assert!(CSP.contains("frame-ancestors 'none'") && !CSP.contains("unsafe-inline"));
    }
}
