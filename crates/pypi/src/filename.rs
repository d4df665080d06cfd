//! Distribution filenames, parsed so that an attestation's subject and the file it names are
//! compared as distributions, not as strings: the project name normalised (PEP 503), the
//! version as PEP 440 orders it (`1.0` is `1.0.0`), a wheel's build tag and its set of
//! compatibility tags (compressed tag sets expanded).
//!
//! Wheel (binary distribution format spec): `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`,
//! the name made of ASCII letters, digits, `_` and `.`; sdist (source distribution format spec):
//! `{name}-{version}.tar.gz` (or the legacy `.zip`), split at the last `-`. A subject that does
//! not parse is refused, as pypi-attestations does.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::error::{err, Code, Result};
use crate::version::Version;

/// The longest filename accepted (PyPI's own limit is far below this).
const MAX_FILENAME: usize = 512;

/// What a distribution filename says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DistName {
    /// PEP 503 normalised: lower case, runs of `-`, `_`, `.` as one `-`.
    pub project: String,
    pub version: Version,
    pub kind: DistKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DistKind {
    Sdist,
    /// A wheel: its build tag (number and rest) and its (python, abi, platform) tags.
    Wheel {
        build: Option<(u64, String)>,
        tags: BTreeSet<(String, String, String)>,
    },
}

/// PEP 503 normalisation of a project name.
pub fn normalize_project(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
            continue;
        }
        if sep && !out.is_empty() {
            out.push('-');
        }
        sep = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A project name as packaging's `canonicalize_name` accepts it in filenames: ASCII letters
/// and digits, separated by `-`, `_` or `.`, starting and ending with a letter or digit.
pub(crate) fn valid_project(name: &str) -> bool {
    let b = name.as_bytes();
    let alnum = |c: Option<&u8>| c.is_some_and(u8::is_ascii_alphanumeric);
    alnum(b.first()) && alnum(b.last()) && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// Parse a wheel or sdist filename (`PYPI_FILENAME_INVALID` otherwise).
pub fn parse(filename: &str) -> Result<DistName> {
    let bad = |why: &str| err(Code::FilenameInvalid, format!("{filename:?} is not a distribution filename: {why}"));
    if filename.len() > MAX_FILENAME {
        return err(Code::FilenameInvalid, format!("a distribution filename of {} bytes (at most {MAX_FILENAME})", filename.len()));
    }
    if filename.contains(['/', '\\']) {
        return bad("it holds a path separator");
    }
    if let Some(stem) = filename.strip_suffix(".whl") {
        return parse_wheel(stem).or_else(|why| bad(&why));
    }
    let Some(stem) = filename.strip_suffix(".tar.gz").or_else(|| filename.strip_suffix(".zip")) else {
        return bad("not .whl, .tar.gz or .zip");
    };
    let Some((name, version)) = stem.rsplit_once('-') else { return bad("no `-` between name and version") };
    if !valid_project(name) {
        return bad("invalid project name");
    }
    let Some(version) = Version::parse(version) else { return bad("invalid PEP 440 version") };
    Ok(DistName { project: normalize_project(name), version, kind: DistKind::Sdist })
}

fn parse_wheel(stem: &str) -> core::result::Result<DistName, String> {
    let parts: Vec<&str> = stem.split('-').collect();
    let (name, version, build, py, abi, plat) = match parts.as_slice() {
        [n, v, p, a, pl] => (*n, *v, None, *p, *a, *pl),
        [n, v, b, p, a, pl] => (*n, *v, Some(*b), *p, *a, *pl),
        _ => return Err(format!("{} `-`-separated parts (a wheel has 5 or 6)", parts.len())),
    };
    // The wheel spec escapes every run of separators in the name as `_`.
    if !valid_project(name) || name.contains("__") {
        return Err("invalid project name".into());
    }
    let version = Version::parse(version).ok_or("invalid PEP 440 version")?;
    let build = match build {
        None => None,
        Some(b) => {
            let digits = b.bytes().take_while(u8::is_ascii_digit).count();
            let (num, rest) = b.split_at_checked(digits).ok_or("invalid build tag")?;
            let n = num.parse::<u64>().map_err(|_| "a build tag starts with a number")?;
            Some((n, rest.to_string()))
        }
    };
    let mut tags = BTreeSet::new();
    for p in py.split('.') {
        for a in abi.split('.') {
            for pl in plat.split('.') {
                if p.is_empty() || a.is_empty() || pl.is_empty() {
                    return Err("an empty compatibility tag".into());
                }
                tags.insert((p.to_ascii_lowercase(), a.to_ascii_lowercase(), pl.to_ascii_lowercase()));
                if tags.len() > 256 {
                    return Err("more than 256 compatibility tags".into());
                }
            }
        }
    }
    Ok(DistName { project: normalize_project(name), version, kind: DistKind::Wheel { build, tags } })
}

/// Check the coordinates a caller gives before URLs are built from them (the JS layer's
/// simple-API and integrity-API paths, the lock-file checker): `project` a valid project name,
/// `version` a PEP 440 version, and `filename` a distribution of that project and version.
/// Returns the PEP 503 normalised project name. A bad project or version is `INPUT_INVALID`, a
/// bad filename or one of another project or version `PYPI_FILENAME_INVALID`.
pub fn check_coordinates(project: &str, version: &str, filename: &str) -> Result<String> {
    let input = |m: String| err(Code::Core(sigstore_verifier::Code::InputInvalid), m);
    if project.len() > MAX_FILENAME || !valid_project(project) {
        return input(format!("{:?} is not a PyPI project name", project.get(..64).unwrap_or(project)));
    }
    let Some(v) = (version.len() <= MAX_FILENAME).then(|| Version::parse(version)).flatten() else {
        return input(format!("{:?} is not a PEP 440 version", version.get(..64).unwrap_or(version)));
    };
    let d = parse(filename)?;
    let normalized = normalize_project(project);
    if d.project != normalized || d.version != v {
        return err(Code::FilenameInvalid, format!("{filename:?} is not a distribution of {normalized} {version}"));
    }
    Ok(normalized)
}
