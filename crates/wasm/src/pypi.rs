//! PyPI PEP 740 attestations in the WebAssembly binding: [`sigstore_pypi::PypiVerifier`] over
//! documents the JS layer has fetched (`pkg/src/pypi.js` fetches the simple API, the integrity
//! API and, when asked, streams the distribution through the sha256 hasher).
//!
//! `new WasmPypiVerifier(trustedRoot, policy)` (or `fromTuf(client, policy)`) checks the trust
//! and the policy once; `verify(filename, sha256, provenance)` checks one distribution. Errors
//! are thrown as in [`super`]: JS `Error`s with `code` and `step`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::tuf::WasmTufClient;
use super::{input_error, js_report, json_text, load_root, to_js};
use sigstore_pypi::{self as pypi, Distribution, Pin, Provenance, PypiVerifier};
use sigstore_verifier::{Config, Verifier};

type PypiResult<T> = Result<T, pypi::Error>;

fn js_error(e: &pypi::Error) -> JsValue {
    js_report(&e.report())
}

/// The policy: `undefined` (the publisher each attestation bundle names), `{ repository }` or
/// `{ publisher: { kind, ... } }` ([`Pin::from_value`]).
fn parse_pin(v: &JsValue) -> PypiResult<Pin> {
    if v.is_undefined() || v.is_null() {
        return Ok(Pin::Named);
    }
    if !v.is_object() {
        return Err(input_error("PyPI policy must be an object: { repository } or { publisher }").into());
    }
    let text = json_text(v, "PyPI policy", sigstore_verifier::Code::InputInvalid)?;
    Pin::from_value(&sigstore_protojson::parse(&text, sigstore_verifier::Code::InputInvalid, "PyPI policy")?)
}

/// As WasmVerifier: fixed-base tables only once the verifier has proven long-lived (`precompute`).
fn config() -> Config {
    Config { precompute_tables: false, ..Config::default() }
}

/// Trusted root and publisher policy, prepared once.
#[wasm_bindgen(js_name = WasmPypiVerifier)]
pub struct WasmPypiVerifier {
    inner: PypiVerifier,
    pin: Pin,
}

#[wasm_bindgen(js_class = WasmPypiVerifier)]
impl WasmPypiVerifier {
    /// `trusted_root`: `undefined` for the embedded production root; `policy`: see [`parse_pin`].
    #[wasm_bindgen(constructor)]
    pub fn new(trusted_root: JsValue, policy: JsValue) -> Result<WasmPypiVerifier, JsValue> {
        let build = || -> PypiResult<WasmPypiVerifier> {
            let pin = parse_pin(&policy)?;
            let verifier = Verifier::new(load_root(&trusted_root)?, config())?;
            Ok(WasmPypiVerifier { inner: PypiVerifier::new(verifier), pin })
        };
        build().map_err(|e| js_error(&e))
    }

    /// Over TUF: the trusted root `client` verified (results report `trust.source === "tuf"`).
    #[wasm_bindgen(js_name = fromTuf)]
    pub fn from_tuf(client: &WasmTufClient, policy: JsValue) -> Result<WasmPypiVerifier, JsValue> {
        let pin = parse_pin(&policy).map_err(|e| js_error(&e))?;
        let root = client.trusted_root()?;
        let verifier = Verifier::new(root, config()).map_err(|e| js_error(&e.into()))?;
        Ok(WasmPypiVerifier { inner: PypiVerifier::new(verifier), pin })
    }

    /// Build the trusted keys' fixed-base tables now (idempotent); returns their heap bytes.
    pub fn precompute(&mut self) -> usize {
        self.inner.verifier.precompute_tables()
    }

    /// Verify one distribution: its `filename`, its sha256 (64 hex digits, or the 32-byte
    /// digest as a `Uint8Array`) and the integrity API's provenance object (text or object).
    /// Returns the `verify-pypi --json` result object, or throws.
    pub fn verify(&self, filename: String, sha256: JsValue, provenance: JsValue) -> Result<JsValue, JsValue> {
        to_js(&self.run(&filename, &sha256, &provenance).map_err(|e| js_error(&e))?)
    }

    fn run(&self, filename: &str, sha256: &JsValue, provenance: &JsValue) -> PypiResult<serde_json::Value> {
        let digest = if let Some(a) = sha256.dyn_ref::<js_sys::Uint8Array>() {
            a.to_vec()
        } else {
            let hex = sha256.as_string().unwrap_or_default();
            let mut buf = [0u8; 32];
            match base16ct::mixed::decode(hex.as_bytes(), &mut buf) {
                Ok(d) if d.len() == 32 => d.to_vec(),
                _ => return Err(input_error("sha256 must be 64 hex digits or the 32-byte digest").into()),
            }
        };
        let dist = Distribution::new(filename, &digest)?;
        let text = json_text(provenance, "provenance", pypi::Code::DocumentInvalid)?;
        let prov = Provenance::from_json(&text)?;
        Ok(self.inner.verify_provenance_pinned(&prov, &dist, &self.pin)?.to_json())
    }
}

/// Check PyPI coordinates before the JS layer builds index URLs from them; returns the PEP 503
/// normalised project name (throws `INPUT_INVALID` or `PYPI_FILENAME_INVALID`).
#[wasm_bindgen(js_name = checkPypiCoordinates)]
pub fn check_pypi_coordinates(project: String, version: String, filename: String) -> Result<String, JsValue> {
    pypi::filename::check_coordinates(&project, &version, &filename).map_err(|e| js_error(&e))
}
