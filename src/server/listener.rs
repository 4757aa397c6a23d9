//! Accepting connections safely: at most [`MAX_CONNECTIONS`] at once (more are closed right
//! away), request headers bounded in size and count and required within
//! [`HEADER_TIMEOUT`] (slowloris), HTTP/1.1 with keep-alive. On shutdown no new connection is
//! accepted and open ones finish their request, for at most [`DRAIN_TIMEOUT`].

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

/// Serves `app` on `listener` until `shutdown` resolves, with at most [`MAX_CONNECTIONS`].
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    serve_bounded(listener, app, shutdown, MAX_CONNECTIONS).await
}

/// [`serve`] with at most `max_connections` open at once.
async fn serve_bounded(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
    max_connections: usize,
) -> std::io::Result<()> {
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
        let connection = graceful
            .watch(builder().serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone())));
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
        let server = tokio::spawn(serve_bounded(listener, app, async { drop(stopped.await) }, 2));
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
}
