use super::*;
use crate::websub::signature::{Method, sign};

const TOPIC: &str = "https://www.youtube.com/feeds/videos.xml?channel_id=UC1";

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn record(state: SubscriptionState) -> Subscription {
    Subscription {
        token: "ab".repeat(32),
        channel: "mlst".into(),
        platform: Platform::Youtube,
        source_url: TOPIC.into(),
        topic: TOPIC.into(),
        hub: "https://hub.example/".into(),
        callback: format!("https://feeds.example.com/websub/{}", "ab".repeat(32)),
        secret: "5e".repeat(32),
        state,
        lease_seconds: None,
        lease_expires: None,
        last_notification: None,
        verify_by: Some(at("2025-11-24T12:10:00Z")),
        failures: 2,
        retry_at: None,
        last_error: Some("earlier".into()),
    }
}

fn query(mode: &str, topic: &str) -> Verification {
    Verification {
        mode: Some(mode.into()),
        topic: Some(topic.into()),
        challenge: Some("c-123".into()),
        lease_seconds: Some("86400".into()),
        reason: None,
    }
}

#[test]
fn a_subscription_we_asked_for_is_confirmed_with_its_lease() {
    let now = at("2025-11-24T12:00:00Z");
    let (answer, change) = decide(&record(SubscriptionState::Requested), &query("subscribe", TOPIC), now);
    assert_eq!(answer, Answer::Challenge("c-123".into()));
    let Change::Save(active) = change else { panic!("{change:?}") };
    assert_eq!(active.state, SubscriptionState::Active);
    assert_eq!(
        (active.lease_seconds, active.lease_expires),
        (Some(86_400), Some(at("2025-11-25T12:00:00Z")))
    );
    assert_eq!((active.verify_by, active.failures, active.last_error), (None, 0, None));
    let spelled_otherwise = query("subscribe", "http://www.youtube.com/xml/feeds/videos.xml?channel_id=UC1");
    assert!(matches!(
        decide(&record(SubscriptionState::Active), &spelled_otherwise, now).0,
        Answer::Challenge(_)
    ));
    let absurd = Verification { lease_seconds: Some("99999999999999".into()), ..query("subscribe", TOPIC) };
    let (_, Change::Save(capped)) = decide(&record(SubscriptionState::Active), &absurd, now) else {
        panic!()
    };
    assert_eq!(capped.lease_seconds, Some(MAX_LEASE_SECS));
}

#[test]
fn what_we_did_not_ask_for_is_refused() {
    let now = at("2025-11-24T12:00:00Z");
    let refused = (Answer::NotFound, Change::Keep);
    let cases = [
        (
            record(SubscriptionState::Requested),
            query("subscribe", "https://www.youtube.com/feeds/videos.xml?channel_id=UC2"),
        ),
        (record(SubscriptionState::Requested), Verification { topic: None, ..query("subscribe", TOPIC) }),
        (record(SubscriptionState::Requested), Verification { challenge: None, ..query("subscribe", TOPIC) }),
        (
            record(SubscriptionState::Requested),
            Verification { challenge: Some("x".repeat(2000)), ..query("subscribe", TOPIC) },
        ),
        (record(SubscriptionState::Active), query("unsubscribe", TOPIC)),
        (record(SubscriptionState::Unsubscribing), query("subscribe", TOPIC)),
        (record(SubscriptionState::Active), query("publish", TOPIC)),
    ];
    for (record, query) in cases {
        assert_eq!(decide(&record, &query, now), refused, "{:?} {query:?}", record.state);
    }
    let (answer, change) =
        decide(&record(SubscriptionState::Unsubscribing), &query("unsubscribe", TOPIC), now);
    assert_eq!((answer, change), (Answer::Challenge("c-123".into()), Change::Remove));
}

#[test]
fn a_denial_is_recorded_with_the_hubs_reason() {
    let denied = Verification { reason: Some("topic not found".into()), ..query("denied", TOPIC) };
    let (answer, change) = decide(&record(SubscriptionState::Requested), &denied, at("2025-11-24T12:00:00Z"));
    assert_eq!(answer, Answer::Noted);
    let Change::Save(saved) = change else { panic!("{change:?}") };
    assert_eq!(saved.state, SubscriptionState::Denied);
    assert!(saved.last_error.unwrap().contains("topic not found"));
}

#[test]
fn the_callback_token_must_have_our_shape_and_be_known() {
    let store = Store::temporary().unwrap();
    let known = record(SubscriptionState::Requested);
    store.put_subscription(&known).unwrap();
    let now = at("2025-11-24T12:00:00Z");
    assert!(matches!(
        verify(&store, &known.token, &query("subscribe", TOPIC), now).unwrap(),
        Answer::Challenge(_)
    ));
    assert_eq!(store.subscription(&known.token).unwrap().unwrap().state, SubscriptionState::Active);
    for token in [
        "ba".repeat(32),
        "AB".repeat(32),
        known.token[1..].to_owned(),
        format!("{}/..", known.token),
        String::new(),
    ] {
        assert_eq!(
            verify(&store, &token, &query("subscribe", TOPIC), now).unwrap(),
            Answer::NotFound,
            "{token}"
        );
    }
}

const PUSH: &[u8] =
    br#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:yt="http://www.youtube.com/xml/schemas/2015">
<entry><id>yt:video:NEWvid00001</id><yt:videoId>NEWvid00001</yt:videoId><title>New</title>
<published>2025-11-24T10:00:00+00:00</published></entry></feed>"#;

fn signed(method: Method) -> String {
    sign(method, PUSH, "5e".repeat(32).as_bytes())
}

#[test]
fn only_a_signed_notification_for_our_topic_is_accepted() {
    let active = record(SubscriptionState::Active);
    for method in Method::ALL {
        let header = signed(method);
        assert_eq!(
            check(&active, &Push { signature: Some(&header), link: None, body: PUSH }),
            Ok(()),
            "{method:?}"
        );
    }
    let good = signed(Method::Sha256);
    let link = format!("<https://hub.example/>; rel=hub, <{TOPIC}>; rel=self");
    assert_eq!(check(&active, &Push { signature: Some(&good), link: Some(&link), body: PUSH }), Ok(()));
    let cases = [
        (None, None, Ignored::Unsigned),
        (Some("sha256=00"), None, Ignored::BadSignature(SignatureError::Mismatch)),
        (Some("sha256=zz"), None, Ignored::BadSignature(SignatureError::Malformed)),
        (
            Some(good.as_str()),
            Some("<https://other.example/feed>; rel=self"),
            Ignored::WrongTopic("https://other.example/feed".into()),
        ),
    ];
    for (signature, link, expected) in cases {
        assert_eq!(
            check(&active, &Push { signature, link, body: PUSH }),
            Err(expected.clone()),
            "{expected:?}"
        );
    }
    let leaving = record(SubscriptionState::Unsubscribing);
    assert_eq!(
        check(&leaving, &Push { signature: Some(&good), link: None, body: PUSH }),
        Err(Ignored::Unsubscribing)
    );
}

#[test]
fn an_accepted_notification_names_its_entries_and_tombstones() {
    let store = Store::temporary().unwrap();
    let active = record(SubscriptionState::Active);
    store.put_subscription(&active).unwrap();
    let now = at("2025-11-24T12:00:00Z");
    let good = signed(Method::Sha1);
    let received =
        receive(&store, &active.token, &Push { signature: Some(&good), link: None, body: PUSH }, now)
            .unwrap();
    let Received::Accepted(accepted) = received else { panic!("{received:?}") };
    assert_eq!(
        (accepted.channel.as_str(), accepted.ids.as_slice()),
        ("mlst", ["NEWvid00001".to_owned()].as_slice())
    );
    assert_eq!(store.subscription(&active.token).unwrap().unwrap().last_notification, Some(now));
    let unsigned =
        receive(&store, &active.token, &Push { signature: None, link: None, body: PUSH }, now).unwrap();
    assert!(matches!(unsigned, Received::Ignored { why: Ignored::Unsigned, .. }));
    let unknown =
        receive(&store, &"cd".repeat(32), &Push { signature: Some(&good), link: None, body: PUSH }, now)
            .unwrap();
    assert_eq!(unknown, Received::Unknown);
}
