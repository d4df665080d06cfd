//! No-panic sweep: flip bytes across every decoded field of passing bundles (base64 fields are
//! decoded, flipped and re-encoded; text fields get a changed character; integers change) and
//! assert that verification returns an error or a verdict, never panics. A panic in WASM kills
//! the instance.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

mod common;

use base64ct::{Base64, Encoding};
use serde_json::Value;

/// Byte positions to flip in a field of `len` bytes: all of them for short fields, otherwise
/// the first and last 24 plus an even spread.
fn positions(len: usize) -> Vec<usize> {
    if len <= 96 {
        return (0..len).collect();
    }
    let mut v: Vec<usize> = (0..24).chain(len - 24..len).collect();
    let step = (len / 48).max(1);
    v.extend((24..len - 24).step_by(step));
    v
}

/// Every leaf path in the JSON document.
fn leaves(v: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                path.push(Value::String(k.clone()));
                leaves(x, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(Value::from(i));
                leaves(x, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

fn at<'a>(v: &'a mut Value, path: &[Value]) -> &'a mut Value {
    path.iter().fold(v, |v, p| match p {
        Value::String(k) => &mut v[k.as_str()],
        Value::Number(i) => &mut v[i.as_u64().unwrap() as usize],
        _ => unreachable!(),
    })
}

/// The mutated variants of one leaf value.
fn mutations(leaf: &Value) -> Vec<Value> {
    match leaf {
        Value::String(s) => {
            let mut out = Vec::new();
            if let Ok(bytes) = Base64::decode_vec(s) {
                if !bytes.is_empty() {
                    for i in positions(bytes.len()) {
                        for mask in [0x01u8, 0x80] {
                            let mut b = bytes.clone();
                            b[i] ^= mask;
                            out.push(Value::String(Base64::encode_string(&b)));
                        }
                    }
                    out.push(Value::String(Base64::encode_string(&bytes[..bytes.len() / 2])));
                    out.push(Value::String(String::new()));
                    return out;
                }
            }
            let chars: Vec<char> = s.chars().collect();
            for i in positions(chars.len()) {
                let mut c = chars.clone();
                c[i] = if c[i] == 'a' { 'b' } else { 'a' };
                out.push(Value::String(c.into_iter().collect()));
            }
            out.push(Value::String(String::new()));
            out.push(Value::from(7));
            out
        }
        Value::Number(_) => vec![Value::from(0), Value::from(-1), Value::from(u64::MAX), Value::String("x".into())],
        Value::Bool(b) => vec![Value::Bool(!b)],
        Value::Null => vec![Value::from(1)],
        _ => vec![],
    }
}

#[test]
fn mutated_bundles_never_panic() {
    // One passing case per bundle shape: v0.1, v0.2, v0.3, DSSE Rekor v1, intoto + TSA,
    // Rekor v2 + TSA, Rekor v2 DSSE, managed key, SCT with extensions, cosigned checkpoint.
    let ids = [
        "PATH-happy-path-v0.1",
        "PATH-happy-path-v0.2",
        "PATH-happy-path-v0.3",
        "PATH-happy-path-intoto-in-dsse-v3",
        "PATH-intoto-with-custom-trust-root",
        "PATH-rekor2-happy-path",
        "PATH-rekor2-dsse-happy-path",
        "PATH-managed-key-happy-path",
        "PATH-bundle-with-sct-with-extensions",
        "PATH-rekor2-checkpoint-two-sigs-cosigned",
    ];
    let mut runs = 0usize;
    let mut verified_mutants = Vec::new();
    for id in ids {
        let c = common::case(id);
        let original: Value = serde_json::from_str(&std::fs::read_to_string(&c.bundle).unwrap()).unwrap();
        let verifier = c.verifier().unwrap();
        c.verify_with(&verifier, &original.to_string()).unwrap_or_else(|e| panic!("{id} must verify unchanged: {e}"));
        let mut paths = Vec::new();
        leaves(&original, &mut Vec::new(), &mut paths);
        for p in &paths {
            let leaf = at(&mut original.clone(), p).clone();
            for m in mutations(&leaf) {
                let mut b = original.clone();
                *at(&mut b, p) = m;
                runs += 1;
                if c.verify_with(&verifier, &b.to_string()).is_ok() {
                    verified_mutants.push(format!("{id} {p:?}"));
                }
            }
        }
    }
    println!("{runs} mutated bundles verified without a panic");
    // Only fields that no check covers may change and still verify: the managed key hint, the
    // DSSE keyid, checkpoint witness lines (ignored by design), and the unsigned parts of an
    // RFC 3161 response (PKIStatus granted/grantedWithMods, embedded certificates, which are
    // never trusted). src/timestamp has its own byte-by-byte sweep of tokens.
    verified_mutants.sort();
    verified_mutants.dedup();
    for m in &verified_mutants {
        assert!(
            m.contains("\"hint\"") || m.contains("\"keyid\"") || m.contains("\"envelope\"") || m.contains("\"signedTimestamp\""),
            "a mutation of a verified field still verified: {m}"
        );
    }
}

#[test]
fn mutated_trusted_root_never_panics() {
    let c = common::case("PATH-rekor2-happy-path");
    let original: Value = serde_json::from_str(&c.root_text()).unwrap();
    let mut paths = Vec::new();
    leaves(&original, &mut Vec::new(), &mut paths);
    for p in &paths {
        let leaf = at(&mut original.clone(), p).clone();
        for m in mutations(&leaf).into_iter().take(40) {
            let mut r = original.clone();
            *at(&mut r, p) = m;
            let _ = sigstore_verifier::TrustedRoot::from_json(&r.to_string()).and_then(|root| sigstore_verifier::Verifier::new(root, Default::default()));
        }
    }
}
