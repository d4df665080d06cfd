//! PyPI documents (PEP 740): a provenance file (`Provenance::from_json`), one attestation
//! (`Attestation::from_json`, which also rebuilds its Sigstore bundle), and the same bytes as a
//! distribution filename and a PEP 440 version (wheel/sdist name parsing, normalised version equality),
//! and as lock files (`lock::parse_pylock`, `lock::parse_requirements`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigstore_pypi::{filename, lock, version::Version, Attestation, Provenance};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = Provenance::from_json(text);
    let _ = Attestation::from_json(text);
    let _ = lock::parse_pylock(text);
    let _ = lock::parse_requirements(text);
    if text.len() <= 512 {
        let _ = filename::parse(text);
        if let Some(v) = Version::parse(text) {
            let _ = Version::parse(&text.to_ascii_uppercase()) == Some(v);
        }
    }
});
