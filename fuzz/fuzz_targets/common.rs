//! What every target does: one fresh temporary store, the bytes through
//! `syndicator::ingest::ingest_and_publish` as `platform`, then the same bytes again into the
//! store that now holds them (a second poll). A parse error is fine; a panic, an abort or a
//! stack overflow is the bug libFuzzer reports.

use syndicator::ingest::ingest_and_publish;
use syndicator::model::Platform;
use syndicator::store::Store;

pub fn run(platform: Platform, bytes: &[u8]) {
    let store = Store::temporary().expect("a temporary store opens");
    let now = chrono::Utc::now();
    for _ in 0..2 {
        let _ = ingest_and_publish(&store, "fuzz", platform, bytes, now);
    }
}
