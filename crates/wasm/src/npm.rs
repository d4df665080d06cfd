//! npm provenance in the WebAssembly binding: [`sigstore_npm::NpmVerifier`] over documents the
//! JS layer has fetched (`pkg/src/npm.js` does the fetching and the tarball streaming).
//!
//! `new WasmNpmVerifier(keys, trustedRoot, policy)` parses the registry keys and the trusted
//! root once; `verify(name, version, integrity, attestations, packument)` checks one version.
//! Errors are thrown as in [`super`]: JS `Error`s with `code` and `step`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::tuf::WasmTufClient;
use super::{input_error, js_report, json_text, load_root, read_fields, to_js};
use sigstore_npm::{self as npm, NpmVerifier, Options, Package, PolicySpec};
use sigstore_verifier::{Config, Verifier};

type NpmResult<T> = Result<T, npm::Error>;

/// A JS `Error` for an npm failure, as [`super::js_error`] for the core's.
fn js_error(e: &npm::Error) -> JsValue {
    js_report(&e.report())
}

/// The npm policy object ([`PolicySpec`]); `undefined` for the default (any GitHub Actions
/// workflow or GitLab.com pipeline, both attestations required).
fn parse_npm_policy(v: &JsValue) -> NpmResult<Options> {
    if v.is_undefined() || v.is_null() {
        return PolicySpec::default().options();
    }
    if !v.is_object() {
        return Err(input_error("npm policy must be an object: { repository } or { identityRegex, issuer | issuerRegex }").into());
    }
    read_fields::<PolicySpec>(v, "npm policy", &PolicySpec::FIELDS)?.options()
}

/// An optional JSON document: `undefined`/`null` for none, else text or a plain object.
fn optional_doc(v: &JsValue, what: &str) -> NpmResult<Option<String>> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    json_text(v, what, npm::Code::DocumentInvalid).map(Some)
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

    fn build(keys: &JsValue, trusted_root: &JsValue, policy: &JsValue) -> NpmResult<NpmVerifier> {
        let options = parse_npm_policy(policy)?;
        let keys = json_text(keys, "registry keys document", npm::Code::DocumentInvalid)?;
        let root = load_root(trusted_root)?;
        // As WasmVerifier: tables only once the verifier has proven long-lived (`precompute`).
        let config = Config { precompute_tables: false, ..Config::default() };
        NpmVerifier::new(Verifier::new(root, config)?, &keys, options)
    }

    /// Over TUF: the trusted root `client` verified (results report `trust.source === "tuf"`)
    /// and `keys`, or when `keys` is `undefined` the registry keys target
    /// (`registry.npmjs.org/keys.json`) the client verified.
    #[wasm_bindgen(js_name = fromTuf)]
    pub fn from_tuf(client: &WasmTufClient, keys: JsValue, policy: JsValue) -> Result<WasmNpmVerifier, JsValue> {
        let options = parse_npm_policy(&policy).map_err(|e| js_error(&e))?;
        let keys = if keys.is_undefined() || keys.is_null() {
            // sigstore-npm reads the target's own form (keyId, keyUsage, publicKey.validFor).
            client.target_text(sigstore_tuf::instance::NPM_KEYS).map_err(|e| js_report(&e.report()))?.to_string()
        } else {
            json_text(&keys, "registry keys document", npm::Code::DocumentInvalid).map_err(|e| js_error(&e))?
        };
        let root = client.trusted_root()?;
        let config = Config { precompute_tables: false, ..Config::default() };
        let verifier = Verifier::new(root, config).map_err(|e| js_error(&e.into()))?;
        let inner = NpmVerifier::new(verifier, &keys, options).map_err(|e| js_error(&e))?;
        Ok(WasmNpmVerifier { inner })
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
        to_js(&self.run(&name, &version, &integrity, &attestations, &packument).map_err(|e| js_error(&e))?)
    }

    fn run(&self, name: &str, version: &str, integrity: &JsValue, attestations: &JsValue, packument: &JsValue) -> NpmResult<serde_json::Value> {
        let pkg = if let Some(s) = integrity.as_string() {
            Package::new(name, version, &s)?
        } else if let Some(a) = integrity.dyn_ref::<js_sys::Uint8Array>() {
            Package::from_sha512(name, version, a.to_vec())?
        } else {
            return Err(input_error("integrity must be a sha512-… string or the 64-byte sha512 digest").into());
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
