//! The lock-file readers (`sigstore_pypi::lock`): pylock.toml (PEP 751) and requirements.txt in
//! hash-checking form, what each pins, what is skipped, and PYPI_DOCUMENT_INVALID for malformed
//! input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

use sigstore_pypi::lock::{parse_pylock, parse_requirements, PinnedFile};
use sigstore_pypi::Code;

const H1: &str = "461317362419124b6012e855423a9078d6de8aed3e74fa78cc74d669b23dc6cf";
const H2: &str = "8CB34DA1E27336F11A2C43F3F9C7433BD76F24F470C904724F06AD7F131D9E9F";

#[test]
fn pylock_pins_every_file_with_a_sha256() {
    let text = format!(
        r#"
lock-version = "1.0"
created-by = "test"

[[packages]]
name = "GCB_Attestation.Test"
version = "0.0.0"
sdist = {{ name = "gcb_attestation_test-0.0.0.tar.gz", url = "https://files.example/gcb_attestation_test-0.0.0.tar.gz", hashes = {{ sha256 = "{H1}" }} }}

[[packages]]
name = "circleci-sign-publish-example"
version = "0.0.1.dev137"
[[packages.wheels]]
url = "https://files.example/x/circleci_sign_publish_example-0.0.1.dev137-py3-none-any.whl?download=1"
hashes = {{ sha256 = "{H2}" }}
[[packages.wheels]]
path = "wheels/circleci_sign_publish_example-0.0.1.dev137-py2-none-any.whl"
hashes = {{ sha512 = "00" }}

[[packages]]
name = "from-git"
vcs = {{ type = "git", url = "https://example/x.git", commit-id = "abc" }}

[[packages]]
name = "no-hashes"
version = "1.0"
sdist = {{ name = "no_hashes-1.0.tar.gz", hashes = {{ md5 = "00" }} }}
"#
    );
    let l = parse_pylock(&text).unwrap();
    assert_eq!(l.pinned.len(), 2);
    assert_eq!(l.pinned[0].project, "gcb-attestation-test");
    assert_eq!(l.pinned[0].files, vec![PinnedFile { filename: Some("gcb_attestation_test-0.0.0.tar.gz".into()), sha256: H1.into() }]);
    assert_eq!(l.pinned[1].files[0].filename.as_deref(), Some("circleci_sign_publish_example-0.0.1.dev137-py3-none-any.whl"));
    assert_eq!(l.pinned[1].files[0].sha256, H2.to_ascii_lowercase());
    let reasons: Vec<_> = l.skipped.iter().map(|s| s.reason).collect();
    assert_eq!(reasons, ["no sha256 hash", "installed from version control", "no sha256 hash", "no sdist or wheel with a sha256 hash"], "{:?}", l.skipped);
}

#[test]
fn malformed_pylock_is_document_invalid() {
    for bad in [
        "not toml = = =",
        "[[packages]]\nname = \"x\"\nversion = \"1\"\n",
        "lock-version = \"2.0\"\n",
        "lock-version = \"1.0\"\npackages = 3\n",
        "lock-version = \"1.0\"\n[[packages]]\nversion = \"1\"\n",
        "lock-version = \"1.0\"\n[[packages]]\nname = \"../x\"\nversion = \"1\"\n",
        "lock-version = \"1.0\"\n[[packages]]\nname = \"x\"\nversion = \"one\"\n",
        "lock-version = \"1.0\"\n[[packages]]\nname = \"x\"\nversion = \"1\"\nsdist = { hashes = { sha256 = \"ab\" }, name = \"x-1.tar.gz\" }\n",
        "lock-version = \"1.0\"\n[[packages]]\nname = \"x\"\nversion = \"1\"\nsdist = { hashes = { sha256 = \"ab\" } }\n",
        "lock-version = \"1.0\"\n[[packages]]\nname = \"x\"\nversion = \"1\"\nwheels = 3\n",
        &format!("lock-version = \"1.0\"\nx = {}{}", "[".repeat(200), "]".repeat(200)),
    ] {
        assert_eq!(parse_pylock(bad).unwrap_err().code, Code::DocumentInvalid, "{bad}");
    }
}

#[test]
fn requirements_pin_sets_of_hashes() {
    let text = format!(
        "# a comment\n\
         --index-url https://pypi.org/simple\n\
         gcb-attestation-test==0.0.0 \\\n    --hash=sha256:{H1} \\\n    --hash sha256:{H2}  # two files\n\
         Circleci_Sign.Publish-Example[extra]===0.0.1.dev137 ; python_version >= \"3.8\" --hash=sha256:{H2}\n\
         unpinned>=1.0 --hash=sha256:{H1}\n\
         nohash==1.0\n\
         direct @ https://example/x.whl\n\
         -r other.txt\n\
         \n"
    );
    let l = parse_requirements(&text).unwrap();
    assert_eq!(l.pinned.len(), 2, "{:?}", l.pinned);
    assert_eq!(l.pinned[0].project, "gcb-attestation-test");
    assert_eq!(l.pinned[0].version, "0.0.0");
    assert_eq!(l.pinned[0].files.iter().map(|f| f.sha256.as_str()).collect::<Vec<_>>(), [H1.to_string(), H2.to_ascii_lowercase()]);
    assert!(l.pinned[0].files.iter().all(|f| f.filename.is_none()));
    assert_eq!(l.pinned[1].project, "circleci-sign-publish-example");
    let reasons: Vec<_> = l.skipped.iter().map(|s| s.reason).collect();
    assert_eq!(reasons, ["an option line", "not pinned with ==", "no --hash=sha256", "a direct URL", "an option line"], "{:?}", l.skipped);
}

#[test]
fn malformed_requirements_are_document_invalid() {
    for bad in ["../x==1.0 --hash=sha256:00", "x==not.a.version! --hash=sha256:00", &format!("x==1.0 --hash=sha256:{}", "z".repeat(64))] {
        assert_eq!(parse_requirements(bad).unwrap_err().code, Code::DocumentInvalid, "{bad}");
    }
}
