//! The TUF client in the WebAssembly binding: [`sigstore_tuf::Client`], sans-I/O, driven by the
//! JS layer (`pkg/src/tuf.js` fetches, caches and decides what to fall back to).
//!
//! `new WasmTufClient(root, now, fromCache, instance, url)` starts from trusted root metadata
//! (`Uint8Array`); `now` is milliseconds since the epoch or a `Date`. Then, as the crate's drive
//! loop: `nextRequest()` (`{ name, local, maxLength }` or `null`), `feedCached(bytes)`,
//! `feed(bytes)` (`"trusted"`: persist the bytes under `local`; `"keptCurrent"`: keep the cached
//! file), `notFound()`, and `lookup(target)` (`{ found: { name, length, downloadPath } }` or
//! `{ fetch: request }`). `verifyTarget(name, bytes)` checks a found target's length and hashes
//! and keeps the bytes: `WasmVerifier.fromTuf(client)` and `WasmNpmVerifier.fromTuf(...)` build
//! verifiers from those bytes only, with the TUF [`TrustSource`] set here, so a result reports
//! `trust.source === "tuf"` only for a trusted root this client verified.
//!
//! Errors are thrown as in [`super`], with their `TUF_*` code (or `INPUT_INVALID` for a `now`
//! that is not a time).

use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{input_error, js_error as core_js_error, js_report, to_js, WasmVerifier};
use sigstore_tuf::{instance, Client, Fed, Limits, Lookup, Request, Target};
use sigstore_verifier::trust_root::{TrustSource, TufTrust};
use sigstore_verifier::{Time, TrustedRoot};

fn js_error(e: &sigstore_tuf::Error) -> JsValue {
    js_report(&e.report())
}

fn tuf_error(code: sigstore_tuf::Code, msg: impl Into<String>) -> JsValue {
    js_error(&sigstore_tuf::Error::new(code, msg))
}

/// `now` from JS: milliseconds since the epoch (a finite number) or a valid `Date`.
fn parse_now(v: &JsValue) -> Result<Time, sigstore_verifier::Error> {
    let date = if let Some(d) = v.dyn_ref::<js_sys::Date>() {
        d.clone()
    } else if v.as_f64().is_some() {
        js_sys::Date::new(v)
    } else {
        return Err(input_error("now must be milliseconds since the epoch or a Date"));
    };
    // An invalid Date has NaN as its time; toISOString would throw on it.
    if !date.get_time().is_finite() {
        return Err(input_error("now is not a valid time"));
    }
    let iso: String = date.to_iso_string().into();
    Time::parse_rfc3339(&iso).ok_or_else(|| input_error(format!("now: {iso} is outside the supported range")))
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsRequest<'a> {
    name: &'a str,
    local: &'a str,
    max_length: u64,
}

fn request_js(r: &Request) -> Result<JsValue, JsValue> {
    to_js(&JsRequest { name: &r.name, local: &r.local, max_length: r.max_length })
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsFound<'a> {
    name: &'a str,
    length: u64,
    download_path: String,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
enum JsLookup<'a> {
    Found(JsFound<'a>),
}

#[derive(serde::Serialize)]
struct JsFetch<'a> {
    fetch: JsRequest<'a>,
}

/// The client's trusted metadata, as the `summary` getter reports it.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    instance: String,
    url: String,
    ready: bool,
    root_version: u64,
    root_expires: String,
    timestamp_version: Option<u64>,
    timestamp_expires: Option<String>,
    snapshot_version: Option<u64>,
    snapshot_expires: Option<String>,
    targets_version: Option<u64>,
    targets_expires: Option<String>,
    expired: Vec<String>,
}

/// The TUF client with what the JS layer needs besides: the instance name and URL it reports,
/// the targets found by `lookup`, and the target bytes verified against them.
#[wasm_bindgen(js_name = WasmTufClient)]
pub struct WasmTufClient {
    inner: Client,
    instance: String,
    url: String,
    found: BTreeMap<String, Target>,
    verified: BTreeMap<String, Vec<u8>>,
}

#[wasm_bindgen(js_class = WasmTufClient)]
impl WasmTufClient {
    /// `root`: trusted root metadata (the cached newest root, or a seed); `from_cache`: re-verify
    /// a cache offline (expiry is recorded in `summary.expired` instead of failing);
    /// `instance`/`url`: what the trust report names.
    #[wasm_bindgen(constructor)]
    pub fn new(root: &[u8], now: JsValue, from_cache: bool, instance: String, url: String) -> Result<WasmTufClient, JsValue> {
        let now = parse_now(&now).map_err(|e| core_js_error(&e))?;
        let inner = if from_cache { Client::from_cache(root, now, Limits::default()) } else { Client::new(root, now) };
        let inner = inner.map_err(|e| js_error(&e))?;
        Ok(WasmTufClient { inner, instance, url, found: BTreeMap::new(), verified: BTreeMap::new() })
    }

    /// The next metadata file wanted, `{ name, local, maxLength }`, or `null` when the update
    /// is over (done, failed, or waiting for `lookup`).
    #[wasm_bindgen(js_name = nextRequest)]
    pub fn next_request(&self) -> Result<JsValue, JsValue> {
        match self.inner.next_request() {
            Some(r) => request_js(&r),
            None => Ok(JsValue::NULL),
        }
    }

    /// Offer the cached copy of the file wanted: `true` means valid, do not fetch it.
    #[wasm_bindgen(js_name = feedCached)]
    pub fn feed_cached(&mut self, bytes: &[u8]) -> Result<bool, JsValue> {
        self.inner.feed_cached(bytes).map_err(|e| js_error(&e))
    }

    /// Feed the fetched file: `"trusted"` (store it under the request's `local`) or
    /// `"keptCurrent"` (a timestamp of the trusted version: keep the cached one).
    pub fn feed(&mut self, bytes: &[u8]) -> Result<String, JsValue> {
        match self.inner.feed(bytes).map_err(|e| js_error(&e))? {
            Fed::Trusted => Ok("trusted".into()),
            Fed::KeptCurrent => Ok("keptCurrent".into()),
        }
    }

    /// The file wanted does not exist (404/403): ends root rotation; an error for anything else.
    #[wasm_bindgen(js_name = notFound)]
    pub fn not_found(&mut self) -> Result<(), JsValue> {
        self.inner.not_found().map_err(|e| js_error(&e))
    }

    /// Whether the top-level metadata is loaded and targets can be looked up.
    #[wasm_bindgen(getter)]
    pub fn ready(&self) -> bool {
        self.inner.is_ready()
    }

    /// Look a target up: `{ found: { name, length, downloadPath } }` (download it from
    /// `<url>/targets/<downloadPath>`, at most `length` bytes, and give it to `verifyTarget`) or
    /// `{ fetch: request }` (a delegated role: offer the cache, fetch, feed, look up again).
    pub fn lookup(&mut self, name: &str) -> Result<JsValue, JsValue> {
        match self.inner.lookup(name).map_err(|e| js_error(&e))? {
            Lookup::Fetch(r) => to_js(&JsFetch { fetch: JsRequest { name: &r.name, local: &r.local, max_length: r.max_length } }),
            Lookup::Found(t) => {
                let out = to_js(&JsLookup::Found(JsFound { name: &t.name, length: t.desc.length, download_path: t.download_path() }));
                self.found.insert(t.name.clone(), t);
                out
            }
        }
    }

    /// Check a target's bytes against the length and hashes its trusted metadata lists (found
    /// by `lookup`), and keep them for `WasmVerifier.fromTuf` / `WasmNpmVerifier.fromTuf`.
    #[wasm_bindgen(js_name = verifyTarget)]
    pub fn verify_target(&mut self, name: &str, bytes: &[u8]) -> Result<(), JsValue> {
        let t = self.found.get(name).ok_or_else(|| tuf_error(sigstore_tuf::Code::UnexpectedInput, format!("{name} was not found by lookup")))?;
        t.verify(bytes).map_err(|e| js_error(&e))?;
        self.verified.insert(name.to_string(), bytes.to_vec());
        Ok(())
    }

    /// The trusted metadata: versions, expiry (RFC 3339), and the roles found expired when
    /// re-verifying a cache.
    #[wasm_bindgen(getter)]
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        let c = &self.inner;
        let root = &c.root().common;
        to_js(&Summary {
            instance: self.instance.clone(),
            url: self.url.clone(),
            ready: c.is_ready(),
            root_version: root.version,
            root_expires: root.expires.to_rfc3339(),
            timestamp_version: c.timestamp().map(|t| t.common.version),
            timestamp_expires: c.timestamp().map(|t| t.common.expires.to_rfc3339()),
            snapshot_version: c.snapshot().map(|t| t.common.version),
            snapshot_expires: c.snapshot().map(|t| t.common.expires.to_rfc3339()),
            targets_version: c.targets().map(|t| t.common.version),
            targets_expires: c.targets().map(|t| t.common.expires.to_rfc3339()),
            expired: c.expired().to_vec(),
        })
    }
}

impl WasmTufClient {
    /// What a result reports as its trust: the client's metadata, fresh unless a cached role
    /// had expired. `TUF_UNEXPECTED_INPUT` before the update is complete.
    fn trust(&self) -> Result<TufTrust, sigstore_tuf::Error> {
        self.inner.trust(&self.instance, &self.url)
    }

    /// A verified target's bytes as UTF-8 text (`TUF_UNEXPECTED_INPUT` when not verified here).
    pub(crate) fn target_text(&self, name: &str) -> Result<&str, sigstore_tuf::Error> {
        let bytes = self
            .verified
            .get(name)
            .ok_or_else(|| sigstore_tuf::Error::new(sigstore_tuf::Code::UnexpectedInput, format!("{name} has not been verified by this client")))?;
        core::str::from_utf8(bytes).map_err(|_| sigstore_tuf::Error::new(sigstore_tuf::Code::MetadataInvalid, format!("target {name} is not UTF-8")))
    }

    /// The trusted root this client verified, reporting the TUF metadata as its source.
    pub(crate) fn trusted_root(&self) -> Result<TrustedRoot, JsValue> {
        let trust = self.trust().map_err(|e| js_error(&e))?;
        let text = self.target_text(instance::TRUSTED_ROOT).map_err(|e| js_error(&e))?;
        let root = TrustedRoot::from_json(text).map_err(|e| core_js_error(&e))?;
        Ok(root.with_source(TrustSource::Tuf(trust)))
    }
}

#[wasm_bindgen(js_class = WasmVerifier)]
impl WasmVerifier {
    /// A verifier over the `trusted_root.json` target `client` verified; results report
    /// `trust: { source: "tuf", ... }` with the client's metadata versions.
    #[wasm_bindgen(js_name = fromTuf)]
    pub fn from_tuf(client: &WasmTufClient, config: JsValue) -> Result<WasmVerifier, JsValue> {
        let root = client.trusted_root()?;
        let make = || sigstore_verifier::VerifierSet::new(sigstore_verifier::TrustedRootSet::from_roots(vec![root])?, super::parse_config(&config)?);
        let inner = make().map_err(|e| core_js_error(&e))?;
        Ok(WasmVerifier { inner })
    }
}

/// The embedded seed root of a named instance (`public-good`, `github`) and its repository URL:
/// `{ url, seed }`. Throws `INPUT_INVALID` for another name.
#[wasm_bindgen(js_name = tufInstance)]
pub fn tuf_instance(name: &str) -> Result<JsValue, JsValue> {
    let Some(i) = instance::by_name(name) else {
        let known: Vec<&str> = instance::ALL.iter().map(|i| i.name).collect();
        return Err(core_js_error(&input_error(format!("unknown TUF instance {name:?} (known: {})", known.join(", ")))));
    };
    let obj = js_sys::Object::new();
    // Reflect::set on a fresh object cannot fail; a failure would only lose a field.
    let _ = js_sys::Reflect::set(&obj, &JsValue::from_str("url"), &JsValue::from_str(i.url));
    let _ = js_sys::Reflect::set(&obj, &JsValue::from_str("seed"), &js_sys::Uint8Array::from(i.seed));
    Ok(obj.into())
}

/// The version of root metadata (its `signed.version`), verified with its own root keys; for
/// choosing between a cached root and the seed. Throws the client's `TUF_*` error.
#[wasm_bindgen(js_name = tufRootVersion)]
pub fn tuf_root_version(root: &[u8], now: JsValue) -> Result<f64, JsValue> {
    let now = parse_now(&now).map_err(|e| core_js_error(&e))?;
    let c = Client::new(root, now).map_err(|e| js_error(&e))?;
    // Versions are compared in JS: exact up to 2^53, and no root gets near that.
    let v = c.root().common.version;
    Ok(u32::try_from(v).map(f64::from).unwrap_or(f64::MAX))
}
