//! A WebSub hub written for the tests (real HTTP on 127.0.0.1, port 0). It takes
//! subscription requests (202), verifies intent against the subscriber's callback with a real
//! GET carrying a challenge and the lease it is told to grant, records publish pings (204),
//! and pushes notifications to a verified callback, signed or not as a test asks.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{Response, StatusCode};
use syndicator::websub::signature::{Method, sign};

/// A subscribe or unsubscribe request the hub received.
#[derive(Clone, Debug)]
pub struct Request {
    pub mode: String,
    pub topic: String,
    pub callback: String,
    pub secret: String,
    pub lease_seconds: String,
}

/// A verification of intent the hub made, and how the callback answered.
#[derive(Clone, Debug)]
pub struct Verified {
    pub request: Request,
    pub status: u16,
    /// The callback answered 200 with exactly the challenge.
    pub echoed: bool,
}

/// How a pushed notification is signed.
#[derive(Clone, Copy, Debug)]
pub enum Signature {
    With(Method),
    Unsigned,
    /// A signature of the right shape under another secret.
    WrongSecret,
}

#[derive(Default)]
struct State {
    verified: Vec<Verified>,
    /// `hub.url` of each publish ping.
    pings: Vec<String>,
    /// `hub.lease_seconds` granted in verifications.
    lease: u64,
}

pub struct Hub {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Hub {
    pub fn start() -> Hub {
        let state = Arc::new(Mutex::new(State { lease: 432_000, ..State::default() }));
        let shared = state.clone();
        let app = axum::Router::new().fallback(move |body: Bytes| answer(shared.clone(), body));
        let (addr, stop) = super::upstream::spawn_server(app);
        Hub { addr, state, _stop: stop }
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Grants `seconds` in every verification from now on.
    pub fn grant_lease(&self, seconds: u64) {
        self.state.lock().unwrap().lease = seconds;
    }

    pub fn verified(&self) -> Vec<Verified> {
        self.state.lock().unwrap().verified.clone()
    }

    pub fn pings(&self) -> Vec<String> {
        self.state.lock().unwrap().pings.clone()
    }

    /// Waits (up to 15 s) for the `n`th confirmed subscription of `topic` and returns it.
    pub fn wait_subscribed(&self, topic: &str, n: usize) -> Verified {
        let deadline = Instant::now() + super::serve::PATIENCE;
        loop {
            let confirmed: Vec<Verified> = self
                .verified()
                .into_iter()
                .filter(|v| v.echoed && v.request.mode == "subscribe" && v.request.topic == topic)
                .collect();
            if confirmed.len() >= n {
                return confirmed[n - 1].clone();
            }
            assert!(
                Instant::now() < deadline,
                "no confirmed subscription #{n} of {topic}: {:?}",
                self.verified()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// POSTs `body` to `subscription`'s callback as the hub does: `Link` naming the hub and
    /// `topic`, `X-Hub-Signature` as `signature` says. Returns the callback's status.
    pub async fn push(&self, subscription: &Verified, body: &[u8], signature: Signature, topic: &str) -> u16 {
        let secret = subscription.request.secret.as_bytes();
        let header = match signature {
            Signature::With(method) => Some(sign(method, body, secret)),
            Signature::Unsigned => None,
            Signature::WrongSecret => Some(sign(Method::Sha256, body, b"not the secret")),
        };
        let mut request = reqwest::Client::new()
            .post(&subscription.request.callback)
            .header("content-type", "application/atom+xml")
            .header("link", format!("<{}>; rel=hub, <{topic}>; rel=self", self.url()))
            .body(body.to_vec());
        if let Some(header) = header {
            request = request.header("x-hub-signature", header);
        }
        request.send().await.unwrap().status().as_u16()
    }
}

async fn answer(state: Arc<Mutex<State>>, body: Bytes) -> Response<Body> {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let status = match field("hub.mode").as_str() {
        "publish" => {
            state.lock().unwrap().pings.push(field("hub.url"));
            StatusCode::NO_CONTENT
        }
        "subscribe" | "unsubscribe" => {
            let request = Request {
                mode: field("hub.mode"),
                topic: field("hub.topic"),
                callback: field("hub.callback"),
                secret: field("hub.secret"),
                lease_seconds: field("hub.lease_seconds"),
            };
            tokio::spawn(verify(state, request));
            StatusCode::ACCEPTED
        }
        _ => StatusCode::BAD_REQUEST,
    };
    Response::builder().status(status).body(Body::empty()).unwrap()
}

/// Verifies intent as WebSub §5.3 says, after answering the request.
async fn verify(state: Arc<Mutex<State>>, request: Request) {
    let lease = state.lock().unwrap().lease.to_string();
    let challenge = format!("challenge-{}", state.lock().unwrap().verified.len());
    let mut query = vec![
        ("hub.mode", request.mode.as_str()),
        ("hub.topic", &request.topic),
        ("hub.challenge", &challenge),
    ];
    if request.mode == "subscribe" {
        query.push(("hub.lease_seconds", &lease));
    }
    let url = url::Url::parse_with_params(&request.callback, &query).unwrap();
    let response = reqwest::Client::new().get(url).send().await.unwrap();
    let status = response.status().as_u16();
    let echoed = status == 200 && response.text().await.unwrap() == challenge;
    state.lock().unwrap().verified.push(Verified { request, status, echoed });
}
