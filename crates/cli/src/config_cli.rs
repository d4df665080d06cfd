//! The verifier configuration flags the verifying commands share: thresholds. By default they
//! follow the trusted root (an instance without transparency logs requires an RFC 3161
//! timestamp instead of a log entry; one without CT logs requires no SCT); a flag raises one,
//! and lowering one below the instance's default also needs `--insecure-lower-thresholds`
//! (else `CONFIG_UNSAFE`).

use sigstore_verifier::Config;

pub const HELP: &str = "\
THRESHOLDS (default: what the trusted root implies; each result reports required and verified):
  --tlog-threshold N             verified transparency-log entries required
  --timestamp-threshold N        verified RFC 3161 timestamps required (one per TSA)
  --require-sct                  require an SCT from a trusted CT log in the certificate
  --insecure-lower-thresholds    permit settings below the instance's defaults (CONFIG_UNSAFE
                                 otherwise): a weaker verification than the instance's own
";

#[derive(Default, Clone)]
pub struct ConfigFlags {
    tlog: Option<usize>,
    timestamps: Option<usize>,
    require_sct: bool,
    lower_unsafe: bool,
}

impl ConfigFlags {
    /// Consume a threshold flag; `Ok(false)` if `flag` is not one.
    pub fn take(&mut self, flag: &str, value: &mut dyn FnMut(&str) -> Result<String, String>) -> Result<bool, String> {
        let count = |v: String| v.parse::<usize>().ok().filter(|n| *n <= 64).ok_or_else(|| format!("{flag} needs a count from 0 to 64, not {v:?}"));
        match flag {
            "--tlog-threshold" => crate::set(&mut self.tlog, count(value(flag)?)?, flag)?,
            "--timestamp-threshold" => crate::set(&mut self.timestamps, count(value(flag)?)?, flag)?,
            "--require-sct" => self.require_sct = true,
            "--insecure-lower-thresholds" => self.lower_unsafe = true,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The core configuration (fixed-base tables off: one CLI run verifies few bundles).
    pub fn config(&self) -> Config {
        Config {
            tlog_threshold: self.tlog,
            signed_timestamp_threshold: self.timestamps,
            require_sct: self.require_sct.then_some(true),
            lower_thresholds_unsafe: self.lower_unsafe,
            precompute_tables: false,
            ..Config::default()
        }
    }
}
