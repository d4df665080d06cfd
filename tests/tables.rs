//! Fixed-base tables for trusted keys (issue 5): the verifier precomputes the current trusted
//! ECDSA keys, and every signature check of every conformance bundle gets the same verdict with
//! and without the tables.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

mod common;

use sigstore_verifier::crypto::{verify_one, Key, PublicKey};
use sigstore_verifier::{Artifact, Bundle, TrustedRoot, Verifier};

/// The same key, parsed afresh from its DER: no table.
fn without_table(k: &PublicKey) -> PublicKey {
    match k.key {
        Key::Rsa(_) => PublicKey::from_pkcs1_rsa_der(k.der()).or_else(|_| PublicKey::from_spki_der(k.der())).unwrap(),
        _ => PublicKey::from_spki_der(k.der()).unwrap(),
    }
}

#[test]
fn production_root_precomputes_the_current_keys() {
    let v = Verifier::production().unwrap();
    let root = v.trusted_root();
    let with = |k: &PublicKey| k.table_bytes() > 0;
    // Current Rekor (P-256) and CT log (P-256) keys; the retired CT log and the Ed25519 Rekor v2
    // key have none.
    let tlogs: Vec<bool> = root.tlogs.iter().map(|l| with(&l.key)).collect();
    let ctlogs: Vec<bool> = root.ctlogs.iter().map(|l| with(&l.key)).collect();
    assert_eq!(tlogs, [true, false]);
    assert_eq!(ctlogs, [false, true]);
    // The current Fulcio intermediate (P-384) and the TSA's signing certificate; not the roots.
    let ca: Vec<Vec<bool>> = root.certificate_authorities.iter().map(|a| a.chain.iter().map(|c| with(c.public_key().unwrap())).collect()).collect();
    assert_eq!(ca, [vec![false], vec![true, false]]);
    let tsa: Vec<Vec<bool>> = root.timestamp_authorities.iter().map(|a| a.chain.iter().map(|c| with(c.public_key().unwrap())).collect()).collect();
    assert_eq!(tsa, [vec![true, false]]);
    let keys: usize = root.tlogs.iter().chain(&root.ctlogs).map(|l| l.key.table_bytes()).sum::<usize>()
        + root
            .certificate_authorities
            .iter()
            .chain(&root.timestamp_authorities)
            .flat_map(|a| &a.chain)
            .map(|c| c.public_key().map_or(0, |k| k.table_bytes()))
            .sum::<usize>();
    assert!(v.table_bytes() > keys && keys > 0, "{} total, {keys} in keys", v.table_bytes());
    // Clones share the tables; Debug stays short.
    let c = v.clone();
    assert_eq!(c.table_bytes(), v.table_bytes());
    assert!(format!("{c:?}").len() < 200_000);
}

#[test]
fn conformance_checks_same_verdict_with_and_without_tables() {
    let mut tabled = 0;
    let mut checks = 0;
    for c in common::cases() {
        let Ok(root) = TrustedRoot::from_json(&c.root_text()) else { continue };
        let Ok(verifier) = Verifier::new(root, Default::default()) else { continue };
        let Ok(policy) = c.policy() else { continue };
        let bytes = c.artifact_bytes();
        let artifact = match (&bytes, &c.artifact_digest) {
            (_, Some(d)) => Artifact::parse_digest(d).unwrap(),
            (Some(b), None) => Artifact::Bytes(b),
            (None, None) => continue,
        };
        let Ok(bundle) = Bundle::from_json(&std::fs::read_to_string(&c.bundle).unwrap()) else { continue };
        let Ok(plan) = verifier.plan(&bundle, &artifact, &policy) else { continue };
        for check in plan.checks() {
            checks += 1;
            let fast = verify_one(&check.key, check.scheme, &check.message, &check.signature);
            let plain = verify_one(&without_table(&check.key), check.scheme, &check.message, &check.signature);
            assert_eq!(fast.as_ref().ok(), plain.as_ref().ok(), "{}: {}", c.id, check.what);
            if check.key.table_bytes() > 0 {
                tabled += 1;
                // Flip a bit of the signature's last byte (part of s): still the same verdict.
                let mut sig = check.signature.clone();
                if let Some(b) = sig.last_mut() {
                    *b ^= 1;
                }
                let fast = verify_one(&check.key, check.scheme, &check.message, &sig).ok();
                assert_eq!(fast, verify_one(&without_table(&check.key), check.scheme, &check.message, &sig).ok(), "{}: {} (mutated)", c.id, check.what);
                assert_eq!(fast, Some(false));
            }
        }
    }
    assert!(tabled > 50 && checks > tabled, "{tabled} of {checks} checks used tables");
}

#[test]
fn tables_can_be_turned_off() {
    let config = sigstore_verifier::Config { precompute_tables: false, ..Default::default() };
    let v = Verifier::new(TrustedRoot::production().unwrap(), config).unwrap();
    assert_eq!(v.table_bytes(), 0);
    assert!(v.trusted_root().tlogs.iter().chain(&v.trusted_root().ctlogs).all(|l| l.key.table_bytes() == 0));
}
