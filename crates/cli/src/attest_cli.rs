//! `verify-attestation`: GitHub artifact attestations with the policy of
//! `gh attestation verify`, read from a file (one bundle, JSON lines, or the REST response).
//!
//! A face over `sigstore-attest`: flags become a [`PolicySpec`], the artifact its digest (a file
//! is hashed as it is read, never held whole); the checks are the crate's. Every bundle gets a
//! verdict; the command succeeds when at least one verifies.

use std::io::Read;
use std::process::ExitCode;

use sigstore_attest::{verify_batch, Batch, BundleVerifier, Input, PolicySpec};
use sigstore_verifier::crypto::HashAlg;
use sigstore_verifier::error::ErrorReport;
use sigstore_verifier::{Artifact, StreamingHasher, VerifierSet};

use super::{exit_status, flag_value, limit, out, out_json, read_max, set, text, usage, ReadFail};
use crate::trust_cli::{TrustFail, TrustFlags};

pub const HELP: &str = "\
GitHub artifact attestations (the policy of `gh attestation verify`, offline):

  sigstore-verify verify-attestation --bundle FILE (--owner ORG | --repo OWNER/REPO)
      [--signer-workflow [HOST/]OWNER/REPO/PATH/TO/WORKFLOW.yml | --signer-repo OWNER/REPO
       | --cert-identity SAN | --cert-identity-regex RE]
      [--source-ref REF] [--source-digest SHA] [--signer-digest SHA]
      [--cert-oidc-issuer URL] [--predicate-type URI] [--deny-self-hosted-runners]
      [--digest-alg sha256|sha512] [THRESHOLDS] [TRUST] [--json] ARTIFACT

ARTIFACT is a file path (hashed as it is read, with --digest-alg, default sha256) or a digest
sha256:HEX / sha512:HEX. --bundle is one Sigstore bundle, a JSON-lines file of bundles (what
`gh attestation download` writes), or the GitHub REST API's response
`{\"attestations\": [{\"bundle\": ...}]}` (GET /repos/OWNER/REPO/attestations/sha256:HEX).
Every bundle is verified (signatures, log entries or timestamps, the artifact as a subject of
its in-toto statement), then checked against the policy:
  --owner / --repo           the certificate's Source Repository Owner URI / Source Repository
                             URI is https://github.com/ORG or /OWNER/REPO (any case); by
                             default the signer (SAN) must be a workflow of that owner or repo
  --signer-workflow W        the SAN starts with https://HOST/W (a regular expression, as gh)
  --signer-repo OWNER/REPO   the SAN is a workflow of that repository (a reusable workflow)
  --cert-identity SAN, --cert-identity-regex RE   the SAN exactly / RE found in it
  --source-ref, --source-digest, --signer-digest  Source Repository Ref / Digest, Build Signer
                             Digest, exactly
  --cert-oidc-issuer URL     default https://token.actions.githubusercontent.com
  --predicate-type URI       default https://slsa.dev/provenance/v1
  --deny-self-hosted-runners the Runner Environment must be github-hosted
A private repository's attestations are signed on GitHub's instance (no transparency log: an RFC
3161 timestamp is required instead): --instance github, or --trusted-root FILE with the trusted
roots `gh attestation trusted-root` prints (JSON lines; each bundle is checked against the
instance whose CA issued its certificate, with that instance's thresholds).
Exit status: 0 at least one bundle verified; 1 none did (`error: ATTEST_NONE_VERIFIED: ...`, each
bundle's code in the output); 2 usage error.
";

#[derive(Default)]
struct Flags {
    bundle: Option<String>,
    artifact: Option<String>,
    digest_alg: Option<String>,
    spec: PolicySpec,
    trust: TrustFlags,
    config: crate::config_cli::ConfigFlags,
    json: bool,
}

fn parse(args: Vec<String>) -> Result<Flags, String> {
    let mut f = Flags::default();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let (flag, inline) = flag_value(&a);
        let mut value = |name: &str| -> Result<String, String> { inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{name} needs a value")) };
        if f.trust.take(&flag, &mut value)? || f.config.take(&flag, &mut value)? {
            continue;
        }
        let s = &mut f.spec;
        let slot = match flag.as_str() {
            "--bundle" | "-b" => &mut f.bundle,
            "--digest-alg" | "-d" => &mut f.digest_alg,
            "--owner" | "-o" => &mut s.owner,
            "--repo" | "-R" => &mut s.repo,
            "--signer-workflow" => &mut s.signer_workflow,
            "--signer-repo" => &mut s.signer_repo,
            "--cert-identity" => &mut s.cert_identity,
            "--cert-identity-regex" | "-i" => &mut s.cert_identity_regex,
            "--source-ref" => &mut s.source_ref,
            "--source-digest" => &mut s.source_digest,
            "--signer-digest" => &mut s.signer_digest,
            "--cert-oidc-issuer" => &mut s.cert_oidc_issuer,
            "--predicate-type" => &mut s.predicate_type,
            "--deny-self-hosted-runners" => {
                s.deny_self_hosted_runners = true;
                continue;
            }
            "--json" => {
                f.json = true;
                continue;
            }
            x if x.starts_with('-') && x.len() > 1 => return Err(format!("unknown flag {x}")),
            _ => {
                set(&mut f.artifact, a.clone(), "ARTIFACT")?;
                continue;
            }
        };
        set(slot, value(&flag)?, &flag)?;
    }
    f.trust.check()?;
    if f.bundle.is_none() {
        return Err("--bundle FILE is required (a bundle, JSON lines of bundles, or the REST API's response)".into());
    }
    if f.artifact.is_none() {
        return Err("ARTIFACT (a file path, sha256:HEX or sha512:HEX) is required".into());
    }
    Ok(f)
}

/// The artifact as a digest: `sha256:HEX` / `sha512:HEX` as given, or a file hashed in 1 MiB
/// pieces with `alg`.
fn artifact_digest(arg: &str, alg: HashAlg) -> Result<Result<Artifact<'static>, sigstore_verifier::Error>, String> {
    let lower = arg.to_ascii_lowercase();
    if ["sha256:", "sha384:", "sha512:"].iter().any(|p| lower.starts_with(p)) {
        return Ok(Artifact::parse_digest(arg));
    }
    let mut file = std::fs::File::open(arg).map_err(|e| format!("cannot read {arg}: {e}"))?;
    let mut h = StreamingHasher::new(alg);
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(|e| format!("cannot read {arg}: {e}"))?;
        if n == 0 {
            break;
        }
        total = total.saturating_add(limit(n));
        if total > super::MAX_ARTIFACT_FILE_BYTES {
            return Err(format!("the artifact {arg} is over the limit of {} bytes", super::MAX_ARTIFACT_FILE_BYTES));
        }
        h.update(buf.get(..n).unwrap_or_default());
    }
    Ok(Ok(Artifact::Digest(alg, h.finalize())))
}

/// Where `verify-attestation` gets what verifies each bundle: the trusted roots of the trust
/// flags (one, or a set as JSON lines), each with its derived thresholds and the threshold
/// flags.
fn bundle_verifier(trust: &TrustFlags, config: &crate::config_cli::ConfigFlags, bundles: usize) -> Result<Box<dyn BundleVerifier>, TrustFail> {
    let roots = trust.resolve_set()?;
    let mut config = config.config();
    // Fixed-base tables pay off from about ten bundles on (see Config::precompute_tables).
    config.precompute_tables = bundles > 8;
    Ok(Box::new(VerifierSet::new(roots, config)?))
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("-")
}

fn report(b: &Batch, artifact: &str) -> String {
    let total = b.verified.len() + b.failed.len();
    let mut s = format!("{} of {total} attestation(s) of {artifact} verified\n", b.verified.len());
    for a in &b.verified {
        let g = &a.signer;
        s += &format!("  [{}] {}\n", a.index, a.predicate_type);
        s += &format!("      repository  {} {} @ {}\n", opt(&g.repository), opt(&g.source_ref), opt(&g.source_digest));
        s += &format!("      signer      {} (issuer {})\n", g.identity, opt(&g.issuer));
        s += &format!("      build       {}\n", opt(&g.build_workflow));
        s += &format!("      runner      {}, run {}\n", opt(&g.runner_environment), opt(&g.run_invocation_uri));
    }
    for f in &b.failed {
        s += &format!("  [{}] not verified: {}: {}\n", f.index, f.error.code, f.error.message);
    }
    s
}

/// The failure of the whole input: the error JSON with empty lists, the stderr line, exit 1
/// (2 for a bad flag value).
fn fail(r: &ErrorReport, json: bool) -> ExitCode {
    if json {
        out_json(&serde_json::json!({ "verified": [], "failed": [], "error": r }));
    }
    eprintln!("error: {}: {}", r.code, r.message);
    exit_status(r.code)
}

pub fn verify_attestation(args: Vec<String>) -> ExitCode {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        out(HELP);
        return ExitCode::SUCCESS;
    }
    let f = match parse(args) {
        Ok(f) => f,
        Err(m) => return usage(&m),
    };
    let alg = match f.digest_alg.as_deref() {
        None | Some("sha256") => HashAlg::Sha256,
        Some("sha512") => HashAlg::Sha512,
        Some(other) => return usage(&format!("--digest-alg {other:?}: sha256 or sha512")),
    };
    // The policy first: options that make none are a usage error.
    let policy = match f.spec.build() {
        Ok(p) => p,
        Err(e) if e.code.is_usage() => return usage(&format!("{}: {}", e.code, e.context)),
        Err(e) => return fail(&e.report(), f.json),
    };
    let path = f.bundle.clone().unwrap_or_default();
    let doc = match read_max(&path, limit(sigstore_attest::input::MAX_INPUT_BYTES), "the attestations file") {
        Ok(b) => b,
        Err(ReadFail::Io(m)) => return usage(&m),
        Err(ReadFail::TooLarge(m)) => return fail(&sigstore_attest::Error::new(sigstore_attest::Code::LimitExceeded, m).report(), f.json),
    };
    let arg = f.artifact.clone().unwrap_or_default();
    let artifact = match artifact_digest(&arg, alg) {
        Ok(Ok(a)) => a,
        Ok(Err(e)) => return fail(&e.report(), f.json),
        Err(m) => return usage(&m),
    };
    let shown = match &artifact {
        Artifact::Digest(a, d) => format!("{}:{}", a.name(), base16(d)),
        Artifact::Bytes(_) => arg.clone(),
    };
    let run = || -> Result<Batch, TrustFail> {
        let r = |e: sigstore_attest::Error| TrustFail::Report(e.report());
        let input = Input::parse(text(&doc, "the attestations file", sigstore_attest::Code::DocumentInvalid).map_err(r)?).map_err(r)?;
        let verifier = bundle_verifier(&f.trust, &f.config, input.bundles.len())?;
        Ok(verify_batch(verifier.as_ref(), &input, &artifact, &policy))
    };
    let batch = match run() {
        Ok(b) => b,
        Err(TrustFail::Report(e)) => return fail(&e, f.json),
        Err(TrustFail::Usage(m)) => return usage(&m),
    };
    let none = batch.require_one().err();
    if f.json {
        let mut j = batch.to_json();
        if let (Some(e), Some(o)) = (&none, j.as_object_mut()) {
            o.insert("error".into(), serde_json::to_value(e.report()).unwrap_or_default());
        }
        out_json(&j);
    } else {
        out(&report(&batch, &shown));
    }
    match none {
        None => ExitCode::SUCCESS,
        Some(e) => {
            eprintln!("error: {}: {}", e.code, e.context);
            ExitCode::from(1)
        }
    }
}

fn base16(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}
