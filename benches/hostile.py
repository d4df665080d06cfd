#!/usr/bin/env python3
"""Hostile inputs from issue 15 ("Why"), built from the vendored conformance bundles, run through
the release CLI; prints, per case, the exit status, the error code, the wall time and the peak
memory (max RSS, from /usr/bin/time). A benchmark, not a test: nothing here asserts a time.

usage: python3 benches/hostile.py [--cli target/release/sigstore-verify] [--keep DIR]
(build the CLI first: cargo build --release --bin sigstore-verify)
"""
import base64, copy, hashlib, json, os, re, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data", "conformance", "bundle-verify")
ID = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
ISS = "https://token.actions.githubusercontent.com"

def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default

CLI = os.path.join(ROOT, arg("--cli", "target/release/sigstore-verify"))
OUT = arg("--keep", None) or tempfile.mkdtemp(prefix="hostile-")

def load(case):
    with open(os.path.join(DATA, case, "bundle.sigstore.json")) as f:
        return json.load(f)

def write(name, data, binary=False):
    p = os.path.join(OUT, name)
    with open(p, "wb" if binary else "w") as f:
        if binary:
            f.write(data)
        else:
            json.dump(data, f)
    return p

def cases():
    art = os.path.join(DATA, "a.txt")
    # 1. A DSSE bundle with 1,024 in-toto subjects (sha256, sha384, sha512 each, none matching)
    #    over a 50 MB artifact.
    b = load("happy-path-intoto-in-dsse-v3")
    env = b["dsseEnvelope"]
    st = json.loads(base64.b64decode(env["payload"]))
    st["subject"] = [{"name": f"s{i}", "digest": {"sha256": "00" * 32, "sha384": "00" * 48, "sha512": "00" * 64}} for i in range(1024)]
    env["payload"] = base64.b64encode(json.dumps(st).encode()).decode()
    big = write("big.bin", os.urandom(1 << 20) * 50, binary=True)
    yield "1024 subjects x 3 digests, 50 MB artifact", write("subjects.json", b), big
    # 2. 32 log entries whose checkpoints carry a 1 MiB extension line and their signature line
    #    100 times.
    b = load("happy-path-v0.3")
    e = b["verificationMaterial"]["tlogEntries"][0]
    cp = e["inclusionProof"]["checkpoint"]["envelope"]
    head, sig = cp.split("\n\n", 1)
    e2 = copy.deepcopy(e)
    e2["inclusionProof"]["checkpoint"]["envelope"] = head + "\n" + "x" * (1 << 20) + "\n\n" + sig * 100
    b2 = copy.deepcopy(b)
    b2["verificationMaterial"]["tlogEntries"] = [copy.deepcopy(e2) for _ in range(32)]
    yield "32 entries, 1 MiB checkpoint line, signature line x100", write("checkpoints.json", b2), art
    b2["verificationMaterial"]["tlogEntries"] = [e2]
    yield "1 entry, 1 MiB checkpoint line, signature line x100", write("checkpoint1.json", b2), art
    # 3. One real entry copied 32 times with its real checkpoint line repeated 100 times.
    e3 = copy.deepcopy(e)
    e3["inclusionProof"]["checkpoint"]["envelope"] = head + "\n\n" + sig * 100
    b3 = copy.deepcopy(b)
    b3["verificationMaterial"]["tlogEntries"] = [copy.deepcopy(e3) for _ in range(32)]
    yield "one real entry x32, its signature line x100", write("repeats.json", b3), art
    # 4. 100,000 copies of a log entry (about 700 MB).
    p = os.path.join(OUT, "copies.json")
    one = json.dumps(e)
    with open(p, "w") as f:
        text = json.dumps(b)
        i = text.index('"tlogEntries": [') + len('"tlogEntries": [')
        j = text.index("]", text.index('"canonicalizedBody"', i))
        f.write(text[:i])
        for k in range(100_000):
            f.write(("," if k else "") + one)
        f.write(text[j:])
    yield "100,000 copies of a log entry", p, art
    # 5. A 60 MB base64 field.
    b5 = copy.deepcopy(b)
    b5["verificationMaterial"]["tlogEntries"][0]["canonicalizedBody"] = "A" * (60 << 20)
    yield "a 60 MB base64 field", write("base64.json", b5), art

def run(bundle, artifact):
    cmd = ["/usr/bin/time", "-f", "%M", CLI, "verify-bundle", "--bundle", bundle, "--certificate-identity", ID,
           "--certificate-oidc-issuer", ISS, "--offline", artifact]
    t = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True)
    dt = time.monotonic() - t
    lines = r.stderr.strip().splitlines()
    rss_kib = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    code = next((m.group(1) for l in lines for m in [re.match(r"error: ([A-Z_]+):", l)] if m), "-")
    return r.returncode, code, dt, rss_kib

print(f"{'case':58} {'exit':>4} {'code':28} {'time':>8} {'peak RSS':>10}")
for name, bundle, artifact in cases():
    rc, code, dt, rss = run(bundle, artifact)
    print(f"{name:58} {rc:>4} {code:28} {dt:7.2f}s {rss / 1024:8.1f} MB")
if "--keep" not in sys.argv:
    import shutil
    shutil.rmtree(OUT)
