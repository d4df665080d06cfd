//! `sigstore-verifier`: Sigstore bundle verification, the core every face of this workspace is
//! built on (the CLI in `crates/cli`, the WebAssembly binding in `crates/wasm`, npm provenance in
//! `crates/npm`).
//!
//! `#![no_std]` + `alloc`, no unsafe code, no clock and no I/O: time, trusted material and policy
//! are arguments. Models (`bundle`, `trust_root`, `artifact`, `identity`, `result`), the checks
//! (`x509`, `sct`, `tlog`, `timestamp`, `dsse`), the orchestrator (`verify`) and the one interface
//! to signature algorithms (`crypto`). It may depend on `sigstore-protojson` and on the RustCrypto
//! and serde crates, never on a face (identity patterns run on its own matcher, `identity::pattern`).
#![no_std]
#![forbid(unsafe_code)]
// Nightly-only `#[optimize(speed)]` on the multi-buffer compression functions (src/hash/multi.rs),
// when the wasm build runs with -Zbuild-std (RUSTC_BOOTSTRAP; wasm-pack.toml passes `--cfg
// sigstore_optimize_attr`): the package is otherwise optimised for size.
#![cfg_attr(sigstore_optimize_attr, feature(optimize_attribute))]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod encoding;
mod hash;
mod json;
#[cfg(test)]
mod test_rng;

pub mod artifact;
pub mod bundle;
pub mod crypto;
pub mod dsse;
pub mod error;
pub mod identity;
pub mod limits;
pub mod result;
pub mod sct;
pub mod sealed;
pub mod time;
pub mod timestamp;
pub mod tlog;
pub mod trust_root;
pub mod verify;
pub mod x509;

pub use artifact::Artifact;
pub use bundle::Bundle;
pub use error::{Code, Error, Result, Step};
pub use hash::{digest_many, sha256_many, sha384_many, sha512_many, Sha256Hasher, Sha384Hasher, Sha512Hasher, StreamingHasher};
pub use identity::{Matcher, Policy};
pub use result::VerificationResult;
pub use time::Time;
pub use trust_root::{TrustedRoot, TrustedRootSet};
pub use verify::{Config, Plan, RootPlan, Thresholds, Verifier, VerifierSet};
