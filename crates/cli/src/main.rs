//! `sigstore-verify`: verify Sigstore bundles from the command line, and npm packages'
//! attestations and registry signatures (`verify-npm`, `verify-npm-lock`), PyPI attestations
//! (`verify-pypi`) and GitHub artifact attestations (`verify-attestation`).
//!
//! Exit status: 0 verified; 1 not verified (any reason that comes from the inputs, a malformed
//! bundle or trusted root included); 2 usage error (bad flags, unreadable file).
//!
//! A face over the core (`sigstore-verifier`) and `sigstore-npm`: it turns flags and files into
//! the core's input types (`PolicySpec`, `Trust`) and prints results and `ErrorReport`s; it
//! verifies nothing itself. It may depend on every library crate of the workspace.
#![forbid(unsafe_code)]

use std::io::Write;
use std::process::ExitCode;

use sigstore_verifier::error::ErrorReport;
use sigstore_verifier::identity::PolicySpec;
use sigstore_verifier::{Artifact, Bundle, Code, VerifierSet};

/// `verify-attestation`: GitHub artifact attestations with the policy of `gh attestation verify`.
mod attest_cli;
/// The threshold flags (`--tlog-threshold`, ...): the core's `Config`.
mod config_cli;
/// `verify-npm` and `verify-npm-lock`: npm attestations, registry keys and packuments read
/// from files (the offline form of `npm audit signatures`).
mod npm_cli;
/// package-lock.json: which packages a lock file installs from a registry.
mod npm_lock;
/// `verify-pypi`: PEP 740 attestations of a wheel or sdist.
mod pypi_cli;
/// Where the verifying commands get their trust: TUF by default, `--trusted-root`, offline.
mod trust_cli;
/// `tuf`: the TUF client alone, in the TUF conformance suite's client protocol.
mod tuf_cli;
/// The metadata directory, HTTP and the loops that drive sigstore-tuf's client.
mod tuf_io;

const HELP: &str = "\
sigstore-verify: verify a Sigstore bundle offline against a trusted root

USAGE:
  sigstore-verify verify-bundle --bundle FILE
      (--certificate-identity ID | --certificate-identity-regexp RE)
      (--certificate-oidc-issuer URL | --certificate-oidc-issuer-regexp RE)
      [--trusted-root FILE] [THRESHOLDS] [--json] ARTIFACT
  sigstore-verify verify-bundle --bundle FILE --key PUBLIC_KEY.pem
      [--trusted-root FILE] [THRESHOLDS] [--json] ARTIFACT

ARTIFACT is a file path, or a digest: sha256:HEX, sha384:HEX or sha512:HEX.
(A pure Ed25519 message signature can only be checked against the file itself.)

OPTIONS:
  --bundle FILE                          the bundle (.sigstore.json), media types v0.1, v0.2, v0.3
  --certificate-identity ID              expected certificate SAN (email, URI or otherName), exact
  --certificate-identity-regexp RE       expected SAN, regular expression matching the whole value
  --certificate-oidc-issuer URL          expected OIDC issuer, exact
  --certificate-oidc-issuer-regexp RE    expected OIDC issuer, regular expression (whole value)
  --key FILE                             managed public key (PEM SubjectPublicKeyInfo: ECDSA
                                         P-256/P-384/P-521, Ed25519, RSA 2048-4096) instead of
                                         a certificate identity
  --trusted-root FILE                    trusted_root.json, or several as JSON lines (as `gh
                                         attestation trusted-root` prints: each bundle is checked
                                         against the instance whose CA issued its certificate);
                                         default: the public-good instance's, over TUF (TRUST)
  --json                                 print the verification result as JSON on stdout
  -h, --help                             this text

EXIT STATUS:
  0  verified
  1  not verified; stderr has one line `error: <CODE>: <what failed and where>`
     (codes are documented in docs/errors.md)
  2  usage error: bad flags or an unreadable file
";

struct Args {
    bundle: String,
    policy: PolicySpec,
    key: Option<String>,
    trust: trust_cli::TrustFlags,
    config: config_cli::ConfigFlags,
    json: bool,
    artifact: String,
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("error: {msg}\nrun `sigstore-verify --help` for usage");
    ExitCode::from(2)
}

/// Split `--flag=value` into the flag and its inline value.
fn flag_value(a: &str) -> (String, Option<String>) {
    match a.split_once('=') {
        Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
        _ => (a.to_string(), None),
    }
}

/// The policy flags every command shares: each fills one field of a [`PolicySpec`].
fn take_policy_flag(spec: &mut PolicySpec, flag: &str, value: &mut dyn FnMut(&str) -> Result<String, String>) -> Result<bool, String> {
    let slot = match flag {
        "--certificate-identity" => &mut spec.identity,
        "--certificate-identity-regexp" => &mut spec.identity_regex,
        "--certificate-oidc-issuer" => &mut spec.issuer,
        "--certificate-oidc-issuer-regexp" => &mut spec.issuer_regex,
        _ => return Ok(false),
    };
    set(slot, value(flag)?, flag)?;
    Ok(true)
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut bundle = None;
    let mut policy = PolicySpec::default();
    let mut key = None;
    let mut trust = trust_cli::TrustFlags::default();
    let mut config = config_cli::ConfigFlags::default();
    let mut json = false;
    let mut artifact = None;
    while let Some(a) = it.next() {
        let (flag, inline) = flag_value(&a);
        let mut value = |name: &str| -> Result<String, String> { inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{name} needs a value")) };
        if take_policy_flag(&mut policy, &flag, &mut value)? || trust.take(&flag, &mut value)? || config.take(&flag, &mut value)? {
            continue;
        }
        match flag.as_str() {
            "--bundle" => set(&mut bundle, value("--bundle")?, "--bundle")?,
            "--key" => set(&mut key, value("--key")?, "--key")?,
            "--json" => json = true,
            f if f.starts_with('-') && f.len() > 1 => return Err(format!("unknown flag {f}")),
            _ => set(&mut artifact, a, "ARTIFACT")?,
        }
    }
    let bundle = bundle.ok_or("--bundle is required")?;
    let artifact = artifact.ok_or("ARTIFACT (a path or sha256:HEX) is required")?;
    trust.check()?;
    Ok(Args { bundle, policy, key, trust, config, json, artifact })
}

fn set<T>(slot: &mut Option<T>, v: T, name: &str) -> Result<(), String> {
    if slot.is_some() {
        return Err(format!("{name} given more than once"));
    }
    *slot = Some(v);
    Ok(())
}

/// Size limits on the files the CLI reads whole, checked from the file's metadata before reading
/// (and again while reading, for pipes and special files). The bundle and the trusted root have
/// the core's limits ([`sigstore_verifier::limits`]).
/// An artifact or an npm tarball.
pub(crate) const MAX_ARTIFACT_FILE_BYTES: u64 = 4 << 30;
/// A PEM public key or an npm registry keys document.
pub(crate) const MAX_KEY_FILE_BYTES: u64 = 1 << 20;
/// An npm attestations document, packument or lockfile (packuments of packages with thousands
/// of versions reach tens of MB).
pub(crate) const MAX_DOCUMENT_FILE_BYTES: u64 = 256 << 20;

/// Why a file was not read.
#[derive(Debug)]
pub(crate) enum ReadFail {
    /// It cannot be read (a usage error).
    Io(String),
    /// It is larger than its limit.
    TooLarge(String),
}

impl From<ReadFail> for String {
    fn from(f: ReadFail) -> String {
        match f {
            ReadFail::Io(m) | ReadFail::TooLarge(m) => m,
        }
    }
}

/// Read a whole file of at most `max` bytes.
pub(crate) fn read_max(path: &str, max: u64, what: &str) -> Result<Vec<u8>, ReadFail> {
    use std::io::Read;
    let too_large = |len: u64| ReadFail::TooLarge(format!("{what} {path} is {len} bytes: over the limit of {max} bytes"));
    let io = |e: std::io::Error| ReadFail::Io(format!("cannot read {path}: {e}"));
    let file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    if len > max {
        return Err(too_large(len));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(io)?;
    let got = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if got > max {
        return Err(too_large(got));
    }
    Ok(bytes)
}

/// Read an artifact-sized file (usage error when unreadable or over the limit).
fn read(path: &str) -> Result<Vec<u8>, String> {
    read_max(path, MAX_ARTIFACT_FILE_BYTES, "the file").map_err(String::from)
}

/// A core limit as a file size.
fn limit(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// A document's bytes as text. Bytes that are not UTF-8 are a malformed document (`code`, exit 1)
/// like any other; only a file that cannot be read is a usage error.
fn text<'a, C: sigstore_protojson::ErrorCode>(bytes: &'a [u8], what: &str, code: C) -> Result<&'a str, C::Error> {
    std::str::from_utf8(bytes).map_err(|e| code.error(format!("{what} is not UTF-8 text: {e}")))
}

/// The exit status of a failure: 1, or 2 for a pattern that does not compile (a bad flag value).
fn exit_status(code: &str) -> ExitCode {
    ExitCode::from(if code == Code::PolicyInvalid.as_str() { 2 } else { 1 })
}

/// Write to stdout; a closed pipe (`... --json | head`) ends the output, not the process.
fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

/// A value as pretty JSON on stdout.
fn out_json<T: serde::Serialize + ?Sized>(v: &T) {
    let mut text = serde_json::to_string_pretty(v).unwrap_or_default();
    text.push('\n');
    out(&text);
}

/// The one line on stderr, and the exit status, of a failure: 1, or 2 for a bad pattern
/// (a bad flag value).
fn fail(r: &ErrorReport, json: bool) -> ExitCode {
    if json {
        out_json(&r.to_json());
    }
    eprintln!("error: {}: {}", r.code, r.message);
    exit_status(r.code)
}

fn main() -> ExitCode {
    let mut argv = std::env::args().skip(1).peekable();
    match argv.peek().map(String::as_str) {
        None | Some("-h") | Some("--help") | Some("help") => {
            out(&format!(
                "{HELP}\n{}\n{}\n{}\n{}{}\n{}\n{}",
                config_cli::HELP,
                trust_cli::HELP,
                npm_cli::HELP,
                pypi_cli::HELP,
                pypi_cli::lock::HELP,
                attest_cli::HELP,
                tuf_cli::HELP
            ));
            return if argv.peek().is_none() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
        Some("verify-bundle") => {
            argv.next();
        }
        Some("verify-npm") => {
            argv.next();
            return npm_cli::verify_npm(argv.collect());
        }
        Some("verify-npm-lock") => {
            argv.next();
            return npm_cli::verify_npm_lock(argv.collect());
        }
        Some("verify-pypi") => {
            argv.next();
            return pypi_cli::verify_pypi(argv.collect());
        }
        Some("verify-attestation") => {
            argv.next();
            return attest_cli::verify_attestation(argv.collect());
        }
        Some("verify-pypi-lock") => {
            argv.next();
            return pypi_cli::lock::verify_pypi_lock(argv.collect());
        }
        Some("tuf") => {
            argv.next();
            return tuf_cli::run(argv.collect());
        }
        Some(other) => return usage(&format!("unknown command {other:?}")),
    }
    verify_bundle(argv.collect())
}

fn verify_bundle(rest: Vec<String>) -> ExitCode {
    if rest.iter().any(|a| a == "-h" || a == "--help") {
        out(HELP);
        return ExitCode::SUCCESS;
    }
    let mut args = match parse_args(rest.into_iter()) {
        Ok(a) => a,
        Err(m) => return usage(&m),
    };

    // Read every file first: an unreadable file is a usage error (exit 2); a bundle or trusted
    // root over its size limit is a rejected document (exit 1, its code), other files over
    // theirs a usage error.
    let bundle_bytes = match read_max(&args.bundle, limit(sigstore_verifier::limits::MAX_BUNDLE_BYTES), "the bundle") {
        Ok(t) => t,
        Err(ReadFail::Io(m)) => return usage(&m),
        Err(ReadFail::TooLarge(m)) => return fail(&sigstore_verifier::Error::new(Code::BundleLimitExceeded, m).report(), args.json),
    };
    if let Some(p) = args.trust.trusted_root.as_deref() {
        match read_max(p, limit(sigstore_verifier::limits::MAX_TRUSTED_ROOT_SET_BYTES), "the trusted root") {
            Ok(_) => {}
            Err(ReadFail::Io(m)) => return usage(&m),
            Err(ReadFail::TooLarge(m)) => return fail(&sigstore_verifier::Error::new(Code::TrustRootInvalid, m).report(), args.json),
        }
    }
    // A key that is not UTF-8 cannot be PEM: the lossy text fails to parse (INPUT_INVALID).
    match args.key.as_deref().map(|p| read_max(p, MAX_KEY_FILE_BYTES, "the key").map_err(String::from)).transpose() {
        Ok(pem) => args.policy.public_key = pem.map(|b| String::from_utf8_lossy(&b).into_owned()),
        Err(m) => return usage(&m),
    }
    let is_digest = ["sha256:", "sha384:", "sha512:"].iter().any(|p| args.artifact.to_ascii_lowercase().starts_with(p));
    let artifact_bytes = if is_digest {
        None
    } else {
        match read(&args.artifact) {
            Ok(b) => Some(b),
            Err(m) => return usage(&m),
        }
    };
    // Flags that make no policy are a usage error; the policy itself is built with the inputs.
    if let Err(e) = args.policy.check_shape() {
        return usage(&e.context);
    }

    let run = || -> Result<sigstore_verifier::VerificationResult, trust_cli::TrustFail> {
        let policy = args.policy.build()?;
        let artifact = match &artifact_bytes {
            Some(b) => Artifact::Bytes(b),
            None => Artifact::parse_digest(&args.artifact)?,
        };
        // The bundle first: a malformed one is rejected without a TUF update.
        let bundle = Bundle::from_json(text(&bundle_bytes, "the bundle", Code::BundleParse)?)?;
        let roots = args.trust.resolve_set()?;
        // Each root with the thresholds it implies, raised (or, unsafely, lowered) by the flags.
        let verifiers = VerifierSet::new(roots, args.config.config())?;
        Ok(verifiers.verify(&bundle, &artifact, &policy)?)
    };
    match run() {
        Ok(result) => {
            if args.json {
                out_json(&result);
            } else {
                eprintln!("verified");
            }
            ExitCode::SUCCESS
        }
        Err(trust_cli::TrustFail::Report(r)) => fail(&r, args.json),
        Err(trust_cli::TrustFail::Usage(m)) => usage(&m),
    }
}
