//! npm provenance in the WebAssembly binding: [`crate::npm::NpmVerifier`] over documents the
//! JS layer has fetched (`pkg/src/npm.js` does the fetching and the tarball streaming).
//!
//! `new WasmNpmVerifier(keys, trustedRoot, policy)` parses the registry keys and the trusted
//! root once; `verify(name, version, integrity, attestations, packument)` checks one version.
//! Errors are thrown as in [`super`]: JS `Error`s with `code` and `step`.

use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{input_error, js_error, json_text, read_fields};
use crate::npm::{self, IdentityRule, NpmVerifier, Options, Package};
use crate::{Code, Config, Error, Matcher, TrustedRoot, Verifier};

/// The npm policy: which CI identity may have built the package, and which attestations are
/// required. `{ repository }` (a GitHub `OWNER/REPO`), or `{ identityRegex, issuer |
/// issuerRegex }`, or neither (any GitHub Actions workflow or GitLab.com pipeline).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct NpmPolicyInput {
    repository: Option<String>,
    identity_regex: Option<String>,
    issuer: Option<String>,
    issuer_regex: Option<String>,
    require_provenance: Option<bool>,
    require_publish: Option<bool>,
}

const NPM_POLICY_FIELDS: [&str; 6] = ["repository", "identityRegex", "issuer", "issuerRegex", "requireProvenance", "requirePublish"];

fn parse_npm_policy(v: &JsValue) -> Result<Options, Error> {
    let mut options = Options::new()?;
    if v.is_undefined() || v.is_null() {
        return Ok(options);
    }
    if !v.is_object() {
        return Err(input_error("npm policy must be an object: { repository } or { identityRegex, issuer | issuerRegex }"));
    }
    // Unknown fields are refused: a misspelt `repository` must not widen the policy to "any".
    let p: NpmPolicyInput = read_fields(v, "npm policy", &NPM_POLICY_FIELDS)?;
    let issuer = match (p.issuer, p.issuer_regex) {
        (Some(_), Some(_)) => return Err(input_error("npm policy: give issuer or issuerRegex, not both")),
        (Some(s), None) => Some(Matcher::exact(s)),
        (None, Some(r)) => Some(Matcher::regex(&r)?),
        (None, None) => None,
    };
    options.identities = match (p.repository, p.identity_regex, issuer) {
        (Some(r), None, None) => vec![IdentityRule::github_repository(&r)?],
        (Some(_), _, _) => return Err(input_error("npm policy: repository cannot be combined with identityRegex or issuer")),
        (None, Some(san), Some(issuer)) => vec![IdentityRule::new("custom", Matcher::regex(&san)?, issuer)],
        (None, Some(_), None) | (None, None, Some(_)) => return Err(input_error("npm policy: identityRegex and issuer (or issuerRegex) go together")),
        (None, None, None) => options.identities,
    };
    options.require_provenance = p.require_provenance.unwrap_or(true);
    options.require_publish = p.require_publish.unwrap_or(true);
    Ok(options)
}

/// An optional JSON document: `undefined`/`null` for none, else text or a plain object.
fn optional_doc(v: &JsValue, what: &str) -> Result<Option<String>, Error> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    json_text(v, what, Code::NpmDocumentInvalid).map(Some)
}

/// Registry keys, trusted root and policy, prepared once.
#[wasm_bindgen(js_name = WasmNpmVerifier)]
pub struct WasmNpmVerifier {
    inner: NpmVerifier,
}

#[wasm_bindgen(js_class = WasmNpmVerifier)]
impl WasmNpmVerifier {
    /// `keys`: the `/-/npm/v1/keys` document (text or object); `trusted_root`: `undefined` for
    /// the embedded production root; `policy`: see [`NpmPolicyInput`].
    #[wasm_bindgen(constructor)]
    pub fn new(keys: JsValue, trusted_root: JsValue, policy: JsValue) -> Result<WasmNpmVerifier, JsValue> {
        Self::build(&keys, &trusted_root, &policy).map(|inner| WasmNpmVerifier { inner }).map_err(|e| js_error(&e))
    }

    fn build(keys: &JsValue, trusted_root: &JsValue, policy: &JsValue) -> Result<NpmVerifier, Error> {
        let options = parse_npm_policy(policy)?;
        let keys = json_text(keys, "registry keys document", Code::NpmDocumentInvalid)?;
        let root = if trusted_root.is_undefined() || trusted_root.is_null() {
            TrustedRoot::production()?
        } else {
            TrustedRoot::from_json(&json_text(trusted_root, "trustedRoot", Code::TrustRootInvalid)?)?
        };
        // As WasmVerifier: tables only once the verifier has proven long-lived (`precompute`).
        let config = Config { precompute_tables: false, ..Config::default() };
        NpmVerifier::new(Verifier::new(root, config)?, &keys, options)
    }

    /// Build the trusted keys' fixed-base tables now (idempotent); returns their heap bytes.
    pub fn precompute(&mut self) -> usize {
        self.inner.verifier.precompute_tables()
    }

    /// Verify one version. `integrity` is the tarball's `sha512-…` SRI string, or a 64-byte
    /// sha512 digest (a `Uint8Array`, e.g. of a streamed tarball). `attestations` and
    /// `packument` are the registry's documents (`undefined` when absent). Returns the
    /// `verify-npm --json` result object, or throws.
    pub fn verify(&self, name: String, version: String, integrity: JsValue, attestations: JsValue, packument: JsValue) -> Result<JsValue, JsValue> {
        let result = self.run(&name, &version, &integrity, &attestations, &packument).map_err(|e| js_error(&e))?;
        let ser = serde_wasm_bindgen::Serializer::json_compatible();
        match serde::Serialize::serialize(&result, &ser) {
            Ok(v) => Ok(v),
            Err(_) => js_sys::JSON::parse(&result.to_string()),
        }
    }

    fn run(&self, name: &str, version: &str, integrity: &JsValue, attestations: &JsValue, packument: &JsValue) -> Result<serde_json::Value, Error> {
        let pkg = if let Some(s) = integrity.as_string() {
            Package::new(name, version, &s)?
        } else if let Some(a) = integrity.dyn_ref::<js_sys::Uint8Array>() {
            Package::from_sha512(name, version, a.to_vec())?
        } else {
            return Err(input_error("integrity must be a sha512-… string or the 64-byte sha512 digest"));
        };
        let atts = optional_doc(attestations, "attestations document")?;
        let pack = optional_doc(packument, "packument")?;
        let docs = npm::Documents { attestations: atts.as_deref(), packument: pack.as_deref() };
        Ok(self.inner.verify(&pkg, docs)?.to_json())
    }
}

/// Check npm coordinates before the JS layer builds registry URLs from them (throws
/// `INPUT_INVALID` for names or versions npm would refuse, or that could leave the path).
#[wasm_bindgen(js_name = checkNpmCoordinates)]
pub fn check_npm_coordinates(name: String, version: String) -> Result<(), JsValue> {
    npm::purl::check_coordinates(&name, &version).map_err(|e| js_error(&e))
}

/// The sha512 digest inside an npm `integrity` string (throws `INPUT_INVALID`).
#[wasm_bindgen(js_name = sriSha512)]
pub fn sri_sha512(integrity: String) -> Result<Vec<u8>, JsValue> {
    npm::purl::sri_sha512(&integrity).map_err(|e| js_error(&e))
}
