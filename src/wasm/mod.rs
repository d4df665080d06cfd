//! The WebAssembly binding (feature `wasm`): a thin wasm-bindgen layer over [`Verifier`].
//!
//! The npm package in `pkg/` wraps these exports (`pkg/src/api.js`): it turns the thrown errors
//! into `VerificationError` instances, and adds `verifyBundle` and `hashStream`. Everything a
//! caller gives is checked here, so no input reaches a panic (a panic would trap the instance).
//!
//! Errors are thrown as JS `Error`s carrying `code` (an [`crate::Code`] string) and `step`
//! ([`crate::Step`]); `message` is the context, as in the CLI's `--json` error object.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use js_sys::{Reflect, Uint8Array, JSON};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::encoding::hex_encode;
use crate::{Artifact, Bundle, Code, Config, Error, Matcher, Policy, TrustedRoot, Verifier};

mod npm;

/// A JS `Error` with `name = "VerificationError"`, `code`, `step` and `message`.
fn js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.context);
    err.set_name("VerificationError");
    // Reflect::set on a fresh Error object cannot fail; a failure would only lose a field.
    let _ = Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(e.code.as_str()));
    let _ = Reflect::set(&err, &JsValue::from_str("step"), &JsValue::from_str(e.step().as_str()));
    err.into()
}

fn input_error(msg: impl Into<String>) -> Error {
    Error::new(Code::InputInvalid, msg)
}

/// JSON text from a string, or from a plain object/array by `JSON.stringify` (so the core's
/// own parser, with its depth and size limits, sees exactly what the CLI would read).
fn json_text(v: &JsValue, what: &str, code: Code) -> Result<String, Error> {
    if let Some(s) = v.as_string() {
        return Ok(s);
    }
    if !v.is_object() || v.is_function() {
        return Err(Error::new(code, format!("{what} must be a JSON string or an object")));
    }
    let s = JSON::stringify(v).map_err(|e| Error::new(code, format!("{what}: JSON.stringify failed: {}", describe(&e))))?;
    s.as_string().ok_or_else(|| Error::new(code, format!("{what} is not JSON-serializable")))
}

fn describe(v: &JsValue) -> String {
    if let Some(e) = v.dyn_ref::<js_sys::Error>() {
        return e.message().into();
    }
    v.as_string().unwrap_or_else(|| "unknown error".to_string())
}

/// The policy object: `{ identity | identityRegex, issuer | issuerRegex }` or `{ publicKey }`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct PolicyInput {
    identity: Option<String>,
    identity_regex: Option<String>,
    issuer: Option<String>,
    issuer_regex: Option<String>,
    public_key: Option<String>,
}

const POLICY_FIELDS: [&str; 5] = ["identity", "identityRegex", "issuer", "issuerRegex", "publicKey"];

/// Deserialize an options object, refusing fields outside `fields`: serde-wasm-bindgen reads only
/// the named ones, and a typo must not weaken a policy silently. Reflect.ownKeys reports a
/// throwing Proxy as an Err.
fn read_fields<T: serde::de::DeserializeOwned>(v: &JsValue, what: &str, fields: &[&str]) -> Result<T, Error> {
    let keys = Reflect::own_keys(v).map_err(|e| input_error(format!("{what}: {}", describe(&e))))?;
    for key in keys.iter() {
        let Some(key) = key.as_string() else { continue };
        if !fields.contains(&key.as_str()) {
            return Err(input_error(format!("{what}: unknown field {key:?} (expected one of {})", fields.join(", "))));
        }
    }
    serde_wasm_bindgen::from_value(v.clone()).map_err(|e| input_error(format!("{what}: {e}")))
}

fn parse_policy(v: &JsValue) -> Result<Policy, Error> {
    if !v.is_object() {
        return Err(input_error("policy must be an object: { identity | identityRegex, issuer | issuerRegex } or { publicKey }"));
    }
    let p: PolicyInput = read_fields(v, "policy", &POLICY_FIELDS)?;
    let one = |exact: Option<String>, re: Option<String>, name: &str| -> Result<Option<Matcher>, Error> {
        match (exact, re) {
            (Some(_), Some(_)) => Err(input_error(format!("policy: give {name} or {name}Regex, not both"))),
            (Some(s), None) => Ok(Some(Matcher::exact(s))),
            (None, Some(r)) => Matcher::regex(&r).map(Some),
            (None, None) => Ok(None),
        }
    };
    let san = one(p.identity, p.identity_regex, "identity")?;
    let issuer = one(p.issuer, p.issuer_regex, "issuer")?;
    match (p.public_key, san, issuer) {
        (Some(pem), None, None) => Policy::key_pem(&pem),
        (Some(_), _, _) => Err(input_error("policy: publicKey cannot be combined with identity or issuer")),
        (None, Some(san), Some(issuer)) => Ok(Policy::identity(san, issuer)),
        (None, _, _) => Err(input_error("policy: give identity (or identityRegex) and issuer (or issuerRegex), or publicKey")),
    }
}

/// The artifact: a `Uint8Array`, or `{ digest: "sha256:HEX" }` (also sha384, sha512).
enum ArtifactInput {
    Bytes(Vec<u8>),
    Digest(String),
}

fn parse_artifact(v: &JsValue) -> Result<ArtifactInput, Error> {
    if let Some(a) = v.dyn_ref::<Uint8Array>() {
        return Ok(ArtifactInput::Bytes(a.to_vec()));
    }
    if v.is_object() {
        let d = Reflect::get(v, &JsValue::from_str("digest")).map_err(|e| input_error(format!("artifact: {}", describe(&e))))?;
        if let Some(s) = d.as_string() {
            return Ok(ArtifactInput::Digest(s));
        }
    }
    Err(input_error("artifact must be a Uint8Array or { digest: \"sha256:HEX\" }"))
}

/// The trusted material, parsed and checked once (`new Verifier(...)` in JS).
#[wasm_bindgen(js_name = WasmVerifier)]
pub struct WasmVerifier {
    inner: Verifier,
}

#[wasm_bindgen(js_class = WasmVerifier)]
impl WasmVerifier {
    /// `trusted_root`: `undefined`/`null` for the embedded production root, else the
    /// trusted_root.json text or object.
    #[wasm_bindgen(constructor)]
    pub fn new(trusted_root: JsValue) -> Result<WasmVerifier, JsValue> {
        let root = if trusted_root.is_undefined() || trusted_root.is_null() {
            TrustedRoot::production()
        } else {
            json_text(&trusted_root, "trustedRoot", Code::TrustRootInvalid).and_then(|t| TrustedRoot::from_json(&t))
        };
        // Tables for the trusted keys cost more to build (~80 ms in wasm) than one bundle saves;
        // the JS layer asks for them (`precompute`) once a verifier has proven long-lived.
        let config = Config { precompute_tables: false, ..Config::default() };
        let inner = root.and_then(|r| Verifier::new(r, config)).map_err(|e| js_error(&e))?;
        Ok(WasmVerifier { inner })
    }

    /// Build the trusted keys' fixed-base tables now (idempotent); returns their heap bytes.
    pub fn precompute(&mut self) -> usize {
        self.inner.precompute_tables()
    }

    /// Verify one bundle; returns the CLI's `--json` result as a plain object, or throws.
    pub fn verify(&self, bundle: JsValue, artifact: JsValue, policy: JsValue) -> Result<JsValue, JsValue> {
        let result = self.run(&bundle, &artifact, &policy).map_err(|e| js_error(&e))?;
        let ser = serde_wasm_bindgen::Serializer::json_compatible();
        match serde::Serialize::serialize(&result, &ser) {
            Ok(v) => Ok(v),
            // Only a number beyond 2^53 fails here; fall back to JSON text (lossy, like JSON.parse).
            Err(_) => JSON::parse(&result.to_string()),
        }
    }

    fn run(&self, bundle: &JsValue, artifact: &JsValue, policy: &JsValue) -> Result<serde_json::Value, Error> {
        Ok(self.make_plan(bundle, artifact, policy)?.finish(&crate::crypto::RustCrypto)?.to_json())
    }

    /// Parse the inputs in the CLI's order (policy, artifact, bundle), then do every structural
    /// check and list the signature checks (`verify` runs them in wasm, `plan` hands them to JS).
    fn make_plan(&self, bundle: &JsValue, artifact: &JsValue, policy: &JsValue) -> Result<crate::Plan, Error> {
        let policy = parse_policy(policy)?;
        let input = parse_artifact(artifact)?;
        let artifact = match &input {
            ArtifactInput::Bytes(b) => Artifact::Bytes(b),
            ArtifactInput::Digest(d) => Artifact::parse_digest(d)?,
        };
        let text = json_text(bundle, "bundle", Code::BundleParse)?;
        let bundle = Bundle::from_json(&text)?;
        self.inner.plan(&bundle, &artifact, &policy)
    }
}

/// A streaming hash; `finish` once, then the object is spent.
fn finished() -> JsValue {
    js_error(&input_error("hasher already finalized: create a new one"))
}

/// A streaming hasher class: `new`, `update(chunk)`, `finish()` (bytes), `finishHex()`. Also used
/// by `fast.rs` for the plain-`sha2` comparison hashers (declared after this macro).
macro_rules! hasher {
    ($name:ident, $js:literal, $alg:ty, $doc:expr) => {
        #[doc = $doc]
        #[wasm_bindgen(js_name = $js)]
        pub struct $name {
            state: Option<$alg>,
        }

        #[wasm_bindgen(js_class = $js)]
        impl $name {
            #[wasm_bindgen(constructor)]
            #[allow(clippy::new_without_default)]
            pub fn new() -> $name {
                $name { state: Some(<$alg>::new()) }
            }

            pub fn update(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
                self.state.as_mut().ok_or_else(finished)?.update(chunk);
                Ok(())
            }

            /// The digest bytes; the hasher is spent afterwards.
            pub fn finish(&mut self) -> Result<Vec<u8>, JsValue> {
                Ok(self.state.take().ok_or_else(finished)?.finalize().to_vec())
            }

            /// The digest as lowercase hex; the hasher is spent afterwards.
            #[wasm_bindgen(js_name = finishHex)]
            pub fn finish_hex(&mut self) -> Result<String, JsValue> {
                Ok(hex_encode(&self.finish()?))
            }
        }
    };
}

hasher!(Sha256, "Sha256", crate::hash::Sha256Hasher, "Streaming SHA-256 for artifacts hashed in pieces (`crate::hash`: SIMD on wasm32 simd128).");
hasher!(Sha512, "Sha512", crate::hash::Sha512Hasher, "Streaming SHA-512 for artifacts hashed in pieces (`crate::hash`: SIMD on wasm32 simd128).");

mod fast;
