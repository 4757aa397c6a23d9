use proptest::prelude::*;
use serde::Deserialize;

use super::fixtures::{APPLE_LINK, SPOTIFY_ID, VIDEO_ID, apple, episode, item, spotify};
use super::*;
use crate::episodes::Hosts;

mod reference;
use crate::html::plain_text;
use crate::model::{Language, Platform};

const TITLE: &str = "「我發明了 Transformer，現在我要取代它」：Llion Jones 為何離開 Transformer 研究";
const DESCRIPTION: &str = "<p>Llion Jones 是「Attention Is All You Need」論文的八位作者之一，Transformer 架構的共同發明人。他宣布大幅減少 Transformer 研究，轉向探索性研究。他認為 AI 領域陷入「局部最小值」，現有架構雖然夠好，卻阻礙了真正的突破。這一集我們從 RNN 的歷史談到 Sakana AI 的研究文化。</p><p>Chapters:<br>00:00 Intro<br>05:12 Local minima &amp; RNNs</p><script>alert(1)</script>";

fn tags() -> Vec<String> {
    vec!["Podcast".to_owned(), "x".to_owned()]
}

fn categories() -> Vec<String> {
    vec!["AI 技術前沿".to_owned()]
}

fn render_with(ep: &Episode, lang: Language) -> String {
    render_cover(ep, &Cover::None, &Template::builtin(lang))
}

/// `ep` rendered with `template` for the reference post's channel, showing `cover`.
fn render_cover(ep: &Episode, cover: &Cover, template: &Template) -> String {
    render_beside(ep, &Beside { cover: cover.clone(), transcript: None }, template)
}

/// `ep` rendered with `template` for the reference post's channel, with `beside` beside it.
fn render_beside(ep: &Episode, beside: &Beside, template: &Template) -> String {
    let (tags, categories) = (tags(), categories());
    let ctx = StubContext {
        channel_name: "Machine Learning Street Talk",
        tags: &tags,
        categories: &categories,
        timezone: chrono_tz::Asia::Taipei,
        hosts: &Hosts::default(),
        guest_tags: true,
        beside,
    };
    render(ep, &ctx, template).expect("renders")
}

fn titled(platform: Platform, id: &str, hour: u32) -> crate::model::Item {
    let mut copy = item(platform, id, TITLE, hour);
    copy.description_html = DESCRIPTION.to_owned();
    copy
}

fn youtube_and_podcast() -> Episode {
    let mut audio = titled(Platform::Podcast, "guid-1", 18);
    audio.link = Some("https://example.com/ep/1".to_owned());
    episode(vec![titled(Platform::Youtube, VIDEO_ID, 17), audio])
}

fn podcast_only() -> Episode {
    let mut audio = titled(Platform::Podcast, "guid-1", 18);
    audio.link = Some("https://example.com/ep/1".to_owned());
    episode(vec![audio])
}

fn three_embeds() -> Episode {
    episode(vec![titled(Platform::Youtube, VIDEO_ID, 17), spotify(SPOTIFY_ID), apple(APPLE_LINK)])
}

#[test]
fn golden_zh_tw() {
    insta::assert_snapshot!("zh_tw_youtube_podcast", render_with(&youtube_and_podcast(), Language::ZhTw));
    insta::assert_snapshot!("zh_tw_podcast_only", render_with(&podcast_only(), Language::ZhTw));
    insta::assert_snapshot!("zh_tw_three_embeds", render_with(&three_embeds(), Language::ZhTw));
}

#[test]
fn golden_en() {
    insta::assert_snapshot!("en_youtube_podcast", render_with(&youtube_and_podcast(), Language::En));
    insta::assert_snapshot!("en_podcast_only", render_with(&podcast_only(), Language::En));
    insta::assert_snapshot!("en_three_embeds", render_with(&three_embeds(), Language::En));
}

#[test]
fn articles_from_plain_feeds_say_so_and_talks_still_say_aired() {
    let post = episode(vec![titled(Platform::Feed, "https://blog.example/post", 9)]);
    let attribution = |ep: &Episode, lang| {
        let stub = render_with(ep, lang);
        stub.lines().find(|l| l.starts_with("> ")).expect("an attribution line").to_owned()
    };
    assert_eq!(
        attribution(&post, Language::ZhTw),
        "> 本文整理自 Machine Learning Street Talk 2025 年 11 月發表的文章。"
    );
    assert_eq!(
        attribution(&post, Language::En),
        "> Adapted from the Machine Learning Street Talk article published November 2025."
    );
    let mut audio = titled(Platform::Feed, "another-podcast-guid", 9);
    audio.enclosure = Some(crate::model::Enclosure {
        url: "https://a.example/1.mp3".into(),
        mime_type: "audio/mpeg".into(),
        length: None,
    });
    let talk = episode(vec![audio]);
    assert_eq!(
        attribution(&talk, Language::ZhTw),
        "> 本文整理自 Machine Learning Street Talk 2025 年 11 月播出的訪談。"
    );
    assert_eq!(
        attribution(&podcast_only(), Language::En),
        "> Adapted from the Machine Learning Street Talk episode aired November 2025."
    );
}

/// The front-matter fields the round-trip tests read back.
#[derive(Debug, Deserialize)]
struct FrontMatter {
    title: String,
    date: String,
    description: String,
    tags: Vec<String>,
    categories: Vec<String>,
    source_url: String,
    source_name: String,
    draft: bool,
    syndicator_id: String,
}

fn front_matter(stub: &str) -> FrontMatter {
    let yaml = stub.strip_prefix("---\n").and_then(|s| s.split_once("\n---\n")).expect("front matter").0;
    serde_saphyr::from_str(yaml).expect("front matter parses")
}

fn body(stub: &str) -> &str {
    stub.splitn(3, "\n---\n").nth(2).expect("body")
}

fn hostile_episode(title: &str, description: &str) -> Episode {
    let mut copy = item(Platform::Podcast, "guid", title, 3);
    copy.description_html = description.to_owned();
    episode(vec![copy])
}

fn render_in(ep: &Episode, channel: &str, tags: &[String], template: &Template) -> Result<String, StubError> {
    let ctx = StubContext {
        channel_name: channel,
        tags,
        categories: &[],
        timezone: chrono_tz::UTC,
        hosts: &Hosts::default(),
        guest_tags: true,
        beside: &Beside::default(),
    };
    render(ep, &ctx, template)
}

#[test]
fn front_matter_parses_back() {
    let fm = front_matter(&render_with(&three_embeds(), Language::ZhTw));
    assert_eq!(fm.title, TITLE);
    assert_eq!(fm.date, "2025-11-24T01:00:00+08:00");
    assert_eq!(fm.tags, tags());
    assert_eq!(fm.categories, categories());
    assert_eq!(fm.source_url, "https://www.youtube.com/watch?v=DtePicx_kFY");
    assert_eq!(fm.source_name, "Machine Learning Street Talk");
    assert!(fm.draft);
    assert_eq!(fm.syndicator_id, "mlst:youtube:DtePicx_kFY");
    assert!(fm.description.chars().count() <= 160);
    assert!(fm.description.ends_with('。'), "{}", fm.description);
}

#[test]
fn missing_source_url_empty_tags_and_body() {
    let ep = hostile_episode("No link", "");
    let stub = render_in(&ep, "Chan", &[], &Template::builtin(Language::En)).unwrap();
    assert!(stub.contains("\nsource_url: \"\"\n"), "{stub}");
    assert!(stub.contains("\ntags: []\ncategories: []\n"), "{stub}");
    assert!(stub.ends_with("aired November 2025.\n\n---\n"), "{stub}");
}

#[test]
fn hostile_fields_round_trip_and_body_is_inert() {
    let title = "---\ntitle: \"x\" # {{< youtube evil >}} <script>alert(1)</script> 「」\u{202E}\0";
    let html = "<p>{{< youtube evil >}} {{% x %}}</p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;";
    let channel = "Evil {{< x >}} <b>Chan</b>: #1";
    let stub =
        render_in(&hostile_episode(title, html), channel, &[], &Template::builtin(Language::ZhTw)).unwrap();
    let fm = front_matter(&stub);
    assert_eq!(fm.title, title);
    assert_eq!(fm.source_name, channel);
    assert_eq!(fm.description, "{{< youtube evil >}} {{% x %}} <script>alert(1)</script> &amp;");
    let rest = body(&stub);
    assert!(!rest.contains("{{<") && !rest.contains("{{%") && !rest.contains('<'), "{rest}");
    assert!(rest.contains("&lt;script>alert(1)&lt;/script> &amp;amp;"), "{rest}");
}

#[test]
fn file_names() {
    let tz = chrono_tz::Asia::Taipei;
    assert_eq!(
        file_name(&three_embeds(), tz),
        "2025-11-24-wo-fa-ming-liao-transformer-xian-zai-wo-yao-qu-dai-ta-llion.md"
    );
    assert_eq!(
        file_name(&three_embeds(), chrono_tz::UTC),
        "2025-11-23-wo-fa-ming-liao-transformer-xian-zai-wo-yao-qu-dai-ta-llion.md"
    );
    let untitled = hostile_episode("!!!", "");
    assert_eq!(file_name(&untitled, tz), "2025-11-23-guid.md");
    let mut nothing = hostile_episode("", "");
    nothing.copies[0].platform_id = "///".to_owned();
    assert_eq!(file_name(&nothing, tz), "2025-11-23-episode.md");
    let english = hostile_episode("Hello, World: Part 2!", "");
    assert_eq!(file_name(&english, tz), "2025-11-23-hello-world-part-2.md");
}

#[test]
fn languages_parse() {
    assert_eq!("zh-TW".parse::<Language>().unwrap(), Language::ZhTw);
    assert_eq!("zh-tw".parse::<Language>().unwrap(), Language::ZhTw);
    assert_eq!("en".parse::<Language>().unwrap(), Language::En);
    let err = "fr".parse::<Language>().unwrap_err().to_string();
    assert!(err.contains("\"fr\"") && err.contains("zh-TW"), "{err}");
}

#[test]
fn user_templates() {
    let ep = hostile_episode("A \"title\"", "<p>Body {{< x >}}</p>");
    let source = "{{ title | yaml }}|{{ title_yaml }}|{{ month_name }} {{ year }}|{{ body }}".to_owned();
    let out = render_in(&ep, "C", &[], &Template::user(source).unwrap()).unwrap();
    assert_eq!(out, r#""A \"title\""|"A \"title\""|November 2025|Body {&#123;&lt; x >}}"#);
}

#[test]
fn user_template_errors_name_the_problem() {
    let err = Template::user("{% if title %}".to_owned()).unwrap_err();
    assert!(matches!(err, StubError::InvalidTemplate(_)), "{err}");
    let bad = Template::user("{{ no_such_variable }}".to_owned()).unwrap();
    let err = render_in(&hostile_episode("t", ""), "C", &[], &bad).unwrap_err().to_string();
    assert!(err.contains("undefined"), "{err}");
}

proptest! {
    #[test]
    fn any_strings_round_trip_through_a_stub(
        title in any::<String>(),
        description in "(\\PC|[\\n\\t\\x00\"'#:{}<>%-]|---|「|」|\u{202E}){0,80}",
        channel in any::<String>(),
    ) {
        let ep = hostile_episode(&title, &html_escape::encode_text(&description));
        let tags = vec![channel.clone()];
        let stub = render_in(&ep, &channel, &tags, &Template::builtin(Language::ZhTw)).unwrap();
        let fm = front_matter(&stub);
        prop_assert_eq!(&fm.title, &title);
        prop_assert_eq!(&fm.source_name, &channel);
        prop_assert_eq!(&fm.tags, &tags);
        prop_assert_eq!(fm.description, text::summary(&plain_text(&html_escape::encode_text(&description))));
    }

    #[test]
    fn body_never_holds_live_markup(html in "([{}<>%/a-z ]|script|\\PC){0,80}", channel in "([{}<%]|\\PC){0,20}") {
        let stub = render_in(&hostile_episode("t", &html), &channel, &[], &Template::builtin(Language::En)).unwrap();
        let rest = stub.split_once("\n---\n\n").map_or("", |(_, rest)| rest);
        prop_assert!(!rest.contains("{{<") && !rest.contains("{{%"), "{}", rest);
        prop_assert!(!rest.to_lowercase().contains("<script"), "{}", rest);
    }
}

#[test]
fn a_spotify_day_stays_that_calendar_day_west_of_utc() {
    let mut day_only = spotify(SPOTIFY_ID);
    day_only.published = Some("2025-11-25T00:00:00Z".parse().unwrap());
    day_only.precision = crate::model::DatePrecision::Day;
    let ep = episode(vec![day_only]);
    let new_york = chrono_tz::America::New_York;
    assert!(file_name(&ep, new_york).starts_with("2025-11-25-"), "{}", file_name(&ep, new_york));
    assert_eq!(local_date(&ep, new_york).to_rfc3339(), "2025-11-25T00:00:00-05:00");
}

#[test]
fn cover_and_images_are_offered_to_templates() {
    let template = Template::user(
        "cover: {{ cover_yaml }}\n{{ cover }}\nimages: {{ images_yaml }}\nimages = {{ images_toml }}\n"
            .to_owned(),
    )
    .unwrap();
    let ep = three_embeds();
    assert_eq!(
        render_cover(&ep, &Cover::bundled("cover.jpg"), &template),
        "cover: \"cover.jpg\"\ncover.jpg\nimages: []\nimages = []\n",
        "a bundle's cover is never an images entry"
    );
    assert_eq!(render_cover(&ep, &Cover::None, &template), "cover: \"\"\n\nimages: []\nimages = []\n");
    let url = "https://x.test/a.jpg?\"{{<";
    let hostile = render_cover(&ep, &Cover::Remote(url.to_owned()), &template);
    assert!(
        hostile.starts_with("cover: \"https://x.test/a.jpg?\\\"{{<\"\n") && !hostile.contains("{{<\nimages"),
        "{hostile}"
    );
    assert!(
        hostile.ends_with(
            "images: [\"https://x.test/a.jpg?\\\"{{<\"]\nimages = [\"https://x.test/a.jpg?\\\"{{<\"]\n"
        ),
        "{hostile}"
    );
}

#[test]
fn built_in_templates_give_a_single_file_its_remote_artwork_as_images() {
    let ep = three_embeds();
    let url = "https://i.ytimg.com/vi/x/hqdefault.jpg";
    for lang in [Language::ZhTw, Language::En] {
        let builtin = Template::builtin(lang);
        let plain = render_cover(&ep, &Cover::None, &builtin);
        assert!(!plain.contains("images"), "{plain}");
        assert_eq!(
            render_cover(&ep, &Cover::bundled("cover.jpg"), &builtin),
            plain,
            "bundles: no images key"
        );
        let single = render_cover(&ep, &Cover::Remote(url.to_owned()), &builtin);
        let front: serde_json::Value =
            serde_saphyr::from_str(single.split("---\n").nth(1).expect("front matter")).expect("YAML");
        assert_eq!(front["images"], serde_json::json!([url]), "{single}");
        assert_eq!(single.replace(&format!("images: [\"{url}\"]\n"), ""), plain);
    }
}

#[test]
fn transcript_path_is_offered_to_templates_once_the_transcript_is_there() {
    let template = Template::user("transcript: {{ transcript_path }}\n".to_owned()).unwrap();
    let ep = three_embeds();
    assert_eq!(render_beside(&ep, &Beside::default(), &template), "transcript: \n");
    let path = "_raw/posts/2025-11-24-talk/transcript.md".to_owned();
    let beside = Beside { cover: Cover::None, transcript: Some(path) };
    assert_eq!(
        render_beside(&ep, &beside, &template),
        "transcript: _raw/posts/2025-11-24-talk/transcript.md\n"
    );
    for lang in [Language::ZhTw, Language::En] {
        let builtin = Template::builtin(lang);
        assert_eq!(
            render_beside(&ep, &beside, &builtin),
            render_with(&ep, lang),
            "the built-in ones never show it"
        );
    }
}
