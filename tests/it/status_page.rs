//! The status page of `serve` over plain HTTP: off without the admin token, the login and its
//! cookie's attributes, the security headers, logout, the login throttle, and every refusal
//! of a "sync now" POST (no session, no or a wrong CSRF token, another origin). The same page
//! in a real browser is `status_browser.rs`.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};

use super::app::App;
use super::authors::{self, APPLE_EMBED};
use super::serve::{Serve, TOKEN, wait_until};

/// `serve` on a free port, polling only at start-up (and when asked).
const SERVE_ON_DEMAND: &str = r#"
[schedule]
default = "0 0 4 1 1 *"
jitter_secs = 0

[server]
listen = "127.0.0.1:0"
"#;

/// An app following YouTube, the podcast and Apple, synced twice: the Llion Jones stub was
/// edited by its author before its Apple copy arrived, so its Apple embed waits to be pasted.
pub fn app_with_a_pending_embed() -> App {
    let app = authors::app_with(&format!("{SERVE_ON_DEMAND}{}", authors::CHANNEL));
    app.sync_expecting(0);
    let stub = authors::posts(&app).join(authors::transformer(&app));
    let text = std::fs::read_to_string(&stub).unwrap();
    std::fs::write(&stub, text.replace("draft: true", "draft: false")).unwrap();
    authors::apple_arrives(&app);
    app.sync_expecting(0);
    let status = app.run(&["status"]);
    assert!(status.stdout.contains(APPLE_EMBED), "pending before serve starts: {}", status.stdout);
    app
}

/// `serve` with the admin token, once its start-up run is done.
pub fn serve_with_token(app: &App) -> Serve {
    let serve = Serve::start(app, &[("SYNDICATOR_ADMIN_TOKEN", TOKEN)]);
    serve.wait_for_log("channel synced");
    serve
}

/// How many times `serve` has polled the channel's YouTube feed.
pub fn polls(app: &App) -> usize {
    app.upstream.seen("/youtube.xml").len()
}

/// `request` with `pairs` as its urlencoded form body (reqwest's `form` needs a feature we do
/// not build).
fn with_form(request: reqwest::RequestBuilder, pairs: &[(&str, &str)]) -> reqwest::RequestBuilder {
    let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    request.header("content-type", "application/x-www-form-urlencoded").body(body)
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Logs in with `token`; returns the response.
async fn log_in(serve: &Serve, token: &str) -> reqwest::Response {
    with_form(client().post(serve.url("/login")), &[("token", token)]).send().await.unwrap()
}

/// Logs in and returns the `Cookie` header value and the page's CSRF token.
async fn session(serve: &Serve) -> (String, String) {
    let response = log_in(serve, TOKEN).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let page = client().get(serve.url("/status")).header("cookie", &cookie).send().await.unwrap();
    let html = page.text().await.unwrap();
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    (cookie, csrf)
}

/// `text` as the page's templates escape it.
fn escaped(text: &str) -> String {
    let pairs =
        [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\"", "&quot;"), ("'", "&#x27;"), ("/", "&#x2f;")];
    pairs.iter().fold(text.to_owned(), |text, (from, to)| text.replace(from, to))
}

fn assert_security_headers(headers: &HeaderMap) {
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-frame-options"], "DENY");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("script-src 'sha256-") && !csp.contains("unsafe-inline"), "{csp}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_status_page_is_off_without_the_admin_token() {
    let app = authors::app_with(&format!("{SERVE_ON_DEMAND}{}", authors::CHANNEL));
    let serve = Serve::start(&app, &[]);
    assert_eq!(client().get(serve.url("/status")).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(log_in(&serve, TOKEN).await.status(), StatusCode::NOT_FOUND, "no login either");
    let sync =
        with_form(client().post(serve.url("/status/sync")), &[("channel", "mlst")]).send().await.unwrap();
    assert_eq!(sync.status(), StatusCode::NOT_FOUND);
    let index = client().get(serve.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(index.contains("href=\"/feed.xml\"") && !index.contains("/status"), "/ lists feeds: {index}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_login_sets_a_strict_http_only_cookie_and_logout_ends_the_session() {
    let app = app_with_a_pending_embed();
    let serve = serve_with_token(&app);
    let anonymous = client().get(serve.url("/status")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::OK);
    assert_security_headers(anonymous.headers());
    let login_form = anonymous.text().await.unwrap();
    assert!(login_form.contains("<form method=\"post\" action=\"/login\">"), "{login_form}");
    assert!(
        login_form.contains("name=\"token\"") && !login_form.contains("Machine Learning"),
        "{login_form}"
    );

    let wrong = log_in(&serve, "not-the-token").await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    assert!(wrong.headers().get(SET_COOKIE).is_none());
    assert!(wrong.text().await.unwrap().contains("這不是管理權杖"), "the site's language");
    serve.wait_for_log("status page: failed login");

    let right = log_in(&serve, TOKEN).await;
    assert_eq!(right.status(), StatusCode::SEE_OTHER);
    assert_eq!(right.headers()[LOCATION], "/status");
    let set_cookie = right.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    let attributes: Vec<&str> = set_cookie.split("; ").skip(1).collect();
    assert_eq!(
        attributes,
        ["Path=/status", "Max-Age=43200", "HttpOnly", "SameSite=Strict"],
        "no Secure over http"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    assert_eq!(cookie.len(), "syndicator_session=".len() + 64);

    let page = client().get(serve.url("/status")).header("cookie", &cookie).send().await.unwrap();
    assert_security_headers(page.headers());
    let html = page.text().await.unwrap();
    assert!(html.contains("Machine Learning Street Talk") && html.contains("立即同步"), "{html}");
    assert!(html.contains(&escaped(APPLE_EMBED)), "the pending line, escaped: {html}");
    assert!(html.contains("WebSub 訂閱") && html.contains("沒有訂閱"), "no subscriptions yet: {html}");
    assert!(!serve.log().contains(TOKEN) && !serve.log().contains(&cookie[19..]), "no secret is logged");

    let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap();
    let logout = client().post(serve.url("/status/logout")).header("cookie", &cookie);
    let logout = with_form(logout, &[("csrf", csrf)]).send().await.unwrap();
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    assert!(
        logout.headers()[SET_COOKIE]
            .to_str()
            .unwrap()
            .starts_with("syndicator_session=; Path=/status; Max-Age=0")
    );
    let after = client().get(serve.url("/status")).header("cookie", &cookie).send().await.unwrap();
    assert!(
        after.text().await.unwrap().contains("action=\"/login\""),
        "the old cookie no longer opens the page"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_posts_without_a_session_a_csrf_token_or_from_another_origin_are_refused() {
    let app = app_with_a_pending_embed();
    let serve = serve_with_token(&app);
    let (cookie, csrf) = session(&serve).await;
    let before = polls(&app);
    let post = |cookie: Option<&str>, csrf: Option<&str>, headers: &[(&'static str, &'static str)]| {
        let mut request = client().post(serve.url("/status/sync"));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let mut form = vec![("channel", "mlst")];
        form.extend(csrf.map(|csrf| ("csrf", csrf)));
        let request = with_form(request, &form);
        async move { request.send().await.unwrap() }
    };
    let refusals = [
        ("no session", post(None, Some(&csrf), &[]).await, "請先登入"),
        ("an unknown session", post(Some("syndicator_session=00ff"), Some(&csrf), &[]).await, "請先登入"),
        ("no CSRF token", post(Some(&cookie), None, &[]).await, "表單已過期"),
        ("a wrong CSRF token", post(Some(&cookie), Some("0123abcd"), &[]).await, "表單已過期"),
        (
            "another origin",
            post(Some(&cookie), Some(&csrf), &[("origin", "https://evil.example")]).await,
            "其他網站",
        ),
        (
            "a cross-site fetch",
            post(Some(&cookie), Some(&csrf), &[("sec-fetch-site", "cross-site")]).await,
            "其他網站",
        ),
        (
            "a same-site fetch",
            post(Some(&cookie), Some(&csrf), &[("sec-fetch-site", "same-site")]).await,
            "其他網站",
        ),
    ];
    for (what, response, why) in refusals {
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{what}");
        assert_security_headers(response.headers());
        assert!(response.text().await.unwrap().contains(why), "{what}");
    }
    assert_eq!(polls(&app), before, "nothing was started");

    let accepted = post(Some(&cookie), Some(&csrf), &[("sec-fetch-site", "same-origin")]).await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    assert_eq!(accepted.headers()[LOCATION], "/status?synced=mlst");
    assert!(
        wait_until(|| (polls(&app) > before).then_some(())).is_some(),
        "the channel ran: {}",
        serve.log()
    );
    let unknown = client().post(serve.url("/status/sync")).header("cookie", &cookie);
    let unknown = with_form(unknown, &[("channel", "nope"), ("csrf", &csrf)]).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_logins_are_throttled() {
    let app = authors::app_with(&format!("{SERVE_ON_DEMAND}{}", authors::CHANNEL));
    let serve = serve_with_token(&app);
    for attempt in 0..10 {
        assert_eq!(log_in(&serve, &format!("guess-{attempt}")).await.status(), StatusCode::FORBIDDEN);
    }
    let throttled = log_in(&serve, TOKEN).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS, "even the right token, for a minute");
    assert!(throttled.headers().get(SET_COOKIE).is_none());
    serve.wait_for_log("too many failed logins");
}

#[tokio::test(flavor = "multi_thread")]
async fn behind_an_https_public_url_the_cookie_is_secure_and_that_origin_is_accepted() {
    let public =
        SERVE_ON_DEMAND.replace("[server]\n", "[server]\npublic_url = \"https://feeds.example.com\"\n");
    let app = authors::app_with(&format!("{public}{}", authors::CHANNEL));
    let serve = serve_with_token(&app);
    let login = log_in(&serve, TOKEN).await;
    let set_cookie = login.headers()[SET_COOKIE].to_str().unwrap();
    assert!(set_cookie.ends_with("; HttpOnly; SameSite=Strict; Secure"), "{set_cookie}");
    let (cookie, csrf) = session(&serve).await;
    let sync_from = |origin: &'static str| {
        let request =
            client().post(serve.url("/status/sync")).header("cookie", &cookie).header("origin", origin);
        let request = with_form(request, &[("channel", "mlst"), ("csrf", &csrf)]);
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(
        sync_from("http://feeds.example.com").await,
        StatusCode::FORBIDDEN,
        "another scheme, another origin"
    );
    assert_eq!(sync_from("https://feeds.example.com").await, StatusCode::SEE_OTHER, "a proxy rewrote Host");
}
