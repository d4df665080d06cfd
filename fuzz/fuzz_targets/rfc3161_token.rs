//! An RFC 3161 timestamp as DER (a `TimeStampResp` or a bare `TimeStampToken`):
//! `timestamp::SignedTimestamp::parse` (the token decoder itself is private; this is its public
//! entry), then `verify_signed_timestamp` over the signature of the conformance bundle
//! `rekor2-dsse-happy-path` against the authorities of its trusted root. Its own token is in the
//! seed corpus, so mutations that keep the message imprint reach the signer, chain and
//! signed-attribute checks.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sigstore_verifier::timestamp::{verify_signed_timestamp, SignedTimestamp};
use sigstore_verifier::{Bundle, TrustedRoot};

const BUNDLE: &str = include_str!("../../tests/data/conformance/bundle-verify/rekor2-dsse-happy-path/bundle.sigstore.json");
const ROOT: &str = include_str!("../../tests/data/conformance/bundle-verify/rekor2-dsse-happy-path/trusted_root.json");

fn fixture() -> &'static (Vec<u8>, TrustedRoot) {
    static F: OnceLock<(Vec<u8>, TrustedRoot)> = OnceLock::new();
    F.get_or_init(|| {
        let (Ok(bundle), Ok(root)) = (Bundle::from_json(BUNDLE), TrustedRoot::from_json(ROOT)) else { std::process::abort() };
        (bundle.content.signature_bytes().to_vec(), root)
    })
}

fuzz_target!(|data: &[u8]| {
    let (signature, root) = fixture();
    let ts = SignedTimestamp::parse(data.to_vec());
    let mut checks = Vec::new();
    let _ = verify_signed_timestamp(&ts, signature, &root.timestamp_authorities, &mut checks);
});
