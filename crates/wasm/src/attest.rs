//! GitHub artifact attestations in the WebAssembly binding: `sigstore-attest` over inputs the JS
//! layer has read or fetched (`pkg/src/attest.js` does the fetching and the stream hashing).
//!
//! `WasmVerifier.verifyAttestations(input, artifact, policy)` verifies every bundle of the input
//! (a bundle, a list, JSON lines or the REST response, as text or object) and returns the batch
//! (`{ form, verified, failed }`) without throwing for bundles that fail; it throws only for an
//! input or policy that is unusable. `attestationsPath(kind, name, digest)` builds the REST path.
//! Errors are thrown as in [`super`]: JS `Error`s with `code` and `step`.

use wasm_bindgen::prelude::*;

use super::{input_error, js_report, json_text, parse_artifact, read_fields, to_js, ArtifactInput, WasmVerifier};
use sigstore_attest::api::{attestations_path as path, Scope};
use sigstore_attest::{self as attest, verify_batch, Input, PolicySpec};
use sigstore_verifier::Artifact;

fn js_error(e: &attest::Error) -> JsValue {
    js_report(&e.report())
}

/// The policy object ([`PolicySpec`]: `owner` | `repo`, `signerWorkflow`, ...), fields checked.
fn parse_policy(v: &JsValue) -> attest::Result<attest::Policy> {
    if !v.is_object() {
        return Err(attest::Error::new(attest::Code::PolicyInvalid, "policy must be an object: { owner | repo, ... }"));
    }
    read_fields::<PolicySpec>(v, "policy", &PolicySpec::FIELDS)?.build()
}

#[wasm_bindgen(js_class = WasmVerifier)]
impl WasmVerifier {
    /// Every bundle of `input` against `artifact` (a `Uint8Array` or `{ digest }`) and `policy`;
    /// returns `verify-attestation --json`'s batch object.
    #[wasm_bindgen(js_name = verifyAttestations)]
    pub fn verify_attestations(&self, input: JsValue, artifact: JsValue, policy: JsValue) -> Result<JsValue, JsValue> {
        to_js(&self.attestations(&input, &artifact, &policy).map_err(|e| js_error(&e))?)
    }

    fn attestations(&self, input: &JsValue, artifact: &JsValue, policy: &JsValue) -> attest::Result<serde_json::Value> {
        let policy = parse_policy(policy)?;
        let a = parse_artifact(artifact)?;
        let artifact = match &a {
            ArtifactInput::Bytes(b) => Artifact::Bytes(b),
            ArtifactInput::Digest(d) => Artifact::parse_digest(d)?,
        };
        let text = json_text(input, "attestations", attest::Code::DocumentInvalid)?;
        let input = Input::parse(&text)?;
        Ok(verify_batch(&self.inner, &input, &artifact, &policy).to_json())
    }
}

/// `/repos/OWNER/REPO/attestations/sha256:HEX` (`kind` "repo") or `/orgs/OWNER/attestations/…`
/// (`kind` "owner"); throws `ATTEST_NAME_INVALID` or `INPUT_INVALID`.
#[wasm_bindgen(js_name = attestationsPath)]
pub fn attestations_path(kind: String, name: String, digest: String) -> Result<String, JsValue> {
    let scope = match kind.as_str() {
        "repo" => Scope::Repo(name),
        "owner" => Scope::Owner(name),
        _ => return Err(super::js_error(&input_error("kind must be 'repo' or 'owner'"))),
    };
    path(&scope, &digest).map_err(|e| js_error(&e))
}
