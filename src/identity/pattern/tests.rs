//! Hand-written cases; `tests/identity_pattern.rs` compares thousands more with `regex-automata`.

use super::*;
use alloc::string::ToString;

fn m(pattern: &str, value: &str) -> bool {
    Regex::new(pattern).unwrap_or_else(|e| panic!("{pattern:?}: {e}")).is_match(value.as_bytes())
}

fn err(pattern: &str) -> String {
    match Regex::new(pattern) {
        Ok(_) => panic!("{pattern:?} compiled"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn whole_value() {
    let san = r"https://github\.com/[^/]+/[^/]+/\.github/workflows/[^@]+@.+";
    assert!(m(san, "https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1"));
    assert!(!m(san, "https://github.com/o/r/.github/workflows/release.yml@"));
    assert!(!m(san, "xhttps://github.com/o/r/.github/workflows/a@b"));
    assert!(!m(san, "https://github.com/o/r/x/.github/workflows/a@b"));
    assert!(m("^https://token\\.actions\\.githubusercontent\\.com$", "https://token.actions.githubusercontent.com"));
    assert!(!m("a", "ab") && !m("a", "ba") && m("a|ab", "ab") && m("", "") && !m("", "a"));
    assert!(m("(?s:.*)(?:refs/heads/main)(?s:.*)", "x\nrefs/heads/main\n"));
    assert!(!m(".*", "a\n") && m("(?s).*", "a\n") && m(".+", "é") && !m(".", "é") && m("..", "é"));
}

#[test]
fn syntax() {
    let yes = [
        ("a||b", ""),
        ("(|a)+", "aa"),
        ("a**", "aaa"),
        ("(a*)*b", "aab"),
        ("a{2}", "aa"),
        ("a{2,}", "aaaa"),
        ("a{1,3}?", "aaa"),
        ("a{ 2 , 3 }", "aaa"),
        ("[]a]+", "]a"),
        ("[^]a]", "b"),
        ("[a-]+", "-a"),
        ("[-a]", "-"),
        ("[]-a]", "-"),
        ("[\\]\\[\\-]+", "[]-"),
        ("[[:alpha:][:digit:]]+", "a1"),
        ("[[:^alpha:]]", "1"),
        ("[a-z&&[^aeiou]]+", "bcd"),
        ("[\\w--_]", "a"),
        ("[a-c~~b-d]+", "ad"),
        ("[a[b]]+", "ab"),
        ("\\x41\\x{42}\\u0043\\U00000044", "ABCD"),
        ("\\xc3\\xa9", "é"),
        ("\\x{e9}", "é"),
        ("é+", "éé"),
        ("(?i)abc", "AbC"),
        ("(?i:a)a", "Aa"),
        ("a(?i)b|c", "C"),
        ("(?i)[a-c]+", "ABC"),
        ("(?i)[^a]", "b"),
        ("(?P<x>a)(?<y>b)", "ab"),
        ("(?x) a b # comment", "ab"),
        ("(?x)[ a - c ]", "b"),
        ("(?m)a$\\n^b", "a\nb"),
        ("(?mR)a$\\r\\n^b", "a\r\nb"),
        ("(?R).", "a"),
        ("\\bfoo\\b", "foo"),
        ("a\\Bb", "ab"),
        ("\\<a\\>", "a"),
        ("\\b{start}a\\b{end}", "a"),
        ("\\b{2}a", "a"),
        ("\\Aa\\z", "a"),
        ("\\/\\-\\%\\ ", "/-% "),
        ("(?U)a+", "aa"),
        ("(?-u:a)", "a"),
        ("((((a))))", "a"),
        ("()", ""),
        ("a]}", "a]}"),
    ];
    for (p, v) in yes {
        assert!(m(p, v), "{p:?} should match {v:?}");
    }
    let no = [
        ("a$b", "ab"),
        ("(?i)[^a]", "A"),
        ("(?i)[[:^upper:]]", "a"),
        ("[^\\n]", "\n"),
        ("\\bfoo\\b", "foox"),
        ("(?m)a$b", "ab"),
        ("(?mR)a$", "a\n\r"),
        ("a(?i)b|c", "B"),
        ("a{2}", "aaa"),
        ("\\xc3", "é"),
    ];
    for (p, v) in no {
        assert!(!m(p, v), "{p:?} should not match {v:?}");
    }
}

#[test]
fn rejected() {
    for p in [
        "(",
        ")",
        "a)",
        "(?",
        "(?)",
        "(?-)",
        "(?ii)",
        "(?--i)",
        "(?q)",
        "[",
        "[]",
        "[^]",
        "[z-a]",
        "[\\d-z]",
        "[é]",
        "[\\b]",
        "*",
        "a{",
        "a{,2}",
        "a{2,1}",
        "{2}",
        "(?i)*",
        "\\",
        "\\1",
        "\\e",
        "\\Z",
        "\\pL",
        "\\p{Greek}",
        "(?=a)",
        "(?!a)",
        "(?<=a)",
        "(?<!a)",
        "(?P<>a)",
        "(?P<1>a)",
        "(?P<a>a)(?P<a>b)",
        "\\x{110000}",
        "\\x{}",
        "\\xZ",
        "\\uD800",
        "\\b{foo}",
        "\\b{",
        "a{4294967296}",
    ] {
        let _ = err(p);
    }
    assert!(err("(?u)a").contains("Unicode mode"));
    assert!(err("(?P<é>a)").contains("ASCII"));
    assert!(err(&"(".repeat(65)).contains("nesting deeper than 64"));
    assert!(err(&format!("a{}", "*".repeat(65))).contains("nesting deeper than 64"));
    let _ = Regex::new(&format!("a{}", "*".repeat(64))).unwrap();
    assert!(err("(a{1000}){1000}").contains("larger than 20000 states"));
    assert!(err(&"a".repeat(4097)).contains("longer than 4096 bytes"));
    assert!(err("ab)").contains("at byte 2"));
}

#[test]
fn bounded_work() {
    // No backtracking: a classic exponential case for backtrackers is linear here.
    let re = Regex::new("(a*)*(a|b)*(a+)+c").unwrap();
    assert!(!re.is_match("a".repeat(4096).as_bytes()));
    let re = Regex::new("(?:){4000000000}(?:a?){0,3000}").unwrap();
    assert!(re.is_match(b"aaa"));
}
