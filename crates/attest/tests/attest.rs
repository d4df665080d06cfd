//! The `gh attestation verify` policy on real public-good bundles signed by GitHub Actions
//! workflows: the sigstore-conformance beacon's DSSE SLSA v1 attestation and message signature
//! (tests/data/conformance), and npm provenance (SLSA v1, sha512 subjects; tests/data/npm). One
//! negative test per code, each expecting it exactly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

use serde_json::{json, Value};
use sigstore_attest::api::{attestations_path, Scope};
use sigstore_attest::{verify_batch, Code, Form, Input, PolicySpec};
use sigstore_verifier::crypto::HashAlg;
use sigstore_verifier::{Artifact, Verifier};

fn data(f: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../tests/data/{f}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn text(f: &str) -> String {
    String::from_utf8(data(f)).unwrap()
}

const DSSE: &str = "conformance/bundle-verify/happy-path-intoto-in-dsse-v3/bundle.sigstore.json";
const MSG: &str = "conformance/bundle-verify/happy-path-v0.3/bundle.sigstore.json";
const A_TXT: &str = "conformance/bundle-verify/a.txt";
const REPO: &str = "sigstore-conformance/extremely-dangerous-public-oidc-beacon";
const WORKFLOW: &str = "sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml";
const SHA: &str = "82a3bfe6dd50fe9c71d6315eae66da15307856cf";

/// The SLSA v1 provenance bundle of an npm attestations document.
fn npm_provenance(name: &str) -> Value {
    let doc: Value = serde_json::from_slice(&data(&format!("npm/{name}.attestations.json"))).unwrap();
    doc["attestations"].as_array().unwrap().iter().find(|a| a["predicateType"] == "https://slsa.dev/provenance/v1").unwrap()["bundle"].clone()
}

fn a_txt() -> Artifact<'static> {
    Artifact::Digest(HashAlg::Sha256, HashAlg::Sha256.digest(&data(A_TXT)))
}

fn repo(r: &str) -> PolicySpec {
    PolicySpec { repo: Some(r.into()), ..PolicySpec::default() }
}

/// The code of the only bundle's failure, or `None` if it verified.
fn verdict(input: &str, artifact: &Artifact, spec: &PolicySpec) -> Option<Code> {
    let policy = spec.build().unwrap();
    let batch = verify_batch(&Verifier::production().unwrap(), &Input::parse(input).unwrap(), artifact, &policy);
    assert_eq!(batch.verified.len() + batch.failed.len(), 1);
    let f = batch.failed.first()?;
    let attest = Code::ATTEST.iter().copied().find(|c| c.as_str() == f.error.code);
    Some(attest.unwrap_or_else(|| Code::Core(*sigstore_verifier::Code::ALL.iter().find(|c| c.as_str() == f.error.code).unwrap())))
}

#[test]
fn a_single_bundle_verifies_with_owner_or_repo() {
    let v = Verifier::production().unwrap();
    let input = Input::parse(&text(DSSE)).unwrap();
    assert_eq!(input.form, Form::Bundle);
    for spec in [repo(REPO), PolicySpec { owner: Some("Sigstore-Conformance".into()), ..PolicySpec::default() }] {
        let batch = verify_batch(&v, &input, &a_txt(), &spec.build().unwrap());
        assert!(batch.failed.is_empty(), "{:?}", batch.failed);
        let a = &batch.verified[0];
        assert_eq!(a.predicate_type, "https://slsa.dev/provenance/v1");
        assert_eq!(a.signer.repository.as_deref(), Some(REPO));
        assert_eq!(a.signer.source_digest.as_deref(), Some(SHA));
        assert_eq!(a.signer.runner_environment.as_deref(), Some("github-hosted"));
        assert_eq!(a.statement["subject"][0]["name"], "a.txt");
        let j = batch.to_json();
        assert_eq!(j["form"], "bundle");
        assert_eq!(j["verified"][0]["signer"]["identity"], format!("https://github.com/{WORKFLOW}@refs/heads/main"));
        assert_eq!(j["verified"][0]["verifiedTimes"][0]["source"], "tlog");
        assert!(batch.require_one().is_ok());
    }
}

#[test]
fn each_policy_option_accepts_the_right_value() {
    let t = text(DSSE);
    let a = a_txt();
    let ok = |f: &dyn Fn(&mut PolicySpec)| {
        let mut s = repo(REPO);
        f(&mut s);
        assert_eq!(verdict(&t, &a, &s), None, "{s:?}");
    };
    ok(&|s| s.signer_workflow = Some(WORKFLOW.into()));
    ok(&|s| s.signer_workflow = Some(format!("github.com/{WORKFLOW}")));
    ok(&|s| s.signer_repo = Some(REPO.to_uppercase()));
    ok(&|s| s.cert_identity = Some(format!("https://github.com/{WORKFLOW}@refs/heads/main")));
    ok(&|s| s.cert_identity_regex = Some("oidc-beacon\\.yml@refs/heads/".into()));
    ok(&|s| s.source_ref = Some("refs/heads/main".into()));
    ok(&|s| s.source_digest = Some(SHA.to_uppercase()));
    ok(&|s| s.signer_digest = Some(SHA.into()));
    ok(&|s| s.cert_oidc_issuer = Some("https://token.actions.githubusercontent.com".into()));
    ok(&|s| s.predicate_type = Some("https://slsa.dev/provenance/v1".into()));
    ok(&|s| s.deny_self_hosted_runners = true);
}

#[test]
fn each_policy_option_refuses_the_wrong_value() {
    let t = text(DSSE);
    let a = a_txt();
    let code = |f: &dyn Fn(&mut PolicySpec)| {
        let mut s = repo(REPO);
        f(&mut s);
        verdict(&t, &a, &s)
    };
    assert_eq!(code(&|s| s.repo = Some("sigstore-conformance/other".into())), Some(Code::RepoMismatch));
    assert_eq!(
        code(&|s| {
            s.repo = None;
            s.owner = Some("sigstore".into())
        }),
        Some(Code::OwnerMismatch)
    );
    assert_eq!(code(&|s| s.signer_workflow = Some(format!("{REPO}/.github/workflows/release.yml"))), Some(Code::SignerMismatch));
    assert_eq!(code(&|s| s.signer_workflow = Some(format!("ghe.example.com/{WORKFLOW}"))), Some(Code::SignerMismatch));
    assert_eq!(code(&|s| s.signer_repo = Some("actions/attest".into())), Some(Code::SignerMismatch));
    assert_eq!(code(&|s| s.cert_identity = Some(format!("https://github.com/{WORKFLOW}@refs/heads/dev"))), Some(Code::SignerMismatch));
    assert_eq!(code(&|s| s.cert_identity_regex = Some("@refs/tags/".into())), Some(Code::SignerMismatch));
    assert_eq!(code(&|s| s.source_ref = Some("refs/heads/dev".into())), Some(Code::SourceRefMismatch));
    assert_eq!(code(&|s| s.source_digest = Some("0".repeat(40))), Some(Code::SourceDigestMismatch));
    assert_eq!(code(&|s| s.signer_digest = Some("0".repeat(40))), Some(Code::SignerDigestMismatch));
    assert_eq!(code(&|s| s.cert_oidc_issuer = Some("https://token.actions.example.ghe.com".into())), Some(Code::IssuerMismatch));
    assert_eq!(code(&|s| s.predicate_type = Some("https://spdx.dev/Document/v2.3".into())), Some(Code::PredicateMismatch));
}

#[test]
fn self_hosted_runners_are_denied_on_request() {
    // The beacon ran on a GitHub-hosted runner; the npm gundam-visor provenance too. A runner
    // environment other than github-hosted is refused only with denySelfHostedRunners: shown on
    // the policy alone, with the beacon's identity whose claim is rewritten.
    let v = Verifier::production().unwrap();
    let bundle = sigstore_verifier::Bundle::from_json(&text(DSSE)).unwrap();
    let core = sigstore_verifier::Policy::identity(sigstore_verifier::Matcher::regex(".*").unwrap(), sigstore_verifier::Matcher::regex(".*").unwrap());
    let r = v.verify(&bundle, &a_txt(), &core).unwrap();
    let sigstore_verifier::result::Signer::Certificate(mut id) = r.signer else { panic!() };
    let deny = PolicySpec { deny_self_hosted_runners: true, ..repo(REPO) }.build().unwrap();
    assert!(deny.check_certificate(&id).is_ok());
    for (k, v) in id.claims.iter_mut() {
        if *k == "runnerEnvironment" {
            *v = "self-hosted".into();
        }
    }
    assert_eq!(deny.check_certificate(&id).unwrap_err().code, Code::SelfHostedRunner);
    assert!(repo(REPO).build().unwrap().check_certificate(&id).is_ok());
    id.claims.retain(|(k, _)| *k != "runnerEnvironment");
    assert_eq!(deny.check_certificate(&id).unwrap_err().code, Code::SelfHostedRunner);
}

#[test]
fn a_message_signature_is_not_an_attestation() {
    assert_eq!(verdict(&text(MSG), &a_txt(), &repo(REPO)), Some(Code::StatementMissing));
}

#[test]
fn npm_provenance_with_sha512_subjects() {
    let name = "gundam-visor@1.0.1";
    let b = npm_provenance(name).to_string();
    let tgz = data(&format!("npm/{name}.tgz"));
    let sha512 = Artifact::Digest(HashAlg::Sha512, HashAlg::Sha512.digest(&tgz));
    let spec = PolicySpec {
        signer_workflow: Some("ramonpetgrave64/gundam-visor/.github/workflows/npm-publish.yml".into()),
        source_ref: Some("refs/tags/v1.0.1".into()),
        ..repo("ramonpetgrave64/gundam-visor")
    };
    assert_eq!(verdict(&b, &sha512, &spec), None);
    assert_eq!(verdict(&b, &Artifact::Bytes(&tgz), &spec), None);
    // Its subject has no sha256: the artifact's sha256 matches nothing.
    let sha256 = Artifact::Digest(HashAlg::Sha256, HashAlg::Sha256.digest(&tgz));
    assert_eq!(verdict(&b, &sha256, &spec), Some(Code::Core(sigstore_verifier::Code::ArtifactMismatch)));
}

#[test]
fn json_lines_and_rest_responses_verify_every_bundle() {
    let v = Verifier::production().unwrap();
    let policy = repo(REPO).build().unwrap();
    let dsse: Value = serde_json::from_str(&text(DSSE)).unwrap();
    let msg: Value = serde_json::from_str(&text(MSG)).unwrap();
    let npm = npm_provenance("@playwright%2fcli@0.1.1");
    // JSON lines: a blank line skipped, a broken line and two that fail the policy or the
    // artifact, and the one that verifies last: the batch goes on to the end.
    let lines = format!("{msg}\n\n{{\"mediaType\": 1\n{npm}\n{dsse}\n");
    let input = Input::parse(&lines).unwrap();
    assert_eq!(input.form, Form::JsonLines);
    let batch = verify_batch(&v, &input, &a_txt(), &policy);
    assert_eq!(batch.verified.iter().map(|a| a.index).collect::<Vec<_>>(), [3]);
    let failed: Vec<(usize, &str)> = batch.failed.iter().map(|f| (f.index, f.error.code)).collect();
    assert_eq!(failed, [(0, "ATTEST_STATEMENT_MISSING"), (1, "BUNDLE_PARSE"), (2, "ARTIFACT_MISMATCH")]);
    assert!(batch.failed[1].error.message.starts_with("line 2: "), "{:?}", batch.failed[1]);

    // The REST response, with an entry that only links its bundle.
    let rest = json!({ "attestations": [
        { "bundle": npm, "repository_id": 1 },
        { "bundle": null, "bundle_url": "https://example.com/b" },
        { "bundle": dsse, "repository_id": 632596897 },
    ]});
    let input = Input::parse(&rest.to_string()).unwrap();
    assert_eq!(input.form, Form::RestResponse);
    let batch = verify_batch(&v, &input, &a_txt(), &policy);
    assert_eq!(batch.verified.len(), 1);
    assert_eq!(batch.verified[0].index, 2);
    let j = batch.to_json();
    assert_eq!(j["form"], "restResponse");
    assert_eq!(j["failed"][1]["code"], "ATTEST_DOCUMENT_INVALID");
    assert_eq!(j["failed"][1]["index"], 1);
    assert_eq!(j["failed"][0]["step"], "artifact");

    // A list of bundles (the JS face's form).
    let input = Input::parse(&json!([dsse, msg]).to_string()).unwrap();
    assert_eq!(input.form, Form::List);
    assert_eq!(verify_batch(&v, &input, &a_txt(), &policy).verified.len(), 1);
}

#[test]
fn a_batch_where_nothing_verifies() {
    let v = Verifier::production().unwrap();
    let policy = repo("sigstore-conformance/other").build().unwrap();
    let batch = verify_batch(&v, &Input::parse(&text(DSSE)).unwrap(), &a_txt(), &policy);
    let e = batch.require_one().unwrap_err();
    assert_eq!(e.code, Code::NoneVerified);
    assert!(e.context.contains("ATTEST_REPO_MISMATCH"), "{e}");
    let empty = Input::parse(r#"{"attestations": []}"#).unwrap();
    assert_eq!(verify_batch(&v, &empty, &a_txt(), &policy).require_one().unwrap_err().code, Code::NoneVerified);
}

#[test]
fn malformed_and_oversized_inputs() {
    let code = |t: &str| Input::parse(t).unwrap_err().code;
    assert_eq!(code("not json"), Code::DocumentInvalid);
    assert_eq!(code("42"), Code::DocumentInvalid);
    assert_eq!(code(r#"{"attestations": {}}"#), Code::DocumentInvalid);
    let many = format!("[{}]", vec!["{}"; sigstore_attest::input::MAX_BUNDLES + 1].join(","));
    assert_eq!(code(&many), Code::LimitExceeded);
    let lines = "{}\n".repeat(sigstore_attest::input::MAX_BUNDLES + 1);
    assert_eq!(code(&lines), Code::LimitExceeded);
    assert_eq!(code(&" ".repeat(sigstore_attest::input::MAX_INPUT_BYTES + 1)), Code::LimitExceeded);
    // A pretty-printed bundle cut short is a broken document, not lines of broken bundles.
    let pretty = serde_json::to_string_pretty(&serde_json::from_str::<Value>(&text(DSSE)).unwrap()).unwrap();
    assert_eq!(code(&pretty[..pretty.len() / 2]), Code::DocumentInvalid);
    // An attestation of a response without its bundle is a failed entry, not a failed input.
    let input = Input::parse(r#"{"attestations": [{"repository_id": 1}]}"#).unwrap();
    assert_eq!(input.bundles[0].as_ref().unwrap_err().code, Code::DocumentInvalid);
}

#[test]
fn policy_options_that_make_no_policy() {
    let code = |s: PolicySpec| s.build().unwrap_err().code;
    assert_eq!(code(PolicySpec::default()), Code::PolicyInvalid);
    assert_eq!(code(PolicySpec { owner: Some("a".into()), ..repo("a/b") }), Code::PolicyInvalid);
    assert_eq!(code(PolicySpec { signer_repo: Some("a/b".into()), signer_workflow: Some("a/b/w.yml".into()), ..repo("a/b") }), Code::PolicyInvalid);
    assert_eq!(code(PolicySpec { signer_workflow: Some("a/b/(".into()), ..repo("a/b") }), Code::PolicyInvalid);
    // A pattern that would break out of the group it is wrapped in.
    assert_eq!(code(PolicySpec { signer_workflow: Some("a/b/w.yml)|(.*".into()), ..repo("a/b") }), Code::PolicyInvalid);
    assert_eq!(code(PolicySpec { cert_identity_regex: Some("x)|(.*".into()), ..repo("a/b") }), Code::PolicyInvalid);
    assert_eq!(code(PolicySpec { source_ref: Some(String::new()), ..repo("a/b") }), Code::PolicyInvalid);
    assert_eq!(code(repo("a")), Code::NameInvalid);
    assert_eq!(code(repo("a/b/c")), Code::NameInvalid);
    assert_eq!(code(repo("a/..")), Code::NameInvalid);
    assert_eq!(code(PolicySpec { owner: Some("-a".into()), ..PolicySpec::default() }), Code::NameInvalid);
    assert_eq!(code(PolicySpec { signer_repo: Some("a".into()), ..repo("a/b") }), Code::NameInvalid);
    let parsed: PolicySpec = serde_json::from_str(r#"{"repo":"a/b","denySelfHostedRunners":true,"sourceRef":"refs/heads/main"}"#).unwrap();
    assert!(parsed.deny_self_hosted_runners);
    assert!(serde_json::from_str::<PolicySpec>(r#"{"repo":"a/b","sourceref":"x"}"#).is_err());
}

#[test]
fn api_paths() {
    let d = format!("sha256:{}", "AB".repeat(32));
    let lower = format!("sha256:{}", "ab".repeat(32));
    assert_eq!(attestations_path(&Scope::Repo("octo-org/my.repo_1".into()), &d).unwrap(), format!("/repos/octo-org/my.repo_1/attestations/{lower}"));
    assert_eq!(attestations_path(&Scope::Owner("octo-org".into()), &lower).unwrap(), format!("/orgs/octo-org/attestations/{lower}"));
    assert!(attestations_path(&Scope::Owner("o".into()), &format!("sha512:{}", "0".repeat(128))).is_ok());
    for bad in ["o/r/../x", "o/r?x", "o/%2e", "o r/x", "../x", "o/"] {
        assert_eq!(attestations_path(&Scope::Repo(bad.into()), &d).unwrap_err().code, Code::NameInvalid, "{bad}");
    }
    assert_eq!(attestations_path(&Scope::Owner("o/x".into()), &d).unwrap_err().code, Code::NameInvalid);
    for bad in ["sha256:00", "md5:00", &format!("sha256:{}", "g".repeat(64)), "sha256"] {
        assert_eq!(attestations_path(&Scope::Owner("o".into()), bad).unwrap_err().code, Code::Core(sigstore_verifier::Code::InputInvalid), "{bad}");
    }
    assert_eq!(sigstore_attest::api::percent_encode("a b/ü"), "a%20b%2F%C3%BC");
}

#[test]
fn every_code_is_documented_and_tested() {
    let doc = std::fs::read_to_string(format!("{}/../../docs/errors.md", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let section = doc.split("## GitHub attestation codes").nth(1).expect("docs/errors.md has a GitHub attestation codes section");
    let section = section.split("\n## ").next().unwrap();
    let tests = include_str!("attest.rs");
    for c in Code::ATTEST {
        let row = format!("| `{}` | {} |", c.as_str(), c.step().as_str());
        assert!(section.contains(&row), "{row} missing from docs/errors.md");
        let variant = format!("{c:?}");
        assert!(tests.contains(&format!("Code::{variant})")) || tests.contains(&format!("\"{}\"", c.as_str())), "no negative test for {variant}");
    }
}
