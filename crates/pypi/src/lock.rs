//! Lock files that pin distributions by sha256, read so that each pinned file can be checked
//! against its PEP 740 provenance:
//!
//! - `pylock.toml` (PEP 751): `lock-version = "1.x"`, `[[packages]]` with `name`, `version` and
//!   an `sdist` table or `wheels` array, each file with `hashes.sha256` and its `name` (or a
//!   `url` / `path` whose last segment is the filename). Packages from `vcs`, `directory` or
//!   `archive` sources, and files without a sha256, are listed as skipped. Parsed with the
//!   `toml` crate (no_std with alloc, its default nesting limit).
//! - `requirements.txt` with hashes (pip's hash-checking mode): `name[extras]==version
//!   [; markers] --hash=sha256:HEX ...`, lines joined at a trailing `\`, `#` comments. The
//!   filenames are not in the file: a requirement pins a set of sha256 digests, one per file
//!   pip may pick. Option lines (`-r`, `--index-url`, ...), requirements not pinned with `==`
//!   or `===`, direct URLs and requirements without a sha256 hash are listed as skipped.
//!
//! Malformed input is `PYPI_DOCUMENT_INVALID` (with the line or package it was found at); no
//! input panics, and both forms are bounded ([`MAX_LOCK_BYTES`], [`MAX_ENTRIES`]).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::error::{err, Code, Result};
use crate::filename::{normalize_project, valid_project};
use crate::version::Version;

/// The longest lock file read (a large project's lock is a few MB).
pub const MAX_LOCK_BYTES: usize = 32 << 20;
/// At most this many packages or requirements.
pub const MAX_ENTRIES: usize = 100_000;

/// One pinned project version and the files it may install.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pinned {
    /// PEP 503 normalised.
    pub project: String,
    pub version: String,
    /// The files and their sha256 (lowercase hex). `pylock.toml` names every file;
    /// `requirements.txt` gives only the digests (`filename: None`).
    pub files: Vec<PinnedFile>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinnedFile {
    pub filename: Option<String>,
    pub sha256: String,
}

/// An entry that is not checked, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub what: String,
    pub reason: &'static str,
}

#[derive(Clone, Debug, Default)]
pub struct Locked {
    pub pinned: Vec<Pinned>,
    pub skipped: Vec<Skipped>,
}

fn invalid<T>(what: &str, why: impl core::fmt::Display) -> Result<T> {
    err(Code::DocumentInvalid, format!("{what}: {why}"))
}

fn bounded(text: &str, what: &str) -> Result<()> {
    if text.len() > MAX_LOCK_BYTES {
        return invalid(what, format_args!("{} bytes (at most {MAX_LOCK_BYTES})", text.len()));
    }
    Ok(())
}

fn sha256_hex(s: &str) -> Option<String> {
    (s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())).then(|| s.to_ascii_lowercase())
}

/// A project name and PEP 440 version as a lock gives them.
fn coordinates(name: &str, version: &str, what: &str) -> Result<(String, String)> {
    if name.len() > 256 || !valid_project(name) {
        return invalid(what, format_args!("{:?} is not a project name", name.get(..64).unwrap_or(name)));
    }
    if version.len() > 256 || Version::parse(version).is_none() {
        return invalid(what, format_args!("{:?} is not a PEP 440 version", version.get(..64).unwrap_or(version)));
    }
    Ok((normalize_project(name), version.to_string()))
}

/// Parse a `pylock.toml` (PEP 751).
pub fn parse_pylock(text: &str) -> Result<Locked> {
    use toml::Value;
    bounded(text, "pylock.toml")?;
    let doc: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => return invalid("pylock.toml", format_args!("not TOML: {}", e.message())),
    };
    match doc.get("lock-version").and_then(Value::as_str) {
        Some(v) if v == "1" || v.starts_with("1.") => {}
        Some(v) => return invalid("pylock.toml", format_args!("lock-version {v:?} (this reader knows 1.x)")),
        None => return invalid("pylock.toml", "no lock-version"),
    }
    let packages = match doc.get("packages") {
        None => return Ok(Locked::default()),
        Some(Value::Array(p)) => p,
        Some(_) => return invalid("pylock.toml", "packages is not an array of tables"),
    };
    if packages.len() > MAX_ENTRIES {
        return invalid("pylock.toml", format_args!("more than {MAX_ENTRIES} packages"));
    }
    let mut out = Locked::default();
    for (i, p) in packages.iter().enumerate() {
        let what = format!("packages[{i}]");
        let Some(p) = p.as_table() else { return invalid(&what, "not a table") };
        let Some(name) = p.get("name").and_then(Value::as_str) else { return invalid(&what, "no name") };
        let what = format!("{what} ({name})");
        if let Some(source) = ["vcs", "directory", "archive"].into_iter().find(|k| p.contains_key(*k)) {
            let reason = match source {
                "vcs" => "installed from version control",
                "directory" => "installed from a directory",
                _ => "installed from an archive URL or path",
            };
            out.skipped.push(Skipped { what, reason });
            continue;
        }
        let Some(version) = p.get("version").and_then(Value::as_str) else { return invalid(&what, "no version") };
        let (project, version) = coordinates(name, version, &what)?;
        let mut files = Vec::new();
        let mut tables = Vec::new();
        match p.get("sdist") {
            None => {}
            Some(Value::Table(t)) => tables.push(("sdist".to_string(), t)),
            Some(_) => return invalid(&what, "sdist is not a table"),
        }
        match p.get("wheels") {
            None => {}
            Some(Value::Array(ws)) => {
                for (j, w) in ws.iter().enumerate() {
                    let Some(w) = w.as_table() else { return invalid(&what, format_args!("wheels[{j}] is not a table")) };
                    tables.push((format!("wheels[{j}]"), w));
                }
            }
            Some(_) => return invalid(&what, "wheels is not an array"),
        }
        for (place, t) in tables {
            let fwhat = format!("{what}.{place}");
            let last = |k: &str| t.get(k).and_then(Value::as_str).and_then(|u| u.split(['?', '#']).next()).and_then(|u| u.rsplit('/').next());
            let filename = t.get("name").and_then(Value::as_str).or_else(|| last("url")).or_else(|| last("path")).filter(|f| !f.is_empty());
            let Some(filename) = filename else { return invalid(&fwhat, "no name, url or path") };
            match t.get("hashes").and_then(|h| h.get("sha256")).and_then(Value::as_str) {
                Some(h) => match sha256_hex(h) {
                    Some(sha256) => files.push(PinnedFile { filename: Some(filename.to_string()), sha256 }),
                    None => return invalid(&fwhat, "hashes.sha256 is not 64 hex digits"),
                },
                None => out.skipped.push(Skipped { what: format!("{fwhat} {filename}"), reason: "no sha256 hash" }),
            }
        }
        if files.is_empty() {
            out.skipped.push(Skipped { what, reason: "no sdist or wheel with a sha256 hash" });
            continue;
        }
        out.pinned.push(Pinned { project, version, files });
    }
    Ok(out)
}

/// Parse a `requirements.txt` in hash-checking form.
pub fn parse_requirements(text: &str) -> Result<Locked> {
    bounded(text, "requirements.txt")?;
    let mut out = Locked::default();
    let mut logical = String::new();
    let mut first_line = 0;
    for (n, raw) in text.lines().enumerate() {
        if logical.is_empty() {
            first_line = n + 1;
        }
        match raw.strip_suffix('\\') {
            Some(part) => {
                logical.push_str(part);
                logical.push(' ');
            }
            None => {
                logical.push_str(raw);
                requirement(&logical, first_line, &mut out)?;
                logical.clear();
            }
        }
        if out.pinned.len() + out.skipped.len() > MAX_ENTRIES {
            return invalid("requirements.txt", format_args!("more than {MAX_ENTRIES} requirements"));
        }
    }
    if !logical.is_empty() {
        requirement(&logical, first_line, &mut out)?;
    }
    Ok(out)
}

/// One logical line of a requirements file.
fn requirement(line: &str, n: usize, out: &mut Locked) -> Result<()> {
    // A comment starts at `#` at the line's start or after whitespace.
    let mut end = line.len();
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        if c == '#' && prev_space {
            end = i;
            break;
        }
        prev_space = c.is_whitespace();
    }
    let line = line.get(..end).unwrap_or(line).trim();
    if line.is_empty() {
        return Ok(());
    }
    let what = format!("requirements.txt line {n}");
    let skip = |out: &mut Locked, reason| {
        out.skipped.push(Skipped { what: format!("{what}: {}", line.get(..80).unwrap_or(line)), reason });
        Ok(())
    };
    if line.starts_with('-') {
        return skip(out, "an option line");
    }
    // The requirement is everything before the first option; `--hash` options follow.
    let (spec, options) = match line.find(" -") {
        Some(i) => line.split_at_checked(i).unwrap_or((line, "")),
        None => (line, ""),
    };
    let mut hashes = Vec::new();
    let mut tokens = options.split_whitespace();
    while let Some(t) = tokens.next() {
        let value = match t.strip_prefix("--hash") {
            Some("") => tokens.next().unwrap_or_default(),
            Some(v) => v.strip_prefix('=').unwrap_or(v),
            None => continue,
        };
        if let Some(h) = value.strip_prefix("sha256:") {
            match sha256_hex(h) {
                Some(h) => hashes.push(PinnedFile { filename: None, sha256: h }),
                None => return invalid(&what, "a --hash=sha256: value is not 64 hex digits"),
            }
        }
    }
    let spec = spec.split(';').next().unwrap_or(spec).trim();
    if spec.contains(" @ ") || spec.contains("://") {
        return skip(out, "a direct URL");
    }
    let Some((name, version)) = spec.split_once("===").or_else(|| spec.split_once("==")) else {
        return skip(out, "not pinned with ==");
    };
    let name = name.split('[').next().unwrap_or(name).trim();
    let version = version.trim();
    if version.contains(['*', ',', ' ']) {
        return skip(out, "not pinned to one version");
    }
    let (project, version) = coordinates(name, version, &what)?;
    if hashes.is_empty() {
        return skip(out, "no --hash=sha256");
    }
    out.pinned.push(Pinned { project, version, files: hashes });
    Ok(())
}
