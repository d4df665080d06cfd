//! The README's Rust example for the core: verify a conformance bundle with the embedded
//! production trusted root. `cargo run --example verify_bundle`.
use sigstore_verifier::identity::PolicySpec;
use sigstore_verifier::trust_root::Trust;
use sigstore_verifier::{Artifact, Bundle, Config, Verifier};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/conformance/bundle-verify");
    let bundle_json = std::fs::read_to_string(format!("{dir}/happy-path-v0.3/bundle.sigstore.json"))?;
    let artifact = std::fs::read(format!("{dir}/a.txt"))?;

    let verifier = Verifier::new(Trust::Embedded.load()?, Config::default())?; // parse + check the trust once
    let bundle = Bundle::from_json(&bundle_json)?;
    let policy = PolicySpec {
        identity: Some(
            "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main".into(),
        ),
        issuer: Some("https://token.actions.githubusercontent.com".into()),
        ..Default::default()
    }
    .build()?;
    let result = verifier.verify(&bundle, &Artifact::Bytes(&artifact), &policy)?;
    println!("{}", result.to_json());
    Ok(())
}
