#!/usr/bin/env bash
# Fill fuzz/corpus/<target>/ with seeds from tests/data (the corpora are not committed:
# fuzz/corpus is in fuzz/.gitignore). Idempotent: seeds are named by content hash, and whatever
# libFuzzer added to a corpus is kept. Needs python3 (installed with apt when missing).
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v python3 >/dev/null 2>&1; then
  apt-get install -y --no-install-recommends python3 >/dev/null || { apt-get update >/dev/null && apt-get install -y --no-install-recommends python3 >/dev/null; }
fi
python3 - <<'PY'
import base64, glob, hashlib, json, os

data = "../tests/data"
counts = {}

def put(target, blob):
    if isinstance(blob, str):
        blob = blob.encode()
    d = os.path.join("corpus", target)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "seed-" + hashlib.sha256(blob).hexdigest()[:16])
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(blob)
    counts[target] = counts.get(target, 0) + 1

def read(p):
    with open(p, "rb") as f:
        return f.read()

def b64(s):
    try:
        return base64.b64decode(s, validate=False)
    except Exception:
        return None

def walk(v, key=None):
    """Yield (key, value) for every string value in a JSON document."""
    if isinstance(v, dict):
        for k, x in v.items():
            yield from walk(x, k)
    elif isinstance(v, list):
        for x in v:
            yield from walk(x, key)
    elif isinstance(v, str):
        yield key, v

for p in sorted(glob.glob(f"{data}/conformance/bundle-verify/*/bundle.sigstore.json")):
    raw = read(p)
    put("bundle_verify", raw)
    try:
        doc = json.loads(raw)
    except Exception:
        continue
    vm = doc.get("verificationMaterial", {}) if isinstance(doc, dict) else {}
    # Certificates: the leaf or the chain's rawBytes.
    for _, s in walk([vm.get("certificate"), vm.get("x509CertificateChain")]):
        der = b64(s)
        if der:
            put("certificate_der", der)
    for _, s in walk(vm.get("timestampVerificationData")):
        der = b64(s)
        if der:
            put("rfc3161_token", der)
    for k, s in walk(vm.get("tlogEntries")):
        if k == "envelope":
            put("checkpoint", s)

for p in sorted(glob.glob(f"{data}/conformance/bundle-verify/*/trusted_root.json")) + sorted(glob.glob(f"{data}/conformance/trusted_roots/*.json")) + [f"{data}/tuf/targets/trusted_root.json"]:
    if not os.path.exists(p):
        continue
    raw = read(p)
    put("trusted_root", raw)
    try:
        doc = json.loads(raw)
    except Exception:
        continue
    # CA, TSA and log certificates of the trusted roots.
    for k, s in walk(doc):
        if k == "rawBytes":
            der = b64(s)
            if der and der[:1] == b"\x30":
                put("certificate_der", der)

for p in sorted(glob.glob(f"{data}/tuf/metadata/**/*.json", recursive=True)) + [f"{data}/tuf/github-root.json"]:
    if os.path.exists(p):
        put("tuf_metadata", read(p))

for p in sorted(glob.glob(f"{data}/npm/*.json")):
    name = os.path.basename(p)
    if name == "keys.json" or name.endswith(".attestations.json"):
        put("npm_documents", read(p))

for p in sorted(glob.glob(f"{data}/pypi/*.provenance")) + sorted(glob.glob(f"{data}/pypi/*.attestation")):
    put("pypi_documents", read(p))
    put("pypi_documents", os.path.basename(p).rsplit(".", 2)[0] if p.endswith(".attestation") else os.path.basename(p)[: -len(".provenance")])

# GitHub attestation inputs: single bundles, JSON lines of two, a REST response of two.
bundles = [read(p) for p in sorted(glob.glob(f"{data}/conformance/bundle-verify/*/bundle.sigstore.json"))[:8]] + [read(p) for p in sorted(glob.glob(f"{data}/github/*.sigstore.json"))[:4]]
for i, b in enumerate(bundles):
    put("attest_documents", b)
    try:
        one = json.dumps(json.loads(b))
    except Exception:
        continue
    put("attest_documents", one + "\n" + one + "\n")
    put("attest_documents", json.dumps({"attestations": [{"bundle": json.loads(b), "repository_id": i}]}))
put("attest_documents", "octo-org/private-app")
put("attest_documents", "sha256:" + "ab" * 32)

# Identity patterns: PATTERN NUL VALUE, from the patterns this workspace builds and the SANs and
# issuers of the conformance cases.
patterns = [
    r"https://github\.com/[^/]+/[^/]+/\.github/workflows/[^@]+@.+",
    r"https://gitlab\.com/[^@]+//[^@]+@.+",
    r"(?s:.*)(?:refs/heads/main$)(?s:.*)",
    r"(?i)^https://token\.actions\.githubusercontent\.com$",
    r"(?x) [a-z0-9._%+-]+ @ [[:alnum:].-]+ \.(?:com|dev)  # email",
    r"[a-z&&[^aeiou]]{2,5}|\b{start}\w+\b{end}|(?m:^.$)",
    r".+",
]
try:
    cases = json.load(open(f"{data}/conformance/cases.json"))
except Exception:
    cases = []
values = sorted({c.get(k) for c in cases for k in ("identity", "issuer") if isinstance(c.get(k), str)})
for p in patterns:
    put("identity_pattern", p)
    for v in values or ["https://token.actions.githubusercontent.com"]:
        put("identity_pattern", p + "\0" + v)

for t in ["bundle_verify", "trusted_root", "certificate_der", "rfc3161_token", "checkpoint", "tuf_metadata", "npm_documents", "pypi_documents", "attest_documents", "identity_pattern"]:
    n = len(os.listdir(os.path.join("corpus", t))) if os.path.isdir(os.path.join("corpus", t)) else 0
    print(f"seed: {t}: {counts.get(t, 0)} seeds offered, {n} files in corpus/{t}")
PY
