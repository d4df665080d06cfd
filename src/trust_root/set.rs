//! Several trusted roots at once: one per Sigstore instance a caller accepts (public good and
//! GitHub's, as `gh attestation trusted-root` prints them: one `TrustedRoot` JSON document per
//! line). [`crate::verify::VerifierSet`] checks each bundle against the instance it belongs to.

use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;
use serde_json::Value;

use super::TrustedRoot;
use crate::error::{err, Code, Error, Result};
use crate::limits::{MAX_TRUSTED_ROOTS, MAX_TRUSTED_ROOT_SET_BYTES};

/// One or more trusted roots, in the order given.
#[derive(Clone, Debug)]
pub struct TrustedRootSet {
    roots: Vec<TrustedRoot>,
}

impl TrustedRootSet {
    /// Parse one `TrustedRoot` JSON document, a JSON array of them, or JSON lines (one document
    /// per non-empty line, as `gh attestation trusted-root` prints). At most
    /// [`MAX_TRUSTED_ROOT_SET_BYTES`] of text (checked before parsing) and
    /// [`MAX_TRUSTED_ROOTS`] roots, each within [`crate::limits::MAX_TRUSTED_ROOT_BYTES`];
    /// none at all, or any that does not parse -> `TRUST_ROOT_INVALID` naming the line.
    pub fn from_json_lines(text: &str) -> Result<Self> {
        if text.len() > MAX_TRUSTED_ROOT_SET_BYTES {
            return err(
                Code::TrustRootInvalid,
                format!("trusted roots are {} bytes: over the limit of {MAX_TRUSTED_ROOT_SET_BYTES} bytes (MAX_TRUSTED_ROOT_SET_BYTES)", text.len()),
            );
        }
        let trimmed = text.trim();
        // A whole document first (pretty-printed roots span lines), then lines.
        if let Ok(v) = crate::json::parse(trimmed, Code::TrustRootInvalid, "trusted roots") {
            match v {
                Value::Object(_) => return Self::from_roots(alloc::vec![TrustedRoot::from_json(trimmed)?]),
                Value::Array(items) => {
                    if items.len() > MAX_TRUSTED_ROOTS {
                        return too_many(items.len());
                    }
                    let roots = items
                        .iter()
                        .enumerate()
                        .map(|(i, r)| TrustedRoot::from_json(&r.to_string()).map_err(|e| e.at(&format!("trusted roots [{i}]"))))
                        .collect::<Result<Vec<_>>>()?;
                    return Self::from_roots(roots);
                }
                _ => {}
            }
        }
        let lines: Vec<(usize, &str)> = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).collect();
        if lines.len() > MAX_TRUSTED_ROOTS {
            return too_many(lines.len());
        }
        let roots = lines
            .into_iter()
            .map(|(n, l)| TrustedRoot::from_json(l.trim()).map_err(|e| e.at(&format!("trusted roots line {}", n.saturating_add(1)))))
            .collect::<Result<Vec<_>>>()?;
        Self::from_roots(roots)
    }

    /// A set of already parsed roots (1 to [`MAX_TRUSTED_ROOTS`] -> else `TRUST_ROOT_INVALID`).
    pub fn from_roots(roots: Vec<TrustedRoot>) -> Result<Self> {
        if roots.is_empty() {
            return err(Code::TrustRootInvalid, "no trusted root given");
        }
        if roots.len() > MAX_TRUSTED_ROOTS {
            return too_many(roots.len());
        }
        Ok(TrustedRootSet { roots })
    }

    pub fn roots(&self) -> &[TrustedRoot] {
        &self.roots
    }

    pub fn into_roots(self) -> Vec<TrustedRoot> {
        self.roots
    }
}

fn too_many<T>(n: usize) -> Result<T> {
    Err(Error::new(Code::TrustRootInvalid, format!("{n} trusted roots: at most {MAX_TRUSTED_ROOTS} (MAX_TRUSTED_ROOTS)")))
}
