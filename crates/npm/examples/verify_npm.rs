//! The README's Rust example for npm provenance: verify a package version from documents already
//! fetched (here the vendored real ones in tests/data/npm). `cargo run --example verify_npm`.
use sigstore_npm::{Documents, NpmVerifier, Package};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/npm");
    let keys = std::fs::read_to_string(format!("{dir}/keys.json"))?; // GET /-/npm/v1/keys
    let attestations = std::fs::read_to_string(format!("{dir}/sigstore@1.0.0.attestations.json"))?; // GET /-/npm/v1/attestations/sigstore@1.0.0
    let packument = std::fs::read_to_string(format!("{dir}/sigstore@1.0.0.packument.json"))?; // GET /sigstore/1.0.0

    let npm = NpmVerifier::production(&keys)?; // embedded Sigstore root; any GitHub/GitLab CI identity
    let pkg = Package::new("sigstore", "1.0.0", "sha512-e+qfbn/zf1+rCza/BhIA//Awmf0v1pa5HQS8Xk8iXrn9bgytytVLqYD0P7NSqZ6IELTgq+tcDvLPkQjNHyWLNg==")?;
    let v = npm.verify(&pkg, Documents { attestations: Some(&attestations), packument: Some(&packument) })?;
    let p = v.provenance.as_ref().ok_or("no provenance")?;
    println!("{}@{}: built by {:?} at {:?}", pkg.name, pkg.version, p.source_repository, p.commit);
    Ok(())
}
