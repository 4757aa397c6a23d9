//! A raw TCP server on 127.0.0.1 (port 0) for the faults an HTTP framework will not produce:
//! never answering, trickling a byte a second, an endless body, canned responses with any
//! header (gzip bombs, `Retry-After`, redirect loops). One thread accepts, one thread serves
//! each connection; everything stops when the server is dropped.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

/// What the server does with a connection once it has read the request head.
type Behaviour = dyn Fn(&mut TcpStream, &AtomicBool) + Send + Sync;

pub struct Hostile {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Hostile {
    /// Serves every connection with `behaviour`.
    pub fn start(behaviour: impl Fn(&mut TcpStream, &AtomicBool) + Send + Sync + 'static) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let behaviour: Arc<Behaviour> = Arc::new(behaviour);
        let (count, stopped) = (requests.clone(), stop.clone());
        thread::spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (behaviour, count, stopped) = (behaviour.clone(), count.clone(), stopped.clone());
                        thread::spawn(move || serve(stream, &*behaviour, &count, &stopped));
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => thread::sleep(Duration::from_millis(5)),
                    Err(_) => return,
                }
            }
        });
        Hostile { addr, requests, stop }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// How many requests (heads read) the server has seen.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn serve(mut stream: TcpStream, behaviour: &Behaviour, count: &AtomicUsize, stop: &AtomicBool) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    count.fetch_add(1, Ordering::SeqCst);
    behaviour(&mut stream, stop);
}

/// A URL on a port nothing listens on: connection refused.
pub fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/feed.xml")
}

/// Reads the request, then never sends a byte until the server stops.
pub fn silent(_: &mut TcpStream, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        thread::sleep(Duration::from_millis(50));
    }
}

/// Sends headers promising a feed, then one byte a second.
pub fn trickle(stream: &mut TcpStream, stop: &AtomicBool) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 100000\r\n\r\n";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    while !stop.load(Ordering::Relaxed) && stream.write_all(b" ").is_ok() {
        thread::sleep(Duration::from_secs(1));
    }
}

/// A 200 with no length whose body never ends, as fast as the client reads.
pub fn endless(stream: &mut TcpStream, stop: &AtomicBool) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nConnection: close\r\n\r\n<rss>";
    let chunk = vec![b' '; 64 * 1024];
    let _ = stream.write_all(head.as_bytes());
    while !stop.load(Ordering::Relaxed) && stream.write_all(&chunk).is_ok() {}
}

/// A complete response with `status`, extra `headers` and `body`, then the connection closes.
pub fn respond(
    status: u16,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> impl Fn(&mut TcpStream, &AtomicBool) + Send + Sync + 'static {
    let mut head =
        format!("HTTP/1.1 {status} Hostile\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut response = head.into_bytes();
    response.extend(body);
    move |stream, _| {
        let _ = stream.write_all(&response);
    }
}
