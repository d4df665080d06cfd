//! Whole-value regular expressions for identity patterns, matched byte by byte.
//!
//! Identity patterns only ever ask one question of a short string (a certificate SAN, an OIDC
//! issuer): does the pattern match all of it? This module answers it with a parser
//! ([`parse`]), a Thompson NFA compiler and a set-of-states simulation ([`nfa`]), in place of
//! `regex-automata`, which was one of the largest pieces of the WebAssembly package. (No small
//! `no_std` engine exists to take instead: `regex-lite` needs `std`.)
//!
//! Syntax: the RE2 / Rust `regex` syntax, read as `regex-syntax` 0.8 reads it with Unicode off
//! and invalid UTF-8 allowed (how this crate configured `regex-automata`), so a pattern means
//! what it meant before:
//! - literals, `.` (any byte but `\n`), escapes of punctuation (`\.`, `\/`, `\-`, …), `\n \t \r
//!   \f \v \a`, `\xHH` (the byte), `\x{H…}`, `\uHHHH`, `\UHHHHHHHH` (a code point, in UTF-8);
//! - `\d \s \w \D \S \W` and `[[:alpha:]]`-style classes, ASCII only; classes `[...]` with ranges,
//!   `^` negation, `]` first and `-` at the edges as literals, nested classes and `&&`, `--`,
//!   `~~` (intersection, difference, symmetric difference);
//! - groups `(…)`, `(?:…)`, `(?P<name>…)`, `(?<name>…)`; alternation `|`, empty branches
//!   included; `* + ? {n} {n,} {n,m}`, lazy or not (the same verdict for a whole value);
//! - flags `(?flags)` and `(?flags:…)`, to the end of the enclosing group: `i` (ASCII case
//!   folding), `m`, `s`, `R`, `x` (whitespace and `#` comments ignored), `U`, `-u`;
//! - zero-width `^ $ \A \z`, `\b \B \< \>`, `\b{start}`, `\b{end}`, `\b{start-half}`,
//!   `\b{end-half}` (ASCII word characters).
//!
//! Rejected with an error, as `regex` rejects them: backreferences, look-around, `\p{…}` classes,
//! non-ASCII characters in a class, malformed syntax (`(`, `a{2`, `*a`, `[z-a]`, …). Rejected
//! here though `regex` would build them: Unicode mode `(?u)` (this crate built `regex` without
//! its Unicode tables, so `(?u:\w)` never worked anyway) and non-ASCII group names.
//!
//! Bounds, each an error naming it: the pattern is at most [`MAX_LEN`] bytes; groups, classes and
//! operators nest at most [`MAX_NEST`] deep (counted as `regex-syntax` counts, its `nest_limit`);
//! the compiled program has at most [`MAX_STATES`] states, counted while counted repetitions are
//! expanded, so `(a{1000}){1000}` is refused before it is built (`regex-automata` bounded its
//! NFA at 1 MiB instead; the two count differently, so near the bound a pattern may pass one and
//! not the other). Matching never backtracks: it costs O(length of the value × states) time and
//! O(states) memory, for any pattern: at the bound, under a second per KiB of value.

mod nfa;
mod parse;

use alloc::format;
use alloc::string::String;
use core::fmt;

/// Longest pattern accepted, in bytes.
pub const MAX_LEN: usize = 4096;
/// Deepest nesting of groups, classes, repetitions, alternations and concatenations.
pub const MAX_NEST: usize = 64;
/// Largest compiled program, in NFA states.
pub const MAX_STATES: usize = 20_000;

/// A compiled pattern that matches whole values only.
#[derive(Clone)]
pub struct Regex {
    prog: nfa::Program,
}

impl Regex {
    /// Compile `pattern`: an error says what is wrong and at which byte of the pattern.
    pub fn new(pattern: &str) -> Result<Self, Error> {
        if pattern.len() > MAX_LEN {
            return Err(Error(format!("longer than {MAX_LEN} bytes")));
        }
        let parsed = parse::parse(pattern)?;
        Ok(Regex { prog: nfa::compile(&parsed.root, parsed.sets)? })
    }

    /// Whether the pattern matches all of `value` (anchored at both ends).
    pub fn is_match(&self, value: &[u8]) -> bool {
        self.prog.is_match(value)
    }
}

impl fmt::Debug for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Regex").field("states", &self.prog.len()).finish_non_exhaustive()
    }
}

/// Why a pattern does not compile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(String);

impl Error {
    fn at(pos: usize, what: &str) -> Self {
        Error(format!("{what} at byte {pos}"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The parsed pattern, flags and classes already applied.
enum Node {
    /// Matches the empty string.
    Empty,
    /// One byte from the set at this index of the set table.
    Set(u32),
    Look(Look),
    Concat(alloc::vec::Vec<Node>),
    Alt(alloc::vec::Vec<Node>),
    Repeat {
        min: u32,
        max: Option<u32>,
        sub: alloc::boxed::Box<Node>,
    },
}

/// Zero-width assertions, each decided by the bytes either side of a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Look {
    Start,
    End,
    StartLf,
    EndLf,
    StartCrlf,
    EndCrlf,
    Word,
    NotWord,
    WordStart,
    WordEnd,
    WordStartHalf,
    WordEndHalf,
}

impl Look {
    fn holds(self, value: &[u8], at: usize) -> bool {
        let before = at.checked_sub(1).and_then(|i| value.get(i)).copied();
        let after = value.get(at).copied();
        let word = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
        match self {
            Look::Start => before.is_none(),
            Look::End => after.is_none(),
            Look::StartLf => before.is_none_or(|b| b == b'\n'),
            Look::EndLf => after.is_none_or(|b| b == b'\n'),
            Look::StartCrlf => match before {
                None | Some(b'\n') => true,
                Some(b'\r') => after != Some(b'\n'),
                Some(_) => false,
            },
            Look::EndCrlf => match after {
                None | Some(b'\r') => true,
                Some(b'\n') => before != Some(b'\r'),
                Some(_) => false,
            },
            Look::Word => word(before) != word(after),
            Look::NotWord => word(before) == word(after),
            Look::WordStart => !word(before) && word(after),
            Look::WordEnd => word(before) && !word(after),
            Look::WordStartHalf => !word(before),
            Look::WordEndHalf => !word(after),
        }
    }
}

/// A set of bytes, one bit each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct ByteSet {
    lo: u128,
    hi: u128,
}

impl ByteSet {
    const ALL: ByteSet = ByteSet { lo: u128::MAX, hi: u128::MAX };

    fn byte(b: u8) -> Self {
        ByteSet::range(b, b)
    }

    fn range(a: u8, b: u8) -> Self {
        let mut s = ByteSet::default();
        for x in a..=b {
            if x < 128 {
                s.lo |= 1 << x;
            } else {
                s.hi |= 1 << (x - 128);
            }
        }
        s
    }

    fn of(bytes: &[u8]) -> Self {
        bytes.iter().fold(ByteSet::default(), |s, &b| s.or(ByteSet::byte(b)))
    }

    fn contains(self, b: u8) -> bool {
        if b < 128 {
            (self.lo >> b) & 1 == 1
        } else {
            (self.hi >> (b - 128)) & 1 == 1
        }
    }

    fn or(self, o: Self) -> Self {
        ByteSet { lo: self.lo | o.lo, hi: self.hi | o.hi }
    }

    fn and(self, o: Self) -> Self {
        ByteSet { lo: self.lo & o.lo, hi: self.hi & o.hi }
    }

    fn xor(self, o: Self) -> Self {
        ByteSet { lo: self.lo ^ o.lo, hi: self.hi ^ o.hi }
    }

    fn not(self) -> Self {
        ByteSet { lo: !self.lo, hi: !self.hi }
    }

    /// Add the other ASCII case of every letter in the set.
    fn fold(self) -> Self {
        const LETTERS: u128 = (1 << 26) - 1;
        let (upper, lower) = (self.lo & (LETTERS << b'A'), self.lo & (LETTERS << b'a'));
        ByteSet { lo: self.lo | (upper << 32) | (lower >> 32), hi: self.hi }
    }

    /// `\d`, `\s`, `\w` and the `[:name:]` classes.
    fn named(name: &str) -> Option<Self> {
        let r = ByteSet::range;
        Some(match name {
            "alnum" => r(b'0', b'9').or(r(b'A', b'Z')).or(r(b'a', b'z')),
            "alpha" => r(b'A', b'Z').or(r(b'a', b'z')),
            "ascii" => r(0, 0x7F),
            "blank" => ByteSet::of(b"\t "),
            "cntrl" => r(0, 0x1F).or(ByteSet::byte(0x7F)),
            "digit" => r(b'0', b'9'),
            "graph" => r(b'!', b'~'),
            "lower" => r(b'a', b'z'),
            "print" => r(b' ', b'~'),
            "punct" => r(b'!', b'/').or(r(b':', b'@')).or(r(b'[', b'`')).or(r(b'{', b'~')),
            "space" => ByteSet::of(b"\t\n\x0B\x0C\r "),
            "upper" => r(b'A', b'Z'),
            "word" => r(b'0', b'9').or(r(b'A', b'Z')).or(r(b'a', b'z')).or(ByteSet::byte(b'_')),
            "xdigit" => r(b'0', b'9').or(r(b'A', b'F')).or(r(b'a', b'f')),
            _ => return None,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests;
