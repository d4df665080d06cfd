//! A bundle as JSON: `Bundle::from_json`, then a full verification (structural checks and the
//! batch of signature checks) against the embedded production trusted root, with the identity
//! policy of the conformance suite's beacon workflow and `a.txt` as the artifact, so that
//! mutated conformance bundles get past the artifact and identity steps.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sigstore_verifier::{Artifact, Bundle, Matcher, Policy, Verifier};

const ARTIFACT: &[u8] = include_bytes!("../../tests/data/conformance/bundle-verify/a.txt");
const SAN: &str =
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const ISSUER: &str = "https://token.actions.githubusercontent.com";

fn verifier() -> &'static (Verifier, Policy) {
    static V: OnceLock<(Verifier, Policy)> = OnceLock::new();
    V.get_or_init(|| {
        let Ok(v) = Verifier::production() else { std::process::abort() };
        (v, Policy::identity(Matcher::exact(SAN), Matcher::exact(ISSUER)))
    })
}

fuzz_target!(|data: &[u8]| {
    let (verifier, policy) = verifier();
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(bundle) = Bundle::from_json(text) else { return };
    let _ = verifier.verify(&bundle, &Artifact::Bytes(ARTIFACT), policy);
});
