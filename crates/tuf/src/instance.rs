//! The Sigstore instances whose TUF repositories the faces know by name, with the root each
//! update starts from (the seed, embedded; see `seeds/SOURCE.md`).
//!
//! A seed is only a starting point: the client verifies it (a threshold of its own root
//! signatures) and rotates forward to the repository's newest root; its expiry is not checked
//! (TUF §5.2), so an old seed still bootstraps as long as the rotation chain is served.

/// A named TUF repository and the root an update starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instance {
    /// `public-good` or `github`.
    pub name: &'static str,
    /// The repository's base URL: metadata at `URL/`, targets at `URL/targets/`.
    pub url: &'static str,
    /// The embedded root metadata (`root.json`).
    pub seed: &'static [u8],
}

impl Instance {
    /// Where the repository's metadata is (no trailing slash).
    pub fn metadata_url(&self) -> &'static str {
        self.url
    }

    /// Where the repository's targets are: `<url>/targets`.
    pub fn targets_url(&self) -> alloc::string::String {
        alloc::format!("{}/targets", self.url)
    }
}

/// Sigstore's public-good instance: the TUF CDN behind sigstore-js, sigstore-go and cosign.
pub const PUBLIC_GOOD: Instance =
    Instance { name: "public-good", url: "https://tuf-repo-cdn.sigstore.dev", seed: include_bytes!("../seeds/sigstore-root-v16.json") };

/// GitHub's instance, for artifact attestations of private and internal repositories.
pub const GITHUB: Instance = Instance { name: "github", url: "https://tuf-repo.github.com", seed: include_bytes!("../seeds/github-root.json") };

/// Every named instance.
pub const ALL: &[Instance] = &[PUBLIC_GOOD, GITHUB];

/// The instance with this name.
pub fn by_name(name: &str) -> Option<&'static Instance> {
    ALL.iter().find(|i| i.name == name)
}

/// The target that holds a Sigstore instance's `trusted_root.json`.
pub const TRUSTED_ROOT: &str = "trusted_root.json";
/// The target that holds the signing configuration (kept as bytes for callers).
pub const SIGNING_CONFIG: &str = "signing_config.v0.2.json";
/// The target, under the role named after the npm registry's host, with the registry's keys.
pub const NPM_KEYS: &str = "registry.npmjs.org/keys.json";
