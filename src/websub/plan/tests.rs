use std::path::Path;

use super::*;
use crate::store::HubLink;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

const NOW: &str = "2025-11-24T12:00:00Z";

fn config(websub: &str) -> Config {
    let text = format!(
        "[site]\nroot = \"site\"\ntitle = \"T\"\nbase_url = \"https://blog.example.com/\"\n\n\
         [server]\npublic_url = \"https://feeds.example.com\"\n\n[websub]\n{websub}\n\n\
         [[channels]]\nid = \"mlst\"\nname = \"MLST\"\n\
         youtube = \"https://www.youtube.com/feeds/videos.xml?channel_id=UC1\"\n\
         podcast = \"https://pod.example/rss\"\nfeed = \"file:///tmp/feed.xml\"\n\
         apple = \"https://itunes.apple.com/lookup?id=1\"\n"
    );
    Config::parse(&text, Path::new("test.toml")).unwrap()
}

fn youtube() -> Wanted {
    Wanted {
        channel: "mlst".into(),
        platform: Platform::Youtube,
        source_url: "https://www.youtube.com/feeds/videos.xml?channel_id=UC1".into(),
        topic: "https://www.youtube.com/xml/feeds/videos.xml?channel_id=UC1".into(),
        hub: "https://pubsubhubbub.appspot.com/".into(),
    }
}

fn record(state: SubscriptionState) -> Subscription {
    let w = youtube();
    Subscription {
        token: "t".repeat(64),
        channel: w.channel,
        platform: w.platform,
        source_url: w.source_url,
        topic: w.topic,
        hub: w.hub,
        callback: format!("https://feeds.example.com/websub/{}", "t".repeat(64)),
        secret: "00".into(),
        state,
        lease_seconds: Some(432_000),
        lease_expires: Some(at("2025-11-28T12:00:00Z")),
        last_notification: None,
        verify_by: None,
        failures: 0,
        retry_at: None,
        last_error: None,
    }
}

fn public() -> PublicUrl {
    config("").server.public_url.unwrap()
}

fn actions_at(records: &[Subscription], now: &str, renew_all: bool) -> Vec<Action> {
    actions(&[youtube()], records, Some(&public()), at(now), renew_all)
}

#[test]
fn youtube_sources_use_the_configured_hub_and_feeds_their_own() {
    assert!(wanted(&config("subscribe = false"), |_, _, _| None).is_empty(), "off by default");
    let config = config("subscribe = true\nhub = \"https://hub.example/\"");
    let none = wanted(&config, |_, _, _| None);
    assert_eq!(none.len(), 1, "the podcast names no hub yet, file: and apple never: {none:?}");
    assert_eq!(none[0].hub, "https://hub.example/");
    let link = HubLink {
        hub: "https://feed-hub.example/".into(),
        self_url: Some("https://pod.example/self".into()),
    };
    let state = SourceState { hub: Some(link), ..SourceState::default() };
    let both = wanted(&config, |_, platform, _| (platform == Platform::Podcast).then(|| state.clone()));
    assert_eq!(both.len(), 2);
    assert_eq!(
        (both[1].hub.as_str(), both[1].topic.as_str()),
        ("https://feed-hub.example/", "https://pod.example/self")
    );
}

#[test]
fn a_new_source_is_created_and_a_removed_one_unsubscribed_or_forgotten() {
    assert_eq!(actions_at(&[], NOW, false), [Action::Create(youtube())]);
    let active = record(SubscriptionState::Active);
    let token = active.token.clone();
    assert_eq!(
        actions(&[], std::slice::from_ref(&active), Some(&public()), at(NOW), false),
        [Action::Unsubscribe(token.clone())]
    );
    let never_verified = Subscription { lease_expires: None, ..record(SubscriptionState::Failed) };
    assert_eq!(
        actions(&[], &[never_verified], Some(&public()), at(NOW), false),
        [Action::Forget(token.clone())]
    );
    let leaving = record(SubscriptionState::Unsubscribing);
    assert_eq!(
        actions(&[], std::slice::from_ref(&leaving), Some(&public()), at(NOW), false),
        [Action::Unsubscribe(token.clone())]
    );
    let asked = Subscription { verify_by: Some(at("2025-11-24T12:05:00Z")), ..leaving.clone() };
    assert!(actions(&[], &[asked], Some(&public()), at(NOW), false).is_empty(), "waits for the hub");
    assert_eq!(
        actions(&[], &[leaving], Some(&public()), at("2025-11-28T12:00:00Z"), false),
        [Action::Forget(token)],
        "the lease is over"
    );
}

#[test]
fn an_active_lease_is_renewed_a_fifth_before_it_ends_and_at_start_up() {
    let active = record(SubscriptionState::Active);
    let token = active.token.clone();
    assert_eq!(renew_at(&active), Some(at("2025-11-27T12:00:00Z")), "a day before a five-day lease");
    assert!(actions_at(std::slice::from_ref(&active), NOW, false).is_empty());
    assert_eq!(
        actions_at(std::slice::from_ref(&active), "2025-11-27T12:00:00Z", false),
        [Action::Subscribe(token.clone())]
    );
    assert_eq!(actions_at(std::slice::from_ref(&active), NOW, true), [Action::Subscribe(token.clone())]);
    let short = Subscription {
        lease_seconds: Some(10),
        lease_expires: Some(at("2025-11-24T12:00:10Z")),
        ..active.clone()
    };
    assert_eq!(renew_at(&short), Some(at("2025-11-24T12:00:08Z")));
    assert_eq!(next_wake(&[short]), Some(at("2025-11-24T12:00:08Z")));
}

#[test]
fn a_moved_public_url_resubscribes_with_the_new_callback() {
    let moved =
        Subscription { callback: "https://old.example/websub/x".into(), ..record(SubscriptionState::Active) };
    assert_eq!(actions_at(std::slice::from_ref(&moved), NOW, false), [Action::Subscribe(moved.token)]);
}

#[test]
fn requests_out_are_waited_for_then_counted_as_failures() {
    let out =
        Subscription { verify_by: Some(at("2025-11-24T12:10:00Z")), ..record(SubscriptionState::Requested) };
    assert!(actions_at(std::slice::from_ref(&out), NOW, true).is_empty(), "not even at start-up");
    assert_eq!(next_wake(std::slice::from_ref(&out)), Some(at("2025-11-24T12:10:00Z")));
    assert_eq!(
        actions_at(std::slice::from_ref(&out), "2025-11-24T12:10:00Z", false),
        [Action::Unverified(out.token)]
    );
}

#[test]
fn failures_wait_for_their_backoff_and_denials_for_a_restart() {
    let failed =
        Subscription { retry_at: Some(at("2025-11-24T12:01:00Z")), ..record(SubscriptionState::Failed) };
    assert!(actions_at(std::slice::from_ref(&failed), NOW, true).is_empty());
    assert_eq!(next_wake(std::slice::from_ref(&failed)), Some(at("2025-11-24T12:01:00Z")));
    assert_eq!(
        actions_at(std::slice::from_ref(&failed), "2025-11-24T12:01:00Z", false),
        [Action::Subscribe(failed.token)]
    );
    let renewal_failing =
        Subscription { retry_at: Some(at("2025-11-27T13:00:00Z")), ..record(SubscriptionState::Active) };
    assert_eq!(next_wake(&[renewal_failing]), Some(at("2025-11-27T13:00:00Z")), "never a busy loop");
    let denied = record(SubscriptionState::Denied);
    assert!(actions_at(std::slice::from_ref(&denied), NOW, false).is_empty());
    assert_eq!(next_wake(std::slice::from_ref(&denied)), None);
    assert_eq!(actions_at(std::slice::from_ref(&denied), NOW, true), [Action::Subscribe(denied.token)]);
}
