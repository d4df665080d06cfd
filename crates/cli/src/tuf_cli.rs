//! `sigstore-verify tuf`: the TUF client on its own, speaking the client protocol of the TUF
//! conformance suite (https://github.com/theupdateframework/tuf-conformance, CLIENT-CLI.md):
//!
//! ```text
//! sigstore-verify tuf --metadata-dir DIR init ROOT
//! sigstore-verify tuf --metadata-dir DIR --metadata-url URL refresh
//! sigstore-verify tuf --metadata-dir DIR --metadata-url URL --target-name NAME... \
//!     --target-base-url URL --target-dir DIR download
//! ```
//! Exit 0 on success, 1 on any failure (stderr: `error: CODE: ...`), 2 for bad flags. Metadata
//! is kept under non-versioned names; a target already in `--target-dir` with the trusted
//! length and hashes is not fetched again.

use std::process::ExitCode;
use std::time::Duration;

use crate::tuf_io::{self, Http, Store, UpdateError};

pub const HELP: &str = "\
  sigstore-verify tuf --metadata-dir DIR init ROOT.json
  sigstore-verify tuf --metadata-dir DIR --metadata-url URL refresh
  sigstore-verify tuf --metadata-dir DIR --metadata-url URL --target-name NAME [--target-name NAME]...
      --target-base-url URL --target-dir DIR download
      The TUF client alone (the TUF conformance suite's client protocol): init trusts ROOT.json
      (checked: a threshold of its own signatures), refresh runs the TUF v1.0 update, download
      fetches targets in order into DIR (kept when already there with matching hashes).
      Add -v to log why a cached file was not used.
";

#[derive(Default)]
struct TufArgs {
    metadata_dir: Option<String>,
    metadata_url: Option<String>,
    target_names: Vec<String>,
    target_base_url: Option<String>,
    target_dir: Option<String>,
    command: Option<String>,
    operand: Option<String>,
    verbose: bool,
}

fn parse(rest: Vec<String>) -> Result<TufArgs, String> {
    let mut a = TufArgs::default();
    let mut it = rest.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = crate::flag_value(&arg);
        let mut value = |name: &str| inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--metadata-dir" => crate::set(&mut a.metadata_dir, value(&flag)?, &flag)?,
            "--metadata-url" => crate::set(&mut a.metadata_url, value(&flag)?, &flag)?,
            "--target-name" => a.target_names.push(value(&flag)?),
            "--target-base-url" => crate::set(&mut a.target_base_url, value(&flag)?, &flag)?,
            "--target-dir" => crate::set(&mut a.target_dir, value(&flag)?, &flag)?,
            "-v" | "--verbose" => a.verbose = true,
            f if f.starts_with('-') && f.len() > 1 => return Err(format!("unknown flag {f}")),
            _ if a.command.is_none() => a.command = Some(arg),
            _ => crate::set(&mut a.operand, arg, "ROOT")?,
        }
    }
    Ok(a)
}

fn required<'a>(v: &'a Option<String>, name: &str) -> Result<&'a str, String> {
    v.as_deref().ok_or_else(|| format!("{name} is required"))
}

pub fn run(rest: Vec<String>) -> ExitCode {
    if rest.iter().any(|a| a == "-h" || a == "--help") {
        crate::out(HELP);
        return ExitCode::SUCCESS;
    }
    let a = match parse(rest) {
        Ok(a) => a,
        Err(m) => return crate::usage(&m),
    };
    let r = match a.command.as_deref() {
        Some("init") => init(&a),
        Some("refresh") => refresh(&a),
        Some("download") => download(&a),
        Some(other) => return crate::usage(&format!("unknown tuf command {other:?} (init, refresh, download)")),
        None => return crate::usage("a tuf command is required (init, refresh, download)"),
    };
    match r {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => crate::fail(&e.report(), false),
        Err(m) => crate::usage(&m),
    }
}

type Outcome = Result<Result<(), UpdateError>, String>;

/// Trust ROOT: checked (a threshold of its own signatures) before it is stored as root.json.
fn init(a: &TufArgs) -> Outcome {
    let dir = required(&a.metadata_dir, "--metadata-dir")?;
    let path = required(&a.operand, "ROOT")?;
    let root = crate::read(path)?;
    Ok((|| {
        sigstore_tuf::Client::new(&root, tuf_io::now())?;
        Store::new(dir).write("root.json", &root)
    })())
}

fn http() -> Http {
    Http::new(Duration::from_secs(5), Duration::from_secs(60))
}

fn logger(verbose: bool) -> impl FnMut(&str) {
    move |m: &str| {
        if verbose {
            eprintln!("tuf: {m}");
        }
    }
}

fn refresh(a: &TufArgs) -> Outcome {
    let store = Store::new(required(&a.metadata_dir, "--metadata-dir")?);
    let url = required(&a.metadata_url, "--metadata-url")?;
    Ok(tuf_io::refresh(&store, &http(), url, tuf_io::now(), &mut logger(a.verbose)).map(drop))
}

fn download(a: &TufArgs) -> Outcome {
    let store = Store::new(required(&a.metadata_dir, "--metadata-dir")?);
    let url = required(&a.metadata_url, "--metadata-url")?;
    let targets_url = required(&a.target_base_url, "--target-base-url")?;
    let targets = Store::new(required(&a.target_dir, "--target-dir")?);
    if a.target_names.is_empty() {
        return Err("--target-name is required".into());
    }
    let http = http();
    let mut log = logger(a.verbose);
    Ok((|| {
        let mut c = tuf_io::refresh(&store, &http, url, tuf_io::now(), &mut log)?;
        for name in &a.target_names {
            let t = tuf_io::find(&mut c, name, &store, &http, url, &mut log)?;
            tuf_io::download(&t, &targets, &http, targets_url)?;
        }
        Ok(())
    })())
}
