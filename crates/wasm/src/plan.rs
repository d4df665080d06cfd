//! The asynchronous fast path (`verifyAsync` in `pkg/src/async.js`): the bundle's signature checks
//! handed to the host's WebCrypto, with RustCrypto as the fallback for each check.
//!
//! `WasmVerifier.plan` runs every structural check (as `verify` does, in the same order, with the
//! same errors) and returns a [`WasmPlan`]: the list of signature checks, each described in a form
//! `crypto.subtle.importKey('spki', …)` + `crypto.subtle.verify` take, or `null` where WebCrypto
//! cannot give exactly RustCrypto's verdict (prehashed messages, PKCS#1 RSA keys, RSA with either
//! padding, Ed25519 signatures or keys with small-order or non-canonical points, ECDSA signatures
//! whose DER does not parse strictly or whose scalars are out of range). Those run in wasm
//! (`verifyInWasm`). `finish(verdicts)` then returns what `verify` would: the result, or the error
//! of the first failed check in list order.
//!
//! Which checks WebCrypto may decide is the core's rule (`sigstore_verifier::crypto::webcrypto`,
//! tested natively); this file only turns its answer into JS objects.
//!
//! The web build (no `full` feature) has no RustCrypto: there `verifyInWasm` decides only what needs
//! no arithmetic (an unsupported combination: `crypto::combination_error`, the error the full build
//! gives) and returns `undefined` for every other check, which pkg/src/web-api.js then fails with
//! its own code unless an earlier check already failed.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use super::{js_error, to_js, WasmVerifier};
#[cfg(feature = "full")]
use sigstore_verifier::crypto::verify_one;
use sigstore_verifier::crypto::webcrypto::{webcrypto_form, WebAlgorithm, WebCryptoCheck};
use sigstore_verifier::crypto::SigCheck;
use sigstore_verifier::{Code, Error, Plan};

/// The signature checks of one bundle, to be run by the host, then `finish`ed once.
#[wasm_bindgen(js_name = WasmPlan)]
pub struct WasmPlan {
    plan: Option<Plan>,
    /// Errors (unsupported combinations) met by `verifyInWasm`, reported as `verify` reports them.
    errors: Vec<Option<Error>>,
}

#[wasm_bindgen(js_class = WasmVerifier)]
impl WasmVerifier {
    /// Every structural check of `verify`, in its order and with its errors; the signature
    /// checks are left to the returned plan.
    pub fn plan(&self, bundle: JsValue, artifact: JsValue, policy: JsValue) -> Result<WasmPlan, JsValue> {
        let plan = self.make_plan(&bundle, &artifact, &policy).map_err(|e| js_error(&e))?;
        let errors = plan.checks().iter().map(|_| None).collect();
        Ok(WasmPlan { plan: Some(plan), errors })
    }
}

fn spent() -> JsValue {
    js_error(&Error::new(Code::InputInvalid, "plan already finished"))
}

#[wasm_bindgen(js_class = WasmPlan)]
impl WasmPlan {
    /// The number of signature checks.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.errors.len()
    }

    /// One entry per check: `{ alg, spki, data, signature }` for WebCrypto, or `null` for
    /// `verifyInWasm`.
    pub fn checks(&self) -> Result<Array, JsValue> {
        Ok(js_checks(self.plan.as_ref().ok_or_else(spent)?.checks()))
    }

    /// Where check `i` is (e.g. `tlogEntries[0].inclusionPromise`), for the web build's error.
    pub fn what(&self, i: usize) -> Option<String> {
        self.plan.as_ref()?.checks().get(i).map(|c| c.what.clone())
    }

    /// Run check `i` in RustCrypto: true when the signature verifies.
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = verifyInWasm)]
    pub fn verify_in_wasm(&mut self, i: usize) -> Result<bool, JsValue> {
        let plan = self.plan.as_ref().ok_or_else(spent)?;
        let (Some(c), Some(slot)) = (plan.checks().get(i), self.errors.get_mut(i)) else {
            return Err(js_error(&Error::new(Code::InputInvalid, "no such signature check")));
        };
        match verify_one(&c.key, c.scheme, &c.message, &c.signature) {
            Ok(ok) => Ok(ok),
            Err(e) => {
                *slot = Some(at_check(c, &e));
                Ok(false)
            }
        }
    }

    /// The web build's `verifyInWasm`: `false` (and the full build's error) for an unsupported
    /// combination, `undefined` for a check only arithmetic could decide.
    #[cfg(not(feature = "full"))]
    #[wasm_bindgen(js_name = verifyInWasm)]
    pub fn verify_in_wasm(&mut self, i: usize) -> Result<Option<bool>, JsValue> {
        let plan = self.plan.as_ref().ok_or_else(spent)?;
        let (Some(c), Some(slot)) = (plan.checks().get(i), self.errors.get_mut(i)) else {
            return Err(js_error(&Error::new(Code::InputInvalid, "no such signature check")));
        };
        Ok(combination(c).map(|e| {
            *slot = Some(at_check(c, &e));
            false
        }))
    }

    /// Complete with one verdict per check (only `true` passes); returns the result object of
    /// `verify`, or throws the error of the first failed check. The plan is spent afterwards.
    pub fn finish(&mut self, verdicts: JsValue) -> Result<JsValue, JsValue> {
        let plan = self.plan.take().ok_or_else(spent)?;
        let verdicts: Vec<bool> = match verdicts.dyn_ref::<Array>() {
            Some(a) => a.iter().map(|v| v.as_bool() == Some(true)).collect(),
            None => return Err(js_error(&Error::new(Code::InputInvalid, "verdicts must be an array"))),
        };
        if let Some(first) = verdicts.iter().position(|ok| !ok) {
            if let Some(Some(e)) = self.errors.get(first) {
                return Err(js_error(e));
            }
        }
        to_js(&plan.finish_with(&verdicts).map_err(|e| js_error(&e))?.to_json())
    }
}

/// The unsupported-combination error of a check (the web build's stand-in for `verify_one`'s `Err`).
#[cfg(not(feature = "full"))]
pub(crate) fn combination(c: &SigCheck) -> Option<Error> {
    sigstore_verifier::crypto::combination_error(&c.key, c.scheme, &c.message)
}

/// An error of check `c` as `SignatureVerifier::run_all` reports it: the check's place, then the reason.
pub(crate) fn at_check(c: &SigCheck, e: &Error) -> Error {
    let mut context = String::with_capacity(c.what.len() + 2 + e.context.len());
    context.push_str(&c.what);
    context.push_str(": ");
    context.push_str(&e.context);
    Error::new(e.code, context)
}

/// Each check's WebCrypto form, or `null`.
pub(crate) fn js_checks(checks: &[SigCheck]) -> Array {
    let out = Array::new();
    for c in checks {
        out.push(&webcrypto_form(c).map_or(JsValue::NULL, |w| js_check(&w)));
    }
    out
}

/// `{ alg, spki, data, signature }` for `crypto.subtle.importKey('spki', …)` + `verify`.
fn js_check(w: &WebCryptoCheck<'_>) -> JsValue {
    let alg = match w.algorithm {
        WebAlgorithm::Ecdsa { curve, hash } => {
            let o = named("ECDSA");
            set(&o, "namedCurve", &JsValue::from_str(curve));
            set(&o, "hash", &JsValue::from_str(hash));
            o
        }
        WebAlgorithm::Ed25519 => named("Ed25519"),
        WebAlgorithm::RsaPkcs1 { hash } => {
            let o = named("RSASSA-PKCS1-v1_5");
            set(&o, "hash", &JsValue::from_str(hash));
            o
        }
        WebAlgorithm::RsaPss { hash, salt_length } => {
            let o = named("RSA-PSS");
            set(&o, "hash", &JsValue::from_str(hash));
            // A digest length (32, 48 or 64) always fits.
            set(&o, "saltLength", &JsValue::from(u32::try_from(salt_length).unwrap_or(u32::MAX)));
            o
        }
    };
    let o = Object::new();
    set(&o, "alg", &alg);
    set(&o, "spki", &Uint8Array::from(w.spki));
    set(&o, "data", &Uint8Array::from(w.data));
    set(&o, "signature", &Uint8Array::from(w.signature.as_slice()));
    o.into()
}

fn set(o: &Object, k: &str, v: &JsValue) {
    // Reflect::set on a fresh plain object cannot fail.
    let _ = Reflect::set(o, &JsValue::from_str(k), v);
}

fn named(name: &str) -> Object {
    let o = Object::new();
    set(&o, "name", &JsValue::from_str(name));
    o
}
