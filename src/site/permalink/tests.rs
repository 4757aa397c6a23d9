use super::*;
use crate::site::front_matter::parse_date;

fn front(title: &str) -> FrontMatter {
    FrontMatter {
        title: title.to_owned(),
        date: parse_date("2025-03-01T02:00:00+08:00"),
        ..Default::default()
    }
}

fn path(source: &str, front: &FrontMatter) -> String {
    permalink(PagePath(source), front, &HugoConfig::default())
}

#[test]
fn default_paths() {
    let f = front("Whatever");
    assert_eq!(path("posts/hello-world.md", &f), "/posts/hello-world/");
    assert_eq!(path("posts/bundle/index.md", &f), "/posts/bundle/");
    assert_eq!(path("posts/2025/x.md", &f), "/posts/2025/x/");
    assert_eq!(path("about.md", &f), "/about/");
    assert_eq!(path("posts/My File.md", &f), "/posts/my-file/");
    assert_eq!(path("posts/release-v1.2.md", &f), "/posts/release-v1.2/");
    assert_eq!(path("posts/hello.zh-tw.md", &f), "/posts/hello/");
}

#[test]
fn slug_and_url() {
    let slugged = FrontMatter { slug: Some("My Custom Slug".into()), ..front("T") };
    assert_eq!(path("posts/x.md", &slugged), "/posts/my-custom-slug/");
    assert_eq!(path("posts/b/index.md", &slugged), "/posts/my-custom-slug/");
    assert_eq!(path("posts/2025/x.md", &slugged), "/posts/2025/my-custom-slug/");
    let with_url = FrontMatter { url: Some("special/place/".into()), ..slugged };
    assert_eq!(path("posts/x.md", &with_url), "/special/place/");
}

#[test]
fn permalinks_patterns() {
    let config = HugoConfig {
        permalinks: [("posts".to_owned(), "/:year/:month/:day/:slug/".to_owned())].into(),
        ..Default::default()
    };
    let expand = |source: &str, f: &FrontMatter| permalink(PagePath(source), f, &config);
    // The date's own offset decides the day, as in Hugo: still February in UTC.
    assert_eq!(expand("posts/x.md", &front("A Note About Rust")), "/2025/03/01/a-note-about-rust/");
    let slugged = FrontMatter { slug: Some("short".into()), ..front("Long Title") };
    assert_eq!(expand("posts/b/index.md", &slugged), "/2025/03/01/short/");
    assert_eq!(expand("notes/x.md", &slugged), "/notes/short/");

    let config = HugoConfig {
        permalinks: [("posts".to_owned(), "/:section/:sections/:filename/:title/".to_owned())].into(),
        ..Default::default()
    };
    let got = permalink(PagePath("posts/2025/b/index.md"), &front("Hi There"), &config);
    assert_eq!(got, "/posts/posts/2025/b/hi-there/");
}

#[test]
fn sanitising_and_encoding() {
    assert_eq!(sanitize("Hello,  World! (2025)", false), "hello-world-2025");
    assert_eq!(sanitize("Keep Case", true), "Keep-Case");
    let cjk = FrontMatter { slug: Some("我的 文章".into()), ..front("x") };
    assert_eq!(path("posts/x.md", &cjk), "/posts/%E6%88%91%E7%9A%84-%E6%96%87%E7%AB%A0/");
}

#[test]
fn ugly_urls_end_in_html() {
    let config = HugoConfig { ugly_urls: true, ..Default::default() };
    let ugly = |source: &str, f: &FrontMatter| permalink(PagePath(source), f, &config);
    assert_eq!(ugly("posts/hello-world.md", &front("T")), "/posts/hello-world.html");
    assert_eq!(ugly("posts/bundle/index.md", &front("T")), "/posts/bundle.html");
    let with_url = FrontMatter { url: Some("/special/place.html".into()), ..front("T") };
    assert_eq!(ugly("posts/x.md", &with_url), "/special/place.html");
}
