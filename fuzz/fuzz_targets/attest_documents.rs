//! GitHub attestation inputs (`sigstore_attest::Input::parse`: one bundle, JSON lines, a list or
//! the REST response, each bundle parsed by the core), and short inputs as the owner, repository
//! and digest the REST API paths are built from (`sigstore_attest::api`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigstore_attest::{api, Input};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = Input::parse(text);
    if text.len() <= 512 {
        let _ = api::check_owner(text);
        let _ = api::check_repo(text);
        let _ = api::api_digest(text);
        let _ = api::percent_encode(text);
    }
});
