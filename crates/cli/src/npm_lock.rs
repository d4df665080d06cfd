//! The packages a `package-lock.json` installs from a registry (npm docs,
//! "package-lock.json"): lockfileVersion 2 and 3 list them under `packages` keyed by install
//! path (`node_modules/a`, `node_modules/@s/b`, `node_modules/a/node_modules/c`); version 1
//! nests them under `dependencies`. Links, workspace folders, bundled packages and packages
//! without a registry `integrity` (git, file, tarball URLs) are listed as skipped.

use serde_json::{Map, Value};
use sigstore_npm::{err, Code, Result};

/// The lock file's fields, as npm documents (`NPM_DOCUMENT_INVALID` when malformed).
mod json {
    pub(super) use sigstore_protojson::parse;
    pub(super) type Obj<'a> = sigstore_protojson::Obj<'a, sigstore_npm::Code>;
}

/// At most this many entries (a large monorepo lock has a few thousand).
const MAX_ENTRIES: usize = 100_000;
/// Nesting bound for lockfileVersion 1 `dependencies`.
const MAX_NESTING: usize = 48;

/// One package installed from a registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockedPackage {
    pub name: String,
    pub version: String,
    pub integrity: String,
    /// `resolved`: the tarball URL, when the lock records it.
    pub resolved: Option<String>,
}

/// An entry that is not checked, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub path: String,
    pub reason: &'static str,
}

#[derive(Clone, Debug, Default)]
pub struct LockPackages {
    /// Sorted by name, then version; each (name, version) once.
    pub packages: Vec<LockedPackage>,
    pub skipped: Vec<Skipped>,
}

/// The package name installed at `path` (`…node_modules/NAME` or `…node_modules/@S/NAME`).
fn name_from_path(path: &str) -> Option<&str> {
    let i = path.rfind("node_modules/")?;
    path.get(i + "node_modules/".len()..).filter(|n| !n.is_empty())
}

/// Parse a package-lock.json (or npm-shrinkwrap.json).
pub fn parse(text: &str) -> Result<LockPackages> {
    let v = json::parse(text, Code::DocumentInvalid, "package-lock.json")?;
    let o = json::Obj::new(&v, "package-lock.json", Code::DocumentInvalid)?;
    let mut out = LockPackages::default();
    match (o.get("packages"), o.get("dependencies")) {
        (Some(Value::Object(p)), _) => from_packages(p, &mut out)?,
        (Some(_), _) => return err(Code::DocumentInvalid, "package-lock.json: packages must be an object"),
        (None, Some(Value::Object(d))) => from_dependencies(d, "", 0, &mut out)?,
        _ => return err(Code::DocumentInvalid, "package-lock.json has neither packages nor dependencies"),
    }
    out.packages.sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
    out.packages.dedup_by(|a, b| a.name == b.name && a.version == b.version && a.integrity == b.integrity);
    Ok(out)
}

/// Add one entry (common to both layouts).
fn entry(path: &str, name: Option<&str>, e: &Map<String, Value>, out: &mut LockPackages) -> Result<()> {
    if out.packages.len() + out.skipped.len() >= MAX_ENTRIES {
        return err(Code::DocumentInvalid, format!("package-lock.json has more than {MAX_ENTRIES} entries"));
    }
    let s = |k: &str| e.get(k).and_then(Value::as_str);
    let skip = |reason| Skipped { path: String::from(path), reason };
    if e.get("link").and_then(Value::as_bool) == Some(true) {
        out.skipped.push(skip("link"));
        return Ok(());
    }
    if e.get("inBundle").and_then(Value::as_bool) == Some(true) || e.get("bundled").and_then(Value::as_bool) == Some(true) {
        out.skipped.push(skip("bundled inside another package"));
        return Ok(());
    }
    let (Some(name), Some(version)) = (s("name").or(name), s("version")) else {
        out.skipped.push(skip("no name or version"));
        return Ok(());
    };
    let Some(integrity) = s("integrity").filter(|i| i.contains("sha512-")) else {
        out.skipped.push(skip("no sha512 integrity (not from a registry)"));
        return Ok(());
    };
    // Aliases (`npm:real@1.0.0`) and non-registry sources carry their spec in `version`.
    if version.contains(':') || version.contains('/') {
        out.skipped.push(skip("not a registry version"));
        return Ok(());
    }
    out.packages.push(LockedPackage { name: name.into(), version: version.into(), integrity: integrity.into(), resolved: s("resolved").map(String::from) });
    Ok(())
}

/// lockfileVersion 2/3: `packages`, keyed by install path; `""` is the project itself.
fn from_packages(p: &Map<String, Value>, out: &mut LockPackages) -> Result<()> {
    for (path, e) in p {
        let Value::Object(e) = e else {
            return err(Code::DocumentInvalid, format!("package-lock.json: packages[{path:?}] must be an object"));
        };
        match name_from_path(path) {
            Some(name) => entry(path, Some(name), e, out)?,
            // The root project and workspace folders are not installed from a registry.
            None => out.skipped.push(Skipped { path: path.clone(), reason: if path.is_empty() { "the project itself" } else { "workspace folder" } }),
        }
    }
    Ok(())
}

/// lockfileVersion 1: `dependencies`, nested, keyed by name.
fn from_dependencies(d: &Map<String, Value>, prefix: &str, depth: usize, out: &mut LockPackages) -> Result<()> {
    if depth > MAX_NESTING {
        return err(Code::DocumentInvalid, "package-lock.json dependencies nest too deeply");
    }
    for (name, e) in d {
        let Value::Object(e) = e else {
            return err(Code::DocumentInvalid, format!("package-lock.json: dependencies[{name:?}] must be an object"));
        };
        let path = format!("{prefix}node_modules/{name}");
        entry(&path, Some(name), e, out)?;
        if let Some(Value::Object(sub)) = e.get("dependencies") {
            from_dependencies(sub, &format!("{path}/"), depth + 1, out)?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;

    #[test]
    fn v3_packages() {
        let lock = r#"{"name":"x","lockfileVersion":3,"packages":{
            "":{"name":"x","version":"1.0.0"},
            "node_modules/@playwright/cli":{"version":"0.1.1","resolved":"https://registry.npmjs.org/@playwright/cli/-/cli-0.1.1.tgz","integrity":"sha512-AAAA"},
            "node_modules/a/node_modules/sigstore":{"version":"1.0.0","integrity":"sha512-BBBB"},
            "node_modules/sigstore":{"version":"1.0.0","integrity":"sha512-BBBB"},
            "node_modules/get":{"name":"node-fetch","version":"1.7.1","integrity":"sha512-CCCC"},
            "node_modules/gitdep":{"version":"1.0.0","resolved":"git+ssh://git@github.com/a/b.git#abc"},
            "node_modules/ws":{"resolved":"packages/ws","link":true},
            "packages/ws":{"name":"ws","version":"1.0.0"}
        }}"#;
        let p = parse(lock).unwrap();
        let names: Vec<_> = p.packages.iter().map(|p| (p.name.as_str(), p.version.as_str())).collect();
        assert_eq!(names, [("@playwright/cli", "0.1.1"), ("node-fetch", "1.7.1"), ("sigstore", "1.0.0")]);
        assert_eq!(p.skipped.len(), 4);
    }

    #[test]
    fn v1_dependencies() {
        let lock = r#"{"lockfileVersion":1,"dependencies":{
            "a":{"version":"1.0.0","integrity":"sha512-AAAA","dependencies":{"b":{"version":"2.0.0","integrity":"sha512-BBBB"}}},
            "alias":{"version":"npm:c@1.0.0","integrity":"sha512-CCCC"}
        }}"#;
        let p = parse(lock).unwrap();
        assert_eq!(p.packages.len(), 2);
        assert_eq!(p.skipped, [Skipped { path: "node_modules/alias".into(), reason: "not a registry version" }]);
    }

    #[test]
    fn malformed() {
        for bad in ["[", "{}", r#"{"packages":[]}"#, r#"{"packages":{"node_modules/a":1}}"#, r#"{"dependencies":{"a":1}}"#] {
            assert_eq!(parse(bad).unwrap_err().code, Code::DocumentInvalid, "{bad}");
        }
    }
}
