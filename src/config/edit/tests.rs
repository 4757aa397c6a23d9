use super::*;

/// A config written by hand: comments everywhere, odd spacing, CRLF-free but idiosyncratic,
/// a channel in the middle and tables after it.
const HAND_WRITTEN: &str = r#"# my syndicator config — keep this comment
[site]
root   =   "blog"      # aligned the way I like it
language = 'en'
title = "T"
base_url = "https://b.test/"

# the one show I follow
[[channels]]
id = "mlst"                         # [a-z0-9-]+, unique
name = "Machine Learning Street Talk"   # becomes source_name
tags = [ "Podcast",
         "AI" ]   # multi-line array
podcast = "https://anchor.fm/s/1e4a0eac/podcast/rss"   # the RSS
# feed = "<any RSS 2.0 or Atom URL>"  for a plain blog or podcast

[[channels]]
id="other"
name='Other'
youtube="https://www.youtube.com/feeds/videos.xml?channel_id=UCx"

[[notify]]
kind = "ntfy"    # phone
url = "https://ntfy.sh/t"
# the end
"#;

fn new_channel(id: &str, sources: &[(Platform, &str)]) -> NewChannel {
    NewChannel {
        id: id.into(),
        name: "A \"quoted\" Show".into(),
        sources: sources.iter().map(|(p, u)| (*p, u.to_string())).collect(),
        categories: vec![],
    }
}

/// `after` is `before` with exactly `inserted` added once, at `at`.
fn assert_only_inserted(before: &str, after: &str, inserted: &str) {
    let at = after.find(inserted).unwrap_or_else(|| panic!("{inserted:?} not in\n{after}"));
    let rest = format!("{}{}", &after[..at], &after[at + inserted.len()..]);
    assert_eq!(rest, before, "everything outside the inserted text is byte for byte the same");
}

#[test]
fn a_new_channel_is_appended_after_everything_else() {
    let channel = new_channel(
        "show",
        &[
            (Platform::Spotify, "https://api.spotify.com/v1/shows/S/episodes"),
            (Platform::Youtube, "https://y/"),
        ],
    );
    let after = add_channel(HAND_WRITTEN, &channel).unwrap();
    let block = "[[channels]]\nid = \"show\"\nname = 'A \"quoted\" Show'\n\
                 youtube = \"https://y/\"\nspotify = \"https://api.spotify.com/v1/shows/S/episodes\"\n";
    assert_eq!(after, format!("{HAND_WRITTEN}\n{block}"));
    assert_eq!(channel_block(&channel).unwrap(), block);
    let ids = channel_ids(&after).unwrap();
    assert_eq!(ids, ["mlst", "other", "show"]);
    crate::config::Config::parse(&after, "t.toml".as_ref()).expect("the edited config loads");
}

#[test]
fn the_separator_makes_one_blank_line_whatever_the_file_ends_with() {
    let channel = new_channel("a", &[(Platform::Feed, "https://f/")]);
    let block = channel_block(&channel).unwrap();
    for (before, expected) in [
        ("", block.clone()),
        ("x = 1", format!("x = 1\n\n{block}")),
        ("x = 1\n", format!("x = 1\n\n{block}")),
        ("x = 1\n\n", format!("x = 1\n\n{block}")),
        ("# last line is a comment", format!("# last line is a comment\n\n{block}")),
    ] {
        assert_eq!(add_channel(before, &channel).unwrap(), expected, "{before:?}");
    }
}

#[test]
fn categories_are_written_when_given() {
    let mut channel = new_channel("a", &[(Platform::Feed, "https://f/")]);
    channel.categories = vec!["Tech".into(), "AI 技術".into()];
    let block = channel_block(&channel).unwrap();
    assert!(block.contains("categories = [\"Tech\", \"AI 技術\"]\n"), "{block}");
}

#[test]
fn platforms_are_added_to_an_existing_channel_after_its_last_key() {
    let sources = [
        (Platform::Apple, "https://itunes.apple.com/lookup?id=1&entity=podcastEpisode".to_owned()),
        (Platform::Youtube, "https://www.youtube.com/feeds/videos.xml?channel_id=UCm".to_owned()),
    ];
    let after = add_sources(HAND_WRITTEN, "mlst", &sources).unwrap();
    let lines = "youtube = \"https://www.youtube.com/feeds/videos.xml?channel_id=UCm\"\n\
                 apple = \"https://itunes.apple.com/lookup?id=1&entity=podcastEpisode\"\n";
    assert_only_inserted(HAND_WRITTEN, &after, lines);
    assert!(after.contains(&format!("# the RSS\n{lines}# feed = ")), "right after the last key:\n{after}");
    assert_eq!(source_lines(&sources).unwrap(), lines);
}

#[test]
fn adding_to_the_last_channel_keeps_the_trailing_comments_after_it() {
    let text = "[[channels]]\nid = \"a\"\nname = \"A\"\nfeed = \"https://f/\"  # mine\n# trailing\n";
    let after = add_sources(text, "a", &[(Platform::Podcast, "https://p/".into())]).unwrap();
    assert_eq!(
        after,
        "[[channels]]\nid = \"a\"\nname = \"A\"\nfeed = \"https://f/\"  # mine\npodcast = \"https://p/\"\n# trailing\n"
    );
}

#[test]
fn a_platform_already_set_is_kept_when_equal_and_refused_when_different() {
    let same = [(Platform::Podcast, "https://anchor.fm/s/1e4a0eac/podcast/rss".to_owned())];
    assert_eq!(add_sources(HAND_WRITTEN, "mlst", &same).unwrap(), HAND_WRITTEN);
    let other = [(Platform::Podcast, "https://elsewhere/rss".to_owned())];
    let error = add_sources(HAND_WRITTEN, "mlst", &other).unwrap_err();
    assert_eq!(
        error.to_string(),
        "channel \"mlst\" already has podcast = \"https://anchor.fm/s/1e4a0eac/podcast/rss\": \
         remove that line to replace it"
    );
}

#[test]
fn a_replaceable_url_is_replaced_in_place_with_its_comment() {
    let text = "[[channels]]\nid = \"a\"\nname = \"A\"\nyoutube = \"https://www.youtube.com/@a\"   # pasted\nfeed = \"https://f/\"\n";
    let feed = "https://www.youtube.com/feeds/videos.xml?channel_id=UCa".to_owned();
    let pages = |url: &str| url.contains("/@");
    let fixed = fix_sources(text, "a", &[(Platform::Youtube, feed.clone())], pages).unwrap();
    assert_eq!(fixed, text.replace("https://www.youtube.com/@a", &feed));
    let refused = fix_sources(text, "a", &[(Platform::Feed, "https://g/".into())], pages);
    assert!(matches!(refused, Err(EditError::PlatformSet { .. })), "{refused:?}");
}

#[test]
fn errors_name_what_is_wrong() {
    let taken = add_channel(HAND_WRITTEN, &new_channel("other", &[(Platform::Feed, "https://f/")]));
    assert_eq!(taken, Err(EditError::IdTaken("other".into())));
    let missing = add_sources(HAND_WRITTEN, "nope", &[(Platform::Feed, "https://f/".into())]);
    assert_eq!(missing, Err(EditError::NoSuchChannel("nope".into())));
    let twice =
        channel_block(&new_channel("a", &[(Platform::Feed, "https://f/"), (Platform::Feed, "https://g/")]));
    assert_eq!(twice, Err(EditError::TwicePlatform(Platform::Feed)));
    let inline = "channels = [{ id = \"a\", name = \"A\", feed = \"https://f/\" }]\n";
    assert_eq!(
        add_channel(inline, &new_channel("b", &[(Platform::Feed, "https://f/")])),
        Err(EditError::NotBlocks)
    );
    assert!(matches!(add_channel("x = = 1", &new_channel("b", &[])), Err(EditError::Parse(_))));
}

#[test]
fn unique_ids_come_from_the_title() {
    let taken = vec!["machine-learning-street-talk".to_owned(), "machine-learning-street-talk-2".to_owned()];
    assert_eq!(unique_id("Machine Learning Street Talk", &taken), "machine-learning-street-talk-3");
    assert_eq!(unique_id("The Show!", &taken), "the-show");
    assert_eq!(unique_id("？？", &[]), "channel");
    assert_eq!(unique_id("", &["channel".to_owned()]), "channel-2");
}

proptest::proptest! {
    /// Whatever valid TOML surrounds it, adding a channel or a platform changes nothing else.
    #[test]
    fn edits_keep_every_other_byte(comment in "[ -~]{0,40}", spacing in "[ \t]{0,4}", name in "\\PC{0,30}") {
        let before = format!(
            "#{comment}\n[site]{spacing}\nroot{spacing}={spacing}\"x\"{spacing}#{comment}\n\n\
             [[channels]]\nid = \"a\"\nname = {}\nfeed = \"https://f/\"{spacing}#{comment}\n#{comment}\n",
            toml_edit::Value::from(name.as_str())
        );
        let added = add_sources(&before, "a", &[(Platform::Podcast, "https://p/".into())]).unwrap();
        assert_only_inserted(&before, &added, "podcast = \"https://p/\"\n");
        let channel = NewChannel { name, ..new_channel("b", &[(Platform::Feed, "https://g/")]) };
        let appended = add_channel(&before, &channel).unwrap();
        proptest::prop_assert!(appended.starts_with(&before));
        proptest::prop_assert_eq!(channel_ids(&appended).unwrap(), vec!["a".to_owned(), "b".to_owned()]);
    }
}
