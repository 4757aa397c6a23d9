//! Accepting connections safely: at most [`MAX_CONNECTIONS`] at once (more are closed right
//! away), request headers bounded in size and count and required within
//! [`HEADER_TIMEOUT`] (slowloris), HTTP/1.1 with keep-alive. A client that stops reading its
//! response is dropped once a write has made no progress for [`WRITE_TIMEOUT`], so clients
//! that never read hold their slots for a bounded time only. Per connection, hyper buffers at
//! most [`MAX_HEAD_BYTES`] each way; a feed body is a shared `Bytes`, never copied per
//! connection, and the rest waits in the kernel's bounded socket buffer. On shutdown no new
//! connection is accepted and open ones finish their request, for at most [`DRAIN_TIMEOUT`].

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use super::write_timeout::WriteTimeout;

/// Connections served at once; the rest are closed on accept.
pub const MAX_CONNECTIONS: usize = 1024;
/// How long a client may take to send a request's headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The read buffer, which bounds the size of a request head.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Request header lines accepted.
pub const MAX_HEADERS: usize = 64;
/// How long shutdown waits for open connections.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a write to a client may make no progress before the connection is dropped.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// The bounds [`serve_bounded`] enforces (tests use small ones).
#[derive(Debug, Clone, Copy)]
struct Limits {
    max_connections: usize,
    write_timeout: Duration,
}

/// Serves `app` on `listener` until `shutdown` resolves, with at most [`MAX_CONNECTIONS`].
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let limits = Limits { max_connections: MAX_CONNECTIONS, write_timeout: WRITE_TIMEOUT };
    serve_bounded(listener, app, shutdown, limits).await
}

/// [`serve`] within `limits`.
async fn serve_bounded(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
    limits: Limits,
) -> std::io::Result<()> {
    let Limits { max_connections, write_timeout } = limits;
    let slots = Arc::new(Semaphore::new(max_connections));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!("{max_connections} connections open; closing a new one");
            continue;
        };
        let io = TokioIo::new(WriteTimeout::new(stream, write_timeout));
        let connection =
            graceful.watch(builder().serve_connection(io, TowerToHyperService::new(app.clone())));
        tokio::spawn(async move {
            let _ = connection.await;
            drop(slot);
        });
    }
    if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown()).await.is_err() {
        tracing::warn!("open connections did not finish within {DRAIN_TIMEOUT:?}");
    }
    Ok(())
}

fn builder() -> http1::Builder {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_buf_size(MAX_HEAD_BYTES)
        .max_headers(MAX_HEADERS)
        .keep_alive(true);
    builder
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    use super::*;

    fn request(stream: &mut std::net::TcpStream) -> String {
        stream.write_all(b"GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut buffer = [0u8; 256];
        let read = stream.read(&mut buffer).unwrap_or(0);
        String::from_utf8_lossy(&buffer[..read]).into_owned()
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn connections_beyond_the_bound_are_closed_and_slots_come_back() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let app = Router::new().route("/ok", axum::routing::get(|| async { "ok" }));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let limits = Limits { max_connections: 2, write_timeout: WRITE_TIMEOUT };
        let server = tokio::spawn(serve_bounded(listener, app, async { drop(stopped.await) }, limits));
        let outcome = tokio::task::spawn_blocking(move || {
            let connect = || {
                let stream = std::net::TcpStream::connect(address).unwrap();
                stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                stream
            };
            let (mut first, mut second) = (connect(), connect());
            let kept = [request(&mut first), request(&mut second)];
            let mut third = connect();
            let refused = request(&mut third);
            drop(first);
            std::thread::sleep(Duration::from_millis(200));
            let again = request(&mut connect());
            (kept, refused, again)
        })
        .await
        .unwrap();
        let (kept, refused, again) = outcome;
        assert!(kept.iter().all(|r| r.starts_with("HTTP/1.1 200")), "{kept:?}");
        assert!(refused.is_empty(), "the third connection is closed unanswered: {refused:?}");
        assert!(again.starts_with("HTTP/1.1 200"), "a freed slot is reused: {again:?}");
        stop.send(()).unwrap();
        server.await.unwrap().unwrap();
    }

    /// A body far larger than the loopback socket buffers, so a client that never reads
    /// stalls the server's writes.
    const LARGE_BODY: usize = 64 * 1024 * 1024;

    /// Connects, sends a request for `/large` and never reads.
    fn stalled_client(address: std::net::SocketAddr) -> std::net::TcpStream {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream.write_all(b"GET /large HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        stream
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn clients_that_never_read_are_dropped_and_a_reader_gets_its_feed() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let body = axum::body::Bytes::from(vec![b'x'; LARGE_BODY]);
        let app = Router::new()
            .route("/large", axum::routing::get(move || std::future::ready(body.clone())))
            .route("/ok", axum::routing::get(|| async { "ok" }));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let limits = Limits { max_connections: 4, write_timeout: Duration::from_secs(1) };
        let server = tokio::spawn(serve_bounded(listener, app, async { drop(stopped.await) }, limits));
        let served = tokio::task::spawn_blocking(move || {
            let stalled: Vec<_> = (0..8).map(|_| stalled_client(address)).collect();
            std::thread::sleep(Duration::from_millis(300));
            let deadline = std::time::Instant::now() + Duration::from_secs(20);
            let mut answer = String::new();
            while !answer.starts_with("HTTP/1.1 200") && std::time::Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(100));
                let mut reader = std::net::TcpStream::connect(address).unwrap();
                reader.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                answer = request(&mut reader);
            }
            drop(stalled);
            answer
        })
        .await
        .unwrap();
        assert!(
            served.starts_with("HTTP/1.1 200"),
            "a reader is served once the stalled clients are dropped: {served:?}"
        );
        stop.send(()).unwrap();
        server.await.unwrap().unwrap();
    }
}
