use chrono::{TimeZone, Utc};

use super::*;
use crate::model::{Item, Person, Platform, StubState};

fn check(title: &str, expected: &[&str]) {
    assert_eq!(title_guests(title), expected, "guests of {title:?}");
}

#[test]
fn the_matchers_title_conventions() {
    check("He Co-Invented the Transformer. Now: Continuous Thought Machines [Llion Jones]", &["Llion Jones"]);
    check("He Co-Invented the Transformer. Now: Continuous Thought Machines - Llion Jones", &["Llion Jones"]);
    check("Why Reasoning Models Still Can't Plan (Part 2) [Dr. Maya Okafor]", &["Maya Okafor"]);
    check("Title of Talk (Dr. Jane Doe)", &["Jane Doe"]);
    check("Title of Talk | Dr Jane Doe", &["Jane Doe"]);
    check("Scaling Laws [Alice Smith, Bob Lee]", &["Alice Smith", "Bob Lee"]);
    check("Scaling Laws - Bob Lee & Alice Smith", &["Bob Lee", "Alice Smith"]);
    check("Scaling Laws with Alice Smith and Bob Lee", &["Alice Smith", "Bob Lee"]);
    check("Scaling Laws ft. Bob Lee", &["Bob Lee"]);
    check("Scaling Laws feat. Ludwig van Beethoven (Live)", &["Ludwig van Beethoven"]);
    check("On Agents with Jane Doe - Part 2", &["Jane Doe"]);
    check("Ep. 7: Grounding — José Hernández-Orallo", &["José Hernández-Orallo"]);
}

#[test]
fn things_that_are_not_names() {
    check("Listener Mailbag #12: Benchmarks, Scaling and Your Questions", &[]);
    check("Was the transformer an accident? #shorts", &[]);
    check("The Future of AI [Official Video]", &[]);
    check("The Future of AI (Full Interview) - Part 2", &[]);
    check("Conversations with friends about AI", &[]);
    check("Working with Large Language Models", &[]);
    check("Lecture 3 - Transformers", &[]);
    check("[Alice]", &[]);
    check("Talk - Prof.", &[]);
    check("「我發明了 Transformer，現在我要取代它」：Llion Jones 為何離開 Transformer 研究", &[]);
    check("", &[]);
}

fn episode(n: u32, title: &str, persons: Vec<Person>) -> Episode {
    let published = Some(Utc.with_ymd_and_hms(2025, 11, n, 0, 0, 0).unwrap());
    let mut copy = Item::bare(Platform::Podcast, &format!("g{n}"), title, published);
    copy.podcasting.persons = persons;
    Episode {
        id: Episode::id_for("c", &copy),
        channel: "c".into(),
        copies: vec![copy],
        stub: StubState::Skipped,
    }
}

fn person(name: &str, role: &str) -> Person {
    Person { name: name.into(), role: role.into(), group: "cast".into(), href: None, img: None }
}

#[test]
fn podcast_guests_come_first_and_hosts_never_count() {
    let talk = episode(
        1,
        "Agents [Maya Okafor] with Tim Host",
        vec![person("Llion Jones", "guest"), person("Tim Host", "host"), person("MAYA OKAFOR", "guest")],
    );
    let channel = [talk.clone(), episode(2, "Other", vec![])];
    assert_eq!(guests(&talk, &Hosts::of(&channel)), ["Llion Jones", "MAYA OKAFOR"]);
}

#[test]
fn a_name_in_most_titles_is_the_hosts() {
    let titles = [
        "Scaling - Alice Smith",
        "Robotics with Bob Lee - Alice Smith",
        "Alice Smith on Ethics",
        "Vision - Carol Diaz",
        "Alice Smith answers questions",
    ];
    let channel: Vec<Episode> =
        titles.iter().enumerate().map(|(i, t)| episode(i as u32 + 1, t, vec![])).collect();
    let hosts = Hosts::of(&channel);
    assert_eq!(guests(&channel[1], &hosts), ["Bob Lee"]);
    assert_eq!(guests(&channel[0], &hosts), Vec::<String>::new());
    assert_eq!(guests(&channel[3], &hosts), ["Carol Diaz"]);
    let few = [episode(1, "A - Dana Wu", vec![]), episode(2, "B - Dana Wu", vec![])];
    assert_eq!(
        guests(&few[0], &Hosts::of(&few)),
        ["Dana Wu"],
        "two titles are too few to call anyone a host"
    );
}

#[test]
fn guests_are_bounded() {
    let names: Vec<Person> =
        (0..100).map(|i| person(&format!("Guest Number{i}"), "Guest".to_lowercase().as_str())).collect();
    let crowded = episode(1, "Panel", names);
    assert_eq!(guests(&crowded, &Hosts::default()).len(), MAX_GUESTS);
    let long = format!("Talk - {} {}", "A".repeat(40), "B".repeat(40));
    check(&long, &[]);
}
