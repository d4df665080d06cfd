//! PEP 740 verification on real attestations from pypi-attestations' test assets
//! (tests/data/pypi/SOURCE.md), and one negative case per check, each with its exact code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

use serde_json::{json, Value};
use sigstore_pypi::{filename, Attestation, Code, Distribution, Pin, Provenance, Publisher, PypiVerifier};
use sigstore_verifier::Verifier;

fn data(f: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../tests/data/pypi/{f}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn text(f: &str) -> String {
    String::from_utf8(data(f)).unwrap()
}

fn verifier() -> PypiVerifier {
    PypiVerifier::new(Verifier::production().unwrap())
}

fn dist(f: &str) -> Distribution {
    Distribution::from_bytes(f, &data(f)).unwrap()
}

fn github() -> Publisher {
    Publisher::GitHub { repository: "trailofbits/pypi-attestations".into(), workflow: "release.yml".into(), environment: None }
}

const GH: &str = "pypi_attestations-0.0.19.tar.gz";

#[test]
fn github_provenance_verifies_with_the_publisher_it_names() {
    let prov = Provenance::from_json(&text(&format!("{GH}.provenance"))).unwrap();
    assert_eq!(prov.bundles[0].publisher.as_ref(), Some(&github()));
    let v = verifier().verify_provenance(&prov, &dist(GH), None).unwrap();
    let types: Vec<&str> = v.attestations.iter().map(|a| a.predicate_type.as_str()).collect();
    assert!(types.contains(&sigstore_pypi::PUBLISH_V1), "{types:?}");
    assert_eq!(v.attestations[0].issuer, "https://token.actions.githubusercontent.com");
    assert_eq!(v.attestations[0].identity, "https://github.com/trailofbits/pypi-attestations/.github/workflows/release.yml@refs/tags/v0.0.19");
    let j = v.to_json();
    assert_eq!(j["verified"], true);
    assert_eq!(j["sha256"], "9bb1add04b1b4e182be6b0b80931593f7a291eb49d69b4fd728a5d4cbcdc4bd3");
    assert_eq!(j["attestations"][0]["publisher"]["kind"], "GitHub");
    assert_eq!(j["attestations"][0]["bundle"]["trust"]["source"], "embedded");
    // Pinned to the same publisher, or to its repository: the same verdict.
    assert!(verifier().verify_provenance(&prov, &dist(GH), Some(&github())).is_ok());
    assert!(verifier().verify_provenance_pinned(&prov, &dist(GH), &Pin::Repository("trailofbits/pypi-attestations".into())).is_ok());
    assert_eq!(verifier().verify_provenance_pinned(&prov, &dist(GH), &Pin::Repository("trailofbits/other".into())).unwrap_err().code, Code::PublisherMismatch);
}

#[test]
fn single_attestations_verify() {
    for f in [format!("{GH}.publish.attestation"), format!("{GH}.slsa.attestation")] {
        let a = Attestation::from_json(&text(&f)).unwrap();
        let v = verifier().verify_attestation(&a, &dist(GH), &github()).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(f.contains("slsa") == (v.predicate_type == sigstore_pypi::SLSA_PROVENANCE_V1));
    }
}

#[test]
fn other_publishers() {
    // Google Cloud Build, CircleCI: the publisher the provenance names.
    for f in ["gcb_attestation_test-0.0.0.tar.gz", "circleci_sign_publish_example-0.0.1.dev137-py3-none-any.whl"] {
        let prov = Provenance::from_json(&text(&format!("{f}.provenance"))).unwrap();
        let v = verifier().verify_provenance(&prov, &dist(f), None).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(!v.attestations.is_empty());
    }
    let gl = "gitlab_oidc_project-0.0.3.tar.gz";
    let a = Attestation::from_json(&text(&format!("{gl}.publish.attestation"))).unwrap();
    let p = Publisher::GitLab { repository: "facutuesca/gitlab-oidc-project".into(), workflow_filepath: ".gitlab-ci.yml".into(), environment: None };
    let r = verifier().verify_attestation(&a, &dist(gl), &p);
    assert!(r.is_ok(), "{r:?}");
}

#[test]
fn publisher_mismatches() {
    let a = Attestation::from_json(&text(&format!("{GH}.publish.attestation"))).unwrap();
    let d = dist(GH);
    let code = |p: Publisher| verifier().verify_attestation(&a, &d, &p).unwrap_err().code;
    assert_eq!(code(Publisher::GitHub { repository: "trailofbits/other".into(), workflow: "release.yml".into(), environment: None }), Code::PublisherMismatch);
    assert_eq!(
        code(Publisher::GitHub { repository: "trailofbits/pypi-attestations".into(), workflow: "ci.yml".into(), environment: None }),
        Code::PublisherMismatch
    );
    // Another kind: its issuer or SAN is the core policy's.
    assert_eq!(code(Publisher::Google { email: "x@example.com".into() }), Code::Core(sigstore_verifier::Code::IdentityMismatch));
    let circle = Publisher::CircleCI { project_id: "p".into(), pipeline_definition_id: "d".into(), vcs_origin: None, vcs_ref: None };
    assert_eq!(code(circle), Code::Core(sigstore_verifier::Code::IssuerMismatch));
    // CircleCI with the wrong pipeline.
    let f = "circleci_sign_publish_example-0.0.1.dev137-py3-none-any.whl";
    let prov = Provenance::from_json(&text(&format!("{f}.provenance"))).unwrap();
    let Some(Publisher::CircleCI { project_id, vcs_origin, vcs_ref, .. }) = prov.bundles[0].publisher.clone() else { panic!() };
    let wrong = Publisher::CircleCI { project_id, pipeline_definition_id: "00000000-0000-0000-0000-000000000000".into(), vcs_origin, vcs_ref };
    assert_eq!(verifier().verify_provenance(&prov, &dist(f), Some(&wrong)).unwrap_err().code, Code::PublisherMismatch);
}

#[test]
fn subject_must_be_the_distribution() {
    let a = Attestation::from_json(&text(&format!("{GH}.publish.attestation"))).unwrap();
    let sha = sigstore_verifier::crypto::HashAlg::Sha256.digest(&data(GH));
    // Same file, another name: the statement's subject is another distribution.
    let other = Distribution::new("pypi_attestations-0.0.20.tar.gz", &sha).unwrap();
    assert_eq!(verifier().verify_attestation(&a, &other, &github()).unwrap_err().code, Code::SubjectMismatch);
    // The same distribution spelled another way (name normalised, version as PEP 440 orders it).
    let same = Distribution::new("PyPI.Attestations-0.0.19.0.tar.gz", &sha).unwrap();
    assert!(verifier().verify_attestation(&a, &same, &github()).is_ok());
    // Another file under the name: the core's artifact check.
    let wrong = Distribution::new(GH, &[0u8; 32]).unwrap();
    assert_eq!(verifier().verify_attestation(&a, &wrong, &github()).unwrap_err().code, Code::Core(sigstore_verifier::Code::ArtifactMismatch));
}

#[test]
fn filenames_parse_as_distributions() {
    let p = |f: &str| filename::parse(f).unwrap();
    assert_eq!(p("foo_bar-1.0-py2.py3-none-any.whl"), p("Foo.Bar-1.0.0-py3.py2-none-any.whl"));
    assert_ne!(p("foo-1.0-py3-none-any.whl"), p("foo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"));
    assert_ne!(p("foo-1.0-1-py3-none-any.whl"), p("foo-1.0-py3-none-any.whl"));
    assert_eq!(p("foo-1.0a1.tar.gz"), p("foo-1.0.0alpha.1.tar.gz"));
    assert_eq!(p("foo-1.0.post0.tar.gz"), p("foo-1.0post0.tar.gz"));
    assert_eq!(p("foo-1.0.post0-py3-none-any.whl"), p("foo-1.0_r0-py3-none-any.whl"));
    assert_ne!(p("foo-1.0.tar.gz"), p("foo-1.0.dev0.tar.gz"));
    assert_ne!(p("foo-1.0.tar.gz"), p("foo-1.0-py3-none-any.whl"));
    assert_eq!(p("foo-1!2.0+Local_1.zip"), p("foo-1!2+local.1.tar.gz"));
    for bad in [
        "foo.tar.bz2",
        "foo.tar.gz",
        "-1.0.tar.gz",
        "foo-1.0-py3-none.whl",
        "foo__bar-1.0-py3-none-any.whl",
        "foo-x.y.tar.gz",
        "a/b-1.0.tar.gz",
        "foo-1.0-abc-py3-none-any.whl",
    ] {
        assert_eq!(filename::parse(bad).unwrap_err().code, Code::FilenameInvalid, "{bad}");
    }
    assert_eq!(Distribution::new("nope.txt", &[0; 32]).unwrap_err().code, Code::FilenameInvalid);
}

#[test]
fn coordinates_and_policies() {
    let ok = filename::check_coordinates("PyPI.Attestations", "0.0.19.0", "pypi_attestations-0.0.19.tar.gz").unwrap();
    assert_eq!(ok, "pypi-attestations");
    let input = Code::Core(sigstore_verifier::Code::InputInvalid);
    for (p, v, f, code) in [
        ("../x", "1.0", "x-1.0.tar.gz", input),
        ("", "1.0", "x-1.0.tar.gz", input),
        ("x", "one", "x-1.0.tar.gz", input),
        ("x", "1.0", "x-2.0.tar.gz", Code::FilenameInvalid),
        ("x", "1.0", "y-1.0.tar.gz", Code::FilenameInvalid),
        ("x", "1.0", "../x-1.0.tar.gz", Code::FilenameInvalid),
    ] {
        assert_eq!(filename::check_coordinates(p, v, f).unwrap_err().code, code, "{p} {v} {f}");
    }
    let pin = |j: &str| Pin::from_value(&serde_json::from_str(j).unwrap());
    assert_eq!(pin("null").unwrap(), Pin::Named);
    assert_eq!(pin("{}").unwrap(), Pin::Named);
    assert_eq!(pin(r#"{"repository":"a/b"}"#).unwrap(), Pin::Repository("a/b".into()));
    assert_eq!(pin(r#"{"publisher":{"kind":"Google","email":"e@x"}}"#).unwrap(), Pin::Publisher(Publisher::Google { email: "e@x".into() }));
    for bad in [
        r#"{"repo":"a/b"}"#,
        r#"{"repository":"ab"}"#,
        r#"{"repository":"a/b","publisher":{}}"#,
        r#"{"publisher":{"kind":"Forgejo"}}"#,
        r#"{"publisher":{"kind":"GitHub"}}"#,
        "3",
    ] {
        assert_eq!(pin(bad).unwrap_err().code, input, "{bad}");
    }
}

#[test]
fn malformed_documents() {
    let good: Value = serde_json::from_str(&text(&format!("{GH}.provenance"))).unwrap();
    let code = |v: &Value| Provenance::from_json(&v.to_string()).unwrap_err().code;
    let mut v = good.clone();
    v["version"] = json!(2);
    assert_eq!(code(&v), Code::DocumentInvalid);
    let mut v = good.clone();
    v["attestation_bundles"][0]["publisher"] = json!({"kind": "GitHub", "repository": "a/b"});
    assert_eq!(code(&v), Code::DocumentInvalid);
    let mut v = good.clone();
    v["attestation_bundles"][0]["attestations"][0]["envelope"].as_object_mut().unwrap().remove("signature");
    assert_eq!(code(&v), Code::DocumentInvalid);
    let mut v = good.clone();
    v["attestation_bundles"][0]["attestations"][0]["verification_material"]["transparency_entries"] = json!([]);
    assert_eq!(code(&v), Code::DocumentInvalid);
    assert_eq!(Provenance::from_json("[]").unwrap_err().code, Code::DocumentInvalid);
    // An unknown publisher kind parses, and verifies only against a pinned publisher.
    let mut v = good.clone();
    v["attestation_bundles"][0]["publisher"] = json!({"kind": "Forgejo"});
    let prov = Provenance::from_json(&v.to_string()).unwrap();
    assert_eq!(verifier().verify_provenance(&prov, &dist(GH), None).unwrap_err().code, Code::PublisherMismatch);
    assert!(verifier().verify_provenance(&prov, &dist(GH), Some(&github())).is_ok());
    // No attestation at all.
    let mut v = good.clone();
    v["attestation_bundles"] = json!([]);
    let prov = Provenance::from_json(&v.to_string()).unwrap();
    assert_eq!(verifier().verify_provenance(&prov, &dist(GH), None).unwrap_err().code, Code::AttestationMissing);
    // A signature that is not over this statement: the core's code.
    let mut v = good;
    v["attestation_bundles"][0]["attestations"][0]["envelope"]["signature"] =
        json!("MEUCIQDx9J86FXVVe/PIoY5jHvlQJ85A6oZ2BiZ6/3ZYe3EeAQIgALl97dZebI/Smm0qQMdVVkbVznthHZCaSClN4djajx3G");
    let prov = Provenance::from_json(&v.to_string()).unwrap();
    assert!(matches!(verifier().verify_provenance(&prov, &dist(GH), None).unwrap_err().code, Code::Core(_)));
}

#[test]
fn predicate_types_are_checked() {
    assert_eq!(sigstore_pypi::check_predicate("https://in-toto.io/attestation/vulns").unwrap_err().code, Code::PredicateUnknown);
    assert!(sigstore_pypi::check_predicate(sigstore_pypi::PUBLISH_V1).is_ok());
}

#[test]
fn every_code_is_documented() {
    let doc = std::fs::read_to_string(format!("{}/../../docs/errors.md", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let section = doc.split("## PyPI codes").nth(1).expect("docs/errors.md has a PyPI codes section");
    let section = section.split("\n## ").next().unwrap();
    for c in Code::PYPI {
        let row = format!("| `{}` | {} | ", c.as_str(), c.step().as_str());
        assert!(section.contains(&row), "{} is not documented as `{row}`", c.as_str());
    }
}
