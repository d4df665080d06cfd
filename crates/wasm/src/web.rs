//! The web build's trusted root (no `full` feature): `WasmVerifier.prepare(trustedRoot, config)`
//! parses the roots and does every structural check `new WasmVerifier` does, in its order, and
//! returns a [`WasmRootPlan`] of the roots' own signature checks (their certificate and timestamp
//! authority chains) for JS to run through WebCrypto (pkg/src/web-api.js `Verifier.create`);
//! `finish(verdicts)` gives the verifier, or exactly the error the full build's constructor gives.

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::plan::{combination, js_checks};
use super::{js_error, load_trust, parse_config, WasmVerifier};
use sigstore_verifier::crypto::SigCheck;
use sigstore_verifier::{Code, Error, RootPlan, Verifier, VerifierSet};

/// The trusted roots' signature checks, to be run by the host, then `finish`ed once.
#[wasm_bindgen(js_name = WasmRootPlan)]
pub struct WasmRootPlan {
    /// One plan per root, up to the first that fails (`VerifierSet::new` stops there).
    plans: Vec<RootPlan>,
    /// The error that stopped the roots' preparation, raised once every check before it passed.
    error: Option<Error>,
    /// Unsupported combinations met by `verifyInWasm`.
    errors: Vec<Option<Error>>,
    spent: bool,
}

#[wasm_bindgen(js_class = WasmVerifier)]
impl WasmVerifier {
    /// As the full build's constructor (`trusted_root`, `config` alike), with the signature
    /// checks of the trusted roots left to the returned plan.
    pub fn prepare(trusted_root: JsValue, config: JsValue) -> Result<WasmRootPlan, JsValue> {
        let roots = load_trust(&trusted_root).map_err(|e| js_error(&e))?;
        let config = parse_config(&config).map_err(|e| js_error(&e))?;
        let mut plans = Vec::new();
        let mut error = None;
        for (i, root) in roots.into_roots().into_iter().enumerate() {
            match Verifier::prepare(root, config.clone()) {
                Ok(p) => {
                    let stop = p.structural_error().is_some();
                    plans.push(p);
                    if stop {
                        break;
                    }
                }
                Err(e) => {
                    error = Some(e.at(&format!("trustedRoots[{i}]")));
                    break;
                }
            }
        }
        let errors = plans.iter().flat_map(|p| p.checks()).map(|_| None).collect();
        Ok(WasmRootPlan { plans, error, errors, spent: false })
    }
}

fn spent() -> JsValue {
    js_error(&Error::new(Code::InputInvalid, "plan already finished"))
}

impl WasmRootPlan {
    fn all(&self) -> impl Iterator<Item = &SigCheck> {
        self.plans.iter().flat_map(|p| p.checks())
    }
}

#[wasm_bindgen(js_class = WasmRootPlan)]
impl WasmRootPlan {
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.errors.len()
    }

    /// One entry per check: `{ alg, spki, data, signature }` for WebCrypto, or `null`.
    pub fn checks(&self) -> Result<Array, JsValue> {
        if self.spent {
            return Err(spent());
        }
        let all: Vec<SigCheck> = self.all().cloned().collect();
        Ok(js_checks(&all))
    }

    /// Where check `i` is, as the full build's errors name it: `trustedRoots[0]: ` and the
    /// check's place (e.g. `certificateAuthorities[0].certChain.certificates[0]`).
    pub fn what(&self, i: usize) -> Option<String> {
        let mut rest = i;
        for (r, p) in self.plans.iter().enumerate() {
            match p.checks().get(rest) {
                Some(c) => return Some(format!("trustedRoots[{r}]: {}", c.what)),
                None => rest -= p.checks().len(),
            }
        }
        None
    }

    /// As `WasmPlan.verifyInWasm` in the web build: `false` for an unsupported combination,
    /// `undefined` for a check only arithmetic could decide.
    #[wasm_bindgen(js_name = verifyInWasm)]
    pub fn verify_in_wasm(&mut self, i: usize) -> Result<Option<bool>, JsValue> {
        let Some(c) = self.all().nth(i).cloned() else {
            return Err(js_error(&Error::new(Code::InputInvalid, "no such signature check")));
        };
        let e = combination(&c);
        let verdict = e.as_ref().map(|_| false);
        if let (Some(slot), Some(e)) = (self.errors.get_mut(i), e) {
            *slot = Some(e);
        }
        Ok(verdict)
    }

    /// Complete with one verdict per check (only `true` passes): the verifier, or the error the
    /// full build's constructor gives. The plan is spent afterwards.
    pub fn finish(&mut self, verdicts: JsValue) -> Result<WasmVerifier, JsValue> {
        if self.spent {
            return Err(spent());
        }
        self.spent = true;
        let verdicts: Vec<bool> = match verdicts.dyn_ref::<Array>() {
            Some(a) => a.iter().map(|v| v.as_bool() == Some(true)).collect(),
            None => return Err(js_error(&Error::new(Code::InputInvalid, "verdicts must be an array"))),
        };
        if verdicts.len() != self.errors.len() {
            return Err(js_error(&Error::new(Code::InputInvalid, "one verdict per signature check is required")));
        }
        let mut outcomes = verdicts.iter().zip(&self.errors).map(|(&ok, e)| match e {
            // The reason alone: RootPlan::finish_with puts the check's place before it.
            Some(e) if !ok => Err(Error::new(e.code, e.context.clone())),
            _ => Ok(ok),
        });
        let mut verifiers = Vec::new();
        for (i, p) in std::mem::take(&mut self.plans).into_iter().enumerate() {
            let mine: Vec<_> = outcomes.by_ref().take(p.checks().len()).collect();
            verifiers.push(p.finish_with(&mine).map_err(|e| js_error(&e.at(&format!("trustedRoots[{i}]"))))?);
        }
        if let Some(e) = self.error.take() {
            return Err(js_error(&e));
        }
        let inner = VerifierSet::from_verifiers(verifiers).map_err(|e| js_error(&e))?;
        Ok(WasmVerifier { inner })
    }
}
