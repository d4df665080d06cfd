//! npm registry documents: the registry's signing keys (`RegistryKeys::from_json`) and a
//! package version's attestations document (`Attestations::from_json`), each on the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigstore_npm::{Attestations, RegistryKeys};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = RegistryKeys::from_json(text);
    let _ = Attestations::from_json(text);
});
