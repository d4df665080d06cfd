//! `sigstore-wasm`: the WebAssembly binding, a thin wasm-bindgen layer over the core's
//! [`Verifier`], `sigstore-npm` and `sigstore-attest`, behind the npm package in `pkg/`. The only crate of the
//! workspace that knows JS: it turns JS values into the core's input types (`PolicySpec`,
//! `Trust`, [`Artifact`]) and results and [`ErrorReport`]s back into JS values, and verifies
//! nothing itself. It may depend on every library crate of the workspace.
//!
//! The npm package wraps these exports (`pkg/src/api.js`): it turns the thrown errors into
//! `VerificationError` instances, and adds `verifyBundle` and `hashStream`. Everything a caller
//! gives is checked here, so no input reaches a panic (a panic would trap the instance).
//!
//! Errors are thrown as JS `Error`s carrying `code` and `step`; `message` is the context, as in
//! the CLI's `--json` error object (both are an [`ErrorReport`]).
//!
//! Two builds: the default feature `full` (pkg/wasm) has everything above; without it (the web
//! build, pkg/wasm-web) only bundle verification is left and the core has no `native-crypto`:
//! the trusted root's checks and each bundle's signature checks are plans that JS runs through
//! WebCrypto (`web.rs`, `plan.rs`).
#![forbid(unsafe_code)]

use js_sys::{Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use sigstore_verifier::error::ErrorReport;
use sigstore_verifier::identity::PolicySpec;
use sigstore_verifier::trust_root::Trust;
use sigstore_verifier::{Artifact, Bundle, Code, Config, Error, Policy, TrustedRootSet, VerifierSet};

#[cfg(feature = "full")]
mod attest;
#[cfg(feature = "full")]
mod hashers;
#[cfg(feature = "full")]
mod npm;
mod plan;
#[cfg(feature = "full")]
mod pypi;
#[cfg(feature = "full")]
mod tuf;
#[cfg(not(feature = "full"))]
mod web;

/// A JS `Error` with `name = "VerificationError"`, `code`, `step` and `message`.
fn js_error(e: &Error) -> JsValue {
    js_report(&e.report())
}

fn js_report(r: &ErrorReport) -> JsValue {
    let err = js_sys::Error::new(&r.message);
    err.set_name("VerificationError");
    // Reflect::set on a fresh Error object cannot fail; a failure would only lose a field.
    let _ = Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(r.code));
    let _ = Reflect::set(&err, &JsValue::from_str("step"), &JsValue::from_str(r.step));
    err.into()
}

/// A result (any `Serialize` value) as a plain JS object: `JSON.parse` of the text the CLI's
/// `--json` prints. Going through JSON text keeps one serializer (serde_json, which the core
/// needs anyway) instead of a second, per-type one into JS values (about 10 KiB of wasm).
fn to_js<T: serde::Serialize>(v: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(v).map_err(|e| js_error(&input_error(format!("result not serializable: {e}"))))?;
    JSON::parse(&text)
}

/// The trusted roots a JS caller gives: `undefined`/`null` for the embedded production root, a
/// Sigstore instance name (`"public-good"`), a trusted_root.json text or object, several as
/// JSON lines (what `gh attestation trusted-root` prints), or an array of texts and objects.
fn load_trust(v: &JsValue) -> Result<TrustedRootSet, Error> {
    if v.is_undefined() || v.is_null() {
        return TrustedRootSet::from_roots(vec![Trust::Embedded.load()?]);
    }
    if let Some(s) = v.as_string() {
        let t = s.trim_start();
        if !t.starts_with('{') && !t.starts_with('[') {
            return TrustedRootSet::from_roots(vec![Trust::Instance(&s).load()?]);
        }
        return TrustedRootSet::from_json_lines(&s);
    }
    if let Some(list) = v.dyn_ref::<js_sys::Array>() {
        if list.length() > u32::try_from(sigstore_verifier::limits::MAX_TRUSTED_ROOTS).unwrap_or(u32::MAX) {
            return Err(Error::new(
                Code::TrustRootInvalid,
                format!("{} trusted roots: at most {} are accepted", list.length(), sigstore_verifier::limits::MAX_TRUSTED_ROOTS),
            ));
        }
        let roots = list
            .iter()
            .enumerate()
            .map(|(i, r)| {
                Trust::Json(&json_text(&r, &format!("trustedRoot[{i}]"), Code::TrustRootInvalid)?).load().map_err(|e| e.at(&format!("trustedRoot[{i}]")))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        return TrustedRootSet::from_roots(roots);
    }
    TrustedRootSet::from_roots(vec![Trust::Json(&json_text(v, "trustedRoot", Code::TrustRootInvalid)?).load()?])
}

/// One trusted root, as [`load_trust`] reads it, for the faces that verify against a single
/// instance (npm provenance, PyPI): a set of several is `TRUST_ROOT_INVALID`.
#[cfg(feature = "full")]
pub(crate) fn load_root(v: &JsValue) -> Result<sigstore_verifier::TrustedRoot, Error> {
    let mut roots = load_trust(v)?.into_roots();
    match (roots.pop(), roots.is_empty()) {
        (Some(r), true) => Ok(r),
        _ => Err(Error::new(Code::TrustRootInvalid, "one trusted root is expected here, not a set")),
    }
}

/// The verifier configuration a JS caller gives (`new Verifier({ tlogThreshold, ... })`):
/// thresholds that raise (or, with `lowerThresholdsUnsafe`, lower) what the trusted root
/// implies. Tables for the trusted keys are off: they cost more to build (~80 ms in wasm) than
/// one bundle saves; the JS layer asks for them (`precompute`) once a verifier has proven
/// long-lived.
#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ConfigInput {
    tlog_threshold: Option<usize>,
    timestamp_threshold: Option<usize>,
    require_sct: Option<bool>,
    lower_thresholds_unsafe: Option<bool>,
}

const CONFIG_FIELDS: [&str; 4] = ["tlogThreshold", "timestampThreshold", "requireSct", "lowerThresholdsUnsafe"];

pub(crate) fn parse_config(v: &JsValue) -> Result<Config, Error> {
    let c: ConfigInput = if v.is_undefined() || v.is_null() { ConfigInput::default() } else { read_fields(v, "options", &CONFIG_FIELDS)? };
    Ok(Config {
        tlog_threshold: c.tlog_threshold,
        signed_timestamp_threshold: c.timestamp_threshold,
        require_sct: c.require_sct,
        lower_thresholds_unsafe: c.lower_thresholds_unsafe.unwrap_or(false),
        precompute_tables: false,
        ..Config::default()
    })
}

fn input_error(msg: impl Into<String>) -> Error {
    Error::new(Code::InputInvalid, msg)
}

/// JSON text from a string, or from a plain object/array by `JSON.stringify` (so the core's
/// own parser, with its depth and size limits, sees exactly what the CLI would read).
fn json_text<C: sigstore_protojson::ErrorCode>(v: &JsValue, what: &str, code: C) -> Result<String, C::Error> {
    if let Some(s) = v.as_string() {
        return Ok(s);
    }
    if !v.is_object() || v.is_function() {
        return Err(code.error(format!("{what} must be a JSON string or an object")));
    }
    let s = JSON::stringify(v).map_err(|e| code.error(format!("{what}: JSON.stringify failed: {}", describe(&e))))?;
    s.as_string().ok_or_else(|| code.error(format!("{what} is not JSON-serializable")))
}

fn describe(v: &JsValue) -> String {
    if let Some(e) = v.dyn_ref::<js_sys::Error>() {
        return e.message().into();
    }
    v.as_string().unwrap_or_else(|| "unknown error".to_string())
}

/// Deserialize an options object, refusing fields outside `fields` (a typo must not weaken a
/// policy silently) and values that `JSON.stringify` would drop or turn into `null` (functions,
/// symbols, BigInts, NaN and infinities: such a value must not read as "not given"), then
/// reading its JSON text with serde_json. Reflect.ownKeys / Reflect.get report a throwing Proxy
/// or getter as an Err.
fn read_fields<T: serde::de::DeserializeOwned>(v: &JsValue, what: &str, fields: &[&str]) -> Result<T, Error> {
    let keys = Reflect::own_keys(v).map_err(|e| input_error(format!("{what}: {}", describe(&e))))?;
    for key in keys.iter() {
        let Some(name) = key.as_string() else { continue };
        if !fields.contains(&name.as_str()) {
            return Err(input_error(format!("{what}: unknown field {name:?} (expected one of {})", fields.join(", "))));
        }
        let value = Reflect::get(v, &key).map_err(|e| input_error(format!("{what}: {name}: {}", describe(&e))))?;
        if value.is_function() || value.is_symbol() || value.is_bigint() || value.as_f64().is_some_and(|n| !n.is_finite()) {
            return Err(input_error(format!("{what}: {name:?} must be a string, a finite number, a boolean, null or an object")));
        }
    }
    let text = JSON::stringify(v).map_err(|e| input_error(format!("{what}: JSON.stringify failed: {}", describe(&e))))?;
    let text = text.as_string().ok_or_else(|| input_error(format!("{what} is not JSON-serializable")))?;
    serde_json::from_str(&text).map_err(|e| input_error(format!("{what}: {e}")))
}

/// The policy object: `{ identity | identityRegex, issuer | issuerRegex }` or `{ publicKey }`
/// ([`PolicySpec`]).
fn parse_policy(v: &JsValue) -> Result<Policy, Error> {
    if !v.is_object() {
        return Err(input_error("policy must be an object: { identity | identityRegex, issuer | issuerRegex } or { publicKey }"));
    }
    read_fields::<PolicySpec>(v, "policy", &PolicySpec::FIELDS)?.build()
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
    inner: VerifierSet,
}

#[wasm_bindgen(js_class = WasmVerifier)]
impl WasmVerifier {
    /// `trusted_root`: see [`load_trust`]; `config`: `{ tlogThreshold, timestampThreshold,
    /// requireSct, lowerThresholdsUnsafe }` or `undefined` ([`parse_config`]).
    #[cfg(feature = "full")]
    #[wasm_bindgen(constructor)]
    pub fn new(trusted_root: JsValue, config: JsValue) -> Result<WasmVerifier, JsValue> {
        let make = || VerifierSet::new(load_trust(&trusted_root)?, parse_config(&config)?);
        Ok(WasmVerifier { inner: make().map_err(|e| js_error(&e))? })
    }

    /// The effective thresholds of each trusted root, in order:
    /// `[{ tlogEntries, signedTimestamps, verifiedTimes, sct }]`.
    #[wasm_bindgen(getter)]
    pub fn thresholds(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.thresholds())
    }

    /// Build the trusted keys' fixed-base tables now (idempotent); returns their heap bytes.
    #[cfg(feature = "full")]
    pub fn precompute(&mut self) -> usize {
        self.inner.precompute_tables()
    }

    /// Verify one bundle; returns the CLI's `--json` result as a plain object, or throws.
    #[cfg(feature = "full")]
    pub fn verify(&self, bundle: JsValue, artifact: JsValue, policy: JsValue) -> Result<JsValue, JsValue> {
        let plan = self.make_plan(&bundle, &artifact, &policy).map_err(|e| js_error(&e))?;
        to_js(&plan.finish(&sigstore_verifier::crypto::RustCrypto).map_err(|e| js_error(&e))?.to_json())
    }

    /// Parse the inputs in the CLI's order (policy, artifact, bundle), then do every structural
    /// check and list the signature checks (`verify` runs them in wasm, `plan` hands them to JS).
    fn make_plan(&self, bundle: &JsValue, artifact: &JsValue, policy: &JsValue) -> Result<sigstore_verifier::Plan, Error> {
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
