//! X.509 certificates: parsing once, chain building to the trusted root, Fulcio extensions.

pub mod cert;
pub mod chain;
pub mod fulcio;

pub use cert::Cert;
