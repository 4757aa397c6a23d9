//! Fixing the matcher by hand, end to end with stubs on disk: `link` attaches a copy the
//! matcher missed (a known one, or one no source shows), `unlink` splits a wrong merge,
//! `forget` brings back a deleted stub; each survives later syncs and a lost store.

use super::app::{App, Run};
use super::upstream::Route;

/// A YouTube channel feed with `(video id, title, date)` entries.
fn youtube(entries: &[(&str, &str, &str)]) -> String {
    let entries: String = entries
        .iter()
        .map(|(id, title, date)| {
            format!(
                "<entry><id>yt:video:{id}</id><yt:videoId>{id}</yt:videoId><title>{title}</title>\
                 <link rel=\"alternate\" href=\"https://www.youtube.com/watch?v={id}\"/>\
                 <published>{date}T10:00:00+00:00</published></entry>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><feed xmlns:yt=\"http://www.youtube.com/xml/schemas/2015\" \
         xmlns=\"http://www.w3.org/2005/Atom\"><title>Show</title>{entries}</feed>"
    )
}

/// A podcast feed with `(guid, title, RFC 2822 date)` items.
fn podcast(items: &[(&str, &str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(guid, title, date)| {
            format!(
                "<item><guid isPermaLink=\"false\">{guid}</guid><title>{title}</title><pubDate>{date}</pubDate>\
                 <description>Notes of {title}.</description>\
                 <enclosure url=\"https://cdn.example/{guid}.mp3\" type=\"audio/mpeg\" length=\"1\"/></item>"
            )
        })
        .collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Show</title>{items}</channel></rss>")
}

const VIDEO: &str = "vid00000001";

/// A channel `show` whose video and podcast item of one talk have unrelated titles, so the
/// matcher keeps them apart; both stubs written.
fn missed_pair() -> App {
    let app = App::new();
    app.upstream
        .set("/yt.xml", Route::xml(youtube(&[(VIDEO, "Jane Doe explains everything", "2025-11-21")])));
    let items = [("g1", "Episode 12: scaling laws", "Thu, 20 Nov 2025 10:00:00 GMT")];
    app.upstream.set("/pod.xml", Route::xml(podcast(&items)));
    app.config(
        "[[channels]]\nid = \"show\"\nname = \"Show\"\nyoutube = \"{upstream}/yt.xml\"\npodcast = \"{upstream}/pod.xml\"\n",
    );
    app.sync_expecting(0);
    assert_eq!(app.stubs().len(), 2, "{:?}", app.stub_names());
    app
}

/// The stub (name, text) carrying `id`.
fn stub_of(app: &App, id: &str) -> (String, String) {
    let carries = |text: &str| {
        let value = text.lines().find_map(|line| line.strip_prefix("syndicator_id:"));
        value.is_some_and(|v| v.trim().trim_matches(['"', '\'']) == id)
    };
    app.stubs().into_iter().find(|(_, text)| carries(text)).unwrap_or_else(|| panic!("no stub {id}"))
}

fn ok(run: Run) -> Run {
    assert_eq!(run.code, 0, "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    run
}

/// Deletes the store (its journal stays), as a disk fault would.
fn lose_store(app: &App) {
    std::fs::remove_dir_all(app.path("state/syndicator.db")).unwrap();
}

/// `status show --json`'s episodes.
fn episodes(app: &App) -> Vec<serde_json::Value> {
    let run = ok(app.run(&["status", "show", "--json", "--episodes", "0"]));
    let status: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    status["episodes"].as_array().unwrap().clone()
}

fn copies(episode: &serde_json::Value) -> Vec<String> {
    let copies = episode["copies"].as_array().unwrap().iter();
    copies.map(|c| format!("{}:{}", c["platform"].as_str().unwrap(), c["id"].as_str().unwrap())).collect()
}

#[test]
fn link_by_stub_path_moves_the_video_rewrites_the_untouched_stub_and_survives_a_lost_store() {
    let app = missed_pair();
    let (name, _) = stub_of(&app, "show:podcast:g1");
    let (video_stub, video_text) = stub_of(&app, &format!("show:youtube:{VIDEO}"));
    let path = format!("content/posts/{name}");
    let run = ok(app.run(&["link", &path, "--youtube", &format!("https://youtu.be/{VIDEO}?si=x")]));
    assert!(run.stdout.contains(&format!("linked youtube {VIDEO} to show:podcast:g1")), "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!("its stub content/posts/{video_stub} is left as it is")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(&format!("the next sync brings {path} up to date")), "{}", run.stdout);
    let sync = app.sync_expecting(0);
    assert_eq!(sync.stdout.trim(), format!("updated {path}"));
    assert!(stub_of(&app, "show:podcast:g1").1.contains(&format!("{{{{< youtube {VIDEO} >}}}}")));
    assert_eq!(stub_of(&app, &format!("show:youtube:{VIDEO}")).1, video_text, "the author's to delete");
    let listed = episodes(&app);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(copies(&listed[0]), ["podcast:g1", &format!("youtube:{VIDEO}")]);
    assert_eq!(listed[0]["path"], path);
    let before = app.stubs();
    lose_store(&app);
    let recovered = app.sync_expecting(0);
    assert!(recovered.stdout.is_empty(), "{}", recovered.stdout);
    assert_eq!(app.stubs(), before, "nothing written or rewritten after the loss");
    assert_eq!(copies(&episodes(&app)[0]), ["podcast:g1", &format!("youtube:{VIDEO}")]);
}

#[test]
fn link_to_an_edited_stub_leaves_it_and_lists_the_embed_in_status() {
    let app = missed_pair();
    let (name, text) = stub_of(&app, "show:podcast:g1");
    let edited = format!("{text}\nMy own notes.\n");
    std::fs::write(app.path(&format!("site/content/posts/{name}")), &edited).unwrap();
    ok(app.run(&["link", "show:podcast:g1", "--youtube", VIDEO]));
    let sync = app.sync_expecting(0);
    assert!(sync.stdout.is_empty(), "{}", sync.stdout);
    assert_eq!(stub_of(&app, "show:podcast:g1").1, edited);
    let status = ok(app.run(&["status"]));
    assert!(status.stdout.contains(&format!("{{{{< youtube {VIDEO} >}}}}")), "{}", status.stdout);
    assert!(status.stdout.contains(&name), "{}", status.stdout);
}

#[test]
fn link_of_a_video_no_source_shows_embeds_it_from_the_pasted_url() {
    let app = missed_pair();
    let old = "oldvideo123";
    let run = ok(app.run(&[
        "link",
        "show:podcast:g1",
        "--youtube",
        &format!("https://www.youtube.com/watch?v={old}"),
    ]));
    assert!(!run.stdout.contains("is gone"), "{}", run.stdout);
    let sync = app.sync_expecting(0);
    assert!(sync.stdout.starts_with("updated "), "{}", sync.stdout);
    assert!(stub_of(&app, "show:podcast:g1").1.contains(&format!("{{{{< youtube {old} >}}}}")));
    assert_eq!(app.stubs().len(), 2);
}

#[test]
fn linking_a_podcast_item_again_before_it_appears_replaces_the_wrong_link() {
    let app = missed_pair();
    let video = format!("show:youtube:{VIDEO}");
    let first = ok(app.run(&["link", &video, "--podcast", "g3"]));
    assert!(first.stdout.contains("no source has shown it yet"), "{}", first.stdout);
    let again = ok(app.run(&["link", &video, "--podcast", "g2"]));
    assert!(again.stdout.contains("it replaces the earlier link of podcast g3"), "{}", again.stdout);
    let items = [
        ("g1", "Episode 12: scaling laws", "Thu, 20 Nov 2025 10:00:00 GMT"),
        ("g3", "Episode 13: a talk of its own", "Sat, 22 Nov 2025 10:00:00 GMT"),
        ("g2", "Episode 14: the interview", "Sun, 23 Nov 2025 10:00:00 GMT"),
    ];
    app.upstream.set("/pod.xml", Route::xml(podcast(&items)));
    app.sync_expecting(0);
    let listed = episodes(&app);
    let of = |id: &str| listed.iter().find(|e| e["id"] == id).map(copies).unwrap_or_default();
    assert_eq!(of(&video), [format!("youtube:{VIDEO}"), "podcast:g2".to_owned()], "{listed:?}");
    assert_eq!(of("show:podcast:g3"), ["podcast:g3"], "{listed:?}");
}

/// Every episode's id and copies, as `status` lists them.
fn listing(app: &App) -> Vec<(String, Vec<String>)> {
    episodes(app).iter().map(|e| (e["id"].as_str().unwrap().to_owned(), copies(e))).collect()
}

#[test]
fn a_wrong_link_replaced_by_a_seen_copy_stays_replaced_after_unlink_and_a_lost_store() {
    let app = missed_pair();
    let video = format!("show:youtube:{VIDEO}");
    ok(app.run(&["link", &video, "--podcast", "g3"]));
    let g1 = ("g1", "Episode 12: scaling laws", "Thu, 20 Nov 2025 10:00:00 GMT");
    let g2 = ("g2", "Episode 14: the interview", "Sun, 23 Nov 2025 10:00:00 GMT");
    let g3 = ("g3", "Episode 13: a talk of its own", "Sat, 22 Nov 2025 10:00:00 GMT");
    app.upstream.set("/pod.xml", Route::xml(podcast(&[g1, g2])));
    app.sync_expecting(0);
    let relink = ok(app.run(&["link", &video, "--podcast", "g2"]));
    assert!(relink.stdout.contains("it replaces the earlier link of podcast g3"), "{}", relink.stdout);
    app.upstream.set("/pod.xml", Route::xml(podcast(&[g1, g3, g2])));
    app.sync_expecting(0);
    ok(app.run(&["unlink", &video, "podcast"]));
    app.sync_expecting(0);
    let live = listing(&app);
    assert!(live.contains(&("show:podcast:g3".to_owned(), vec!["podcast:g3".to_owned()])), "{live:?}");
    lose_store(&app);
    let g4 = ("g4", "Something unrelated entirely", "Mon, 01 Dec 2025 10:00:00 GMT");
    app.upstream.set("/pod.xml", Route::xml(podcast(&[g1, g3, g2, g4])));
    app.sync_expecting(0);
    let rebuilt: Vec<_> = listing(&app).into_iter().filter(|(id, _)| id != "show:podcast:g4").collect();
    assert_eq!(rebuilt, live, "the rebuilt store pairs as the live one did");
}

#[test]
fn unlink_splits_a_wrong_merge_into_two_stubs_for_good() {
    let app = App::new();
    let title = "The future of compilers";
    app.upstream.set("/yt.xml", Route::xml(youtube(&[(VIDEO, title, "2025-11-21")])));
    app.upstream.set("/pod.xml", Route::xml(podcast(&[("g1", title, "Thu, 20 Nov 2025 10:00:00 GMT")])));
    app.config(
        "[[channels]]\nid = \"show\"\nname = \"Show\"\nyoutube = \"{upstream}/yt.xml\"\npodcast = \"{upstream}/pod.xml\"\n",
    );
    app.sync_expecting(0);
    let (name, merged) = stub_of(&app, "show:podcast:g1");
    assert!(merged.contains(VIDEO), "the matcher merged them");
    let run = ok(app.run(&["unlink", "show:podcast:g1", "youtube"]));
    assert!(
        run.stdout.contains(&format!("split show:podcast:g1: youtube copies now form show:youtube:{VIDEO}"))
    );
    let sync = app.sync_expecting(0);
    assert!(sync.stdout.contains(&format!("updated content/posts/{name}")), "{}", sync.stdout);
    assert!(sync.stdout.contains("wrote content/posts/"), "{}", sync.stdout);
    assert!(!stub_of(&app, "show:podcast:g1").1.contains(VIDEO));
    assert!(
        stub_of(&app, &format!("show:youtube:{VIDEO}")).1.contains(&format!("{{{{< youtube {VIDEO} >}}}}"))
    );
    let again = app.sync_expecting(0);
    assert!(again.stdout.is_empty(), "{}", again.stdout);
    let before = app.stubs();
    lose_store(&app);
    app.sync_expecting(0);
    assert_eq!(app.stubs(), before);
    let listed = episodes(&app);
    assert_eq!(listed.len(), 2, "the split outlives the store: {listed:?}");
}

#[test]
fn forget_lets_the_next_sync_write_a_deleted_stub_again() {
    let app = missed_pair();
    let (name, text) = stub_of(&app, "show:podcast:g1");
    std::fs::remove_file(app.path(&format!("site/content/posts/{name}"))).unwrap();
    app.sync_expecting(0);
    assert!(app.stubs().iter().all(|(n, _)| *n != name), "a deleted stub stays deleted");
    let refused = app.run(&["forget", &format!("show:youtube:{VIDEO}")]);
    assert_eq!(refused.code, 64, "{}", refused.stderr);
    assert!(refused.stderr.contains("its stub is written"), "{}", refused.stderr);
    let run = ok(app.run(&["forget", "show:podcast:g1"]));
    assert!(run.stdout.contains("the next sync writes a stub for show:podcast:g1"), "{}", run.stdout);
    let sync = app.sync_expecting(0);
    assert_eq!(sync.stdout.trim(), format!("wrote content/posts/{name}"));
    assert_eq!(stub_of(&app, "show:podcast:g1").1, text);
}

#[test]
fn fixes_that_name_nothing_or_clash_are_usage_errors() {
    let app = missed_pair();
    let usage = |args: &[&str], says: &str| {
        let run = app.run(args);
        assert_eq!(run.code, 64, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    };
    usage(&["link", "show:podcast:nope", "--youtube", VIDEO], "no episode or stub");
    usage(&["link", "show:podcast:g1", "--youtube", "https://example.com/x"], "names no youtube episode");
    usage(&["link", "show:podcast:g1", "--youtube", VIDEO, "--apple", "1"], "cannot be used with");
    usage(&["unlink", "show:podcast:g1", "youtube"], "has no youtube copy");
    ok(app.run(&["link", "show:podcast:g1", "--youtube", VIDEO]));
    usage(
        &["link", "show:podcast:g1", "--youtube", "othervideo1"],
        "syndicator unlink show:podcast:g1 youtube",
    );
    usage(&["status", "nope"], "no channel \"nope\"");
}

/// A podcast feed with `(guid, link, title, RFC 2822 date)` items.
fn podcast_with_links(items: &[(&str, &str, &str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(guid, link, title, date)| {
            format!(
                "<item><guid isPermaLink=\"false\">{guid}</guid><link>{link}</link><title>{title}</title>\
                 <pubDate>{date}</pubDate><description>Notes of {title}.</description>\
                 <enclosure url=\"https://cdn.example/{guid}.mp3\" type=\"audio/mpeg\" length=\"1\"/></item>"
            )
        })
        .collect();
    format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Show</title>{items}</channel></rss>")
}

/// A channel `show` with the video of `title` and the podcast items `items` (with links).
fn show_with_linked_items(title: &str, items: &[(&str, &str, &str, &str)]) -> App {
    let app = App::new();
    app.upstream.set("/yt.xml", Route::xml(youtube(&[(VIDEO, title, "2025-11-21")])));
    app.upstream.set("/pod.xml", Route::xml(podcast_with_links(items)));
    app.config(
        "[[channels]]\nid = \"show\"\nname = \"Show\"\nyoutube = \"{upstream}/yt.xml\"\npodcast = \"{upstream}/pod.xml\"\n",
    );
    app.sync_expecting(0);
    app
}

const SAME_TITLE: &str = "Jane Doe explains scaling laws";

/// A channel whose video is titled [`SAME_TITLE`] and whose podcast has no item yet, the video's
/// episode linked to the podcast copy `copy`; and that episode's id.
fn video_linked_before_the_podcast_item_appears(copy: &str) -> (App, String) {
    let app = show_with_linked_items(SAME_TITLE, &[]);
    let video = format!("show:youtube:{VIDEO}");
    ok(app.run(&["link", &video, "--podcast", copy]));
    (app, video)
}

/// The podcast item `g1` titled [`SAME_TITLE`] (page `https://show.example/ep12`) appears;
/// the next sync must put it into the video's episode.
fn g1_appears_in_the_videos_episode(app: &App) {
    let items = [("g1", "https://show.example/ep12", SAME_TITLE, "Sat, 22 Nov 2025 10:00:00 GMT")];
    app.upstream.set("/pod.xml", Route::xml(podcast_with_links(&items)));
    app.sync_expecting(0);
    let video = format!("show:youtube:{VIDEO}");
    assert_eq!(listing(app), [(video, vec![format!("youtube:{VIDEO}"), "podcast:g1".to_owned()])]);
}

#[test]
fn repeating_a_link_by_the_items_page_replaces_nothing_and_keeps_its_pin() {
    let page = "https://show.example/ep12";
    let items = [("g1", page, "Episode 12: scaling laws", "Thu, 20 Nov 2025 10:00:00 GMT")];
    let app = show_with_linked_items("Jane Doe explains everything", &items);
    assert_eq!(listing(&app).len(), 2);
    let video = format!("show:youtube:{VIDEO}");
    ok(app.run(&["link", &video, "--podcast", page]));
    app.sync_expecting(0);
    let live = listing(&app);
    assert_eq!(live.len(), 1, "{live:?}");
    let again = ok(app.run(&["link", &video, "--podcast", page]));
    assert!(!again.stdout.contains("replaces"), "a repeated link replaces nothing:\n{}", again.stdout);
    lose_store(&app);
    app.sync_expecting(0);
    assert_eq!(listing(&app), live, "the rebuilt store pairs as the live one did");
}

#[test]
fn a_podcast_item_linked_by_its_page_before_it_appears_joins_its_episode() {
    let (app, _) = video_linked_before_the_podcast_item_appears("https://show.example/ep12?utm_source=mail");
    g1_appears_in_the_videos_episode(&app);
}

#[test]
fn status_lists_a_link_to_a_copy_no_source_has_shown_until_it_appears() {
    let page = "https://show.example/ep12?utm_source=mail";
    let (app, video) = video_linked_before_the_podcast_item_appears(page);
    let listed = episodes(&app);
    assert_eq!(listed[0]["linked_unseen"], serde_json::json!([{ "platform": "podcast", "id": page }]));
    let text = ok(app.run(&["status", "show"]));
    let line = format!("podcast  {page}  (linked by hand, not seen yet)");
    assert!(text.stdout.contains(&line), "{}", text.stdout);
    g1_appears_in_the_videos_episode(&app);
    let listed = episodes(&app);
    assert_eq!(listed[0]["id"], video);
    assert_eq!(listed[0]["linked_unseen"], serde_json::json!([]), "the item its page names holds the link");
}

#[test]
fn unlink_of_a_platform_linked_to_an_unseen_copy_removes_that_link() {
    let (app, video) = video_linked_before_the_podcast_item_appears("typo-guid");
    let run = ok(app.run(&["unlink", &video, "podcast"]));
    assert_eq!(run.stdout.trim(), format!("removed the link of podcast typo-guid to {video}"));
    let again = app.run(&["unlink", &video, "podcast"]);
    assert_eq!(again.code, 64, "{}", again.stderr);
    assert!(again.stderr.contains("has no podcast copy"), "{}", again.stderr);
    g1_appears_in_the_videos_episode(&app);
}
