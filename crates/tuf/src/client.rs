//! The TUF v1.0 §5 client workflow as a sans-I/O state machine.
//!
//! ```text
//! let mut c = Client::new(trusted_root_json, now)?;
//! while let Some(req) = c.next_request() {          // 13.root.json, ..., timestamp.json, ...
//!     match fetch(&req.name, req.max_length) {      // the caller's I/O, at most max_length bytes
//!         Some(bytes) => c.feed(&bytes)?,
//!         None => c.not_found()?,                   // ends root rotation; an error otherwise
//!     }
//! }
//! loop {
//!     match c.lookup("trusted_root.json")? {
//!         Lookup::Found(t) => { let bytes = fetch_target(&t.download_path(), t.desc.length); t.verify(&bytes)?; break }
//!         Lookup::Fetch(req) => c.feed(&fetch(&req.name, req.max_length)?)?,   // a delegated role
//!     }
//! }
//! ```
//!
//! Metadata names are relative to the repository's metadata base URL, target download paths to
//! its targets base URL. Every fetch has a maximum length: the one listed by the referring
//! metadata, else the client's [`Limits`].

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use sigstore_verifier::trust_root::TufTrust;
use sigstore_verifier::Time;

use crate::error::{err, Error, Result};
use crate::metadata::{check_length_and_hashes, parse_envelope, verify_role, Envelope, MetaFile, MetaRole, Role, Root, TargetDesc, Targets, TufKey};
use crate::Code;

/// Bounds on what the client reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub root_max_length: u64,
    pub timestamp_max_length: u64,
    /// For snapshot metadata when the timestamp lists no length.
    pub snapshot_max_length: u64,
    /// For targets metadata (top-level and delegated) when the snapshot lists no length.
    pub targets_max_length: u64,
    /// Most root rotations in one update.
    pub max_root_rotations: u64,
    /// Most delegated roles visited in one target search.
    pub max_delegated_roles: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            root_max_length: 512 * 1024,
            timestamp_max_length: 16 * 1024,
            snapshot_max_length: 2 * 1024 * 1024,
            targets_max_length: 5 * 1024 * 1024,
            max_root_rotations: 256,
            max_delegated_roles: 32,
        }
    }
}

/// A file the client wants next: its name and the most bytes it will accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The name to fetch, relative to the metadata base URL (`13.root.json`,
    /// `timestamp.json`, `165.snapshot.json`, ...).
    pub name: String,
    /// The name under which a client keeps its trusted copy: without the version prefix
    /// (`root.json`, `snapshot.json`, `<percent-encoded role>.json`). A caller with a cache
    /// offers that copy with [`Client::feed_cached`] before fetching, and stores the fetched
    /// bytes under this name when [`Client::feed`] returns [`Fed::Trusted`].
    pub local: String,
    pub max_length: u64,
}

/// What [`Client::feed`] did with the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum Fed {
    /// They are now trusted: a caller with a cache stores them under [`Request::local`].
    Trusted,
    /// A timestamp with the trusted copy's version: the trusted copy stays (§5.4.3), and so
    /// does the cached file.
    KeptCurrent,
}

/// A target found by [`Client::lookup`]: its name and trusted description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub name: String,
    pub desc: TargetDesc,
    consistent: bool,
}

impl Target {
    /// Where to download it, relative to the targets base URL: the name, or with consistent
    /// snapshots `dir/<hash>.file` (the SHA-256, else another listed hash, in lower-case hex).
    pub fn download_path(&self) -> String {
        if !self.consistent {
            return self.name.clone();
        }
        let hash = self.desc.hashes.get("sha256").or_else(|| self.desc.hashes.get("sha512")).or_else(|| self.desc.hashes.values().next());
        let hex = hash.map(|h| base16ct::lower::encode_string(h)).unwrap_or_default();
        match self.name.rsplit_once('/') {
            Some((dir, file)) => alloc::format!("{dir}/{hex}.{file}"),
            None => alloc::format!("{hex}.{}", self.name),
        }
    }

    /// Check downloaded bytes against the target's length and hashes before any use.
    pub fn verify(&self, bytes: &[u8]) -> Result<()> {
        if u64::try_from(bytes.len()).map_or(true, |n| n > self.desc.length) {
            return err(Code::TooLarge, alloc::format!("target {}: {} bytes, expected {}", self.name, bytes.len(), self.desc.length));
        }
        check_length_and_hashes(bytes, Some(self.desc.length), &self.desc.hashes, &alloc::format!("target {}", self.name))
    }
}

/// What a target search needs next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    Found(Target),
    /// A delegated role's metadata: fetch it, [`Client::feed`] it, and call `lookup` again.
    Fetch(Request),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Root,
    Timestamp,
    Snapshot,
    Targets,
    Ready,
}

/// A delegated role the search wants: who delegated it and with which keys.
#[derive(Clone, Debug)]
struct Pending {
    parent: String,
    name: String,
    role: Role,
    keys: BTreeMap<String, TufKey>,
}

/// The TUF client: trusted metadata and where it is in the workflow.
#[derive(Clone, Debug)]
pub struct Client {
    now: Time,
    limits: Limits,
    root: Root,
    rotations: u64,
    timestamp: Option<MetaRole>,
    snapshot: Option<MetaRole>,
    targets: Option<Targets>,
    /// Delegated targets metadata verified with the keys of their delegator, by (delegator, role).
    delegated: BTreeMap<(String, String), Targets>,
    phase: Phase,
    pending: Option<Pending>,
    /// An update step failed: the update is over (§5: "abort the update cycle").
    failed: bool,
    /// Re-verifying a cache without a network ([`Client::from_cache`]): expiry is recorded in
    /// `expired` instead of failing.
    offline: bool,
    expired: Vec<String>,
}

impl Client {
    /// Start from trusted root metadata (§5.2): it must carry a threshold of its own root
    /// signatures; its expiry is not checked (only the final root's is, §5.3.10).
    pub fn new(trusted_root: &[u8], now: Time) -> Result<Client> {
        Client::with_limits(trusted_root, now, Limits::default())
    }

    pub fn with_limits(trusted_root: &[u8], now: Time, limits: Limits) -> Result<Client> {
        let place = "trusted root";
        let env = parse_envelope(trusted_root, limits.root_max_length).map_err(|e| e.at(place))?;
        let root = Root::parse(&env).map_err(|e| e.at(place))?;
        verify_role(&env, root.role("root")?, &root.keys, place)?;
        Ok(Client {
            now,
            limits,
            root,
            rotations: 0,
            timestamp: None,
            snapshot: None,
            targets: None,
            delegated: BTreeMap::new(),
            phase: Phase::Root,
            pending: None,
            failed: false,
            offline: false,
            expired: Vec::new(),
        })
    }

    /// Re-verify cached metadata without a network: the caller answers every root request with
    /// [`Client::not_found`] and feeds its cached timestamp, snapshot, targets and delegated
    /// roles with [`Client::feed`]. Every signature, version, length and hash is checked as in
    /// an update; metadata that has expired at `now` is accepted and named by
    /// [`Client::expired`], so the caller can use the newest verified trust and say it is stale.
    pub fn from_cache(trusted_root: &[u8], now: Time, limits: Limits) -> Result<Client> {
        let mut c = Client::with_limits(trusted_root, now, limits)?;
        c.offline = true;
        Ok(c)
    }

    /// The roles whose metadata had expired (only with [`Client::from_cache`]).
    pub fn expired(&self) -> &[String] {
        &self.expired
    }

    /// `TUF_EXPIRED` at `now`, or (offline) a note in `expired`.
    fn check_expiry(&mut self, common: &crate::metadata::Common, what: &str) -> Result<()> {
        match common.check_expiry(self.now, what) {
            Err(_) if self.offline => {
                self.expired.push(what.to_string());
                Ok(())
            }
            r => r,
        }
    }

    /// Give a previously trusted timestamp (a cache) for rollback protection, before the update
    /// reaches the timestamp step. Verified with the current root's keys; expiry is not checked.
    pub fn load_trusted_timestamp(&mut self, bytes: &[u8]) -> Result<()> {
        if !matches!(self.phase, Phase::Root | Phase::Timestamp) {
            return err(Code::UnexpectedInput, "a trusted timestamp is only taken before the timestamp step");
        }
        let env = parse_envelope(bytes, self.limits.timestamp_max_length)?;
        verify_role(&env, self.root.role("timestamp")?, &self.root.keys, "trusted timestamp")?;
        self.timestamp = Some(MetaRole::parse(&env, "timestamp").map_err(|e| e.at("trusted timestamp"))?);
        Ok(())
    }

    /// Give a previously trusted snapshot (a cache), as for [`Client::load_trusted_timestamp`].
    pub fn load_trusted_snapshot(&mut self, bytes: &[u8]) -> Result<()> {
        if !matches!(self.phase, Phase::Root | Phase::Timestamp) {
            return err(Code::UnexpectedInput, "a trusted snapshot is only taken before the timestamp step");
        }
        let env = parse_envelope(bytes, self.limits.snapshot_max_length)?;
        verify_role(&env, self.root.role("snapshot")?, &self.root.keys, "trusted snapshot")?;
        self.snapshot = Some(MetaRole::parse(&env, "snapshot").map_err(|e| e.at("trusted snapshot"))?);
        Ok(())
    }

    /// The trusted root (after the update: the newest).
    pub fn root(&self) -> &Root {
        &self.root
    }

    /// The trusted timestamp, snapshot and top-level targets, once loaded.
    pub fn timestamp(&self) -> Option<&MetaRole> {
        self.timestamp.as_ref()
    }
    pub fn snapshot(&self) -> Option<&MetaRole> {
        self.snapshot.as_ref()
    }
    pub fn targets(&self) -> Option<&Targets> {
        self.targets.as_ref()
    }

    /// What a trusted root verified by this client rests on, for results (`trust` in JSON):
    /// the instance name and URL the caller used, and the versions, expiry and freshness of the
    /// metadata. `TUF_UNEXPECTED_INPUT` before the update is complete.
    pub fn trust(&self, instance: &str, url: &str) -> Result<TufTrust> {
        let (Some(ts), Some(snap), Some(targets), true) = (&self.timestamp, &self.snapshot, &self.targets, self.is_ready()) else {
            return err(Code::UnexpectedInput, "the TUF update is not complete");
        };
        Ok(TufTrust {
            instance: instance.into(),
            url: url.into(),
            root_version: self.root.common.version,
            root_expires: self.root.common.expires.to_rfc3339(),
            timestamp_version: ts.common.version,
            timestamp_expires: ts.common.expires.to_rfc3339(),
            snapshot_version: snap.common.version,
            targets_version: targets.common.version,
            targets_expires: targets.common.expires.to_rfc3339(),
            fresh: self.expired.is_empty(),
            expired: self.expired.clone(),
        })
    }

    /// Whether the top-level metadata is loaded and targets can be looked up.
    pub fn is_ready(&self) -> bool {
        self.phase == Phase::Ready
    }

    fn versioned(&self, version: u64, name: &str) -> String {
        if self.root.consistent_snapshot {
            alloc::format!("{version}.{name}")
        } else {
            name.to_string()
        }
    }

    fn snapshot_meta(&self) -> Result<&MetaFile> {
        let ts = self.timestamp.as_ref().ok_or_else(|| Error::new(Code::UnexpectedInput, "no trusted timestamp"))?;
        ts.meta.get("snapshot.json").ok_or_else(|| Error::new(Code::MetadataInvalid, "timestamp lists no snapshot.json"))
    }

    fn listed(&self, file: &str) -> Result<&MetaFile> {
        let s = self.snapshot.as_ref().ok_or_else(|| Error::new(Code::UnexpectedInput, "no trusted snapshot"))?;
        s.meta.get(file).ok_or_else(|| Error::new(Code::MetadataInvalid, alloc::format!("snapshot lists no {file}")))
    }

    /// The next metadata file to fetch, or `None` when the update is done (or a delegated role
    /// is wanted: see [`Client::lookup`]).
    pub fn next_request(&self) -> Option<Request> {
        if self.failed {
            return None;
        }
        self.try_next_request().ok().flatten()
    }

    fn try_next_request(&self) -> Result<Option<Request>> {
        Ok(Some(match self.phase {
            Phase::Root => Request {
                name: alloc::format!("{}.root.json", self.root.common.version.saturating_add(1)),
                local: "root.json".to_string(),
                max_length: self.limits.root_max_length,
            },
            Phase::Timestamp => {
                Request { name: "timestamp.json".to_string(), local: "timestamp.json".to_string(), max_length: self.limits.timestamp_max_length }
            }
            Phase::Snapshot => {
                let m = self.snapshot_meta()?;
                Request {
                    name: self.versioned(m.version, "snapshot.json"),
                    local: "snapshot.json".to_string(),
                    max_length: m.length.unwrap_or(self.limits.snapshot_max_length),
                }
            }
            Phase::Targets => {
                let m = self.listed("targets.json")?;
                Request {
                    name: self.versioned(m.version, "targets.json"),
                    local: "targets.json".to_string(),
                    max_length: m.length.unwrap_or(self.limits.targets_max_length),
                }
            }
            Phase::Ready => match &self.pending {
                Some(p) => self.role_request(&p.name)?,
                None => return Ok(None),
            },
        }))
    }

    /// A delegated role's metadata: listed in the snapshot under its name, fetched and kept
    /// under its percent-encoded name (a role name may hold `/`, `?`, `#` or `..`).
    fn role_request(&self, role: &str) -> Result<Request> {
        let m = self.listed(&alloc::format!("{role}.json"))?;
        let file = alloc::format!("{}.json", percent_encode(role));
        Ok(Request { name: self.versioned(m.version, &file), local: file, max_length: m.length.unwrap_or(self.limits.targets_max_length) })
    }

    /// The file asked for by [`Client::next_request`] does not exist. For the next root this
    /// ends rotation (§5.3.2); for anything else it is `TUF_METADATA_MISSING`.
    pub fn not_found(&mut self) -> Result<()> {
        self.check_not_failed()?;
        match self.phase {
            Phase::Root => {
                let common = self.root.common.clone();
                if let Err(e) = self.check_expiry(&common, "root") {
                    self.failed = true;
                    return Err(e);
                }
                self.phase = Phase::Timestamp;
                Ok(())
            }
            _ => {
                if self.phase != Phase::Ready {
                    self.failed = true;
                }
                let name = self.try_next_request()?.map(|r| r.name).unwrap_or_default();
                err(Code::MetadataMissing, alloc::format!("the repository has no {name}"))
            }
        }
    }

    /// Feed the bytes of the file asked for by [`Client::next_request`] (or by a
    /// [`Lookup::Fetch`]). An error in the update (root to top-level targets) ends it: the
    /// client then refuses more input (`TUF_UNEXPECTED_INPUT`), so a failed root rotation cannot
    /// be skipped. A delegated role that fails leaves the client usable for other targets.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Fed> {
        self.check_not_failed()?;
        let req = self.try_next_request()?.ok_or_else(|| Error::new(Code::UnexpectedInput, "the client is not waiting for a file"))?;
        let r = match self.phase {
            Phase::Root => self.feed_root(bytes, &req).map(|()| Fed::Trusted),
            Phase::Timestamp => self.feed_timestamp(bytes, &req),
            Phase::Snapshot => self.feed_snapshot(bytes, &req, true).map(|()| Fed::Trusted),
            Phase::Targets => self.feed_targets(bytes, &req).map(|()| Fed::Trusted),
            Phase::Ready => self.feed_delegated(bytes, &req).map(|()| Fed::Trusted),
        };
        if r.is_err() && self.phase != Phase::Ready {
            self.failed = true;
        }
        r.map_err(|e| e.at(&req.name))
    }

    /// Offer the cached copy (kept under [`Request::local`]) of the file asked for by
    /// [`Client::next_request`] or a [`Lookup::Fetch`], before fetching it. `Ok(true)`: it is
    /// valid as final (not expired, the version the referring metadata lists, its hashes where
    /// listed): do not fetch. `Ok(false)` or an error: fetch it and [`Client::feed`] it; the
    /// error says why the cached copy was not used, and does not end the update.
    ///
    /// - root: never taken here (the cached root is the one given to [`Client::new`]);
    /// - timestamp: verified with the root's keys and kept as the reference for rollback
    ///   checks (§5.4.3), but the repository's timestamp is always fetched: `Ok(false)`;
    /// - snapshot: verified with the root's keys, not against the timestamp's hashes (it was
    ///   when it was fetched); kept as the rollback reference even when not final (§5.5.5);
    /// - targets and delegated roles: every check of a fetched copy.
    pub fn feed_cached(&mut self, bytes: &[u8]) -> Result<bool> {
        self.check_not_failed()?;
        let Some(req) = self.try_next_request()? else {
            return err(Code::UnexpectedInput, "the client is not waiting for a file");
        };
        let r = match self.phase {
            Phase::Root => Ok(false),
            Phase::Timestamp => self.cached_timestamp(bytes, &req).map(|()| false),
            Phase::Snapshot => self.feed_snapshot(bytes, &req, false).map(|()| true),
            Phase::Targets => self.feed_targets(bytes, &req).map(|()| true),
            Phase::Ready => self.feed_delegated(bytes, &req).map(|()| true),
        };
        r.map_err(|e| e.at(&alloc::format!("cached {}", req.local)))
    }

    fn cached_timestamp(&mut self, bytes: &[u8], req: &Request) -> Result<()> {
        let env = parse_envelope(bytes, req.max_length)?;
        verify_role(&env, self.root.role("timestamp")?, &self.root.keys, "timestamp")?;
        let new = MetaRole::parse(&env, "timestamp")?;
        if !new.meta.contains_key("snapshot.json") {
            return err(Code::MetadataInvalid, "timestamp lists no snapshot.json");
        }
        self.timestamp = Some(new);
        Ok(())
    }

    fn check_not_failed(&self) -> Result<()> {
        if self.failed {
            return err(Code::UnexpectedInput, "the update failed; start again from the trusted root");
        }
        Ok(())
    }

    /// §5.3: root N+1, signed by a threshold of N's root keys and of its own, version N+1.
    fn feed_root(&mut self, bytes: &[u8], req: &Request) -> Result<()> {
        if self.rotations >= self.limits.max_root_rotations {
            return err(Code::LimitExceeded, alloc::format!("more than {} root rotations", self.limits.max_root_rotations));
        }
        let env = parse_envelope(bytes, req.max_length)?;
        verify_role(&env, self.root.role("root")?, &self.root.keys, "signatures by the trusted root's keys")?;
        let new = Root::parse(&env)?;
        verify_role(&env, new.role("root")?, &new.keys, "signatures by its own root keys")?;
        let want = self.root.common.version.saturating_add(1);
        if new.common.version != want {
            return err(Code::VersionMismatch, alloc::format!("root version {}, expected {want}", new.common.version));
        }
        // §5.3.11: new timestamp or snapshot keys make the trusted copies useless (fast-forward
        // attack recovery).
        if !new.same_role(&self.root, "timestamp") || !new.same_role(&self.root, "snapshot") {
            self.timestamp = None;
            self.snapshot = None;
        }
        self.root = new;
        self.rotations = self.rotations.saturating_add(1);
        Ok(())
    }

    /// §5.4: timestamp.
    fn feed_timestamp(&mut self, bytes: &[u8], req: &Request) -> Result<Fed> {
        let env = parse_envelope(bytes, req.max_length)?;
        verify_role(&env, self.root.role("timestamp")?, &self.root.keys, "timestamp")?;
        let new = MetaRole::parse(&env, "timestamp")?;
        let snap = new.meta.get("snapshot.json").ok_or_else(|| Error::new(Code::MetadataInvalid, "timestamp lists no snapshot.json"))?;
        let mut fed = Fed::Trusted;
        if let Some(old) = &self.timestamp {
            if new.common.version < old.common.version {
                return err(Code::Rollback, alloc::format!("timestamp version {} is below the trusted {}", new.common.version, old.common.version));
            }
            if let Some(old_snap) = old.meta.get("snapshot.json") {
                if snap.version < old_snap.version {
                    return err(Code::Rollback, alloc::format!("snapshot version {} is below the trusted {}", snap.version, old_snap.version));
                }
            }
            if new.common.version == old.common.version {
                // §5.4.3: the same version again: keep the trusted copy.
                fed = Fed::KeptCurrent;
            }
        }
        let keep = if fed == Fed::KeptCurrent { self.timestamp.clone() } else { None };
        let current = keep.unwrap_or(new);
        self.check_expiry(&current.common, "timestamp")?;
        self.timestamp = Some(current);
        self.phase = Phase::Snapshot;
        Ok(fed)
    }

    /// §5.5: snapshot, checked against the timestamp's listing before its signature (a
    /// cached copy, `fetched == false`, was when it was fetched). A cached copy that verifies
    /// becomes the rollback reference even when it is not final (§5.5.5).
    fn feed_snapshot(&mut self, bytes: &[u8], req: &Request, fetched: bool) -> Result<()> {
        let listed = self.snapshot_meta()?.clone();
        let env = if fetched { checked_envelope(bytes, req.max_length, &listed)? } else { parse_envelope(bytes, self.limits.snapshot_max_length)? };
        verify_role(&env, self.root.role("snapshot")?, &self.root.keys, "snapshot")?;
        let new = MetaRole::parse(&env, "snapshot")?;
        if !fetched && self.snapshot.is_none() {
            self.snapshot = Some(new.clone());
        }
        if new.common.version != listed.version {
            return err(Code::VersionMismatch, alloc::format!("snapshot version {}, timestamp lists {}", new.common.version, listed.version));
        }
        if let Some(old) = &self.snapshot {
            for (name, m) in &old.meta {
                match new.meta.get(name) {
                    None => return err(Code::Rollback, alloc::format!("{name}, listed by the trusted snapshot, is missing")),
                    Some(n) if n.version < m.version => {
                        return err(Code::Rollback, alloc::format!("{name} version {} is below the trusted {}", n.version, m.version))
                    }
                    Some(_) => {}
                }
            }
        }
        self.check_expiry(&new.common, "snapshot")?;
        self.snapshot = Some(new);
        self.targets = None;
        self.delegated.clear();
        self.phase = Phase::Targets;
        Ok(())
    }

    /// §5.6: top-level targets, checked against the snapshot's listing.
    fn feed_targets(&mut self, bytes: &[u8], req: &Request) -> Result<()> {
        let listed = self.listed("targets.json")?.clone();
        let env = checked_envelope(bytes, req.max_length, &listed)?;
        verify_role(&env, self.root.role("targets")?, &self.root.keys, "targets")?;
        let new = Targets::parse(&env)?;
        if new.common.version != listed.version {
            return err(Code::VersionMismatch, alloc::format!("targets version {}, snapshot lists {}", new.common.version, listed.version));
        }
        self.check_expiry(&new.common, "targets")?;
        self.targets = Some(new);
        self.phase = Phase::Ready;
        Ok(())
    }

    /// §5.6.7: a delegated role wanted by the search, with its delegator's keys.
    fn feed_delegated(&mut self, bytes: &[u8], req: &Request) -> Result<()> {
        let p = self.pending.clone().ok_or_else(|| Error::new(Code::UnexpectedInput, "no delegated role is wanted"))?;
        let listed = self.listed(&alloc::format!("{}.json", p.name))?.clone();
        let env = checked_envelope(bytes, req.max_length, &listed)?;
        verify_role(&env, &p.role, &p.keys, &p.name)?;
        let new = Targets::parse(&env)?;
        if new.common.version != listed.version {
            return err(Code::VersionMismatch, alloc::format!("{} version {}, snapshot lists {}", p.name, new.common.version, listed.version));
        }
        self.check_expiry(&new.common, &p.name)?;
        self.delegated.insert((p.parent, p.name), new);
        self.pending = None;
        Ok(())
    }

    /// Find a target (§5.6.7): pre-order depth-first search from the top-level targets through
    /// the delegations that cover the name, stopping below a terminating one, visiting each
    /// (delegator, role) once and at most [`Limits::max_delegated_roles`] delegated roles.
    /// Returns the target, or the delegated metadata the search needs next.
    pub fn lookup(&mut self, name: &str) -> Result<Lookup> {
        self.check_not_failed()?;
        if self.phase != Phase::Ready {
            return err(Code::UnexpectedInput, "targets are looked up after the update");
        }
        let top = self.targets.as_ref().ok_or_else(|| Error::new(Code::UnexpectedInput, "no trusted targets"))?;
        // The stack holds what to visit: the top-level role (no delegator), then delegated
        // roles with the role and keys their delegator gave them.
        let mut stack: Vec<Option<Pending>> = alloc::vec![None];
        let mut visited: BTreeSet<(String, String)> = BTreeSet::new();
        let mut count = 0usize;
        while let Some(entry) = stack.pop() {
            let (role_name, meta) = match entry {
                None => ("targets".to_string(), top),
                Some(p) => {
                    if !visited.insert((p.parent.clone(), p.name.clone())) {
                        continue;
                    }
                    count = count.saturating_add(1);
                    if count > self.limits.max_delegated_roles {
                        return err(Code::LimitExceeded, alloc::format!("more than {} delegated roles visited for {name}", self.limits.max_delegated_roles));
                    }
                    match self.delegated.get(&(p.parent.clone(), p.name.clone())) {
                        Some(m) => (p.name, m),
                        None => {
                            if !valid_role_name(&p.name) {
                                return err(Code::MetadataInvalid, alloc::format!("delegated role name `{}` is empty or a top-level role's", p.name));
                            }
                            let req = self.role_request(&p.name)?;
                            self.pending = Some(p);
                            return Ok(Lookup::Fetch(req));
                        }
                    }
                }
            };
            if let Some(desc) = meta.targets.get(name) {
                return Ok(Lookup::Found(Target { name: name.to_string(), desc: desc.clone(), consistent: self.root.consistent_snapshot }));
            }
            let mut children = Vec::new();
            for d in meta.delegations.iter().filter(|d| d.covers(name)) {
                children.push(Some(Pending { parent: role_name.clone(), name: d.name.clone(), role: d.role.clone(), keys: meta.keys.clone() }));
                if d.terminating {
                    stack.clear();
                    break;
                }
            }
            stack.extend(children.into_iter().rev());
        }
        err(Code::TargetNotFound, alloc::format!("no trusted role lists {name}"))
    }
}

/// A delegated role's name is not empty and not a top-level role's (its file would take the
/// place of that role's). Anything else is safe: it is percent-encoded in names.
fn valid_role_name(name: &str) -> bool {
    !name.is_empty() && !["root", "timestamp", "snapshot", "targets"].contains(&name)
}

/// Percent-encode every byte but ASCII letters, digits and `-._~` (RFC 3986 unreserved), as
/// python-tuf's `quote(name, "")`: the result is one URL path segment and one file name (no
/// `/`, and never `.` or `..` alone, since those get `.json` appended).
pub fn percent_encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 15));
        }
    }
    out
}

fn hex_digit(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'A' + (n - 10) % 6 })
}

/// Length and hashes against the referring metadata's listing (when given), then the envelope.
fn checked_envelope(bytes: &[u8], max: u64, listed: &MetaFile) -> Result<Envelope> {
    if u64::try_from(bytes.len()).map_or(true, |n| n > max) {
        return err(Code::TooLarge, alloc::format!("{} bytes exceed the limit of {max}", bytes.len()));
    }
    check_length_and_hashes(bytes, listed.length, &listed.hashes, "file")?;
    parse_envelope(bytes, max)
}
