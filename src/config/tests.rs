use std::path::Path;

use super::*;

const MINIMAL: &str = r#"
[site]
root = "site"
title = "T"
base_url = "https://blog.example.com/"

[[channels]]
id = "mlst"
name = "MLST"
youtube = "https://www.youtube.com/feeds/videos.xml?channel_id=X"
"#;

fn parse(text: &str) -> Result<Config, String> {
    Config::parse(text, Path::new("test.toml")).map_err(|e| e.to_string())
}

fn error_of(text: &str) -> String {
    parse(text).expect_err("the config should be rejected")
}

#[test]
fn the_shipped_configs_are_valid() {
    for path in ["config/syndicator.toml", "config/demo.toml"] {
        let config = Config::load(Path::new(path)).unwrap_or_else(|e| panic!("{e}"));
        assert!(!config.channels.is_empty(), "{path} follows a channel");
        config.require_hugo_site().unwrap_or_else(|e| panic!("{path}: {e}"));
    }
}

#[test]
fn defaults_fill_what_is_left_out() {
    let config = parse(MINIMAL).unwrap();
    assert_eq!(config.store.path, Path::new("state/syndicator.db"));
    assert_eq!(config.fetch.timeout_secs.get(), 20);
    assert_eq!(config.fetch.max_body_bytes.get(), 10 * 1024 * 1024);
    assert_eq!(config.fetch.concurrency.get(), 8);
    assert_eq!(config.schedule.default.expression, "0 */30 * * * *");
    assert_eq!(config.site.language, Language::ZhTw);
    assert_eq!(config.site.timezone.0, chrono_tz::UTC);
    assert_eq!(config.section_dir(), Path::new("site/content/posts"));
    assert_eq!(config.public_dir(), Path::new("site/static"));
    let channel = &config.channels[0];
    assert_eq!((channel.backfill, channel.shorts), (3, false));
    assert!(config.user_agent().starts_with("syndicator/"));
    assert!(config.user_agent().ends_with("(+https://blog.example.com/)"));
}

#[test]
fn unknown_keys_are_named_with_their_line() {
    let error = error_of(&MINIMAL.replace("title = \"T\"", "title = \"T\"\ntitel = \"typo\""));
    assert!(error.contains("titel"), "{error}");
    assert!(error.contains("line 5"), "{error}");
}

#[test]
fn bad_values_name_the_value_and_the_line() {
    let cases = [
        ("timezone = \"Mars/Base\"", "Mars/Base"),
        ("language = \"fr\"", "fr"),
        ("section = \"../escape\"", "../escape"),
        ("base_url = \"not a url\"", "not a url"),
    ];
    for (line, value) in cases {
        let text = MINIMAL.replace("title = \"T\"", &format!("title = \"T\"\n{line}"));
        let text = if line.starts_with("base_url") {
            text.replace("base_url = \"https://blog.example.com/\"\n", "")
        } else {
            text
        };
        let error = error_of(&text);
        assert!(error.contains(value), "{line}: {error}");
        assert!(error.contains("line 5"), "{line}: {error}");
    }
}

#[test]
fn channel_values_are_validated() {
    let cases = [
        ("id = \"mlst\"", "id = \"ML ST\"", "ML ST"),
        ("name = \"MLST\"", "name = \"MLST\"\nschedule = \"every hour\"", "every hour"),
        ("name = \"MLST\"", "name = \"MLST\"\nexclude = [\"(unclosed\"]", "(unclosed"),
        ("name = \"MLST\"", "name = \"MLST\"\nbackfill = -1", "backfill"),
        ("youtube = \"https", "youtube = \"ftp", "ftp"),
    ];
    for (from, to, needle) in cases {
        let error = error_of(&MINIMAL.replace(from, to));
        assert!(error.contains(needle), "{to}: {error}");
    }
}

#[test]
fn out_of_range_numbers_are_rejected() {
    let text = format!("{MINIMAL}\n[fetch]\ntimeout_secs = 0\n");
    let error = error_of(&text);
    assert!(error.contains("timeout_secs") && error.contains("out of range"), "{error}");
}

#[test]
fn channel_ids_are_unique_and_channels_need_a_source() {
    let twice = format!("{MINIMAL}{}", &MINIMAL[MINIMAL.find("[[channels]]").unwrap()..]);
    let error = error_of(&twice);
    assert!(error.contains("duplicate channel id \"mlst\"") && error.contains("line 12"), "{error}");
    let sourceless = MINIMAL.replace("youtube = ", "# youtube = ");
    assert!(error_of(&sourceless).contains("has no source"));
}

#[test]
fn filters_apply_include_then_exclude() {
    let text = MINIMAL.replace(
        "name = \"MLST\"",
        "name = \"MLST\"\ninclude = [\"(?i)interview\"]\nexclude = [\"#shorts\"]",
    );
    let channel = &parse(&text).unwrap().channels[0];
    assert!(channel.wants_title("An Interview"));
    assert!(!channel.wants_title("An interview #shorts"));
    assert!(!channel.wants_title("A lecture"));
}

#[test]
fn relative_file_urls_resolve_against_the_working_directory() {
    let url = SourceUrl::parse("file:config/demo/youtube.xml").unwrap();
    let expected = std::env::current_dir().unwrap().join("config/demo/youtube.xml");
    assert_eq!(url.url().to_file_path().unwrap(), expected);
    assert!(SourceUrl::parse("file:///tmp/feed.xml").is_ok());
}

#[test]
fn listen_addresses_are_validated() {
    for good in ["127.0.0.1:8080", ":0", "0.0.0.0:80", "[::1]:8080", "localhost:9000"] {
        assert!(values::ListenAddress::parse(good).is_ok(), "{good}");
    }
    let text = format!("{MINIMAL}\n[server]\nlisten = \"localhost\"\n");
    let error = error_of(&text);
    assert!(error.contains("listen = \"localhost\"") && error.contains("line 13"), "{error}");
}

#[test]
fn a_listen_address_knows_what_to_bind_and_how_to_reach_it_locally() {
    let address = |text: &str| values::ListenAddress::parse(text).unwrap();
    assert_eq!(address(":8080").bind_address(), "0.0.0.0:8080");
    assert_eq!(address("127.0.0.1:8080").bind_address(), "127.0.0.1:8080");
    assert_eq!(address("127.0.0.1:8080").loopback_url("/healthz"), "http://127.0.0.1:8080/healthz");
    assert_eq!(address("0.0.0.0:9000").loopback_url("/healthz"), "http://127.0.0.1:9000/healthz");
    assert_eq!(address(":8080").loopback_url("/healthz"), "http://127.0.0.1:8080/healthz");
    assert_eq!(address("[::]:8080").loopback_url("/healthz"), "http://[::1]:8080/healthz");
}

/// A config whose `[site]` is `site` (the root line is added) over a Hugo site whose
/// `config/_default/hugo.toml` is `hugo`.
fn over_hugo_site(site: &str, hugo: &str) -> (tempfile::TempDir, Result<Config, String>) {
    let dir = tempfile::tempdir().unwrap();
    let default = dir.path().join("config/_default");
    std::fs::create_dir_all(&default).unwrap();
    std::fs::write(default.join("hugo.toml"), hugo).unwrap();
    let root = toml::Value::String(dir.path().display().to_string());
    let text = format!("[site]\nroot = {root}\n{site}");
    (dir, parse(&text))
}

#[test]
fn site_values_come_from_the_hugo_config_unless_set() {
    let hugo = "baseURL = 'https://hugo.test/'\ntitle = 'Hugo Title'\nlanguageCode = 'en-us'\ntimeZone = 'Asia/Taipei'\n";
    let (_dir, config) = over_hugo_site("", hugo);
    let site = config.unwrap().site;
    assert_eq!((site.title.as_str(), site.base_url.as_str()), ("Hugo Title", "https://hugo.test/"));
    assert_eq!((site.language, site.timezone.0), (Language::En, chrono_tz::Asia::Taipei));
    assert_eq!(site.origins.title, Origin::Hugo);
    assert!(site.disagreements_with_hugo().is_empty());

    let (_dir, config) = over_hugo_site("title = \"Mine\"\nbase_url = \"https://hugo.test\"\n", hugo);
    let site = config.unwrap().site;
    assert_eq!((site.title.as_str(), site.origins.title), ("Mine", Origin::Site));
    let disagreements = site.disagreements_with_hugo();
    assert_eq!(disagreements.len(), 1, "a missing trailing slash is no disagreement: {disagreements:?}");
    assert!(disagreements[0].contains("title = \"Hugo Title\""), "{disagreements:?}");
}

#[test]
fn a_value_in_neither_place_or_a_bad_hugo_value_names_both_fixes() {
    let (_dir, config) = over_hugo_site("title = \"T\"\n", "title = 'x'\n");
    let error = config.unwrap_err();
    assert!(error.contains("[site] base_url is not set") && error.contains("baseURL"), "{error}");
    let (_dir, config) =
        over_hugo_site("", "title = 'x'\nbaseURL = 'https://b.test/'\ntimeZone = 'Mars/Base'\n");
    let error = config.unwrap_err();
    assert!(error.contains("Mars/Base") && error.contains("[site] timezone"), "{error}");
}
