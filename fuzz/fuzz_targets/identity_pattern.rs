//! Identity patterns: `identity::pattern::Regex::new` on the bytes before the first NUL (as
//! UTF-8), and, when it compiles, `is_match` on the bytes after it and on each of their prefixes
//! up to 64, through `Matcher` too when they are UTF-8. Patterns are at most 4096 bytes and
//! 20000 states, so one input costs at most a few hundred million state steps.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigstore_verifier::identity::pattern::Regex;
use sigstore_verifier::Matcher;

fuzz_target!(|data: &[u8]| {
    let (pattern, value) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Ok(pattern) = std::str::from_utf8(pattern) else { return };
    let Ok(re) = Regex::new(pattern) else { return };
    let whole = re.is_match(value);
    for n in 0..value.len().min(64) {
        let _ = re.is_match(&value[..n]);
    }
    if let (Ok(m), Ok(text)) = (Matcher::regex(pattern), std::str::from_utf8(value)) {
        assert_eq!(m.matches(text), whole, "Matcher and Regex disagree on {pattern:?}");
        let _ = m.describe();
    }
});
