//! `[publish.s3]` against a real S3-protocol server: moto's server mode (`python3 -m
//! moto.server`, installed by `.ci/run`), reached through a TCP gate the test can close (it
//! then answers 503) and that records the target of every PUT it forwards.

use std::collections::BTreeSet;
use std::io::{Read as _, Write as _};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{Attribute, ObjectStore as _, ObjectStoreExt as _};

use super::app::{App, Run};
use super::serve::{Serve, health_until};
use super::sync::{MLST, mlst_app};

const FILES: [&str; 6] =
    ["feed.xml", "atom.xml", "feed.json", "sources/feed.xml", "sources/atom.xml", "sources/feed.json"];
const BUCKET: &str = "feeds";
const CREDENTIALS: [(&str, &str); 2] =
    [("AWS_ACCESS_KEY_ID", "AKIASYNDICATOR"), ("AWS_SECRET_ACCESS_KEY", "s3cr3t-of-the-test")];

/// moto's S3 server on a free port of 127.0.0.1, killed on drop.
struct Moto {
    child: Child,
    port: u16,
}

impl Moto {
    /// Starts moto, or returns None (loudly; a failure under CI=true) when it is not installed.
    fn start() -> Option<Moto> {
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let installed = Command::new(&python).args(["-c", "import moto.server"]).output();
        if !installed.is_ok_and(|out| out.status.success()) {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "moto[server] is not installed but CI=true"
            );
            eprintln!(
                "\n!!!!!!!!!! SKIPPED: moto[server] is not installed (pip install \"moto[server]\") !!!!!!!!!!\n"
            );
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(&python)
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let moto = Moto { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto did not start on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        create_bucket(port);
        Some(moto)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Creates [`BUCKET`] with a bare PUT (moto accepts unsigned requests).
fn create_bucket(port: u16) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let request = format!(
        "PUT /{BUCKET} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "cannot create the bucket:\n{response}");
}

/// A TCP gate in front of moto: forwards while open and records each PUT's target; while
/// closed, answers every connection with a 503.
#[derive(Clone)]
struct Gate {
    port: u16,
    open: Arc<AtomicBool>,
    puts: Arc<Mutex<Vec<String>>>,
}

impl Gate {
    fn start(upstream: u16) -> Gate {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let gate = Gate {
            port: listener.local_addr().unwrap().port(),
            open: Arc::new(AtomicBool::new(true)),
            puts: Arc::default(),
        };
        let accepting = gate.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                accepting.serve(client, upstream);
            }
        });
        gate
    }

    fn serve(&self, mut client: TcpStream, upstream: u16) {
        if !self.open.load(Ordering::SeqCst) {
            let _ = client.write_all(
                b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
            let _ = client.shutdown(Shutdown::Write);
            return;
        }
        let server = TcpStream::connect(("127.0.0.1", upstream)).unwrap();
        let (client_in, server_in) = (client.try_clone().unwrap(), server.try_clone().unwrap());
        let puts = self.puts.clone();
        std::thread::spawn(move || copy(client_in, server, |seen, chunk| record_puts(seen, chunk, &puts)));
        std::thread::spawn(move || copy(server_in, client, |_, _| {}));
    }

    /// The targets of the PUTs forwarded since the last call, sorted.
    fn take_puts(&self) -> BTreeSet<String> {
        std::mem::take(&mut *self.puts.lock().unwrap()).into_iter().collect()
    }
}

fn copy(mut from: TcpStream, mut to: TcpStream, mut inspect: impl FnMut(&mut Vec<u8>, &[u8])) {
    let (mut buffer, mut seen) = ([0u8; 16 * 1024], Vec::new());
    while let Ok(n @ 1..) = from.read(&mut buffer) {
        inspect(&mut seen, &buffer[..n]);
        if to.write_all(&buffer[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

/// Appends the target of each complete `PUT <target> ` in the stream so far; `seen` keeps
/// the unread tail across reads.
fn record_puts(seen: &mut Vec<u8>, chunk: &[u8], puts: &Mutex<Vec<String>>) {
    seen.extend_from_slice(chunk);
    let mut read = 0;
    while let Some(at) = seen[read..].windows(5).position(|w| w == b"PUT /") {
        let target = read + at + 4;
        let Some(len) = seen[target..].iter().position(|&b| b == b' ') else { break };
        puts.lock().unwrap().push(String::from_utf8_lossy(&seen[target..target + len]).into_owned());
        read = target + len;
    }
    seen.drain(..read);
    let excess = seen.len().saturating_sub(1024);
    seen.drain(..excess);
}

/// Every object under `blog/` in moto's bucket: key → (bytes, Content-Type, Cache-Control,
/// sha256 metadata).
fn objects(moto: &Moto) -> std::collections::BTreeMap<String, (Vec<u8>, String, String, String)> {
    let bucket = AmazonS3Builder::new()
        .with_bucket_name(BUCKET)
        .with_region("us-east-1")
        .with_endpoint(format!("http://127.0.0.1:{}", moto.port))
        .with_allow_http(true)
        .with_access_key_id("test")
        .with_secret_access_key("test")
        .build()
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        use futures_util::StreamExt as _;
        let listed: Vec<_> = bucket.list(Some(&ObjectPath::from("blog"))).collect().await;
        let mut objects = std::collections::BTreeMap::new();
        for meta in listed {
            let location = meta.unwrap().location;
            let got = bucket.get(&location).await.unwrap();
            let attribute = |a: Attribute| got.attributes.get(&a).map(|v| v.to_string()).unwrap_or_default();
            let described = (
                attribute(Attribute::ContentType),
                attribute(Attribute::CacheControl),
                attribute(Attribute::Metadata("sha256".into())),
            );
            let bytes = got.bytes().await.unwrap().to_vec();
            objects.insert(location.to_string(), (bytes, described.0, described.1, described.2));
        }
        objects
    })
}

/// An app following the MLST fixtures that publishes to `[publish.s3]` through `gate`;
/// `serve` polls it every second.
fn s3_app(gate: &Gate) -> App {
    let app = mlst_app(MLST);
    app.config(&format!(
        r#"{MLST}
[schedule]
default = "* * * * * *"
jitter_secs = 0

[server]
listen = "127.0.0.1:0"

[publish.s3]
bucket = "{BUCKET}"
prefix = "blog/"
endpoint = "http://127.0.0.1:{}"
region = "us-east-1"
path_style = true
"#,
        gate.port
    ));
    app
}

fn run(app: &App, args: &[&str]) -> Run {
    app.run_with_env(args, &CREDENTIALS)
}

fn public_bytes(app: &App) -> Vec<Vec<u8>> {
    FILES.iter().map(|f| std::fs::read(app.path("site/static").join(f)).unwrap()).collect()
}

fn put_targets(files: &[&str]) -> BTreeSet<String> {
    files.iter().map(|f| format!("/{BUCKET}/blog/{f}")).collect()
}

#[test]
fn only_the_feeds_whose_bytes_changed_are_uploaded_with_their_headers() {
    let Some(moto) = Moto::start() else { return };
    let gate = Gate::start(moto.port);
    let app = s3_app(&gate);
    let first = run(&app, &["sync"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(gate.take_puts(), put_targets(&FILES), "the first sync uploads all six");
    let objects = objects(&moto);
    for (file, public) in FILES.iter().zip(public_bytes(&app)) {
        let (bytes, content_type, cache_control, sha256) = &objects[&format!("blog/{file}")];
        assert_eq!(bytes, &public, "{file}: the public folder's bytes");
        let expected_type = match file.rsplit('.').next() {
            Some("json") => "application/feed+json; charset=utf-8",
            _ if file.ends_with("atom.xml") => "application/atom+xml; charset=utf-8",
            _ => "application/rss+xml; charset=utf-8",
        };
        assert_eq!(content_type, expected_type, "{file}");
        assert_eq!(cache_control, "public, max-age=300", "{file}: the server's default max-age");
        assert_eq!(sha256.len(), 64, "{file}: a SHA-256 in hex: {sha256}");
    }

    let again = run(&app, &["feeds"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(gate.take_puts(), BTreeSet::new(), "nothing changed, nothing uploaded");

    let before = public_bytes(&app);
    let (name, stub) = app.stubs().remove(0);
    std::fs::write(app.path("site/content/posts").join(name), stub.replace("draft: true", "draft: false"))
        .unwrap();
    let after_publish = run(&app, &["feeds"]);
    assert_eq!(after_publish.code, 0, "{}", after_publish.stderr);
    let after = public_bytes(&app);
    let changed: Vec<&str> = (0..FILES.len()).filter(|&i| before[i] != after[i]).map(|i| FILES[i]).collect();
    assert!(
        !changed.is_empty() && changed.len() < FILES.len(),
        "a published post changes the blog feeds: {changed:?}"
    );
    assert_eq!(gate.take_puts(), put_targets(&changed), "exactly the changed feeds are uploaded");
}

#[test]
fn a_failed_upload_exits_2_and_the_next_run_uploads_the_same_bytes_as_the_public_folder() {
    let Some(moto) = Moto::start() else { return };
    let gate = Gate::start(moto.port);
    let app = s3_app(&gate);
    gate.open.store(false, Ordering::SeqCst);
    let failed = run(&app, &["sync"]);
    assert_eq!(failed.code, 2, "{}", failed.stderr);
    assert!(
        failed.stderr.contains("object storage") && failed.stderr.contains("bucket feeds"),
        "{}",
        failed.stderr
    );
    assert!(app.path("site/static/feed.xml").is_file(), "the public folder does not wait for the bucket");
    assert!(objects(&moto).is_empty(), "nothing reached the bucket");

    gate.open.store(true, Ordering::SeqCst);
    let recovered = run(&app, &["sync"]);
    assert_eq!(recovered.code, 0, "{}", recovered.stderr);
    let objects = objects(&moto);
    assert_eq!(objects.len(), FILES.len(), "{:?}", objects.keys());
    for (file, public) in FILES.iter().zip(public_bytes(&app)) {
        assert_eq!(
            objects[&format!("blog/{file}")].0,
            public,
            "{file}: the bucket ends with the public folder's bytes"
        );
    }
}

#[test]
fn publish_s3_without_credentials_names_the_variables() {
    let app = mlst_app(MLST);
    app.config(&format!("{MLST}\n[publish.s3]\nbucket = \"{BUCKET}\"\nendpoint = \"http://127.0.0.1:9\"\n"));
    let unset = |args: &[&str]| -> Run {
        app.command(args)
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .output()
            .unwrap()
            .into()
    };
    let sync = unset(&["sync"]);
    assert_ne!(sync.code, 0, "{}", sync.stderr);
    assert!(
        sync.stderr.contains("AWS_ACCESS_KEY_ID") && sync.stderr.contains("AWS_SECRET_ACCESS_KEY"),
        "{}",
        sync.stderr
    );
    let check = unset(&["check"]);
    assert!(check.stdout.contains("s3://feeds/ at http://127.0.0.1:9/"), "{}", check.stdout);
    assert!(check.stdout.contains("credentials MISSING: set AWS_ACCESS_KEY_ID"), "{}", check.stdout);
    let with_credentials = run(&app, &["check"]);
    assert!(with_credentials.stdout.contains("credentials set"), "{}", with_credentials.stdout);
    for (_, value) in CREDENTIALS {
        assert!(!with_credentials.stdout.contains(value), "never the values: {}", with_credentials.stdout);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_reports_a_failing_bucket_at_healthz_and_uploads_once_it_is_back() {
    let Some(moto) = Moto::start() else { return };
    let gate = Gate::start(moto.port);
    let app = s3_app(&gate);
    gate.open.store(false, Ordering::SeqCst);
    let serve = Serve::start(&app, &CREDENTIALS);
    let (status, body) = health_until(&serve, |status, _| status != reqwest::StatusCode::OK).await;
    assert_eq!(status, reqwest::StatusCode::SERVICE_UNAVAILABLE, "{}", serve.log());
    assert!(body.contains("object storage") && body.contains("bucket feeds"), "{body}");
    gate.open.store(true, Ordering::SeqCst);
    let (status, body) = health_until(&serve, |status, _| status == reqwest::StatusCode::OK).await;
    assert_eq!((status, body.as_str()), (reqwest::StatusCode::OK, "ok\n"), "{}", serve.log());
    let objects = tokio::task::spawn_blocking(move || objects(&moto)).await.unwrap();
    for (file, public) in FILES.iter().zip(public_bytes(&app)) {
        assert_eq!(objects[&format!("blog/{file}")].0, public, "{file}: uploaded by the daemon's rebuild");
    }
}
