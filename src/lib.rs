//! Sigstore bundle verification: a `no_std` + `alloc` core.
#![no_std]
#![forbid(unsafe_code)]
// Nightly-only `#[optimize(speed)]` on the hash compression functions, when the wasm build runs
// with -Zbuild-std (RUSTC_BOOTSTRAP; wasm-pack.toml passes `--cfg sigstore_optimize_attr`): the
// package is otherwise optimised for size, which costs the hashers a third of their speed.
#![cfg_attr(sigstore_optimize_attr, feature(optimize_attribute))]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod crypto;
pub mod encoding;
pub mod hash;
pub mod error;
pub mod time;

pub use error::{Code, Error, Result, Step};
pub use time::Time;
pub mod x509;
pub mod json;
pub mod trust_root;
pub mod artifact;
pub mod bundle;
pub mod sct;
pub mod timestamp;
pub mod tlog;
pub mod dsse;
pub mod identity;
pub mod result;
pub mod verify;
pub mod npm;

pub use artifact::Artifact;
pub use bundle::Bundle;
pub use identity::{Matcher, Policy};
pub use result::VerificationResult;
pub use trust_root::TrustedRoot;
pub use verify::{Config, Plan, Verifier};
#[cfg(feature = "wasm")] pub mod wasm;
