// The fixture site and channels every feed test builds from, `include!`d by
// `src/publish/tests.rs` and `tests/consumers.rs`; each imports the names used here.

/// The fixed "now" of fixture builds: after every fixture post but the future one.
fn fixture_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap()
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The `[site]` of the fixture: the same base URL as `tests/fixtures/site/hugo.toml`.
const FIXTURE_SITE: SiteMeta<'static> = SiteMeta {
    title: "Example Blog",
    base_url: "https://blog.example.org/",
    language: "en",
    author: Some("Ada Example"),
    push: PushLinks::NONE,
};

/// Episodes of two channels: `mlst` (YouTube and podcast fixtures, Shorts left out, as the
/// pipeline does) and `evil` (`hostile-podcast.xml`).
fn fixture_episodes() -> Vec<Episode> {
    let parse = |file: &str, platform| {
        let bytes = std::fs::read(fixture_dir().join(file)).unwrap();
        let items: Vec<_> = parse_feed(&bytes, platform).unwrap();
        items.into_iter().filter(|i| !i.is_short).collect::<Vec<_>>()
    };
    let mut mlst = parse("youtube.xml", Platform::Youtube);
    mlst.extend(parse("podcast.xml", Platform::Podcast));
    let mut episodes = merge("mlst", Vec::new(), mlst, fixture_now()).created;
    episodes.extend(merge("evil", Vec::new(), parse("hostile-podcast.xml", Platform::Podcast), fixture_now()).created);
    episodes
}

fn fixture_channel_name(id: &str) -> Option<String> {
    let name = match id {
        "mlst" => "Machine Learning Street Talk",
        "evil" => "Hostile Upstream",
        _ => return None,
    };
    Some(name.to_owned())
}

/// The six feed files of the fixture: (path under the public folder, text).
fn fixture_feeds() -> Vec<(&'static str, String)> {
    let pages = load_pages(&fixture_dir().join("site"), &[], fixture_now()).unwrap();
    let feeds = render_all(&pages, &fixture_episodes(), fixture_channel_name, &FIXTURE_SITE, 50, fixture_now());
    feeds.into_iter().map(|feed| (feed.path, feed.text)).collect()
}
