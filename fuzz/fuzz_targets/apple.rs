//! iTunes lookup JSON through parse → store → publish.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use syndicator::model::Platform;

fuzz_target!(|data: &[u8]| common::run(Platform::Apple, data));
