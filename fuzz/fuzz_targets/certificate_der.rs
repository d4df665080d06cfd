//! An X.509 certificate as DER: `x509::Cert::from_der`, then every accessor that decodes an
//! extension or the public key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigstore_verifier::x509::Cert;

fuzz_target!(|data: &[u8]| {
    let Ok(cert) = Cert::from_der(data) else { return };
    let _ = cert.public_key();
    let _ = cert.subject_key_id();
    let _ = cert.authority_key_id();
    let _ = cert.basic_constraints();
    let _ = cert.is_ca();
    let _ = cert.key_usage();
    let _ = cert.extended_key_usage();
    let _ = cert.subject_alt_names();
    let _ = cert.is_self_issued();
    let _ = cert.valid_at(cert.not_before());
    // A self-signature check only builds the SigCheck; it runs nothing.
    let _ = cert.signed_by(&cert, "fuzz");
});
