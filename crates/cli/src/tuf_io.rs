//! The I/O around sigstore-tuf's sans-I/O client: a metadata directory, HTTP through `ureq`,
//! and the loops that answer the client's requests (TUF v1.0 §5) with cached copies first.
//!
//! Nothing unverified is ever stored: a fetched file is written (atomically: temporary file,
//! then rename) only when the client says it is now trusted, and a target only after
//! `Target::verify` passed.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sigstore_tuf::{Client, Fed, Lookup, Request, Target};
use sigstore_verifier::error::ErrorReport;

/// A failure of an update: the client's (`TUF_*`), the network's (`TUF_FETCH_FAILED`) or the
/// local store's (`TUF_CACHE_WRITE_FAILED`).
#[derive(Debug)]
pub enum UpdateError {
    Tuf(sigstore_tuf::Error),
    Fetch(String),
    Store(String),
}

impl From<sigstore_tuf::Error> for UpdateError {
    fn from(e: sigstore_tuf::Error) -> Self {
        UpdateError::Tuf(e)
    }
}

/// The code of a network failure (documented in docs/errors.md; JS uses the same).
pub const FETCH_FAILED: &str = "TUF_FETCH_FAILED";
/// The code of a metadata or target directory that cannot be read or written.
pub const CACHE_FAILED: &str = "TUF_CACHE_FAILED";

impl UpdateError {
    pub fn report(&self) -> ErrorReport {
        match self {
            UpdateError::Tuf(e) => e.report(),
            UpdateError::Fetch(m) => ErrorReport { code: FETCH_FAILED, step: "trusted_root", message: m.clone() },
            UpdateError::Store(m) => ErrorReport { code: CACHE_FAILED, step: "trusted_root", message: m.clone() },
        }
    }

    /// Whether the repository could not be reached (as opposed to serving bad metadata).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, UpdateError::Fetch(_))
    }

    /// Whether the repository could not give current trust, without serving anything that
    /// fails a check: unreachable, or its metadata has expired. The newest verified trust may
    /// then be used (as the JS layer does); anything else is an error.
    pub fn allows_fallback(&self) -> bool {
        match self {
            UpdateError::Fetch(_) => true,
            UpdateError::Tuf(e) => e.code == sigstore_tuf::Code::Expired,
            UpdateError::Store(_) => false,
        }
    }
}

/// A directory of files kept under single-segment names (`root.json`,
/// `registry.npmjs.org.json`, percent-encoded target names).
pub struct Store {
    dir: PathBuf,
}

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A file's bytes, at most `max` of them (a longer file is not read: it cannot be valid).
    pub fn read(&self, name: &str, max: u64) -> Option<Vec<u8>> {
        let path = self.dir.join(name);
        let len = std::fs::metadata(&path).ok()?.len();
        if len > max {
            return None;
        }
        std::fs::read(path).ok()
    }

    /// Write atomically: a reader sees the old file or the new one, never a part.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), UpdateError> {
        let fail = |e: std::io::Error| UpdateError::Store(format!("cannot write {}: {e}", self.dir.join(name).display()));
        std::fs::create_dir_all(&self.dir).map_err(fail)?;
        let tmp = self.dir.join(format!(".{name}.{}.tmp", std::process::id()));
        std::fs::write(&tmp, bytes).map_err(fail)?;
        std::fs::rename(&tmp, self.dir.join(name)).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            fail(e)
        })
    }
}

/// What a GET found.
pub enum Fetched {
    Bytes(Vec<u8>),
    /// 404 or 403: for the next root, the end of rotation (§5.3.2).
    NotFound,
}

/// HTTP GETs with a connect timeout and an overall timeout, reading at most what the client
/// will accept (plus one byte, so that an oversized file is reported as `TUF_TOO_LARGE`).
pub struct Http {
    agent: ureq::Agent,
}

impl Http {
    pub fn new(connect: Duration, total: Duration) -> Http {
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(connect))
            .timeout_global(Some(total))
            .http_status_as_error(false)
            .user_agent(concat!("sigstore-verify/", env!("CARGO_PKG_VERSION")))
            .build();
        Http { agent: config.into() }
    }

    pub fn get(&self, url: &str, max: u64) -> Result<Fetched, UpdateError> {
        let fail = |m: String| UpdateError::Fetch(format!("GET {url}: {m}"));
        let mut res = self.agent.get(url).call().map_err(|e| fail(e.to_string()))?;
        match res.status().as_u16() {
            200 => {}
            403 | 404 => return Ok(Fetched::NotFound),
            s => return Err(fail(format!("HTTP {s}"))),
        }
        let mut body = Vec::new();
        res.body_mut().as_reader().take(max.saturating_add(1)).read_to_end(&mut body).map_err(|e| fail(e.to_string()))?;
        Ok(Fetched::Bytes(body))
    }
}

/// `base` and a relative name, with one `/` between them.
pub fn join(base: &str, name: &str) -> String {
    format!("{}/{name}", base.trim_end_matches('/'))
}

/// Answer one request: the cached copy when the client takes it as final, else the
/// repository's file; store what the client now trusts.
fn serve(c: &mut Client, req: &Request, store: &Store, http: &Http, metadata_url: &str, log: &mut dyn FnMut(&str)) -> Result<(), UpdateError> {
    if req.local != "root.json" {
        if let Some(cached) = store.read(&req.local, req.max_length) {
            match c.feed_cached(&cached) {
                Ok(true) => return Ok(()),
                Ok(false) => {}
                Err(e) => log(&format!("cached {} not used: {}", req.local, e.report().message)),
            }
        }
    }
    match http.get(&join(metadata_url, &req.name), req.max_length)? {
        Fetched::Bytes(b) => {
            if c.feed(&b)? == Fed::Trusted {
                store.write(&req.local, &b)?;
            }
        }
        Fetched::NotFound => c.not_found()?,
    }
    Ok(())
}

/// The update (§5.3 to §5.6) from the root in `store`, storing what becomes trusted.
pub fn refresh(store: &Store, http: &Http, metadata_url: &str, now: sigstore_verifier::Time, log: &mut dyn FnMut(&str)) -> Result<Client, UpdateError> {
    let limits = sigstore_tuf::Limits::default();
    let root =
        store.read("root.json", limits.root_max_length).ok_or_else(|| UpdateError::Store(format!("no readable root.json in {}", store.dir().display())))?;
    let mut c = Client::with_limits(&root, now, limits)?;
    while let Some(req) = c.next_request() {
        serve(&mut c, &req, store, http, metadata_url, log)?;
    }
    Ok(c)
}

/// Find a target (§5.6.7), answering the delegated roles the search needs as in an update.
pub fn find(c: &mut Client, name: &str, store: &Store, http: &Http, metadata_url: &str, log: &mut dyn FnMut(&str)) -> Result<Target, UpdateError> {
    loop {
        match c.lookup(name)? {
            Lookup::Found(t) => return Ok(t),
            Lookup::Fetch(req) => serve(c, &req, store, http, metadata_url, log)?,
        }
    }
}

/// A target's bytes: the copy in `targets` when it matches the trusted length and hashes, else
/// downloaded from `targets_url`, verified, then stored under its percent-encoded name.
pub fn download(t: &Target, targets: &Store, http: &Http, targets_url: &str) -> Result<Vec<u8>, UpdateError> {
    let local = sigstore_tuf::percent_encode(&t.name);
    if let Some(b) = targets.read(&local, t.desc.length) {
        if t.verify(&b).is_ok() {
            return Ok(b);
        }
    }
    let url = join(targets_url, &t.download_path());
    match http.get(&url, t.desc.length)? {
        Fetched::Bytes(b) => {
            t.verify(&b)?;
            targets.write(&local, &b)?;
            Ok(b)
        }
        Fetched::NotFound => Err(UpdateError::Fetch(format!("GET {url}: not found"))),
    }
}

/// The current time for the TUF client (the CLI is where the clock is read).
pub fn now() -> sigstore_verifier::Time {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    sigstore_verifier::Time::from_unix(i64::try_from(secs).unwrap_or(i64::MAX))
}
