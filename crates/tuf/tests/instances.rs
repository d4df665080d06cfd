//! The embedded seeds verify as trusted roots (a threshold of their own signatures), and the
//! public-good seed is newer than the vendored repository's roots.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

use sigstore_tuf::{instance, Client};
use sigstore_verifier::Time;

#[test]
fn every_seed_verifies() {
    let now = Time::parse_rfc3339("2026-12-01T00:00:00Z").unwrap();
    for i in instance::ALL {
        let c = Client::new(i.seed, now).unwrap_or_else(|e| panic!("{}: {e}", i.name));
        assert!(c.root().consistent_snapshot, "{}", i.name);
        assert!(i.url.starts_with("https://") && !i.url.ends_with('/'));
    }
    assert_eq!(Client::new(instance::PUBLIC_GOOD.seed, now).unwrap().root().common.version, 16);
    assert_eq!(Client::new(instance::GITHUB.seed, now).unwrap().root().common.version, 3);
    assert_eq!(instance::by_name("github"), Some(&instance::GITHUB));
    assert_eq!(instance::by_name("staging"), None);
}

#[test]
fn percent_encoding_keeps_names_one_segment() {
    assert_eq!(sigstore_tuf::percent_encode("registry.npmjs.org"), "registry.npmjs.org");
    assert_eq!(sigstore_tuf::percent_encode("../delegatedrole"), "..%2Fdelegatedrole");
    assert_eq!(sigstore_tuf::percent_encode("?#/ é"), "%3F%23%2F%20%C3%A9");
}
