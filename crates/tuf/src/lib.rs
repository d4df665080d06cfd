//! A TUF (The Update Framework, specification v1.0) client as a sans-I/O state machine, to
//! obtain Sigstore's `trusted_root.json` (or any target) from a TUF repository.
//!
//! `no_std` + alloc: the client reads no clock (the caller passes the time) and does no I/O (it
//! says which file it wants, with a maximum length, and the caller feeds the bytes back).
//! Nothing here panics on any input; every input has a size limit.

#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod canonical;
pub mod client;
pub mod error;
pub mod instance;
pub mod metadata;

pub use client::{percent_encode, Client, Fed, Limits, Lookup, Request, Target};
pub use error::{Code, Error, Result};
pub use instance::Instance;
