//! npm verification on real registry data (tests/data/npm/SOURCE.md), plus one mutation per
//! failure, each asserting its exact code (crates/cli/tests has the `verify-npm` commands).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use sigstore_npm::{Code, Documents, IdentityRule, NpmVerification, NpmVerifier, Options, Package};
use sigstore_verifier::crypto::HashAlg;
use sigstore_verifier::{Code as CoreCode, Matcher, Verifier};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/npm")
}

fn text(file: &str) -> String {
    std::fs::read_to_string(dir().join(file)).unwrap()
}

fn json_of(file: &str) -> Value {
    serde_json::from_str(&text(file)).unwrap()
}

fn file_of(name: &str, version: &str, kind: &str) -> String {
    format!("{}@{version}.{kind}", name.replace('/', "%2f"))
}

const SIGSTORE_INTEGRITY: &str = "sha512-e+qfbn/zf1+rCza/BhIA//Awmf0v1pa5HQS8Xk8iXrn9bgytytVLqYD0P7NSqZ6IELTgq+tcDvLPkQjNHyWLNg==";
const OLD_KEY: &str = "SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA";
const NEW_KEY: &str = "SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U";

fn npm_verifier_with(keys: &Value, options: Options) -> NpmVerifier {
    NpmVerifier::new(Verifier::production().unwrap(), &keys.to_string(), options).unwrap()
}

fn npm_verifier() -> NpmVerifier {
    npm_verifier_with(&json_of("keys.json"), Options::new().unwrap())
}

/// A package whose tarball is vendored.
fn from_tarball(name: &str, version: &str) -> Package {
    let tgz = std::fs::read(dir().join(file_of(name, version, "tgz"))).unwrap();
    Package::from_sha512(name, version, HashAlg::Sha512.digest(&tgz)).unwrap()
}

fn sigstore_pkg() -> Package {
    Package::new("sigstore", "1.0.0", SIGSTORE_INTEGRITY).unwrap()
}

/// Verify with documents given as JSON values.
fn run(v: &NpmVerifier, pkg: &Package, att: Option<&Value>, pack: Option<&Value>) -> Result<NpmVerification, sigstore_npm::Error> {
    let (a, p) = (att.map(Value::to_string), pack.map(Value::to_string));
    v.verify(pkg, Documents { attestations: a.as_deref(), packument: p.as_deref() })
}

fn code(r: Result<NpmVerification, sigstore_npm::Error>) -> Code {
    match r {
        Ok(_) => panic!("verified"),
        Err(e) => e.code,
    }
}

fn sigstore_atts() -> Value {
    json_of("sigstore@1.0.0.attestations.json")
}

fn sigstore_packument() -> Value {
    json_of("sigstore@1.0.0.packument.json")
}

/// Index of the attestation with this listed predicate type.
fn index_of(atts: &Value, predicate_type: &str) -> usize {
    atts["attestations"].as_array().unwrap().iter().position(|a| a["predicateType"] == predicate_type).unwrap()
}

// ---- passing packages ------------------------------------------------------------------

#[test]
fn sigstore_1_0_0_with_registry_signature() {
    let v = run(&npm_verifier(), &sigstore_pkg(), Some(&sigstore_atts()), Some(&sigstore_packument())).unwrap();
    let p = v.provenance.as_ref().unwrap();
    assert_eq!(p.predicate_type, "https://slsa.dev/provenance/v0.2");
    assert_eq!(p.identity.rule, "github-actions");
    assert_eq!(p.identity.san, "https://github.com/sigstore/sigstore-js/.github/workflows/publish.yml@refs/tags/v1.0.0");
    assert_eq!(p.identity.issuer, "https://token.actions.githubusercontent.com");
    assert_eq!(p.source_repository.as_deref(), Some("https://github.com/sigstore/sigstore-js"));
    assert_eq!(p.commit.as_deref(), Some("06528997c3c8ab9f864fad9a3658446aca7fd86d"));
    assert_eq!(p.source_ref.as_deref(), Some("refs/tags/v1.0.0"));
    assert_eq!(p.workflow.as_deref(), Some(".github/workflows/publish.yml"));
    assert_eq!(p.trigger.as_deref(), Some("release"));
    assert_eq!(p.builder.as_deref(), Some("https://github.com/npm/cli@9.4.2"));
    let log = p.log.as_ref().unwrap();
    assert_eq!((log.log_url.as_str(), log.log_index), ("https://rekor.sigstore.dev", 12988397));
    assert_eq!(log.integrated_time.unwrap().to_rfc3339(), "2023-02-09T17:56:00Z");
    let publish = v.publish.as_ref().unwrap();
    assert_eq!(publish.keyid, OLD_KEY);
    assert_eq!(publish.log.as_ref().unwrap().integrated_time.unwrap().to_rfc3339(), "2023-02-09T17:56:02Z");
    assert_eq!(v.registry_signatures.as_deref(), Some(&[OLD_KEY.to_string()][..]));
    assert_eq!(v.predicate_types, ["https://slsa.dev/provenance/v0.2", "https://github.com/npm/attestation/tree/main/specs/publish/v0.1"]);

    let j = v.to_json();
    assert_eq!(j["verified"], true);
    assert_eq!(j["purl"], "pkg:npm/sigstore@1.0.0");
    assert_eq!(j["integrity"], SIGSTORE_INTEGRITY);
    assert_eq!(j["provenance"]["identity"]["rule"], "github-actions");
    assert_eq!(j["provenance"]["tlog"]["logIndex"], 12988397);
    assert_eq!(j["publish"]["keyExpires"], "2025-01-29T00:00:00Z");
    assert_eq!(j["registrySignatures"][0], OLD_KEY);
}

#[test]
fn tuf_js_1_0_0() {
    let pkg = Package::new("tuf-js", "1.0.0", "sha512-1dxsQwESDzACJjTdYHQ4wJ1f/of7jALWKfJEHSBWUQB/5UTJUx9SW6GHXp4mZ1KvdBRJCpGjssoPFGi4hvw8/A==").unwrap();
    let v = run(&npm_verifier(), &pkg, Some(&json_of("tuf-js@1.0.0.attestations.json")), Some(&json_of("tuf-js@1.0.0.packument.json"))).unwrap();
    assert_eq!(v.provenance.unwrap().source_repository.as_deref(), Some("https://github.com/theupdateframework/tuf-js"));
}

#[test]
fn gundam_visor_provenance_v1_from_tarball() {
    let pkg = from_tarball("gundam-visor", "1.0.1");
    let v = run(&npm_verifier(), &pkg, Some(&json_of("gundam-visor@1.0.1.attestations.json")), None).unwrap();
    let p = v.provenance.unwrap();
    assert_eq!(p.predicate_type, "https://slsa.dev/provenance/v1");
    assert_eq!(p.source_repository.as_deref(), Some("https://github.com/ramonpetgrave64/gundam-visor"));
    assert_eq!(p.workflow.as_deref(), Some(".github/workflows/npm-publish.yml"));
    assert!(v.registry_signatures.is_none());
}

#[test]
fn scoped_supreme_goggles_with_root_in_chain() {
    // The v0.1 provenance bundle carries the Fulcio root in its chain; npm's verifier builds the
    // path from the trusted root alone and so do we (verify-bundle refuses such a chain).
    let pkg = from_tarball("@trishankatdatadog/supreme-goggles", "1.0.5");
    assert_eq!(pkg.purl, "pkg:npm/%40trishankatdatadog/supreme-goggles@1.0.5");
    let atts = json_of("@trishankatdatadog%2fsupreme-goggles@1.0.5.attestations.json");
    let i = index_of(&atts, "https://slsa.dev/provenance/v0.2");
    assert_eq!(atts["attestations"][i]["bundle"]["verificationMaterial"]["x509CertificateChain"]["certificates"].as_array().unwrap().len(), 3);
    let v = run(&npm_verifier(), &pkg, Some(&atts), None).unwrap();
    assert_eq!(v.provenance.unwrap().trigger.as_deref(), Some("release"));
}

#[test]
fn scoped_playwright_cli_current_key() {
    let pkg = from_tarball("@playwright/cli", "0.1.1");
    let v = run(&npm_verifier(), &pkg, Some(&json_of("@playwright%2fcli@0.1.1.attestations.json")), None).unwrap();
    let p = v.provenance.as_ref().unwrap();
    assert_eq!(p.source_repository.as_deref(), Some("https://github.com/microsoft/playwright-cli"));
    assert_eq!(p.commit.as_deref(), Some("d1c6d1113932ddcee243e8b111b6d4aea553df20"));
    assert_eq!(p.runner_environment.as_deref(), Some("github-hosted"));
    assert_eq!(p.builder.as_deref(), Some("https://github.com/actions/runner/github-hosted"));
    assert_eq!(p.run_invocation.as_deref(), Some("https://github.com/microsoft/playwright-cli/actions/runs/22026075834/attempts/1"));
    assert_eq!(v.result_bundle_media_type(), "application/vnd.dev.sigstore.bundle.v0.3+json");
    let publish = v.publish.unwrap();
    assert_eq!((publish.keyid.as_str(), publish.key_expires), (NEW_KEY, None));
}

trait MediaType {
    fn result_bundle_media_type(&self) -> &'static str;
}
impl MediaType for NpmVerification {
    fn result_bundle_media_type(&self) -> &'static str {
        self.provenance.as_ref().unwrap().result.media_type
    }
}

#[test]
fn repository_rule_accepts_its_own_repository() {
    let mut o = Options::new().unwrap();
    o.identities = vec![IdentityRule::github_repository("sigstore/sigstore-js").unwrap()];
    let v = run(&npm_verifier_with(&json_of("keys.json"), o), &sigstore_pkg(), Some(&sigstore_atts()), None).unwrap();
    assert_eq!(v.provenance.unwrap().identity.rule, "github:sigstore/sigstore-js");
}

// ---- subject and integrity ---------------------------------------------------------------

#[test]
fn wrong_integrity() {
    let other = Package::from_sha512("sigstore", "1.0.0", vec![0x42; 64]).unwrap();
    assert_eq!(code(run(&npm_verifier(), &other, Some(&sigstore_atts()), None)), Code::Core(CoreCode::ArtifactMismatch));
}

#[test]
fn wrong_purl() {
    // Same tarball digest, another name or version: the subject names another package.
    for (n, v) in [("sigstore-evil", "1.0.0"), ("sigstore", "1.0.1"), ("@sigstore/sigstore", "1.0.0")] {
        let pkg = Package::new(n, v, SIGSTORE_INTEGRITY).unwrap();
        assert_eq!(code(run(&npm_verifier(), &pkg, Some(&sigstore_atts()), None)), Code::SubjectMismatch, "{n}@{v}");
    }
    let scoped_wrong = Package::new("@trishankatdatadog/supreme-goggles", "1.0.5", SIGSTORE_INTEGRITY).unwrap();
    assert_eq!(code(run(&npm_verifier(), &scoped_wrong, Some(&sigstore_atts()), None)), Code::SubjectMismatch);
}

#[test]
fn bad_integrity_string() {
    assert_eq!(Package::new("sigstore", "1.0.0", "sha256-abc").unwrap_err().code, Code::Core(CoreCode::InputInvalid));
    assert_eq!(Package::new("bad name", "1.0.0", SIGSTORE_INTEGRITY).unwrap_err().code, Code::Core(CoreCode::InputInvalid));
}

// ---- registry keys -----------------------------------------------------------------------

fn keys_with(f: impl Fn(&mut Value)) -> Value {
    let mut k = json_of("keys.json");
    f(&mut k);
    k
}

#[test]
fn expired_registry_key() {
    let expired = keys_with(|k| k["keys"][0]["expires"] = json!("2023-01-01T00:00:00.000Z"));
    let v = npm_verifier_with(&expired, Options::new().unwrap());
    assert_eq!(code(run(&v, &sigstore_pkg(), Some(&sigstore_atts()), None)), Code::KeyExpired);
    // Expiring exactly at the integrated time is expired (npm: integratedTime < expires).
    let at = keys_with(|k| k["keys"][0]["expires"] = json!("2023-02-09T17:56:02Z"));
    assert_eq!(code(run(&npm_verifier_with(&at, Options::new().unwrap()), &sigstore_pkg(), Some(&sigstore_atts()), None)), Code::KeyExpired);
    let after = keys_with(|k| k["keys"][0]["expires"] = json!("2023-02-09T17:56:03Z"));
    run(&npm_verifier_with(&after, Options::new().unwrap()), &sigstore_pkg(), Some(&sigstore_atts()), None).unwrap();
}

#[test]
fn unknown_registry_key() {
    let only_new = keys_with(|k| {
        k["keys"].as_array_mut().unwrap().remove(0);
    });
    let v = npm_verifier_with(&only_new, Options::new().unwrap());
    assert_eq!(code(run(&v, &sigstore_pkg(), Some(&sigstore_atts()), None)), Code::KeyUnknown);
    // A hint naming a key the document lacks.
    let mut atts = sigstore_atts();
    let i = index_of(&atts, "https://github.com/npm/attestation/tree/main/specs/publish/v0.1");
    atts["attestations"][i]["bundle"]["verificationMaterial"]["publicKey"]["hint"] = json!("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assert_eq!(code(run(&npm_verifier(), &sigstore_pkg(), Some(&atts), None)), Code::KeyUnknown);
}

#[test]
fn hint_naming_the_other_key_fails_the_signature() {
    // The hint is unsigned: pointing it at the current key must not verify.
    let mut atts = sigstore_atts();
    let i = index_of(&atts, "https://github.com/npm/attestation/tree/main/specs/publish/v0.1");
    atts["attestations"][i]["bundle"]["verificationMaterial"]["publicKey"]["hint"] = json!(NEW_KEY);
    let c = code(run(&npm_verifier(), &sigstore_pkg(), Some(&atts), None));
    assert!(matches!(c, Code::Core(CoreCode::TlogBodyMismatch) | Code::Core(CoreCode::DsseInvalid)), "{c:?}");
}

// ---- predicate types and missing attestations --------------------------------------------

#[test]
fn wrong_predicate_type() {
    // Listed as v1, signed as v0.2.
    let mut atts = sigstore_atts();
    let i = index_of(&atts, "https://slsa.dev/provenance/v0.2");
    atts["attestations"][i]["predicateType"] = json!("https://slsa.dev/provenance/v1");
    assert_eq!(code(run(&npm_verifier(), &sigstore_pkg(), Some(&atts), None)), Code::DocumentInvalid);
    // Listed under an unknown type: no provenance left.
    let mut atts = sigstore_atts();
    atts["attestations"][i]["predicateType"] = json!("https://slsa.dev/provenance/v9");
    assert_eq!(code(run(&npm_verifier(), &sigstore_pkg(), Some(&atts), None)), Code::AttestationMissing);
    // The publish bundle listed as provenance: not a Fulcio signer.
    let mut atts = sigstore_atts();
    let j = index_of(&atts, "https://github.com/npm/attestation/tree/main/specs/publish/v0.1");
    atts["attestations"][i]["predicateType"] = json!("https://example.com/other");
    atts["attestations"][j]["predicateType"] = json!("https://slsa.dev/provenance/v0.2");
    assert_eq!(code(run(&npm_verifier(), &sigstore_pkg(), Some(&atts), None)), Code::Core(CoreCode::KeyMismatch));
}

#[test]
fn duplicate_attestation() {
    let mut atts = sigstore_atts();
    let first = atts["attestations"][0].clone();
    atts["attestations"].as_array_mut().unwrap().push(first);
    assert_eq!(code(run(&npm_verifier(), &sigstore_pkg(), Some(&atts), None)), Code::DocumentInvalid);
}

#[test]
fn missing_attestations() {
    let mut only_publish = sigstore_atts();
    let i = index_of(&only_publish, "https://slsa.dev/provenance/v0.2");
    only_publish["attestations"].as_array_mut().unwrap().remove(i);
    assert_eq!(code(run(&npm_verifier(), &sigstore_pkg(), Some(&only_publish), None)), Code::AttestationMissing);
    let mut o = Options::new().unwrap();
    o.require_provenance = false;
    let v = run(&npm_verifier_with(&json_of("keys.json"), o), &sigstore_pkg(), Some(&only_publish), None).unwrap();
    assert!(v.provenance.is_none() && v.publish.is_some());

    let mut only_provenance = sigstore_atts();
    let j = index_of(&only_provenance, "https://github.com/npm/attestation/tree/main/specs/publish/v0.1");
    only_provenance["attestations"].as_array_mut().unwrap().remove(j);
    assert_eq!(code(run(&npm_verifier(), &sigstore_pkg(), Some(&only_provenance), None)), Code::AttestationMissing);

    // No documents at all; a packument that lists attestations but none given.
    assert_eq!(code(run(&npm_verifier(), &sigstore_pkg(), None, None)), Code::AttestationMissing);
    assert_eq!(code(run(&npm_verifier(), &sigstore_pkg(), None, Some(&sigstore_packument()))), Code::AttestationMissing);
}

#[test]
fn malformed_documents() {
    let v = npm_verifier();
    let pkg = sigstore_pkg();
    let bad = |a: &str| code(v.verify(&pkg, Documents { attestations: Some(a), packument: None }));
    assert_eq!(bad("{"), Code::DocumentInvalid);
    assert_eq!(bad("{}"), Code::DocumentInvalid);
    assert_eq!(bad(r#"{"attestations":[{"bundle":{}}]}"#), Code::DocumentInvalid);
    assert_eq!(bad(r#"{"attestations":[{"predicateType":"https://slsa.dev/provenance/v1"}]}"#), Code::DocumentInvalid);
    let mut atts = sigstore_atts();
    atts["attestations"][0]["bundle"]["mediaType"] = json!("nope");
    assert_eq!(code(run(&v, &pkg, Some(&atts), None)), Code::Core(CoreCode::BundleUnsupportedMediaType));
    // A packument for another package.
    let mut p = sigstore_packument();
    p["name"] = json!("tuf-js");
    assert_eq!(code(run(&v, &pkg, Some(&sigstore_atts()), Some(&p))), Code::DocumentInvalid);
    assert_eq!(NpmVerifier::new(Verifier::production().unwrap(), "{}", Options::new().unwrap()).unwrap_err().code, Code::DocumentInvalid);
}

// ---- identity policy ---------------------------------------------------------------------

#[test]
fn certificate_from_another_repository() {
    let mut o = Options::new().unwrap();
    o.identities = vec![IdentityRule::github_repository("npm/cli").unwrap()];
    let v = npm_verifier_with(&json_of("keys.json"), o);
    assert_eq!(code(run(&v, &sigstore_pkg(), Some(&sigstore_atts()), None)), Code::Core(CoreCode::IdentityMismatch));
}

#[test]
fn other_issuer_required() {
    let mut o = Options::new().unwrap();
    o.identities = vec![IdentityRule::new("gitlab-any", Matcher::regex(".*").unwrap(), Matcher::exact("https://gitlab.com"))];
    let v = npm_verifier_with(&json_of("keys.json"), o);
    assert_eq!(code(run(&v, &sigstore_pkg(), Some(&sigstore_atts()), None)), Code::Core(CoreCode::IssuerMismatch));
    let mut o = Options::new().unwrap();
    o.identities = vec![IdentityRule::gitlab_ci().unwrap()];
    let v = npm_verifier_with(&json_of("keys.json"), o);
    assert_eq!(code(run(&v, &sigstore_pkg(), Some(&sigstore_atts()), None)), Code::Core(CoreCode::IdentityMismatch));
    let mut o = Options::new().unwrap();
    o.identities.clear();
    assert_eq!(code(run(&npm_verifier_with(&json_of("keys.json"), o), &sigstore_pkg(), Some(&sigstore_atts()), None)), Code::Core(CoreCode::PolicyInvalid));
}

// ---- registry signatures -----------------------------------------------------------------

fn packument_with(f: impl Fn(&mut Value)) -> Value {
    let mut p = sigstore_packument();
    f(&mut p);
    p
}

#[test]
fn registry_signature_failures() {
    let v = npm_verifier();
    let pkg = sigstore_pkg();
    let atts = sigstore_atts();
    let with = |p: Value| code(run(&v, &pkg, Some(&atts), Some(&p)));
    // npm/cli's own "invalid signature" fixture uses sig "bogus".
    assert_eq!(with(packument_with(|p| p["dist"]["signatures"][0]["sig"] = json!("bogus"))), Code::RegistrySignatureInvalid);
    // Another package's valid signature (tuf-js@1.0.0).
    let tuf_sig = json_of("tuf-js@1.0.0.packument.json")["dist"]["signatures"][0]["sig"].clone();
    assert_eq!(with(packument_with(|p| p["dist"]["signatures"][0]["sig"] = tuf_sig.clone())), Code::RegistrySignatureInvalid);
    assert_eq!(with(packument_with(|p| p["dist"]["signatures"] = json!([]))), Code::RegistrySignatureMissing);
    assert_eq!(with(packument_with(|p| p["dist"].as_object_mut().unwrap().remove("signatures").map(|_| ()).unwrap())), Code::RegistrySignatureMissing);
    assert_eq!(with(packument_with(|p| p["dist"]["signatures"][0]["keyid"] = json!("SHA256:unknown"))), Code::KeyUnknown);
    assert_eq!(with(packument_with(|p| p["dist"]["signatures"][0]["keyid"] = json!(NEW_KEY))), Code::RegistrySignatureInvalid);
    // The packument lists another tarball.
    let other = json!(format!("sha512-{}", "A".repeat(86) + "=="));
    assert_eq!(with(packument_with(|p| p["dist"]["integrity"] = other.clone())), Code::Core(CoreCode::ArtifactMismatch));
    assert_eq!(with(packument_with(|p| p["dist"]["integrity"] = json!("md5-x"))), Code::DocumentInvalid);
    assert_eq!(with(packument_with(|p| p["version"] = json!("9.9.9"))), Code::DocumentInvalid);
}

#[test]
fn registry_signature_only_packages() {
    // kms-demo@1.0.0 has no attestations. Its version document has no publish time, and the
    // old key expires: nothing shows the signature predates the expiry (npm fails too).
    let pkg = Package::new("kms-demo", "1.0.0", "sha512-QqZ7VJ/8xPkS9s2IWB7Shj3qTJdcRyeXKbPQnsZjsPEwvutGv0EGeVchPcauoiDFJlGbZMFq5GDCurAGNSghJQ==").unwrap();
    let pack = json_of("kms-demo@1.0.0.packument.json");
    let mut o = Options::new().unwrap();
    o.require_provenance = false;
    o.require_publish = false;
    let lenient = npm_verifier_with(&json_of("keys.json"), o.clone());
    assert_eq!(code(run(&lenient, &pkg, None, Some(&pack))), Code::KeyExpired);
    // With npm/cli's test keys document (no expiry) it verifies.
    let no_expiry = keys_with(|k| k["keys"][0]["expires"] = Value::Null);
    let v = run(&npm_verifier_with(&no_expiry, o.clone()), &pkg, None, Some(&pack)).unwrap();
    assert_eq!(v.registry_signatures.unwrap(), [OLD_KEY]);
    assert!(v.provenance.is_none() && v.publish.is_none());
    // As a full packument with a publish time before the expiry it verifies too.
    let full = json!({ "name": "kms-demo", "versions": { "1.0.0": pack.clone() }, "time": { "1.0.0": "2021-01-01T00:00:00.000Z" } });
    run(&lenient, &pkg, None, Some(&full)).unwrap();
    let late = json!({ "name": "kms-demo", "versions": { "1.0.0": pack.clone() }, "time": { "1.0.0": "2025-02-01T00:00:00.000Z" } });
    assert_eq!(code(run(&lenient, &pkg, None, Some(&late))), Code::KeyExpired);
    let missing = json!({ "name": "kms-demo", "versions": {}, "time": {} });
    assert_eq!(code(run(&lenient, &pkg, None, Some(&missing))), Code::DocumentInvalid);
    // Scoped: @npmcli/arborist@1.0.14.
    let arb =
        Package::new("@npmcli/arborist", "1.0.14", "sha512-caa8hv5rW9VpQKk6tyNRvSaVDySVjo9GkI7Wj/wcsFyxPm3tYrEsFyTjSnJH8HCIfEGVQNjqqKXaXLFVp7UBag==").unwrap();
    run(&npm_verifier_with(&no_expiry, o), &arb, None, Some(&json_of("@npmcli%2farborist@1.0.14.packument.json"))).unwrap();
    // Without attestations the default options still require them.
    assert_eq!(code(run(&npm_verifier_with(&no_expiry, Options::new().unwrap()), &pkg, None, Some(&pack))), Code::AttestationMissing);
}

#[test]
fn every_npm_code_is_tested_and_documented() {
    let tests = concat!(include_str!("npm.rs"), include_str!("../src/keys.rs"), include_str!("../src/publish.rs"));
    let doc = include_str!("../../../docs/errors.md");
    for code in Code::NPM {
        let variant = format!("Code::{code:?}");
        assert!(tests.matches(&format!("{variant})")).count() + tests.matches(&format!("{variant});")).count() > 0, "no negative test expects {code}");
        assert!(doc.contains(&format!("| `{code}` |")), "{code} missing from docs/errors.md");
    }
}

/// Codes only the JS layer raises (pkg/src/npm.js): documented, and expected by a JS test that
/// scripts/test-js.sh runs in Node and Chromium.
#[test]
fn js_only_codes_are_tested_in_js() {
    let js = include_str!("../../../pkg/test/npm-cases.js");
    let doc = include_str!("../../../docs/errors.md");
    let code = "NPM_FETCH_FAILED";
    assert!(js.contains(&format!("'{code}'")), "{code} not expected by its JS test");
    assert!(doc.contains(&format!("| `{code}` |")), "{code} missing from docs/errors.md");
}

// ---- the keys as the public-good TUF repository publishes them --------------------------

fn tuf_keys() -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir().join("../tuf/targets/registry.npmjs.org/keys.json")).unwrap()).unwrap()
}

#[test]
fn tuf_form_keys_verify_as_the_endpoint_keys() {
    let v = npm_verifier_with(&tuf_keys(), Options::new().unwrap());
    let r = run(&v, &sigstore_pkg(), Some(&sigstore_atts()), Some(&sigstore_packument())).unwrap();
    assert_eq!(r.publish.as_ref().unwrap().keyid, OLD_KEY);
    assert_eq!(r.registry_signatures.as_deref(), Some(&[OLD_KEY.to_string()][..]));
    let pw = run(&v, &from_tarball("@playwright/cli", "0.1.1"), Some(&json_of(&file_of("@playwright/cli", "0.1.1", "attestations.json"))), None).unwrap();
    assert_eq!(pw.publish.unwrap().keyid, NEW_KEY);
}

#[test]
fn tuf_form_key_usage_and_window_are_enforced() {
    // Only the npm:signatures entries: the publish attestation's key is unknown for its usage.
    let mut k = tuf_keys();
    k["keys"].as_array_mut().unwrap().retain(|e| e["keyUsage"] == "npm:signatures");
    let v = npm_verifier_with(&k, Options::new().unwrap());
    assert_eq!(code(run(&v, &sigstore_pkg(), Some(&sigstore_atts()), None)), Code::KeyUnknown);
    // A window that starts after the signing time.
    let mut k = tuf_keys();
    for e in k["keys"].as_array_mut().unwrap() {
        e["publicKey"]["validFor"]["start"] = json!("2024-01-01T00:00:00Z");
    }
    let v = npm_verifier_with(&k, Options::new().unwrap());
    assert_eq!(code(run(&v, &sigstore_pkg(), Some(&sigstore_atts()), None)), Code::KeyExpired);
    // An unknown usage or key type is refused, not skipped.
    let mut k = tuf_keys();
    k["keys"][0]["keyUsage"] = json!("npm:other");
    assert_eq!(NpmVerifier::new(Verifier::production().unwrap(), &k.to_string(), Options::new().unwrap()).unwrap_err().code, Code::DocumentInvalid);
    let mut k = tuf_keys();
    k["keys"][0]["publicKey"]["keyDetails"] = json!("PKIX_ED25519");
    assert_eq!(
        NpmVerifier::new(Verifier::production().unwrap(), &k.to_string(), Options::new().unwrap()).unwrap_err().code,
        Code::Core(CoreCode::KeyUnsupported)
    );
}
