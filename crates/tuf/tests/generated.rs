//! Small repositories generated here with fixed-seed Ed25519 keys: rollback, fast-forward
//! recovery, root rotation faults and delegations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

use std::collections::BTreeMap;

use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};
use sigstore_tuf::canonical::canonicalize;
use sigstore_tuf::{Client, Code, Lookup};
use sigstore_verifier::Time;

struct Key {
    sk: SigningKey,
    id: String,
}

fn key(seed: u8) -> Key {
    Key { sk: SigningKey::from_bytes(&[seed; 32]), id: format!("{seed:02x}").repeat(32) }
}

fn key_json(k: &Key) -> Value {
    json!({"keytype": "ed25519", "scheme": "ed25519", "keyval": {"public": base16ct::lower::encode_string(&k.sk.verifying_key().to_bytes())}})
}

fn sign(signed: Value, keys: &[&Key]) -> Vec<u8> {
    let c = canonicalize(&signed).unwrap();
    let sigs: Vec<Value> = keys.iter().map(|k| json!({"keyid": k.id, "sig": base16ct::lower::encode_string(&k.sk.sign(&c).to_bytes())})).collect();
    serde_json::to_vec(&json!({"signed": signed, "signatures": sigs})).unwrap()
}

const EXPIRES: &str = "2030-01-01T00:00:00Z";

fn now() -> Time {
    Time::parse_rfc3339("2026-08-22T00:00:00Z").unwrap()
}

/// Root `version` with `root` keys (threshold `thr`) and one key per online/targets role.
fn root(version: u64, root: &[&Key], thr: u64, ts: &Key, snap: &Key, targets: &Key, consistent: bool) -> Value {
    let mut keys = serde_json::Map::new();
    for k in root.iter().chain([&ts, &snap, &targets]) {
        keys.insert(k.id.clone(), key_json(k));
    }
    let ids = |ks: &[&Key]| ks.iter().map(|k| Value::String(k.id.clone())).collect::<Vec<_>>();
    json!({
        "_type": "root", "spec_version": "1.0", "version": version, "expires": EXPIRES,
        "consistent_snapshot": consistent, "keys": keys,
        "roles": {
            "root": {"keyids": ids(root), "threshold": thr},
            "timestamp": {"keyids": ids(&[ts]), "threshold": 1},
            "snapshot": {"keyids": ids(&[snap]), "threshold": 1},
            "targets": {"keyids": ids(&[targets]), "threshold": 1},
        }
    })
}

fn timestamp(version: u64, snapshot_version: u64) -> Value {
    json!({"_type": "timestamp", "spec_version": "1.0", "version": version, "expires": EXPIRES, "meta": {"snapshot.json": {"version": snapshot_version}}})
}

fn snapshot(version: u64, meta: Value) -> Value {
    json!({"_type": "snapshot", "spec_version": "1.0", "version": version, "expires": EXPIRES, "meta": meta})
}

fn targets(version: u64, targets: Value, delegations: Option<Value>) -> Value {
    let mut t = json!({"_type": "targets", "spec_version": "1.0", "version": version, "expires": EXPIRES, "targets": targets});
    if let Some(d) = delegations {
        t["delegations"] = d;
    }
    t
}

fn target_desc(content: &[u8]) -> Value {
    json!({"length": content.len(), "hashes": {"sha256": base16ct::lower::encode_string(&sigstore_verifier::crypto::sha256(content))}})
}

fn run(files: &BTreeMap<String, Vec<u8>>, c: &mut Client) -> Result<(), sigstore_tuf::Error> {
    while let Some(req) = c.next_request() {
        match files.get(&req.name) {
            Some(b) => drop(c.feed(b)?),
            None => c.not_found()?,
        }
    }
    Ok(())
}

fn find(files: &BTreeMap<String, Vec<u8>>, c: &mut Client, name: &str) -> Result<sigstore_tuf::Target, sigstore_tuf::Error> {
    for _ in 0..40 {
        match c.lookup(name)? {
            Lookup::Found(t) => return Ok(t),
            Lookup::Fetch(req) => drop(c.feed(files.get(&req.name).unwrap_or_else(|| panic!("no {}", req.name)))?),
        }
    }
    panic!("lookup loops")
}

/// Keys: 1..=3 root, 4 timestamp, 5 snapshot, 6 targets.
struct Keys {
    r: [Key; 3],
    ts: Key,
    snap: Key,
    tg: Key,
}

fn keys() -> Keys {
    Keys { r: [key(1), key(2), key(3)], ts: key(4), snap: key(5), tg: key(6) }
}

fn root_v1(k: &Keys, consistent: bool) -> Vec<u8> {
    let rs: Vec<&Key> = k.r.iter().collect();
    sign(root(1, &rs, 2, &k.ts, &k.snap, &k.tg, consistent), &rs)
}

/// A plain (not consistent) repository at root 1: timestamp `tv` -> snapshot `sv` -> targets `tgv`.
fn plain(k: &Keys, tv: u64, sv: u64, tgv: u64) -> BTreeMap<String, Vec<u8>> {
    let mut f = BTreeMap::new();
    f.insert("timestamp.json".into(), sign(timestamp(tv, sv), &[&k.ts]));
    f.insert("snapshot.json".into(), sign(snapshot(sv, json!({"targets.json": {"version": tgv}})), &[&k.snap]));
    f.insert("targets.json".into(), sign(targets(tgv, json!({}), None), &[&k.tg]));
    f
}

#[test]
fn plain_repository_updates() {
    let k = keys();
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    run(&plain(&k, 1, 1, 1), &mut c).unwrap();
    assert!(c.is_ready());
}

#[test]
fn timestamp_rollback() {
    let k = keys();
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    c.load_trusted_timestamp(&sign(timestamp(5, 5), &[&k.ts])).unwrap();
    let e = run(&plain(&k, 4, 5, 1), &mut c).unwrap_err();
    assert_eq!(e.code, Code::Rollback, "{e}");
    // A newer timestamp listing an older snapshot.
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    c.load_trusted_timestamp(&sign(timestamp(5, 5), &[&k.ts])).unwrap();
    assert_eq!(run(&plain(&k, 6, 4, 1), &mut c).unwrap_err().code, Code::Rollback);
}

#[test]
fn snapshot_rollback_of_targets_version() {
    let k = keys();
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    c.load_trusted_snapshot(&sign(snapshot(3, json!({"targets.json": {"version": 7}})), &[&k.snap])).unwrap();
    assert_eq!(run(&plain(&k, 1, 4, 6), &mut c).unwrap_err().code, Code::Rollback);
}

#[test]
fn snapshot_version_differs_from_timestamp_listing() {
    let k = keys();
    let mut f = plain(&k, 1, 2, 1);
    f.insert("snapshot.json".into(), sign(snapshot(3, json!({"targets.json": {"version": 1}})), &[&k.snap]));
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    assert_eq!(run(&f, &mut c).unwrap_err().code, Code::VersionMismatch);
}

#[test]
fn snapshot_hash_listed_by_timestamp() {
    let k = keys();
    let mut f = plain(&k, 1, 1, 1);
    let snap = f["snapshot.json"].clone();
    let mut ts = timestamp(1, 1);
    ts["meta"]["snapshot.json"]["length"] = json!(snap.len());
    ts["meta"]["snapshot.json"]["hashes"] = json!({"sha256": "00".repeat(32)});
    f.insert("timestamp.json".into(), sign(ts, &[&k.ts]));
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    assert_eq!(run(&f, &mut c).unwrap_err().code, Code::LengthOrHashMismatch);
}

#[test]
fn rotated_timestamp_key_discards_the_trusted_timestamp() {
    let k = keys();
    let new_ts = key(9);
    let rs: Vec<&Key> = k.r.iter().collect();
    let mut f = plain(&k, 1, 1, 1);
    f.insert("2.root.json".into(), sign(root(2, &rs, 2, &new_ts, &k.snap, &k.tg, false), &rs));
    f.insert("timestamp.json".into(), sign(timestamp(1, 1), &[&new_ts]));
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    // A (compromised-key) timestamp version far ahead, trusted before the rotation.
    c.load_trusted_timestamp(&sign(timestamp(1_000_000, 1_000_000), &[&k.ts])).unwrap();
    run(&f, &mut c).unwrap();
    assert_eq!(c.root().common.version, 2);
    assert_eq!(c.timestamp().unwrap().common.version, 1);
}

#[test]
fn root_rotation_needs_old_and_new_thresholds() {
    let k = keys();
    let new = [key(11), key(12), key(13)];
    let ns: Vec<&Key> = new.iter().collect();
    let old: Vec<&Key> = k.r.iter().collect();
    let r2 = root(2, &ns, 2, &k.ts, &k.snap, &k.tg, false);
    // Signed by the new keys only.
    let mut f = plain(&k, 1, 1, 1);
    f.insert("2.root.json".into(), sign(r2.clone(), &ns));
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    assert_eq!(run(&f, &mut c).unwrap_err().code, Code::SignatureThresholdNotMet);
    // Signed by the old keys only.
    f.insert("2.root.json".into(), sign(r2.clone(), &old));
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    assert_eq!(run(&f, &mut c).unwrap_err().code, Code::SignatureThresholdNotMet);
    // One old key twice: never counted twice; the file is refused outright (§4.2: a key id is
    // unique in `signatures`).
    f.insert("2.root.json".into(), sign(r2.clone(), &[&k.r[0], &k.r[0], &new[0], &new[1]]));
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    assert_eq!(run(&f, &mut c).unwrap_err().code, Code::MetadataInvalid);
    // Two of each: accepted.
    f.insert("2.root.json".into(), sign(r2, &[&k.r[0], &k.r[2], &new[0], &new[1]]));
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    run(&f, &mut c).unwrap();
    assert_eq!(c.root().common.version, 2);
}

/// Consistent repository with delegations:
/// targets -> "a" (paths `a/*`), "t" (paths `t/*`, terminating), "h" (hash prefix of `h.txt`)
/// "a" -> "c" (paths `a/*`); "t" -> nothing useful, then targets' later "t2" (also `t/*`) lists
/// `t/x` but must not be reached past the terminating "t".
fn delegated_repo(k: &Keys) -> (BTreeMap<String, Vec<u8>>, Key, Key) {
    let da = key(20);
    let dc = key(21);
    let role = |name: &str, kid: &Key, paths: Value, terminating: bool| {
        let mut r = json!({"name": name, "keyids": [kid.id], "threshold": 1, "terminating": terminating});
        if name == "h" {
            r["path_hash_prefixes"] = paths;
        } else {
            r["paths"] = paths;
        }
        r
    };
    let h_prefix = base16ct::lower::encode_string(&sigstore_verifier::crypto::sha256(b"h.txt"))[..4].to_string();
    let keys_of = |ks: &[&Key]| {
        let mut m = serde_json::Map::new();
        for kk in ks {
            m.insert(kk.id.clone(), key_json(kk));
        }
        Value::Object(m)
    };
    let top = targets(
        1,
        json!({"top.txt": target_desc(b"top")}),
        Some(json!({"keys": keys_of(&[&da]), "roles": [
            role("a", &da, json!(["a/*"]), false),
            role("t", &da, json!(["t/*"]), true),
            role("t2", &da, json!(["t/*"]), false),
            role("h", &da, json!([h_prefix]), false),
        ]})),
    );
    let a = targets(1, json!({}), Some(json!({"keys": keys_of(&[&dc]), "roles": [role("c", &dc, json!(["a/*"]), false)]})));
    let c = targets(2, json!({"a/deep.txt": target_desc(b"deep")}), None);
    let t = targets(1, json!({}), None);
    let t2 = targets(1, json!({"t/x": target_desc(b"x")}), None);
    let h = targets(1, json!({"h.txt": target_desc(b"h")}), None);
    let mut f = BTreeMap::new();
    let files = [("a", sign(a, &[&da]), 1), ("c", sign(c, &[&dc]), 2), ("t", sign(t, &[&da]), 1), ("t2", sign(t2, &[&da]), 1), ("h", sign(h, &[&da]), 1)];
    let mut meta = json!({"targets.json": {"version": 1}});
    for (name, bytes, v) in files {
        meta[format!("{name}.json")] =
            json!({"version": v, "length": bytes.len(), "hashes": {"sha256": base16ct::lower::encode_string(&sigstore_verifier::crypto::sha256(&bytes))}});
        f.insert(format!("{v}.{name}.json"), bytes);
    }
    f.insert("timestamp.json".into(), sign(timestamp(1, 1), &[&k.ts]));
    f.insert("1.snapshot.json".into(), sign(snapshot(1, meta), &[&k.snap]));
    f.insert("1.targets.json".into(), sign(top, &[&k.tg]));
    (f, da, dc)
}

#[test]
fn delegations() {
    let k = keys();
    let (f, _, _) = delegated_repo(&k);
    let mut c = Client::new(&root_v1(&k, true), now()).unwrap();
    run(&f, &mut c).unwrap();
    let t = find(&f, &mut c, "top.txt").unwrap();
    assert_eq!(t.download_path(), format!("{}.top.txt", base16ct::lower::encode_string(&sigstore_verifier::crypto::sha256(b"top"))));
    t.verify(b"top").unwrap();
    let t = find(&f, &mut c, "a/deep.txt").unwrap();
    assert!(t.download_path().starts_with("a/") && t.download_path().ends_with(".deep.txt"));
    t.verify(b"deep").unwrap();
    find(&f, &mut c, "h.txt").unwrap().verify(b"h").unwrap();
    // Behind the terminating "t": "t2" is never consulted.
    assert_eq!(find(&f, &mut c, "t/x").unwrap_err().code, Code::TargetNotFound);
    // No delegation covers it.
    assert_eq!(find(&f, &mut c, "b/deep.txt").unwrap_err().code, Code::TargetNotFound);
}

#[test]
fn delegated_role_faults() {
    let k = keys();
    let (mut f, _, dc) = delegated_repo(&k);
    // "c" signed by the wrong key: it must be the key "a" delegated with.
    let c2 = f["2.c.json"].clone();
    let v: Value = serde_json::from_slice(&c2).unwrap();
    f.insert("2.c.json".into(), sign(v["signed"].clone(), &[&k.tg]));
    let mut c = Client::new(&root_v1(&k, true), now()).unwrap();
    run(&f, &mut c).unwrap();
    // The snapshot lists c's hash: the re-signed file differs, so its hash fails first.
    assert_eq!(find(&f, &mut c, "a/deep.txt").unwrap_err().code, Code::LengthOrHashMismatch);
    // With no hash listed, the signature by a key "a" did not delegate to fails.
    let snap: Value = serde_json::from_slice(&f["1.snapshot.json"]).unwrap();
    let mut signed = snap["signed"].clone();
    signed["meta"]["c.json"] = json!({"version": 2});
    f.insert("1.snapshot.json".into(), sign(signed, &[&k.snap]));
    let mut c = Client::new(&root_v1(&k, true), now()).unwrap();
    run(&f, &mut c).unwrap();
    assert_eq!(find(&f, &mut c, "a/deep.txt").unwrap_err().code, Code::SignatureThresholdNotMet);
    // Signed by the delegated key but listed at another version.
    f.insert("2.c.json".into(), sign(v["signed"].clone(), &[&dc]));
    let mut signed = snap["signed"].clone();
    signed["meta"]["c.json"] = json!({"version": 2});
    let mut cv = v["signed"].clone();
    cv["version"] = json!(3);
    f.insert("2.c.json".into(), sign(cv, &[&dc]));
    f.insert("1.snapshot.json".into(), sign(signed, &[&k.snap]));
    let mut c = Client::new(&root_v1(&k, true), now()).unwrap();
    run(&f, &mut c).unwrap();
    assert_eq!(find(&f, &mut c, "a/deep.txt").unwrap_err().code, Code::VersionMismatch);
}

#[test]
fn delegation_bound() {
    let k = keys();
    let (f, _, _) = delegated_repo(&k);
    let limits = sigstore_tuf::Limits { max_delegated_roles: 1, ..Default::default() };
    let mut c = Client::with_limits(&root_v1(&k, true), now(), limits).unwrap();
    run(&f, &mut c).unwrap();
    assert_eq!(find(&f, &mut c, "a/deep.txt").unwrap_err().code, Code::LimitExceeded);
}

/// The update with a cache, as the faces drive it: each cached copy offered first, fetched
/// files stored when the client says so. Returns the names fetched.
fn run_cached(files: &BTreeMap<String, Vec<u8>>, cache: &mut BTreeMap<String, Vec<u8>>, c: &mut Client) -> Result<Vec<String>, sigstore_tuf::Error> {
    let mut fetched = Vec::new();
    while let Some(req) = c.next_request() {
        if let Some(b) = cache.get(&req.local).cloned() {
            if c.feed_cached(&b) == Ok(true) {
                continue;
            }
        }
        fetched.push(req.name.clone());
        match files.get(&req.name) {
            Some(b) => {
                if c.feed(b)? == sigstore_tuf::Fed::Trusted {
                    cache.insert(req.local.clone(), b.clone());
                }
            }
            None => c.not_found()?,
        }
    }
    Ok(fetched)
}

#[test]
fn cached_snapshot_and_targets_are_not_fetched_again() {
    let k = keys();
    let f = plain(&k, 1, 1, 1);
    let mut cache = BTreeMap::new();
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    assert_eq!(run_cached(&f, &mut cache, &mut c).unwrap(), ["2.root.json", "timestamp.json", "snapshot.json", "targets.json"]);
    assert_eq!(cache.keys().collect::<Vec<_>>(), ["snapshot.json", "targets.json", "timestamp.json"]);
    // Same repository: only the next root and the timestamp are asked for.
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    assert_eq!(run_cached(&f, &mut cache, &mut c).unwrap(), ["2.root.json", "timestamp.json"]);
    assert!(c.is_ready());
    // A new targets version: timestamp, snapshot and targets are fetched.
    let f2 = plain(&k, 2, 2, 2);
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    assert_eq!(run_cached(&f2, &mut cache, &mut c).unwrap(), ["2.root.json", "timestamp.json", "snapshot.json", "targets.json"]);
    // A cached snapshot newer than what the repository serves is the rollback reference.
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    let f_old = plain(&k, 3, 1, 1);
    assert_eq!(run_cached(&f_old, &mut cache, &mut c).unwrap_err().code, Code::Rollback);
}

#[test]
fn equal_version_timestamp_keeps_the_trusted_copy() {
    let k = keys();
    let f = plain(&k, 1, 1, 1);
    let mut cache = BTreeMap::new();
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    run_cached(&f, &mut cache, &mut c).unwrap();
    // The repository re-signs timestamp v1 with another snapshot version: the trusted v1 stays.
    let mut f2 = f.clone();
    f2.insert("timestamp.json".into(), sign(timestamp(1, 100), &[&k.ts]));
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    run_cached(&f2, &mut cache, &mut c).unwrap();
    assert_eq!(c.timestamp().unwrap().meta["snapshot.json"].version, 1);
    assert_eq!(cache["timestamp.json"], f["timestamp.json"]);
}

#[test]
fn duplicate_signature_key_ids_are_invalid() {
    let k = keys();
    let mut f = plain(&k, 1, 1, 1);
    f.insert("timestamp.json".into(), sign(timestamp(1, 1), &[&k.ts, &k.ts]));
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    assert_eq!(run(&f, &mut c).unwrap_err().code, Code::MetadataInvalid);
}

#[test]
fn delegated_role_names_are_percent_encoded() {
    let k = keys();
    let d = key(7);
    let role = "../a role?";
    let mut f = BTreeMap::new();
    let delegations =
        json!({"keys": {d.id.clone(): key_json(&d)}, "roles": [{"name": role, "keyids": [d.id], "threshold": 1, "terminating": false, "paths": ["*"]}]});
    f.insert("timestamp.json".into(), sign(timestamp(1, 1), &[&k.ts]));
    f.insert("snapshot.json".into(), sign(snapshot(1, json!({"targets.json": {"version": 1}, format!("{role}.json"): {"version": 1}})), &[&k.snap]));
    f.insert("targets.json".into(), sign(targets(1, json!({}), Some(delegations)), &[&k.tg]));
    f.insert("..%2Fa%20role%3F.json".into(), sign(targets(1, json!({"t": target_desc(b"x")}), None), &[&d]));
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    run(&f, &mut c).unwrap();
    assert_eq!(find(&f, &mut c, "t").unwrap().desc.length, 1);
    // A delegated role may not take a top-level role's file name.
    let mut f2 = f.clone();
    let bad =
        json!({"keys": {d.id.clone(): key_json(&d)}, "roles": [{"name": "snapshot", "keyids": [d.id], "threshold": 1, "terminating": false, "paths": ["*"]}]});
    f2.insert("targets.json".into(), sign(targets(1, json!({}), Some(bad)), &[&k.tg]));
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    run(&f2, &mut c).unwrap();
    assert_eq!(c.lookup("t").unwrap_err().code, Code::MetadataInvalid);
}

#[test]
fn from_cache_records_expiry_instead_of_failing() {
    let k = keys();
    let f = plain(&k, 1, 1, 1);
    let later = Time::parse_rfc3339("2031-01-01T00:00:00Z").unwrap();
    let mut c = Client::new(&root_v1(&k, false), later).unwrap();
    assert_eq!(run(&f, &mut c).unwrap_err().code, Code::Expired);
    let mut c = Client::from_cache(&root_v1(&k, false), later, sigstore_tuf::Limits::default()).unwrap();
    run(&f, &mut c).unwrap();
    assert!(c.is_ready());
    assert_eq!(c.expired(), ["root", "timestamp", "snapshot", "targets"]);
    // Signatures are still checked.
    let mut bad = f.clone();
    bad.insert("snapshot.json".into(), sign(snapshot(1, json!({"targets.json": {"version": 1}})), &[&k.ts]));
    let mut c = Client::from_cache(&root_v1(&k, false), later, sigstore_tuf::Limits::default()).unwrap();
    assert_eq!(run(&bad, &mut c).unwrap_err().code, Code::SignatureThresholdNotMet);
}

#[test]
fn trust_is_reported_only_after_the_update() {
    let k = keys();
    let mut c = Client::new(&root_v1(&k, false), now()).unwrap();
    assert_eq!(c.trust("custom", "http://x").unwrap_err().code, Code::UnexpectedInput);
    run(&plain(&k, 3, 2, 1), &mut c).unwrap();
    let t = c.trust("custom", "http://x").unwrap();
    assert_eq!((t.root_version, t.timestamp_version, t.snapshot_version, t.targets_version, t.fresh), (1, 3, 2, 1, true));
    assert_eq!(t.timestamp_expires, EXPIRES);
}
