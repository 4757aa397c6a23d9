use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

/// A channel whose feed lists the pushed video from the `appears_after`th run on; each run
/// takes a second.
struct Feed {
    runs: AtomicUsize,
    appears_after: usize,
    seen: Mutex<Vec<Vec<Entry>>>,
}

impl Feed {
    fn new(appears_after: usize) -> Arc<Feed> {
        Arc::new(Feed { runs: AtomicUsize::new(0), appears_after, seen: Mutex::new(Vec::new()) })
    }
    fn runs(&self) -> usize {
        self.runs.load(Ordering::SeqCst)
    }
}

impl Runner for Arc<Feed> {
    async fn run(&self, _channel: &str, wanted: Vec<Entry>) -> Vec<Entry> {
        tokio::time::sleep(Duration::from_secs(1)).await;
        self.seen.lock().unwrap().push(wanted.clone());
        let run = self.runs.fetch_add(1, Ordering::SeqCst) + 1;
        if run >= self.appears_after { Vec::new() } else { wanted }
    }
}

fn video(id: &str) -> Entry {
    (Platform::Youtube, id.to_owned())
}

fn start(pushes: &Arc<Pushes>, feed: &Arc<Feed>, stop: &watch::Sender<bool>) -> tokio::task::JoinHandle<()> {
    let (pushes, feed, stop) = (pushes.clone(), feed.clone(), stop.subscribe());
    tokio::spawn(async move { pushes.drive("mlst", &feed, stop).await })
}

#[tokio::test(start_paused = true)]
async fn a_video_already_in_the_feed_costs_one_run() {
    let (pushes, feed, (stop, _)) = (Arc::new(Pushes::default()), Feed::new(1), watch::channel(false));
    assert!(pushes.add("mlst", [video("a")]));
    start(&pushes, &feed, &stop).await.unwrap();
    assert_eq!(feed.runs(), 1);
    assert!(pushes.add("mlst", [video("b")]), "done: the next push starts a new drive");
}

#[tokio::test(start_paused = true)]
async fn a_lagging_feed_is_run_again_after_each_delay_then_left_to_polling() {
    let (pushes, feed, (stop, _)) = (Arc::new(Pushes::default()), Feed::new(3), watch::channel(false));
    pushes.add("mlst", [video("a")]);
    let started = tokio::time::Instant::now();
    start(&pushes, &feed, &stop).await.unwrap();
    assert_eq!(feed.runs(), 3, "found on the second retry");
    assert_eq!(started.elapsed(), Duration::from_secs(3) + RETRY_DELAYS[0] + RETRY_DELAYS[1]);

    let never = Feed::new(usize::MAX);
    pushes.add("mlst", [video("b")]);
    let started = tokio::time::Instant::now();
    start(&pushes, &never, &stop).await.unwrap();
    assert_eq!(never.runs(), 1 + RETRY_DELAYS.len());
    assert!(started.elapsed() < Duration::from_secs(5 * 60), "within minutes: {:?}", started.elapsed());
}

#[tokio::test(start_paused = true)]
async fn pushes_during_a_run_are_coalesced_into_one_more_run() {
    let (pushes, feed, (stop, _)) = (Arc::new(Pushes::default()), Feed::new(1), watch::channel(false));
    pushes.add("mlst", [video("a")]);
    let drive = start(&pushes, &feed, &stop);
    tokio::time::sleep(Duration::from_millis(500)).await;
    for id in ["b", "c", "b"] {
        assert!(!pushes.add("mlst", [video(id)]), "a run is going: no second drive");
    }
    drive.await.unwrap();
    assert_eq!(feed.runs(), 2);
    assert_eq!(*feed.seen.lock().unwrap(), [vec![video("a")], vec![video("b"), video("c")]]);
}

#[tokio::test(start_paused = true)]
async fn a_push_cuts_a_retry_wait_short_and_shutdown_ends_it() {
    let (pushes, feed, (stop, _)) = (Arc::new(Pushes::default()), Feed::new(2), watch::channel(false));
    pushes.add("mlst", [video("a")]);
    let drive = start(&pushes, &feed, &stop);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(feed.runs(), 1);
    pushes.add("mlst", [video("b")]);
    drive.await.unwrap();
    assert_eq!(feed.runs(), 2, "ran at once, not after {:?}", RETRY_DELAYS[0]);

    let never = Feed::new(usize::MAX);
    pushes.add("mlst", [video("c")]);
    let drive = start(&pushes, &never, &stop);
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.send(true).unwrap();
    drive.await.unwrap();
    assert_eq!(never.runs(), 1);
    assert!(pushes.add("mlst", [video("d")]), "a stopped drive is forgotten");
}
