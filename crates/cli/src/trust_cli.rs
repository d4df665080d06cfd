//! Where the verifying commands get their trusted root (and npm keys): TUF by default.
//!
//! `--trusted-root FILE` bypasses TUF. Otherwise the instance's TUF repository (public-good by
//! default, `--instance github`, or `--tuf-url URL` with `--tuf-root ROOT.json`) through a cache
//! (`--tuf-cache DIR`, default `$XDG_CACHE_HOME/sigstore-verify/tuf/<instance>`, else
//! `~/.cache/...`):
//! 1. the cache is re-verified offline (every signature, version, length and hash, from the
//!    cached root or the embedded seed, whichever is newer); when nothing in it has expired and
//!    the targets are there, it is used without touching the network;
//! 2. else the update runs (cached files offered first, nothing unverified stored);
//! 3. when the repository cannot be reached, or serves metadata that has expired, the newest
//!    verified trust is used with a one-line warning: the stale cache, else the embedded
//!    snapshot (public-good only). After an unreachable attempt the network is not tried again
//!    for [`RETRY_AFTER_SECS`], so a run of commands without a network does not wait on each.
//!    `--require-fresh-trust` makes it an error (`TUF_FETCH_FAILED`, `TUF_EXPIRED`);
//!    `--offline` never touches the network. Metadata that fails any other check is an error
//!    (its `TUF_*` code), never a fallback.

use std::path::PathBuf;
use std::time::Duration;

use sigstore_tuf::{instance, Client, Instance};
use sigstore_verifier::error::ErrorReport;
use sigstore_verifier::trust_root::TrustSource;
use sigstore_verifier::{Code, Time, TrustedRoot, TrustedRootSet};

use crate::tuf_io::{self, Http, Store, UpdateError};

pub const HELP: &str = "\
TRUST (verify-bundle, verify-npm, verify-npm-lock, verify-pypi, verify-attestation):
  --trusted-root FILE        trusted_root.json to use as given (no TUF); verify-bundle and
                             verify-attestation also take several as JSON lines
  --instance NAME            public-good (default) or github: whose TUF repository to use
  --tuf-url URL              the TUF repository (default: the instance's)
  --tuf-root FILE            the root.json to start from for --tuf-url (default: the embedded seed)
  --tuf-cache DIR            metadata cache (default $XDG_CACHE_HOME/sigstore-verify/tuf/INSTANCE)
  --offline                  never use the network: the verified cache, else the embedded root
  --require-fresh-trust      fail (TUF_FETCH_FAILED) rather than use stale or embedded trust
  --insecure-tuf-time RFC3339  check TUF expiry at this time instead of now (audits, tests)
";

/// After the repository could not be reached, do not try again for this long.
pub const RETRY_AFTER_SECS: i64 = 300;
const UNREACHABLE_MARK: &str = "unreachable";

#[derive(Default, Clone)]
pub struct TrustFlags {
    pub trusted_root: Option<String>,
    instance: Option<String>,
    tuf_url: Option<String>,
    tuf_root: Option<String>,
    tuf_cache: Option<String>,
    offline: bool,
    require_fresh: bool,
    time: Option<String>,
}

/// The trust a command verifies with.
pub struct Resolved {
    pub root: TrustedRoot,
    /// The npm registry's keys document from TUF (when asked for and listed).
    pub npm_keys: Option<String>,
}

pub enum TrustFail {
    /// A file that cannot be read or a flag that makes no sense: exit 2.
    Usage(String),
    /// Exit 1 with this code.
    Report(ErrorReport),
}

impl From<UpdateError> for TrustFail {
    fn from(e: UpdateError) -> Self {
        TrustFail::Report(e.report())
    }
}

impl From<sigstore_verifier::Error> for TrustFail {
    fn from(e: sigstore_verifier::Error) -> Self {
        TrustFail::Report(e.report())
    }
}

impl TrustFlags {
    /// Consume a trust flag; `Ok(false)` if `flag` is not one.
    pub fn take(&mut self, flag: &str, value: &mut dyn FnMut(&str) -> Result<String, String>) -> Result<bool, String> {
        match flag {
            "--trusted-root" => crate::set(&mut self.trusted_root, value(flag)?, flag)?,
            "--instance" => crate::set(&mut self.instance, value(flag)?, flag)?,
            "--tuf-url" => crate::set(&mut self.tuf_url, value(flag)?, flag)?,
            "--tuf-root" => crate::set(&mut self.tuf_root, value(flag)?, flag)?,
            "--tuf-cache" => crate::set(&mut self.tuf_cache, value(flag)?, flag)?,
            "--insecure-tuf-time" => crate::set(&mut self.time, value(flag)?, flag)?,
            "--offline" => self.offline = true,
            "--require-fresh-trust" => self.require_fresh = true,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn instance(&self) -> Result<&'static Instance, String> {
        let name = self.instance.as_deref().unwrap_or(instance::PUBLIC_GOOD.name);
        instance::by_name(name).ok_or_else(|| format!("unknown --instance {name:?} (public-good, github)"))
    }

    /// Flags that cannot go together are a usage error.
    pub fn check(&self) -> Result<(), String> {
        let tuf_flags = self.instance.is_some() || self.tuf_url.is_some() || self.tuf_root.is_some() || self.tuf_cache.is_some() || self.time.is_some();
        if self.trusted_root.is_some() && (tuf_flags || self.require_fresh) {
            return Err("--trusted-root uses the given file: it takes no TUF flag".into());
        }
        if self.offline && self.require_fresh {
            return Err("--offline and --require-fresh-trust contradict each other".into());
        }
        if self.tuf_root.is_some() && self.tuf_url.is_none() {
            return Err("--tuf-root is the first root of the repository given by --tuf-url".into());
        }
        if let Some(t) = &self.time {
            if Time::parse_rfc3339(t).is_none() {
                return Err(format!("--insecure-tuf-time {t:?} is not an RFC 3339 time"));
            }
        }
        self.instance().map(drop)
    }

    /// The trusted roots to verify bundles with: `--trusted-root FILE` as one `trusted_root.json`
    /// or several (JSON lines, as `gh attestation trusted-root` prints, or a JSON array), else
    /// the instance's root over TUF ([`TrustFlags::resolve`]).
    pub fn resolve_set(&self) -> Result<TrustedRootSet, TrustFail> {
        if let Some(path) = &self.trusted_root {
            let bytes = crate::read(path).map_err(TrustFail::Usage)?;
            let text = crate::text(&bytes, "the trusted root", Code::TrustRootInvalid)?;
            return Ok(TrustedRootSet::from_json_lines(text)?);
        }
        Ok(TrustedRootSet::from_roots(vec![self.resolve(false)?.root])?)
    }

    /// The trusted root (and, with `npm_keys`, the npm registry's keys) to verify with.
    pub fn resolve(&self, npm_keys: bool) -> Result<Resolved, TrustFail> {
        if let Some(path) = &self.trusted_root {
            let bytes = crate::read(path).map_err(TrustFail::Usage)?;
            let text = crate::text(&bytes, "the trusted root", Code::TrustRootInvalid)?;
            return Ok(Resolved { root: TrustedRoot::from_json(text)?, npm_keys: None });
        }
        let inst = self.instance()?;
        let url = self.tuf_url.clone().unwrap_or_else(|| inst.url.to_string());
        let seed = match &self.tuf_root {
            Some(p) => crate::read(p).map_err(TrustFail::Usage)?,
            None => inst.seed.to_vec(),
        };
        let name = if self.tuf_url.is_some() { "custom" } else { inst.name };
        let now = self.time.as_deref().and_then(Time::parse_rfc3339).unwrap_or_else(tuf_io::now);
        let repo = Repo { instance: name, url, seed, cache: self.cache_dir(name, inst), now, npm_keys };
        repo.resolve(self.offline, self.require_fresh, inst == &instance::PUBLIC_GOOD && self.tuf_url.is_none())
    }

    fn cache_dir(&self, name: &str, inst: &Instance) -> PathBuf {
        if let Some(d) = &self.tuf_cache {
            return PathBuf::from(d);
        }
        let base = std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .unwrap_or_else(std::env::temp_dir);
        let leaf = if name == "custom" { sigstore_tuf::percent_encode(self.tuf_url.as_deref().unwrap_or(inst.url)) } else { name.to_string() };
        base.join("sigstore-verify").join("tuf").join(leaf)
    }
}

impl From<String> for TrustFail {
    fn from(m: String) -> Self {
        TrustFail::Usage(m)
    }
}

struct Repo {
    instance: &'static str,
    url: String,
    seed: Vec<u8>,
    cache: PathBuf,
    now: Time,
    npm_keys: bool,
}

/// What a verified cache or update gives.
struct Got {
    client: Client,
    trusted_root: Vec<u8>,
    npm_keys: Option<Vec<u8>>,
}

impl Repo {
    fn metadata(&self) -> Store {
        Store::new(self.cache.join("metadata"))
    }

    fn targets(&self) -> Store {
        Store::new(self.cache.join("targets"))
    }

    fn resolve(&self, offline: bool, require_fresh: bool, embedded_fallback: bool) -> Result<Resolved, TrustFail> {
        let cached = self.verified_cache();
        if let Some(got) = &cached {
            if got.client.expired().is_empty() {
                return self.resolved(got);
            }
        }
        if !offline {
            match self.update(require_fresh) {
                Ok(got) => return self.resolved(&got),
                Err(e) if !e.allows_fallback() || require_fresh => return Err(e.into()),
                Err(e) => eprintln!("warning: {}: {}; using {}", e.report().code, e.report().message, self.fallback_name(&cached, embedded_fallback)),
            }
        }
        match (&cached, embedded_fallback) {
            (Some(got), _) => self.resolved(got),
            (None, true) => Ok(Resolved { root: TrustedRoot::production()?, npm_keys: None }),
            (None, false) => Err(TrustFail::Report(ErrorReport {
                code: tuf_io::FETCH_FAILED,
                step: "trusted_root",
                message: format!("no verified trust for {} in {} and the repository was not used", self.url, self.cache.display()),
            })),
        }
    }

    fn fallback_name(&self, cached: &Option<Got>, embedded: bool) -> String {
        match cached {
            Some(g) => format!("the cached trust (expired: {})", g.client.expired().join(", ")),
            None if embedded => "the embedded trusted root".into(),
            None => "nothing (no verified cache)".into(),
        }
    }

    fn resolved(&self, got: &Got) -> Result<Resolved, TrustFail> {
        let text = crate::text(&got.trusted_root, "the TUF trusted_root.json target", Code::TrustRootInvalid)?;
        let source = TrustSource::Tuf(got.client.trust(self.instance, &self.url).map_err(|e| TrustFail::Report(e.report()))?);
        let root = TrustedRoot::from_json(text)?.with_source(source);
        let npm_keys = got.npm_keys.as_ref().map(|b| String::from_utf8_lossy(b).into_owned());
        Ok(Resolved { root, npm_keys })
    }

    /// The root to start from: the cached one when it verifies and is not older than the seed.
    fn start_root(&self) -> Vec<u8> {
        let limits = sigstore_tuf::Limits::default();
        let seed_version = Client::new(&self.seed, self.now).map(|c| c.root().common.version).unwrap_or(0);
        match self.metadata().read("root.json", limits.root_max_length) {
            Some(b) if Client::new(&b, self.now).is_ok_and(|c| c.root().common.version >= seed_version) => b,
            _ => self.seed.clone(),
        }
    }

    /// The cache re-verified without a network (expiry recorded, not fatal); `None` when it is
    /// missing, incomplete or does not verify.
    fn verified_cache(&self) -> Option<Got> {
        let meta = self.metadata();
        let mut c = Client::from_cache(&self.start_root(), self.now, sigstore_tuf::Limits::default()).ok()?;
        while let Some(req) = c.next_request() {
            if req.local == "root.json" {
                c.not_found().ok()?;
                continue;
            }
            let b = meta.read(&req.local, req.max_length)?;
            let _ = c.feed(&b).ok()?;
        }
        let mut target = |name: &str| -> Option<Option<Vec<u8>>> {
            let t = loop {
                match c.lookup(name) {
                    Ok(sigstore_tuf::Lookup::Found(t)) => break t,
                    Ok(sigstore_tuf::Lookup::Fetch(req)) => {
                        let b = meta.read(&req.local, req.max_length)?;
                        let _ = c.feed(&b).ok()?;
                    }
                    Err(e) if e.code == sigstore_tuf::Code::TargetNotFound => return Some(None),
                    Err(_) => return None,
                }
            };
            let b = self.targets().read(&sigstore_tuf::percent_encode(&t.name), t.desc.length)?;
            t.verify(&b).ok()?;
            Some(Some(b))
        };
        let trusted_root = target(instance::TRUSTED_ROOT)??;
        let npm_keys = if self.npm_keys { target(instance::NPM_KEYS)? } else { None };
        Some(Got { client: c, trusted_root, npm_keys })
    }

    /// The update over HTTP, unless the repository failed to answer within the last
    /// [`RETRY_AFTER_SECS`].
    fn update(&self, retry_now: bool) -> Result<Got, UpdateError> {
        let meta = self.metadata();
        if let Some(mark) = meta.read(UNREACHABLE_MARK, 64).filter(|_| !retry_now) {
            let at = std::str::from_utf8(&mark).ok().and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or(0);
            let now = tuf_io::now().secs;
            if (at..at.saturating_add(RETRY_AFTER_SECS)).contains(&now) {
                return Err(UpdateError::Fetch(format!("{} did not answer {}s ago (retried after {RETRY_AFTER_SECS}s)", self.url, now.saturating_sub(at))));
            }
        }
        let r = self.try_update(&meta);
        match &r {
            Err(e) if e.is_unreachable() => drop(meta.write(UNREACHABLE_MARK, tuf_io::now().secs.to_string().as_bytes())),
            // It answered (even with metadata that fails): ask it again next time.
            _ => drop(std::fs::remove_file(meta.dir().join(UNREACHABLE_MARK))),
        }
        r
    }

    fn try_update(&self, meta: &Store) -> Result<Got, UpdateError> {
        let start = self.start_root();
        if meta.read("root.json", sigstore_tuf::Limits::default().root_max_length).as_deref() != Some(&start[..]) {
            meta.write("root.json", &start)?;
        }
        let http = Http::new(Duration::from_secs(3), Duration::from_secs(30));
        let mut log = |_: &str| {};
        let mut c = tuf_io::refresh(meta, &http, &self.url, self.now, &mut log)?;
        let targets_url = tuf_io::join(&self.url, "targets");
        let t = tuf_io::find(&mut c, instance::TRUSTED_ROOT, meta, &http, &self.url, &mut log)?;
        let trusted_root = tuf_io::download(&t, &self.targets(), &http, &targets_url)?;
        let npm_keys = if self.npm_keys {
            match tuf_io::find(&mut c, instance::NPM_KEYS, meta, &http, &self.url, &mut log) {
                Ok(t) => Some(tuf_io::download(&t, &self.targets(), &http, &targets_url)?),
                Err(UpdateError::Tuf(e)) if e.code == sigstore_tuf::Code::TargetNotFound => None,
                Err(e) => return Err(e),
            }
        } else {
            None
        };
        Ok(Got { client: c, trusted_root, npm_keys })
    }
}
