//! Where a trusted root came from, reported in every verification result (`trust` in JSON).
//!
//! The core only carries it: the faces that obtain a root (over TUF, from a file, or the
//! embedded snapshot) say which, and the result repeats it so a verdict can be traced to the
//! trust it rests on.

use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

/// The origin of a [`super::TrustedRoot`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "camelCase")]
pub enum TrustSource {
    /// The snapshot of the public-good production root built into this verifier.
    #[serde(rename_all = "camelCase")]
    Embedded { instance: String },
    /// A `trusted_root.json` the caller gave.
    Given,
    /// The `trusted_root.json` target of a TUF repository, verified by the TUF client.
    Tuf(TufTrust),
}

/// The TUF metadata a trusted root was verified with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TufTrust {
    /// The instance name (`public-good`, `github`), or `custom` for a repository by URL.
    pub instance: String,
    /// The repository's metadata URL.
    pub url: String,
    pub root_version: u64,
    /// RFC 3339.
    pub root_expires: String,
    pub timestamp_version: u64,
    pub timestamp_expires: String,
    pub snapshot_version: u64,
    pub targets_version: u64,
    pub targets_expires: String,
    /// True when every role was unexpired at the verification's trust time: refreshed from
    /// the repository, or a cached copy still current. False for a stale cache used offline or
    /// because the repository could not be reached; `expired` names the roles.
    pub fresh: bool,
    pub expired: Vec<String>,
}
