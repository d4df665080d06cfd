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
//! Also the plain `sha2`-crate streaming hashers (`ScalarSha256`, `ScalarSha512`) next to the SIMD
//! ones, so benchmarks can compare the two in the same build.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use js_sys::{Array, Object, Reflect, Uint8Array};
use sha2::Digest;
use wasm_bindgen::prelude::*;

use super::{finished, js_error, WasmVerifier};
use crate::crypto::{verify_one, HashAlg, Key, Message, Scheme, SigCheck};
use crate::encoding::hex_encode;
use crate::{Code, Error, Plan};

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
        let errors = plan.checks.iter().map(|_| None).collect();
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
        let plan = self.plan.as_ref().ok_or_else(spent)?;
        let out = Array::new();
        for c in &plan.checks {
            out.push(&webcrypto_check(c).unwrap_or(JsValue::NULL));
        }
        Ok(out)
    }

    /// Run check `i` in RustCrypto: true when the signature verifies.
    #[wasm_bindgen(js_name = verifyInWasm)]
    pub fn verify_in_wasm(&mut self, i: usize) -> Result<bool, JsValue> {
        let plan = self.plan.as_ref().ok_or_else(spent)?;
        let (Some(c), Some(slot)) = (plan.checks.get(i), self.errors.get_mut(i)) else {
            return Err(js_error(&Error::new(Code::InputInvalid, "no such signature check")));
        };
        match verify_one(&c.key, c.scheme, &c.message, &c.signature) {
            Ok(ok) => Ok(ok),
            Err(e) => {
                // As `SignatureVerifier::run_all` reports it: the check's place, then the reason.
                let mut context = String::with_capacity(c.what.len() + 2 + e.context.len());
                context.push_str(&c.what);
                context.push_str(": ");
                context.push_str(&e.context);
                *slot = Some(Error::new(e.code, context));
                Ok(false)
            }
        }
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
        let result = plan.finish_with(&verdicts).map_err(|e| js_error(&e))?.to_json();
        let ser = serde_wasm_bindgen::Serializer::json_compatible();
        match serde::Serialize::serialize(&result, &ser) {
            Ok(v) => Ok(v),
            // As in `verify`: only a number beyond 2^53 fails here; fall back to JSON text.
            Err(_) => js_sys::JSON::parse(&result.to_string()),
        }
    }
}

/// IEEE P1363 `r || s` from a DER signature, parsed as strictly as RustCrypto's verifier parses it
/// (and with r, s in 1..n). `None` makes the check run in wasm, which then rejects it.
macro_rules! p1363 {
    ($curve:ty, $der:expr) => {
        ecdsa::der::Signature::<$curve>::from_bytes($der)
            .ok()
            .and_then(|s| ecdsa::Signature::<$curve>::try_from(s).ok())
            .map(|s| s.to_bytes().to_vec())
    };
}

/// A check in the form WebCrypto takes, or `None` when its verdict could differ from RustCrypto's.
fn webcrypto_check(c: &SigCheck) -> Option<JsValue> {
    let Message::Raw(data) = &c.message else { return None };
    let hash = |h: HashAlg| match h {
        HashAlg::Sha256 => "SHA-256",
        HashAlg::Sha384 => "SHA-384",
        HashAlg::Sha512 => "SHA-512",
    };
    let (alg, signature): (Object, Vec<u8>) = match (&c.key.key, c.scheme) {
        (Key::P256(_), Scheme::Ecdsa(h)) => (ec("P-256", hash(h)), p1363!(p256::NistP256, &c.signature)?),
        (Key::P384(_), Scheme::Ecdsa(h)) => (ec("P-384", hash(h)), p1363!(p384::NistP384, &c.signature)?),
        (Key::P521(_), Scheme::Ecdsa(h)) => (ec("P-521", hash(h)), p1363!(p521::NistP521, &c.signature)?),
        (Key::Ed25519(k), Scheme::Ed25519) => (named("Ed25519"), ed25519_plain(k, &c.signature)?),
        (Key::Rsa(k), Scheme::RsaPkcs1(h) | Scheme::RsaPss(h)) => {
            // A bare RSA key from a trusted root is PKCS#1, which `importKey('spki')` refuses.
            if !is_rsa_spki(c.key.der()) {
                return None;
            }
            // The rsa crate wants exactly the modulus length; some WebCrypto backends left-pad.
            if c.signature.len() != rsa::traits::PublicKeyParts::size(k) {
                return None;
            }
            let alg = if let Scheme::RsaPss(_) = c.scheme { named("RSA-PSS") } else { named("RSASSA-PKCS1-v1_5") };
            set(&alg, "hash", &JsValue::from_str(hash(h)));
            if let Scheme::RsaPss(_) = c.scheme {
                set(&alg, "saltLength", &JsValue::from(h.output_len() as u32));
            }
            (alg, c.signature.clone())
        }
        _ => return None,
    };
    let o = Object::new();
    set(&o, "alg", &alg);
    set(&o, "spki", &Uint8Array::from(c.key.der()));
    set(&o, "data", &Uint8Array::from(data.as_slice()));
    set(&o, "signature", &Uint8Array::from(signature.as_slice()));
    Some(o.into())
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

fn ec(curve: &str, hash: &str) -> Object {
    let o = named("ECDSA");
    set(&o, "namedCurve", &JsValue::from_str(curve));
    set(&o, "hash", &JsValue::from_str(hash));
    o
}

/// The Ed25519 signature when WebCrypto's verdict equals `verify_strict`'s: the key and R are
/// canonical encodings of points that are not of small order, and S is below the group order.
/// Then every verifier computes the same cofactorless equation over the same bytes.
fn ed25519_plain(k: &ed25519_dalek::VerifyingKey, sig: &[u8]) -> Option<Vec<u8>> {
    let sig: &[u8; 64] = sig.try_into().ok()?;
    let canonical_point = |b: &[u8; 32]| -> bool {
        match ed25519_dalek::VerifyingKey::from_bytes(b) {
            Ok(p) => !p.is_weak() && p.to_edwards().compress().to_bytes() == *b,
            Err(_) => false,
        }
    };
    let (r, s) = sig.split_at(32);
    let r: &[u8; 32] = r.try_into().ok()?;
    if !canonical_point(&k.to_bytes()) || !canonical_point(r) || !scalar_below_order(s) {
        return None;
    }
    Some(sig.to_vec())
}

/// `s < ℓ = 2^252 + 27742317777372353535851937790883648493`, both little-endian.
fn scalar_below_order(s: &[u8]) -> bool {
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0x10,
    ];
    if s.len() != 32 {
        return false;
    }
    // Most significant byte first (the last, in little-endian).
    for (a, b) in s.iter().rev().zip(L.iter().rev()) {
        if a != b {
            return a < b;
        }
    }
    false
}

/// A DER SubjectPublicKeyInfo with the plain rsaEncryption OID (not a PKCS#1 RSAPublicKey, not an
/// id-RSASSA-PSS key, whose parameters some WebCrypto backends would enforce on their own terms).
fn is_rsa_spki(der: &[u8]) -> bool {
    use der::Decode;
    spki::SubjectPublicKeyInfoRef::from_der(der).is_ok_and(|k| k.algorithm.oid == crate::crypto::oid::RSA_ENCRYPTION)
}

// The plain `sha2` crate (no SIMD), as a baseline for the benchmarks (`scalarHasher` in JS).
hasher!(ScalarSha256, "ScalarSha256", sha2::Sha256, "Streaming SHA-256 with the plain `sha2` crate (no SIMD): a baseline for benchmarks.");
hasher!(ScalarSha512, "ScalarSha512", sha2::Sha512, "Streaming SHA-512 with the plain `sha2` crate (no SIMD): a baseline for benchmarks.");
