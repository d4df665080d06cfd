//! A trusted root as JSON: `TrustedRoot::from_json` (keys, certificate chains, validity windows).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigstore_verifier::TrustedRoot;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = TrustedRoot::from_json(text);
});
