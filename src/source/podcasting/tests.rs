use super::*;
use crate::model::{Item, Platform};
use crate::source::parse_feed;

fn feed(namespace_prefix: &str, channel: &str, item: &str) -> Vec<Item> {
    let xml = format!(
        r#"<rss version="2.0" xmlns:{namespace_prefix}="https://podcastindex.org/namespace/1.0"><channel>
        <title>Show</title>{channel}<item><guid>g1</guid><title>One</title>{item}</item>
        <item><guid>g2</guid><title>Two</title></item></channel></rss>"#
    );
    parse_feed(xml.as_bytes(), Platform::Podcast).expect("parses")
}

fn person_names(item: &Item) -> Vec<(&str, &str)> {
    item.podcasting.persons.iter().map(|p| (p.name.as_str(), p.role.as_str())).collect()
}

#[test]
fn reads_chapters_transcripts_and_persons_under_any_prefix() {
    let item = r#"<p20:chapters url="https://cdn.example/ep1/chapters.json" type="application/json+chapters"/>
        <p20:transcript url="https://cdn.example/ep1.vtt" type="text/vtt; charset=utf-8" language="en" rel="captions"/>
        <p20:transcript url="https://cdn.example/ep1.json" type="application/json"/>
        <p20:person role="Guest" href="https://llion.example/" img="https://img.example/l.jpg">Llion  Jones</p20:person>
        <p20:person>Tim Scarfe</p20:person>"#;
    let items = feed("p20", "", item);
    let extras = &items[0].podcasting;
    assert_eq!(extras.chapters_url.as_deref(), Some("https://cdn.example/ep1/chapters.json"));
    let types: Vec<_> = extras.transcripts.iter().map(|t| t.mime_type.as_str()).collect();
    assert_eq!(types, ["text/vtt", "application/json"]);
    assert_eq!(extras.transcripts[0].language.as_deref(), Some("en"));
    assert_eq!(extras.transcripts[0].rel.as_deref(), Some("captions"));
    assert_eq!(person_names(&items[0]), [("Llion Jones", "guest"), ("Tim Scarfe", "host")]);
    let llion = &extras.persons[0];
    assert!(llion.is_guest() && !llion.is_host() && llion.group == "cast");
    assert_eq!(llion.href.as_deref(), Some("https://llion.example/"));
    assert!(items[1].podcasting.is_empty());
}

#[test]
fn channel_persons_stand_in_for_items_that_name_none() {
    let channel = r#"<podcast:person role="host">Tim Scarfe</podcast:person>"#;
    let item = r#"<podcast:person role="guest">Maya Okafor</podcast:person>"#;
    let items = feed("podcast", channel, item);
    assert_eq!(person_names(&items[0]), [("Maya Okafor", "guest")]);
    assert_eq!(person_names(&items[1]), [("Tim Scarfe", "host")]);
}

#[test]
fn the_conventional_prefix_works_undeclared_and_other_namespaces_do_not_count() {
    let xml = r#"<rss xmlns:x="https://example.com/not-podcasting"><channel><item><guid>g</guid>
        <podcast:transcript url="https://cdn.example/t.srt" type="application/x-subrip"/>
        <x:transcript url="https://cdn.example/t.vtt" type="text/vtt"/></item></channel></rss>"#;
    let items = parse_feed(xml.as_bytes(), Platform::Podcast).unwrap();
    let urls: Vec<_> = items[0].podcasting.transcripts.iter().map(|t| t.url.as_str()).collect();
    assert_eq!(urls, ["https://cdn.example/t.srt"]);
}

#[test]
fn hostile_values_are_dropped_or_bounded() {
    let mut item = String::new();
    for url in ["file:///etc/passwd", "javascript:alert(1)", "/relative.vtt", "data:text/vtt,WEBVTT"] {
        item.push_str(&format!(r#"<podcast:transcript url="{url}" type="text/vtt"/>"#));
    }
    item.push_str(&format!(
        r#"<podcast:transcript url="https://x.example/{}" type="text/vtt"/>"#,
        "a".repeat(3000)
    ));
    item.push_str(r#"<podcast:transcript type="text/vtt"/><podcast:transcript url="https://x.example/t"/>"#);
    item.push_str(r#"<podcast:chapters url="https://x.example/c.psc" type="application/psc+xml"/>"#);
    item.push_str(&format!("<podcast:person role=\"guest\">{}</podcast:person>", "N".repeat(101)));
    item.push_str("<podcast:person role=\"guest\">  </podcast:person>");
    item.push_str(
        r#"<podcast:person role="guest" href="javascript:x" img="file:///x">Ok&#1;Name</podcast:person>"#,
    );
    let items = feed("podcast", "", &item);
    let extras = &items[0].podcasting;
    assert!(extras.transcripts.is_empty() && extras.chapters_url.is_none(), "{extras:?}");
    assert_eq!(person_names(&items[0]), [("Ok Name", "guest")]);
    assert_eq!((extras.persons[0].href.as_ref(), extras.persons[0].img.as_ref()), (None, None));
}

#[test]
fn counts_are_bounded() {
    let many_people = "<podcast:person role=\"guest\">Some One</podcast:person>".repeat(10_000);
    let many_transcripts =
        "<podcast:transcript url=\"https://x.example/t.vtt\" type=\"text/vtt\"/>".repeat(1_000);
    let items = feed("podcast", &many_people, &format!("{many_people}{many_transcripts}"));
    assert_eq!(items[0].podcasting.persons.len(), MAX_PERSONS);
    assert_eq!(items[0].podcasting.transcripts.len(), MAX_TRANSCRIPTS);
    assert_eq!(items[1].podcasting.persons.len(), MAX_PERSONS);
}
