//! TUF in the CLI against the real public-good metadata (tests/data/tuf) served on 127.0.0.1 as
//! the CDN lays it out: the `tuf` conformance protocol, TUF as the default trust of
//! `verify-bundle` and `verify-npm`, the cache, the offline and fallback paths, and faults
//! (404, 500, truncated, oversized and malformed files, expiry, rollback of the cache), each with
//! its exact code and with the cache left as it was.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

#[path = "../../../tests/common.rs"]
mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use serde_json::Value;

fn data(p: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../tests/data/tuf/{p}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn sha256_hex(b: &[u8]) -> String {
    base16ct::lower::encode_string(&sigstore_verifier::crypto::sha256(b))
}

/// Inside every file's validity (timestamp v762 expires 2026-08-28).
const T_FRESH: &str = "2026-08-22T00:00:00Z";
/// After the timestamp's expiry, before root 15's (2026-11-20).
const T_EXPIRED: &str = "2026-09-01T00:00:00Z";

#[derive(Clone)]
enum Reply {
    File(Vec<u8>),
    Status(u16),
}

/// A repository on 127.0.0.1: path -> reply, with a log of requested paths.
#[derive(Clone)]
struct Server {
    url: String,
    files: Arc<Mutex<BTreeMap<String, Reply>>>,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start() -> Server {
        let mut files = BTreeMap::new();
        for v in 13..=15 {
            files.insert(format!("/{v}.root.json"), Reply::File(data(&format!("metadata/root_history/{v}.root.json"))));
        }
        files.insert("/timestamp.json".into(), Reply::File(data("metadata/timestamp.json")));
        files.insert("/165.snapshot.json".into(), Reply::File(data("metadata/snapshot.json")));
        files.insert("/14.targets.json".into(), Reply::File(data("metadata/targets.json")));
        files.insert("/8.registry.npmjs.org.json".into(), Reply::File(data("metadata/registry.npmjs.org.json")));
        let tr = data("targets/trusted_root.json");
        files.insert(format!("/targets/{}.trusted_root.json", sha256_hex(&tr)), Reply::File(tr));
        let keys = data("targets/registry.npmjs.org/keys.json");
        files.insert(format!("/targets/registry.npmjs.org/{}.keys.json", sha256_hex(&keys)), Reply::File(keys));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let s = Server { url, files: Arc::new(Mutex::new(files)), log: Arc::new(Mutex::new(Vec::new())) };
        let srv = s.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { continue };
                let mut line = String::new();
                let mut reader = BufReader::new(conn.try_clone().unwrap());
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).map_or(true, |n| n == 0) || h == "\r\n" {
                        break;
                    }
                }
                let path = line.split(' ').nth(1).unwrap_or("").to_string();
                srv.log.lock().unwrap().push(path.clone());
                let reply = srv.files.lock().unwrap().get(&path).cloned().unwrap_or(Reply::Status(404));
                let (status, body) = match reply {
                    Reply::File(b) => (200, b),
                    Reply::Status(s) => (s, Vec::new()),
                };
                let head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len());
                let _ = conn.write_all(head.as_bytes()).and_then(|()| conn.write_all(&body));
            }
        });
        s
    }

    fn set(&self, path: &str, r: Reply) {
        self.files.lock().unwrap().insert(path.into(), r);
    }

    fn take_log(&self) -> Vec<String> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }

    fn target_path(&self, name: &str) -> String {
        self.files.lock().unwrap().keys().find(|k| k.starts_with("/targets/") && k.ends_with(name)).unwrap().clone()
    }
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tuf-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sigstore-verify")).args(args).env("XDG_CACHE_HOME", std::env::temp_dir().join("tuf-cli-xdg")).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn root12(dir: &Path) -> String {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let p = dir.join(format!("tuf-cli-12.root-{}-{n}.json", std::process::id()));
    std::fs::write(&p, data("metadata/root_history/12.root.json")).unwrap();
    p.to_string_lossy().into_owned()
}

/// `verify-bundle` of a conformance happy path with TUF from `server`, cache in `cache`.
fn verify(server: &Server, cache: &Path, time: &str, extra: &[&str]) -> (i32, String, String) {
    let c = common::case("PATH-happy-path-v0.3");
    let root = root12(&std::env::temp_dir());
    let mut args = vec![
        "verify-bundle".to_string(),
        "--bundle".into(),
        c.bundle.to_string_lossy().into_owned(),
        "--certificate-identity".into(),
        c.identity.clone().unwrap(),
        "--certificate-oidc-issuer".into(),
        c.issuer.clone().unwrap(),
        "--tuf-url".into(),
        server.url.clone(),
        "--tuf-root".into(),
        root,
        "--tuf-cache".into(),
        cache.to_string_lossy().into_owned(),
        "--insecure-tuf-time".into(),
        time.into(),
        "--json".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(c.artifact.as_ref().unwrap().to_string_lossy().into_owned());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    cli(&refs)
}

fn trust(out: &str) -> Value {
    serde_json::from_str::<Value>(out).unwrap_or_else(|e| panic!("{e}: {out}"))["trust"].clone()
}

#[test]
fn conformance_protocol_init_refresh_download() {
    let s = Server::start();
    let d = tmp("protocol");
    let meta = d.join("metadata");
    let targets = d.join("targets");
    std::fs::create_dir_all(&meta).unwrap();
    let root = root12(&d);
    let m = meta.to_str().unwrap();
    assert_eq!(cli(&["tuf", "--metadata-dir", m, "init", &root]).0, 0);
    assert!(s.take_log().is_empty(), "init makes no request");
    // The protocol reads the real clock, and the vendored metadata has expired (root 15 on
    // 2026-11-20): the refresh rotates the root to 15 (each verified root is kept), then fails
    // on its expiry, with its code, before asking for the timestamp.
    let (rc, _, err) = cli(&["tuf", "--metadata-dir", m, "--metadata-url", &s.url, "refresh"]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: TUF_EXPIRED: root expired"), "{err}");
    let root_now: Value = serde_json::from_slice(&std::fs::read(meta.join("root.json")).unwrap()).unwrap();
    assert_eq!(root_now["signed"]["version"], 15);
    assert!(!meta.join("timestamp.json").exists(), "an expired timestamp is not stored");
    assert_eq!(s.take_log(), ["/13.root.json", "/14.root.json", "/15.root.json", "/16.root.json"]);
    // Unknown command and missing flags: usage errors.
    assert_eq!(cli(&["tuf", "--metadata-dir", m, "bogus"]).0, 2);
    assert_eq!(cli(&["tuf", "--metadata-dir", m, "--metadata-url", &s.url, "--target-dir", targets.to_str().unwrap(), "download"]).0, 2);
    // An initial root that does not verify is refused at init.
    let bad = d.join("bad.json");
    let mut b = data("metadata/root_history/12.root.json");
    let i = b.windows(9).position(|w| w == b"\"version\"").unwrap();
    b[i + 12] ^= 1;
    std::fs::write(&bad, b).unwrap();
    let (rc, _, err) = cli(&["tuf", "--metadata-dir", d.join("m2").to_str().unwrap(), "init", bad.to_str().unwrap()]);
    assert_eq!(rc, 1, "{err}");
}

#[test]
fn verify_bundle_with_tuf_then_from_cache() {
    let s = Server::start();
    let d = tmp("verify");
    let cache = d.join("cache");
    let (rc, out, err) = verify(&s, &cache, T_FRESH, &[]);
    assert_eq!(rc, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    let t = trust(&out);
    assert_eq!(t["source"], "tuf");
    assert_eq!(t["instance"], "custom");
    assert_eq!(t["url"], s.url.as_str());
    assert_eq!(
        (t["rootVersion"].as_u64(), t["timestampVersion"].as_u64(), t["snapshotVersion"].as_u64(), t["targetsVersion"].as_u64()),
        (Some(15), Some(762), Some(165), Some(14))
    );
    assert_eq!(t["timestampExpires"], "2026-08-28T19:25:56Z");
    assert_eq!(t["fresh"], true);
    let first = s.take_log();
    assert!(first.contains(&"/timestamp.json".to_string()) && first.iter().any(|p| p.ends_with(".trusted_root.json")), "{first:?}");
    // Again: the cache is current, so no request at all.
    let (rc, out, _) = verify(&s, &cache, T_FRESH, &[]);
    assert_eq!(rc, 0);
    assert_eq!(trust(&out)["fresh"], true);
    assert!(s.take_log().is_empty());
    // --offline with the cache: the same verified trust.
    let (rc, out, _) = verify(&s, &cache, T_FRESH, &["--offline"]);
    assert_eq!(rc, 0);
    assert_eq!(trust(&out)["source"], "tuf");
    // A cached target that was tampered with is not used: the cache no longer verifies, the
    // update downloads the target again (the metadata is still current).
    let tr_local = cache.join("targets").join("trusted_root.json");
    let mut tampered = std::fs::read(&tr_local).unwrap();
    tampered[10] ^= 1;
    std::fs::write(&tr_local, &tampered).unwrap();
    let (rc, out, _) = verify(&s, &cache, T_FRESH, &[]);
    assert_eq!(rc, 0);
    assert_eq!(trust(&out)["fresh"], true);
    assert!(s.take_log().iter().any(|p| p.ends_with(".trusted_root.json")));
    assert_eq!(std::fs::read(&tr_local).unwrap(), data("targets/trusted_root.json"));
}

#[test]
fn verify_npm_with_tuf_keys() {
    let s = Server::start();
    let d = tmp("npm");
    let cache = d.join("cache");
    let npm = format!("{}/../../tests/data/npm", env!("CARGO_MANIFEST_DIR"));
    let root = root12(&d);
    let (rc, out, err) = cli(&[
        "verify-npm",
        "sigstore@1.0.0",
        "--attestations",
        &format!("{npm}/sigstore@1.0.0.attestations.json"),
        "--packument",
        &format!("{npm}/sigstore@1.0.0.packument.json"),
        "--integrity",
        "sha512-e+qfbn/zf1+rCza/BhIA//Awmf0v1pa5HQS8Xk8iXrn9bgytytVLqYD0P7NSqZ6IELTgq+tcDvLPkQjNHyWLNg==",
        "--tuf-url",
        &s.url,
        "--tuf-root",
        &root,
        "--tuf-cache",
        cache.to_str().unwrap(),
        "--insecure-tuf-time",
        T_FRESH,
    ]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.contains("registry signature verified"), "{out}");
    assert!(s.take_log().iter().any(|p| p.starts_with("/targets/registry.npmjs.org/")));
    assert_eq!(std::fs::read(cache.join("targets").join("registry.npmjs.org%2Fkeys.json")).unwrap(), data("targets/registry.npmjs.org/keys.json"));
}

/// Expired cached metadata: refresh, or fall back to the stale cache when the repository fails.
#[test]
fn expiry_and_unreachable_repository() {
    let s = Server::start();
    let d = tmp("expiry");
    let cache = d.join("cache");
    assert_eq!(verify(&s, &cache, T_FRESH, &[]).0, 0);
    let ts_before = std::fs::read(cache.join("metadata/timestamp.json")).unwrap();
    s.take_log();
    // Later, the repository answers 500: the stale cache, with a warning and `fresh: false`.
    s.set("/timestamp.json", Reply::Status(500));
    let (rc, out, err) = verify(&s, &cache, T_EXPIRED, &[]);
    assert_eq!(rc, 0, "{err}");
    assert!(err.starts_with("warning: TUF_FETCH_FAILED: ") && err.contains("HTTP 500") && err.lines().count() == 1, "{err}");
    let t = trust(&out);
    assert_eq!((t["source"].as_str(), t["fresh"].as_bool()), (Some("tuf"), Some(false)));
    assert!(t["expired"].as_array().unwrap().iter().any(|r| r == "timestamp"), "{t}");
    // Within the retry interval the repository is not asked again.
    s.take_log();
    assert_eq!(verify(&s, &cache, T_EXPIRED, &[]).0, 0);
    assert!(s.take_log().is_empty());
    // --require-fresh-trust: an error, and it does ask.
    let (rc, out, err) = verify(&s, &cache, T_EXPIRED, &["--require-fresh-trust"]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: TUF_FETCH_FAILED: "), "{err}");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["error"]["code"], "TUF_FETCH_FAILED");
    // The repository answers again, with its (expired) timestamp: no current trust there
    // either, so the stale cache with a warning, or with --require-fresh-trust an error.
    s.set("/timestamp.json", Reply::File(data("metadata/timestamp.json")));
    let (rc, _, err) = verify(&s, &cache, T_EXPIRED, &["--require-fresh-trust"]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: TUF_EXPIRED: "), "{err}");
    let (rc, out, err) = verify(&s, &cache, T_EXPIRED, &[]);
    assert_eq!(rc, 0, "{err}");
    assert!(err.starts_with("warning: TUF_EXPIRED: ") && err.lines().count() == 1, "{err}");
    assert_eq!(trust(&out)["fresh"], false);
    assert_eq!(std::fs::read(cache.join("metadata/timestamp.json")).unwrap(), ts_before, "the cache is unchanged");
    // Offline with the stale cache: used, no warning, fresh false.
    let (rc, out, err) = verify(&s, &cache, T_EXPIRED, &["--offline"]);
    assert_eq!((rc, err.as_str()), (0, ""));
    assert_eq!(trust(&out)["fresh"], false);
    // No cache and no repository: the embedded root is only for the public-good instance, so a
    // custom repository has no trust at all.
    let (rc, _, err) = verify(&s, &d.join("empty"), T_FRESH, &["--offline"]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: TUF_FETCH_FAILED: no verified trust"), "{err}");
}

/// Bad files from the repository: each its code, and nothing of them in the cache.
#[test]
fn faults_have_codes_and_leave_the_cache_alone() {
    let ts = data("metadata/timestamp.json");
    let snapshot = data("metadata/snapshot.json");
    let tr = data("targets/trusted_root.json");
    let mut malformed = ts.clone();
    malformed.truncate(ts.len() / 2);
    let cases: Vec<(&str, &str, Reply, &str)> = vec![
        ("404", "/timestamp.json", Reply::Status(404), "TUF_METADATA_MISSING"),
        ("malformed", "/timestamp.json", Reply::File(malformed), "TUF_METADATA_INVALID"),
        ("oversized", "/timestamp.json", Reply::File([ts.clone(), vec![b' '; 20_000]].concat()), "TUF_TOO_LARGE"),
        // The timestamp lists no length or hashes for the snapshot: a cut file is caught as JSON.
        ("snapshot-truncated", "/165.snapshot.json", Reply::File(snapshot[..snapshot.len() - 1].to_vec()), "TUF_METADATA_INVALID"),
        // Mix and match: another role's metadata (validly signed by its own keys) in the place
        // of the snapshot, and of the top-level targets.
        ("mix-and-match-snapshot", "/165.snapshot.json", Reply::File(data("metadata/targets.json")), "TUF_SIGNATURE_THRESHOLD_NOT_MET"),
        ("mix-and-match-targets", "/14.targets.json", Reply::File(data("metadata/registry.npmjs.org.json")), "TUF_SIGNATURE_THRESHOLD_NOT_MET"),
        ("target-tampered", "", Reply::File([&tr[..tr.len() - 1], b"!"].concat()), "TUF_LENGTH_OR_HASH_MISMATCH"),
    ];
    for (name, path, reply, code) in cases {
        let s = Server::start();
        let path = if path.is_empty() { s.target_path(".trusted_root.json") } else { path.to_string() };
        s.set(&path, reply);
        let d = tmp(&format!("fault-{name}"));
        let cache = d.join("cache");
        let (rc, out, err) = verify(&s, &cache, T_FRESH, &[]);
        assert_eq!(rc, 1, "{name}: {err}");
        assert!(err.starts_with(&format!("error: {code}: ")), "{name}: {err}");
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["error"]["code"], code, "{name}");
        let local = match name {
            "404" | "malformed" | "oversized" => "metadata/timestamp.json",
            "target-tampered" => "targets/trusted_root.json",
            "mix-and-match-targets" => "metadata/targets.json",
            _ => "metadata/snapshot.json",
        };
        assert!(!cache.join(local).exists(), "{name}: {local} was stored");
    }
}

/// A lower timestamp version than the cached one. The vendored data has no older validly
/// signed timestamp, so this one is edited and fails its signature before any version
/// comparison; rollback of validly signed metadata (timestamp, snapshot, listed versions) is
/// tested on generated repositories in crates/tuf/tests/generated.rs.
#[test]
fn a_lower_edited_timestamp_is_refused_and_the_cache_kept() {
    let s = Server::start();
    let d = tmp("rollback");
    let cache = d.join("cache");
    assert_eq!(verify(&s, &cache, T_FRESH, &[]).0, 0);
    let ts_path = cache.join("metadata/timestamp.json");
    let cached: Value = serde_json::from_slice(&std::fs::read(&ts_path).unwrap()).unwrap();
    assert_eq!(cached["signed"]["version"], 762);
    // After the cached timestamp's expiry the update runs and is served version 761.
    let mut lower = data("metadata/timestamp.json");
    let i = lower.windows(13).position(|w| w == b"\"version\": 76").unwrap();
    lower[i + 13] = b'1';
    s.set("/timestamp.json", Reply::File(lower));
    let (rc, _, err) = verify(&s, &cache, "2026-08-29T00:00:00Z", &["--require-fresh-trust"]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: TUF_SIGNATURE_THRESHOLD_NOT_MET: "), "{err}");
    assert_eq!(serde_json::from_slice::<Value>(&std::fs::read(&ts_path).unwrap()).unwrap()["signed"]["version"], 762);
}

/// A cache directory that cannot be created: `TUF_CACHE_FAILED`; a metadata directory with no
/// root for the protocol's refresh: the same.
#[test]
fn unusable_cache_is_an_error() {
    let s = Server::start();
    let d = tmp("cache-fail");
    let file = d.join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let (rc, out, err) = verify(&s, &file.join("cache"), T_FRESH, &[]);
    assert_eq!(rc, 1, "{err}");
    assert!(err.starts_with("error: TUF_CACHE_FAILED: "), "{err}");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["error"]["code"], "TUF_CACHE_FAILED");
    let (rc, _, err) = cli(&["tuf", "--metadata-dir", d.join("none").to_str().unwrap(), "--metadata-url", &s.url, "refresh"]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: TUF_CACHE_FAILED: no readable root.json"), "{err}");
}
