//! The status page in a real browser: Debian's headless `chromium` driven through
//! `chromedriver` (`webdriver.rs`), emulating a 360 px wide phone. Login, the channel table,
//! the newest stubs, a pending embed with its exact line and copy button, "sync now"
//! starting a run, and the refusals: a form on another site (cross-site and same-site) posting
//! to the page with a valid CSRF token, and a click once the cookie is gone. Skipped loudly
//! without chromium, a failure under `CI=true`.

use super::authors::APPLE_EMBED;
use super::serve::{Serve, TOKEN, wait_until};
use super::status_page::{app_with_a_pending_embed, polls, serve_with_token};
use super::upstream::Route;
use super::webdriver::{Browser, PHONE_WIDTH};

/// Opens `/status` and logs in with the admin token, after one wrong attempt.
async fn log_in(browser: &Browser, serve: &Serve) {
    browser.goto(&serve.url("/status")).await;
    assert_fits_the_phone(browser).await;
    browser.send_keys(&browser.find("input[name=token]").await, "a wrong guess").await;
    browser.click(&browser.find("form[action='/login'] button").await).await;
    browser.wait_for_text("這不是管理權杖").await;
    browser.send_keys(&browser.find("input[name=token]").await, TOKEN).await;
    browser.click(&browser.find("form[action='/login'] button").await).await;
    browser.wait_for_text("立即同步").await;
    assert_eq!(browser.current_url().await, serve.url("/status"));
}

/// The page is laid out for the phone's 360 px viewport and nothing sticks out sideways.
async fn assert_fits_the_phone(browser: &Browser) {
    let widths = browser.execute("return [window.innerWidth, document.documentElement.scrollWidth]").await;
    assert_eq!(widths[0], PHONE_WIDTH, "a phone's viewport");
    assert!(widths[1].as_u64().unwrap() <= PHONE_WIDTH, "no horizontal overflow at 360 px: {widths}");
}

/// The width of a PNG, from its header.
fn png_width(png: &[u8]) -> u32 {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    u32::from_be_bytes(png[16..20].try_into().unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_login_opens_the_channels_the_newest_stubs_and_the_pending_embeds_on_a_phone() {
    let app = app_with_a_pending_embed();
    let serve = serve_with_token(&app);
    let Some(browser) = Browser::start().await else { return };
    log_in(&browser, &serve).await;
    let cookies = browser.cookies().await;
    let session = cookies.iter().find(|c| c["name"] == "syndicator_session").expect("the session cookie");
    assert_eq!(
        (&session["httpOnly"], &session["sameSite"], &session["path"]),
        (&true.into(), &"Strict".into(), &"/status".into())
    );
    assert!(
        browser.execute("return document.cookie").await.as_str().unwrap().is_empty(),
        "HttpOnly: no script sees it"
    );

    let row = browser.text(&browser.find("#channel-mlst").await).await;
    for part in ["Machine Learning Street Talk", "youtube, podcast, apple", "-01-01 04:00", "立即同步"] {
        assert!(row.contains(part), "{part:?} in the channel row:\n{row}");
    }
    let last_poll = browser.find("#channel-mlst time.last-poll").await;
    assert!(browser.attribute(&last_poll, "datetime").await.is_some_and(|t| t.ends_with('Z')));

    let recent = browser.text(&browser.find("#recent").await).await;
    let row = |title: &str| recent.lines().find(|line| line.contains(title)).unwrap_or_default().to_owned();
    assert!(
        row("Listener Mailbag #12").ends_with(".md apple, podcast youtube"),
        "has, then missing:\n{recent}"
    );
    assert!(row("[Llion Jones]").ends_with(".md youtube, apple, podcast —"), "nothing missing:\n{recent}");
    let pending = browser.find("#pending pre").await;
    assert_eq!(browser.text(&pending).await, APPLE_EMBED, "the exact line to paste");
    let copy = browser.find("#pending button[data-copy]").await;
    let label = browser.text(&copy).await;
    browser.click(&copy).await;
    let copied = browser.wait_for_text_change(&copy, &label).await;
    let selected = browser.execute("return window.getSelection().toString()").await;
    assert!(
        copied == "已複製" || (copied.starts_with("已選取") && selected == APPLE_EMBED),
        "{copied} {selected}"
    );

    assert_fits_the_phone(&browser).await;
    let screenshot = browser.screenshot().await;
    assert_eq!(png_width(&screenshot), PHONE_WIDTH as u32);
    std::fs::write(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("status-page-360.png"), screenshot)
        .unwrap();
    assert!(browser.text(&browser.find("#websub").await).await.contains("沒有訂閱"));
    let feeds = browser.text(&browser.find("#feeds").await).await;
    assert!(feeds.contains("/feed.xml") && feeds.contains("/sources/atom.xml"), "{feeds}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_now_starts_a_run_and_posts_from_other_sites_or_without_the_cookie_are_refused() {
    let app = app_with_a_pending_embed();
    let serve = serve_with_token(&app);
    let Some(browser) = Browser::start().await else { return };
    log_in(&browser, &serve).await;
    let polled_at = browser.attribute(&browser.find("#channel-mlst time.last-poll").await, "datetime").await;
    let before = polls(&app);
    browser.click(&browser.find("#channel-mlst form[action='/status/sync'] button").await).await;
    browser.wait_for_text("已開始同步").await;
    assert_eq!(browser.current_url().await, serve.url("/status?synced=mlst"));
    assert!(
        wait_until(|| (polls(&app) > before).then_some(())).is_some(),
        "upstream polled: {}",
        serve.log()
    );
    let runs = || serve.log().matches("channel synced").count();
    assert!(wait_until(|| (runs() == 2).then_some(())).is_some(), "{}", serve.log());
    browser.goto(&serve.url("/status")).await;
    let polled_again =
        browser.attribute(&browser.find("#channel-mlst time.last-poll").await, "datetime").await;
    assert_ne!(polled_again, polled_at, "the last poll moved");

    let csrf = browser.attribute(&browser.find("input[name=csrf]").await, "value").await.unwrap();
    let evil = format!(
        "<!DOCTYPE html><form id=\"f\" method=\"post\" action=\"{}\"><input name=\"channel\" value=\"mlst\">\
         <input name=\"csrf\" value=\"{csrf}\"></form><script>document.getElementById(\"f\").submit()</script>",
        serve.url("/status/sync")
    );
    app.upstream.set("/evil.html", Route { content_type: "text/html", ..Route::xml(evil) });
    let polled = polls(&app);
    let same_site = app.upstream.url("/evil.html");
    for evil_page in [same_site.replace("127.0.0.1", "localhost"), same_site] {
        browser.goto(&evil_page).await;
        browser.wait_for_text("此請求來自其他網站").await;
        assert!(browser.current_url().await.ends_with("/status/sync"), "{evil_page} posted to the page");
    }
    serve.wait_for_log("a cross-origin POST was refused");
    assert_eq!((polls(&app), runs()), (polled, 2), "no run was started");

    browser.goto(&serve.url("/status")).await;
    let sync_now = browser.find("#channel-mlst form[action='/status/sync'] button").await;
    browser.delete_cookies().await;
    browser.click(&sync_now).await;
    browser.wait_for_text("請先登入").await;
    browser.goto(&serve.url("/status")).await;
    browser.find("input[name=token]").await;
    assert!(!browser.source().await.contains("立即同步"), "the page needs the cookie");
    assert_eq!((polls(&app), runs()), (polled, 2), "no run was started");
}
