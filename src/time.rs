//! Points in time as verified by this crate: Unix seconds plus nanoseconds, ordered.
//!
//! The core never reads a clock; every time comes from the caller, a log entry, a timestamp
//! token or a certificate. Written by hand because the parsing needed (RFC 3339 with optional
//! fraction, ASN.1 GeneralizedTime with optional fraction) is small and no no_std crate covers both.

use alloc::string::String;
use core::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    pub secs: i64,
    pub nanos: u32,
}

impl Time {
    pub const fn from_unix(secs: i64) -> Self {
        Time { secs, nanos: 0 }
    }

    /// Build from calendar fields (UTC). Returns None on out-of-range fields.
    pub fn from_civil(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32, nanos: u32) -> Option<Self> {
        if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 60 {
            return None;
        }
        if nanos >= 1_000_000_000 {
            return None;
        }
        // Leap second 60 is folded onto the next second, as Go and most verifiers do.
        let days = days_from_civil(y, mo, d);
        let secs = days.checked_mul(86_400)?.checked_add(i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s))?;
        Some(Time { secs, nanos })
    }

    /// Parse RFC 3339 as used by protobuf JSON Timestamps: `YYYY-MM-DDTHH:MM:SS[.f]Z` or with a
    /// `+HH:MM`/`-HH:MM` offset.
    pub fn parse_rfc3339(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() < 20 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
            return None;
        }
        if !matches!(b.get(10), Some(b'T') | Some(b't') | Some(b' ')) {
            return None;
        }
        let y = digits(b, 0, 4)?;
        let mo = digits(b, 5, 2)?;
        let d = digits(b, 8, 2)?;
        let h = digits(b, 11, 2)?;
        let mi = digits(b, 14, 2)?;
        let sec = digits(b, 17, 2)?;
        let (nanos, rest) = fraction(b.get(19..)?)?;
        let offset: i64 = match rest {
            [b'Z'] | [b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let oh = digits(&[*h1, *h2], 0, 2)?;
                let om = digits(&[*m1, *m2], 0, 2)?;
                if oh > 23 || om > 59 {
                    return None;
                }
                let o = i64::from(oh * 3600 + om * 60);
                if *sign == b'+' {
                    o
                } else {
                    -o
                }
            }
            _ => return None,
        };
        let t = Time::from_civil(i64::from(y), mo, d, h, mi, sec, nanos)?;
        Some(Time { secs: t.secs.checked_sub(offset)?, nanos })
    }

    /// Parse an ASN.1 GeneralizedTime in the DER profile used by RFC 3161 (`YYYYMMDDHHMMSS[.f]Z`).
    pub fn parse_generalized(s: &[u8]) -> Option<Self> {
        if s.len() < 15 {
            return None;
        }
        let y = digits(s, 0, 4)?;
        let mo = digits(s, 4, 2)?;
        let d = digits(s, 6, 2)?;
        let h = digits(s, 8, 2)?;
        let mi = digits(s, 10, 2)?;
        let sec = digits(s, 12, 2)?;
        let (nanos, rest) = fraction(s.get(14..)?)?;
        if rest != b"Z" {
            return None;
        }
        Time::from_civil(i64::from(y), mo, d, h, mi, sec, nanos)
    }

    /// RFC 3339 in UTC, with a fraction only when non-zero.
    pub fn to_rfc3339(&self) -> String {
        let mut out = String::new();
        let _ = fmt::write(&mut out, format_args!("{}", self));
        out
    }
}

/// A validity window, as the trusted root gives one for each log and authority (`validFor`): both
/// ends inclusive, `end` absent means open-ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validity {
    pub start: Time,
    pub end: Option<Time>,
}

impl Validity {
    /// `start <= t <= end` (no end: `start <= t`).
    pub fn contains(&self, t: Time) -> bool {
        self.start <= t && self.end.is_none_or(|e| t <= e)
    }
}

/// As RFC 3339 text (the result JSON's times).
impl serde::Serialize for Time {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.secs.div_euclid(86_400);
        let rem = self.secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(f, "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", y, m, d, rem / 3600, (rem / 60) % 60, rem % 60)?;
        if self.nanos != 0 {
            let mut n = self.nanos;
            let mut width = 9;
            while n.is_multiple_of(10) {
                n /= 10;
                width -= 1;
            }
            write!(f, ".{:0width$}", n, width = width)?;
        }
        f.write_str("Z")
    }
}

fn digits(b: &[u8], start: usize, n: usize) -> Option<u32> {
    let mut v: u32 = 0;
    for c in b.get(start..start.checked_add(n)?)? {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// Optional `.ddd` fraction (up to nanoseconds; extra digits must be zero-free truncation is
/// refused to keep comparisons exact). Returns (nanos, rest).
fn fraction(b: &[u8]) -> Option<(u32, &[u8])> {
    match b.split_first() {
        Some((b'.', rest)) => {
            let n = rest.iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 || n > 9 {
                return None;
            }
            let mut v = digits(rest, 0, n)?;
            for _ in n..9 {
                v *= 10;
            }
            Some((v, rest.get(n..)?))
        }
        _ => Some((0, b)),
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // d is in 1..=31 and m in 1..=12 by construction (Hinnant's civil_from_days).
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(0);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(0);
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trip() {
        let t = Time::parse_rfc3339("2021-01-12T11:53:27Z").unwrap();
        assert_eq!(t.secs, 1_610_452_407);
        assert_eq!(t.to_rfc3339(), "2021-01-12T11:53:27Z");
        let t = Time::parse_rfc3339("2025-06-12T12:02:17.5+01:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2025-06-12T11:02:17.5Z");
        assert!(Time::parse_rfc3339("2021-02-30T00:00:00Z").is_none());
        assert!(Time::parse_rfc3339("2021-01-12 11:53:27").is_none());
    }

    #[test]
    fn generalized_time() {
        let t = Time::parse_generalized(b"20250612120217.123Z").unwrap();
        assert_eq!(t.nanos, 123_000_000);
        assert_eq!(Time::parse_generalized(b"19700101000000Z").unwrap().secs, 0);
        assert!(Time::parse_generalized(b"20250612120217").is_none());
    }
}
