//! A signed note holding a transparency-log checkpoint: `tlog::checkpoint::parse`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigstore_verifier::tlog::checkpoint;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = checkpoint::parse(text);
});
