//! A tiny W3C WebDriver client (HTTP JSON through reqwest) driving Debian's headless
//! `chromium` through `chromedriver`: the handful of endpoints the status-page tests use.
//! Written here instead of adding a WebDriver crate: the protocol is a few JSON requests.
//! The browser's viewport is a 360 px wide phone (Chrome's mobile emulation), so pages are
//! laid out as on one, `<meta name="viewport">` included.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

use super::tools::require_tool;

/// The key under which WebDriver returns an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// The emulated phone's viewport width.
pub const PHONE_WIDTH: u64 = 360;

/// One browser session; the browser and the driver end on drop.
pub struct Browser {
    driver: Child,
    /// `http://127.0.0.1:<port>/session/<id>`: every command's URL starts here.
    session: String,
    http: reqwest::Client,
}

/// An element of the current page.
pub struct Element(String);

impl Browser {
    /// Starts `chromedriver` and a headless `chromium` session; `None` (skipped loudly) when
    /// either is missing, a failure under `CI=true`.
    pub async fn start() -> Option<Browser> {
        if !require_tool("chromedriver", &["--version"]) || !require_tool("chromium", &["--version"]) {
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut browser = Browser { driver, session: String::new(), http: reqwest::Client::new() };
        let base = format!("http://127.0.0.1:{port}");
        browser.wait_for_driver(&base).await;
        let answer = browser.call(reqwest::Method::POST, &format!("{base}/session"), capabilities()).await;
        browser.session = format!("{base}/session/{}", answer["sessionId"].as_str().unwrap());
        Some(browser)
    }

    async fn wait_for_driver(&self, base: &str) {
        let ready = poll(async || self.driver_ready(base).await, |ready| *ready).await;
        assert!(ready, "chromedriver did not become ready on {base}");
    }

    async fn driver_ready(&self, base: &str) -> bool {
        let Ok(answer) = self.http.get(format!("{base}/status")).send().await else { return false };
        let ready = answer.bytes().await.ok().and_then(|b| serde_json::from_slice::<Value>(&b).ok());
        ready.is_some_and(|v| v["value"]["ready"] == true)
    }

    /// Sends one command (a JSON body except for GET); returns its `value`, panicking with
    /// the driver's error.
    async fn call(&self, method: reqwest::Method, url: &str, body: Value) -> Value {
        let request = self.http.request(method.clone(), url);
        let request = match method {
            reqwest::Method::GET => request,
            _ => request.header("content-type", "application/json").body(body.to_string()),
        };
        let answer = request.send().await.unwrap().bytes().await.unwrap();
        let answer: Value = serde_json::from_slice(&answer).unwrap();
        if answer["value"]["error"].is_string() {
            panic!("WebDriver {method} {url}: {}", answer["value"]);
        }
        answer["value"].clone()
    }

    async fn command(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        self.call(method, &format!("{}{path}", self.session), body).await
    }

    pub async fn goto(&self, url: &str) {
        self.command(reqwest::Method::POST, "/url", json!({ "url": url })).await;
    }

    pub async fn current_url(&self) -> String {
        self.command(reqwest::Method::GET, "/url", Value::Null).await.as_str().unwrap().to_owned()
    }

    pub async fn source(&self) -> String {
        self.command(reqwest::Method::GET, "/source", Value::Null).await.as_str().unwrap().to_owned()
    }

    /// Every element matching the CSS `selector`.
    pub async fn find_all(&self, selector: &str) -> Vec<Element> {
        let body = json!({ "using": "css selector", "value": selector });
        let found = self.command(reqwest::Method::POST, "/elements", body).await;
        found.as_array().unwrap().iter().map(|e| Element(e[ELEMENT].as_str().unwrap().to_owned())).collect()
    }

    /// The first element matching `selector`; panics with the page source when none does.
    pub async fn find(&self, selector: &str) -> Element {
        match self.find_all(selector).await.into_iter().next() {
            Some(element) => element,
            None => panic!("no element matches {selector:?} in\n{}", self.source().await),
        }
    }

    pub async fn send_keys(&self, element: &Element, text: &str) {
        let path = format!("/element/{}/value", element.0);
        self.command(reqwest::Method::POST, &path, json!({ "text": text })).await;
    }

    pub async fn click(&self, element: &Element) {
        self.command(reqwest::Method::POST, &format!("/element/{}/click", element.0), json!({})).await;
    }

    pub async fn text(&self, element: &Element) -> String {
        let path = format!("/element/{}/text", element.0);
        self.command(reqwest::Method::GET, &path, Value::Null).await.as_str().unwrap().to_owned()
    }

    /// An element's attribute as written in the page.
    pub async fn attribute(&self, element: &Element, name: &str) -> Option<String> {
        let path = format!("/element/{}/attribute/{name}", element.0);
        self.command(reqwest::Method::GET, &path, Value::Null).await.as_str().map(str::to_owned)
    }

    /// The cookies the browser holds for the current page.
    pub async fn cookies(&self) -> Vec<Value> {
        self.command(reqwest::Method::GET, "/cookie", Value::Null).await.as_array().unwrap().clone()
    }

    pub async fn delete_cookies(&self) {
        self.command(reqwest::Method::DELETE, "/cookie", json!({})).await;
    }

    /// Runs `script` (a function body) in the page and returns what it returns.
    pub async fn execute(&self, script: &str) -> Value {
        self.command(reqwest::Method::POST, "/execute/sync", json!({ "script": script, "args": [] })).await
    }

    /// A PNG of the viewport.
    pub async fn screenshot(&self) -> Vec<u8> {
        let encoded = self.command(reqwest::Method::GET, "/screenshot", Value::Null).await;
        base64::engine::general_purpose::STANDARD.decode(encoded.as_str().unwrap()).unwrap()
    }

    /// Polls `element`'s text until it is no longer `before` (a script changes it after a
    /// promise settles); the new text.
    pub async fn wait_for_text_change(&self, element: &Element, before: &str) -> String {
        let text = poll(async || self.text(element).await, |text| text != before).await;
        assert_ne!(text, before, "the text did not change");
        text
    }

    /// Polls the page source until it contains `needle`.
    pub async fn wait_for_text(&self, needle: &str) -> String {
        let source = poll(async || self.source().await, |source| source.contains(needle)).await;
        assert!(source.contains(needle), "no {needle:?} in\n{source}");
        source
    }
}

/// Reads with `read` every 100 ms until `done` holds or [`super::serve::PATIENCE`] has passed;
/// the last reading.
async fn poll<T>(mut read: impl AsyncFnMut() -> T, done: impl Fn(&T) -> bool) -> T {
    let deadline = Instant::now() + super::serve::PATIENCE;
    loop {
        let reading = read().await;
        if done(&reading) || Instant::now() > deadline {
            return reading;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

impl Drop for Browser {
    /// Ends the session (which closes the browser), then the driver. Plain `std` HTTP, since
    /// drop cannot await.
    fn drop(&mut self) {
        if let Some((host, path)) = self.session.strip_prefix("http://").and_then(|rest| rest.split_once('/'))
        {
            use std::io::{Read, Write};
            if let Ok(mut stream) = std::net::TcpStream::connect(host) {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                let request = format!("DELETE /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
                let _ = stream.write_all(request.as_bytes());
                let _ = stream.read_to_end(&mut Vec::new());
            }
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Headless chromium (no sandbox: CI runs as root), as a 360 px wide phone.
fn capabilities() -> Value {
    let metrics =
        json!({ "width": PHONE_WIDTH, "height": 740, "pixelRatio": 1.0, "mobile": true, "touch": true });
    json!({ "capabilities": { "alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "args": ["--headless", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run"],
            "mobileEmulation": { "deviceMetrics": metrics },
        },
    }}})
}
