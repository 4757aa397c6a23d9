//! A real HTTP server on 127.0.0.1 (port 0) standing in for YouTube, podcast hosts and blogs:
//! routes are set per test, every request is recorded (headers and body), and responses can be delayed, made
//! conditional (ETag) or given any status.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, Request, Response, StatusCode, header};

/// What one path answers.
#[derive(Clone, Debug)]
pub struct Route {
    pub status: u16,
    pub body: Vec<u8>,
    pub content_type: &'static str,
    /// Sent as `ETag`; a request with a matching `If-None-Match` gets a 304.
    pub etag: Option<String>,
    /// Waited before the headers are sent.
    pub delay: Duration,
    /// The exact `Authorization` header required; anything else gets a 401.
    pub authorization: Option<String>,
    /// More response headers, such as `Retry-After`.
    pub headers: Vec<(&'static str, String)>,
}

impl Route {
    pub fn xml(body: impl Into<Vec<u8>>) -> Route {
        Route {
            status: 200,
            body: body.into(),
            content_type: "application/xml",
            etag: None,
            delay: Duration::ZERO,
            authorization: None,
            headers: Vec::new(),
        }
    }
    pub fn with_etag(mut self, etag: &str) -> Route {
        self.etag = Some(format!("\"{etag}\""));
        self
    }
    pub fn with_delay(mut self, delay: Duration) -> Route {
        self.delay = delay;
        self
    }
    pub fn json(body: impl Into<Vec<u8>>) -> Route {
        Route { content_type: "application/json", ..Route::xml(body) }
    }
    pub fn with_header(mut self, name: &'static str, value: &str) -> Route {
        self.headers.push((name, value.to_owned()));
        self
    }
    pub fn requiring(mut self, authorization: &str) -> Route {
        self.authorization = Some(authorization.to_owned());
        self
    }
    pub fn status(status: u16) -> Route {
        Route { status, ..Route::xml("") }
    }
}

/// One request the server saw.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

#[derive(Default)]
struct State {
    routes: HashMap<String, Route>,
    seen: Vec<Seen>,
}

/// The server runs on a thread of its own with its own runtime, so tests may be sync or async.
pub struct Upstream {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Upstream {
    pub fn start() -> Upstream {
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        let app = axum::Router::new().fallback(move |request: Request<Body>| answer(shared.clone(), request));
        let (addr, stop) = spawn_server(app);
        Upstream { addr, state, _stop: stop }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn set(&self, path: &str, route: Route) {
        self.state.lock().unwrap().routes.insert(path.to_owned(), route);
    }

    /// Sets `path` (may include a query) to answer a fixture, with every `{upstream}` in it
    /// replaced by this server's base URL.
    pub fn set_fixture(&self, path: &str, route: Route) {
        let body = String::from_utf8(route.body.clone()).unwrap().replace("{upstream}", &self.url(""));
        self.set(path, Route { body: body.into_bytes(), ..route });
    }

    /// The requests seen so far for `path`.
    pub fn seen(&self, path: &str) -> Vec<Seen> {
        self.state.lock().unwrap().seen.iter().filter(|s| s.path == path).cloned().collect()
    }
}

/// Serves `app` on 127.0.0.1 (port 0) from a thread of its own with its own runtime, so tests
/// may be sync or async, until the returned sender is dropped.
pub fn spawn_server(app: axum::Router) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let _ = axum::serve(listener, app).with_graceful_shutdown(async { drop(stopped.await) }).await;
        });
    });
    (addr, stop)
}

async fn answer(state: Arc<Mutex<State>>, request: Request<Body>) -> Response<Body> {
    let path = request.uri().path().to_owned();
    let full = request.uri().path_and_query().map_or(path.clone(), |p| p.as_str().to_owned());
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.map(|b| b.to_vec()).unwrap_or_default();
    let request = Request::from_parts(parts, ());
    let route = {
        let mut state = state.lock().unwrap();
        state.seen.push(Seen { path: path.clone(), headers: request.headers().clone(), body });
        state.routes.get(&full).or_else(|| state.routes.get(&path)).cloned()
    };
    let Some(route) = route else {
        return Response::builder().status(404).body(Body::from("not found")).unwrap();
    };
    tokio::time::sleep(route.delay).await;
    let authorization = request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    if route.authorization.is_some() && authorization != route.authorization.as_deref() {
        return Response::builder().status(401).body(Body::from("{\"error\":\"invalid token\"}")).unwrap();
    }
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok());
    let mut response = Response::builder().header(header::CONTENT_TYPE, route.content_type);
    if let Some(etag) = &route.etag {
        response = response.header(header::ETAG, etag);
        if if_none_match == Some(etag.as_str()) {
            return response.status(StatusCode::NOT_MODIFIED).body(Body::empty()).unwrap();
        }
    }
    for (name, value) in &route.headers {
        response = response.header(*name, value);
    }
    response.status(route.status).body(Body::from(route.body)).unwrap()
}
