//! The Docker image's logic without a Docker engine (none can pull images here): the commands
//! the Dockerfile runs — `CMD ["serve"]` and the `HEALTHCHECK` `syndicator healthcheck`, plus the
//! README's `check` and `sync` — with the config the image ships (`config/docker.toml`, the
//! `COPY` target named by `ENV SYNDICATOR_CONFIG`), its `/site` and `/state` under a temp root
//! standing in for `/`, in `WORKDIR`, as the image's `USER` when running as root allows
//! `setpriv`. Everything is read from the Dockerfile, so the test follows it.
//!
//! Not executed here: `docker build` itself (the base images, `apt-get`, the placeholder-crate
//! dependency layer and the release build inside the image), `useradd`, the port mapping and
//! Docker's scheduling of the `HEALTHCHECK`.

#[path = "common/tools.rs"]
mod tools;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// What the test takes from the Dockerfile.
struct Image {
    /// `USER uid:gid`.
    user: (u32, u32),
    workdir: String,
    /// `ENV SYNDICATOR_CONFIG=…`.
    config_path: String,
    /// The repository file copied to `config_path`.
    config_source: String,
    cmd: Vec<String>,
    healthcheck: Vec<String>,
}

/// The JSON-array argument of a Dockerfile instruction (`CMD ["serve"]`).
fn exec_form(line: &str) -> Vec<String> {
    let array = &line[line.find('[').unwrap()..];
    serde_json::from_str(array).unwrap()
}

fn read_dockerfile() -> Image {
    let text = std::fs::read_to_string(Path::new(REPO).join("Dockerfile")).unwrap();
    let runtime = text.rsplit("\nFROM ").next().unwrap();
    let value = |prefix: &str| {
        let line =
            runtime.lines().find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("no {prefix} line"));
        line[prefix.len()..].trim().to_owned()
    };
    let user = value("USER ");
    let (uid, gid) = user.split_once(':').unwrap();
    assert!(
        runtime.contains(&format!("useradd --uid {uid} --gid {gid} ")),
        "USER {user} is the user the image creates"
    );
    let config_path = value("ENV SYNDICATOR_CONFIG=");
    let copy = runtime.lines().find(|l| l.starts_with("COPY config/") && l.ends_with(&config_path)).unwrap();
    Image {
        user: (uid.parse().unwrap(), gid.parse().unwrap()),
        workdir: value("WORKDIR "),
        config_source: copy.split_whitespace().nth(1).unwrap().to_owned(),
        config_path,
        cmd: exec_form(&value("CMD ")),
        healthcheck: exec_form(
            runtime.lines().find(|l| l.starts_with("HEALTHCHECK")).unwrap().split(" CMD ").nth(1).unwrap(),
        ),
    }
}

/// The image's filesystem under a temp root: `/site` a Hugo site, `/state` and `/config`.
struct Root {
    dir: tempfile::TempDir,
    as_user: Option<(u32, u32)>,
}

impl Root {
    fn path(&self, absolute: &str) -> PathBuf {
        self.dir.path().join(absolute.trim_start_matches('/'))
    }

    /// The shipped config with the image's absolute paths moved under the root, the channel
    /// following the offline fixtures, and port 8080 replaced by a free one.
    fn install_config(&self, image: &Image, port: u16) {
        let shipped = std::fs::read_to_string(Path::new(REPO).join(&image.config_source)).unwrap();
        let fixtures = Path::new(REPO).join("tests/fixtures");
        let text = shipped
            .replace("\"/site\"", &format!("\"{}\"", self.path("/site").display()))
            .replace("\"/state/", &format!("\"{}/", self.path("/state").display()))
            .replace(":8080\"", &format!(":{port}\""))
            .lines()
            .map(|line| match line.split_once(" = ") {
                Some(("youtube", _)) => {
                    format!("youtube = \"file://{}\"", fixtures.join("youtube.xml").display())
                }
                Some(("podcast", _)) => {
                    format!("podcast = \"file://{}\"", fixtures.join("podcast.xml").display())
                }
                _ => line.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::create_dir_all(self.path(&image.config_path).parent().unwrap()).unwrap();
        std::fs::write(self.path(&image.config_path), text).unwrap();
    }

    /// `syndicator <args>` as the image runs it.
    fn command(&self, image: &Image, args: &[String]) -> Command {
        let binary = env!("CARGO_BIN_EXE_syndicator");
        let mut command = match self.as_user {
            Some((uid, gid)) => {
                let mut c = Command::new("setpriv");
                c.args([
                    format!("--reuid={uid}"),
                    format!("--regid={gid}"),
                    "--clear-groups".into(),
                    "--".into(),
                ]);
                c.arg(binary);
                c
            }
            None => Command::new(binary),
        };
        command
            .args(args)
            .current_dir(self.path(&image.workdir))
            .env("SYNDICATOR_CONFIG", self.path(&image.config_path))
            .env("SYNDICATOR_IN_CONTAINER", "1")
            .env_remove("SYNDICATOR_ADMIN_TOKEN")
            .env("RUST_LOG", "info");
        command
    }

    fn run(&self, image: &Image, args: &[&str]) -> std::process::Output {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        self.command(image, &args).output().unwrap()
    }
}

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// The root, owned as the image's `mkdir`/`chown` leave it and the README asks of the site.
fn image_root(image: &Image) -> Root {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let as_user = (running_as_root() && tools::require_tool("setpriv", &["--version"])).then_some(image.user);
    if as_user.is_none() {
        tools::skip_notice(
            "not root (or no setpriv): the image's commands run as the current user, not its UID",
        );
    }
    let root = Root { dir, as_user };
    for folder in ["/site", "/state", "/config"] {
        std::fs::create_dir_all(root.path(folder)).unwrap();
    }
    std::fs::write(
        root.path("/site/hugo.toml"),
        "baseURL = \"https://blog.example.com/\"\ntitle = \"Blog\"\n",
    )
    .unwrap();
    if let Some((uid, gid)) = as_user {
        for folder in ["/site", "/site/hugo.toml", "/state"] {
            std::os::unix::fs::chown(root.path(folder), Some(uid), Some(gid)).unwrap();
        }
    }
    root
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_images_commands_work_with_its_config_paths_and_user() {
    let image = read_dockerfile();
    assert_eq!(
        (image.cmd.as_slice(), image.healthcheck.as_slice()),
        (&["serve".to_owned()][..], &["syndicator".to_owned(), "healthcheck".to_owned()][..])
    );
    let root = image_root(&image);
    root.install_config(&image, free_port());
    let check = root.run(&image, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(!stderr(&check).contains("loopback"), "the shipped docker config listens on every interface");
    let sync = root.run(&image, &["sync"]);
    assert!(sync.status.success(), "{}", stderr(&sync));
    let posts: Vec<_> =
        std::fs::read_dir(root.path("/site/content/posts")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(posts.len(), 3, "backfill = 3 in config/docker.toml: {posts:?}");
    assert!(root.path("/site/static/feed.xml").is_file() && root.path("/state/syndicator.db").is_dir());
    if let Some((uid, _)) = root.as_user {
        let owner = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(&posts[0]).unwrap());
        assert_eq!(owner, uid, "stubs belong to the image's user");
    }

    let mut serve = root.command(&image, &image.cmd).stderr(Stdio::piped()).spawn().unwrap();
    let (line_tx, line_rx) = std::sync::mpsc::channel();
    let pipe = serve.stderr.take().unwrap();
    // Keeps reading for as long as serve runs, so its logging never hits a closed pipe.
    std::thread::spawn(move || {
        BufReader::new(pipe).lines().map_while(Result::ok).for_each(|l| drop(line_tx.send(l)))
    });
    let timeout = std::time::Duration::from_secs(30);
    let log: Vec<String> = std::iter::from_fn(|| line_rx.recv_timeout(timeout).ok())
        .take_while(|l| !l.contains("listening on"))
        .collect();
    let health = root.command(&image, &image.healthcheck[1..]).output().unwrap();
    let _ = Command::new("kill").args(["-TERM", &serve.id().to_string()]).status();
    let code = serve.wait().unwrap().code();
    assert!(health.status.success(), "healthcheck: {}\nserve log: {log:?}", stderr(&health));
    assert!(!log.iter().any(|l| l.contains("loopback")), "{log:?}");
    assert_eq!(code, Some(0), "serve stops cleanly on SIGTERM");
}

#[test]
fn a_loopback_listen_in_the_image_fails_its_healthcheck() {
    let image = read_dockerfile();
    let root = image_root(&image);
    root.install_config(&image, free_port());
    let config = root.path(&image.config_path);
    let text = std::fs::read_to_string(&config).unwrap().replace("\"0.0.0.0:", "\"127.0.0.1:");
    std::fs::write(&config, text).unwrap();
    let check = root.run(&image, &["check"]);
    assert!(stderr(&check).contains("is loopback only"), "{}", stderr(&check));
    let health = root.run(&image, &image.healthcheck[1..].iter().map(String::as_str).collect::<Vec<_>>());
    assert!(!health.status.success());
    assert!(stderr(&health).contains("unhealthy"), "{}", stderr(&health));
}
