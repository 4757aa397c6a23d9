//! RSS, Atom and YouTube bytes (the first byte picks the platform the URL was configured as)
//! through parse → store → publish.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use syndicator::model::Platform;

fuzz_target!(|data: &[u8]| {
    let Some((first, bytes)) = data.split_first() else { return };
    let platform = [Platform::Youtube, Platform::Podcast, Platform::Feed][usize::from(*first) % 3];
    common::run(platform, bytes);
});
