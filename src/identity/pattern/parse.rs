//! Pattern text to a [`Node`] tree.
//!
//! The grammar is `regex-syntax` 0.8's, followed step by step wherever it decides what is
//! accepted: where whitespace may appear (`a{ 2 }` everywhere, anywhere under `(?x)`), which
//! escapes exist, how a class opens (`]` and `-` first are literals) and where a range or a set
//! operator starts, how far a flag reaches (to the end of its group, across `|`), and how deep
//! the tree is (its `nest_limit`). What `regex-syntax` leaves to its translator is done here
//! too, with Unicode off: ASCII case folding, `\xE9` as a byte but `\x{E9}` as the UTF-8 of
//! U+00E9, no non-ASCII character in a class. The parser keeps its own stacks (groups, classes)
//! instead of recursing, so pattern text never deepens the call stack.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::mem;

use super::{ByteSet, Error, Look, Node, MAX_NEST};

type Result<T> = core::result::Result<T, Error>;

pub(super) struct Parsed {
    pub(super) root: Node,
    pub(super) sets: Vec<ByteSet>,
}

pub(super) fn parse(pattern: &str) -> Result<Parsed> {
    let mut p = Parser { pat: pattern, pos: 0, flags: Flags::default(), sets: Vec::new(), names: Vec::new() };
    let root = p.parse()?;
    Ok(Parsed { root, sets: p.sets })
}

#[derive(Clone, Copy, Default)]
struct Flags {
    i: bool,
    m: bool,
    s: bool,
    crlf: bool,
    x: bool,
}

/// A parsed piece of a concatenation: its node, its depth as `regex-syntax` counts it, and
/// whether it is a bare flag directive such as `(?i)` (which cannot be repeated).
struct Item {
    node: Node,
    depth: usize,
    directive: bool,
}

impl Item {
    fn leaf(node: Node) -> Self {
        Item { node, depth: 0, directive: false }
    }
}

/// An open group (or the whole pattern): finished branches, the branch being read, and the
/// flags to restore at its `)`.
#[derive(Default)]
struct Level {
    branches: Vec<Item>,
    concat: Vec<Item>,
    saved: Flags,
}

/// What an escape, a literal or a class member stands for.
enum Prim {
    Char(char),
    Byte(u8),
    Class(ByteSet),
    Look(Look),
}

/// The members of a class read so far: their union, how many, and their deepest depth.
#[derive(Default)]
struct Union {
    set: ByteSet,
    items: usize,
    depth: usize,
}

impl Union {
    fn add(&mut self, set: ByteSet, depth: usize) {
        self.set = self.set.or(set);
        self.items += 1;
        self.depth = self.depth.max(depth);
    }
}

struct ClassSet {
    set: ByteSet,
    depth: usize,
}

#[derive(Clone, Copy)]
enum SetOp {
    And,
    Minus,
    Xor,
}

enum ClassState {
    Open { parent: Union, negated: bool },
    Op { op: SetOp, lhs: ClassSet },
}

struct Parser<'p> {
    pat: &'p str,
    pos: usize,
    flags: Flags,
    sets: Vec<ByteSet>,
    names: Vec<&'p str>,
}

impl<'p> Parser<'p> {
    fn parse(&mut self) -> Result<Node> {
        let mut level = Level::default();
        let mut outer: Vec<Level> = Vec::new();
        loop {
            self.bump_space();
            let Some(c) = self.cur() else { break };
            match c {
                '(' => self.open_group(&mut level, &mut outer)?,
                ')' => {
                    let Some(parent) = outer.pop() else { return Err(self.error("unopened group")) };
                    let inner = mem::replace(&mut level, parent);
                    self.flags = inner.saved;
                    self.bump();
                    let body = self.finish(inner)?;
                    let depth = self.wrap(body.depth)?;
                    level.concat.push(Item { node: body.node, depth, directive: false });
                }
                '|' => {
                    let branch = self.concat(mem::take(&mut level.concat))?;
                    level.branches.push(branch);
                    self.bump();
                }
                '[' => {
                    let item = self.class()?;
                    level.concat.push(item);
                }
                '?' => self.repeat(&mut level.concat, 0, Some(1))?,
                '*' => self.repeat(&mut level.concat, 0, None)?,
                '+' => self.repeat(&mut level.concat, 1, None)?,
                '{' => self.counted(&mut level.concat)?,
                _ => {
                    let item = self.primitive()?;
                    level.concat.push(item);
                }
            }
        }
        if !outer.is_empty() {
            return Err(self.error("unclosed group"));
        }
        Ok(self.finish(level)?.node)
    }

    // ---- reading the text ----

    fn error(&self, what: &str) -> Error {
        Error::at(self.pos, what)
    }

    fn rest(&self) -> &'p str {
        self.pat.get(self.pos..).unwrap_or_default()
    }

    fn cur(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn is(&self, c: char) -> bool {
        self.cur() == Some(c)
    }

    fn eof(&self) -> bool {
        self.pos >= self.pat.len()
    }

    /// Step over the current character; false if that reaches the end.
    fn bump(&mut self) -> bool {
        if let Some(c) = self.cur() {
            self.pos += c.len_utf8();
        }
        !self.eof()
    }

    fn bump_if(&mut self, prefix: &str) -> bool {
        let yes = self.rest().starts_with(prefix);
        if yes {
            self.pos += prefix.len();
        }
        yes
    }

    /// Under `(?x)`, skip whitespace and `#` comments.
    fn bump_space(&mut self) {
        if !self.flags.x {
            return;
        }
        while let Some(c) = self.cur() {
            if c.is_whitespace() {
                self.bump();
            } else if c == '#' {
                while let Some(c) = self.cur() {
                    self.bump();
                    if c == '\n' {
                        break;
                    }
                }
            } else {
                break;
            }
        }
    }

    fn bump_and_bump_space(&mut self) -> bool {
        if !self.bump() {
            return false;
        }
        self.bump_space();
        !self.eof()
    }

    fn peek(&self) -> Option<char> {
        let mut chars = self.rest().chars();
        chars.next();
        chars.next()
    }

    /// The next character after the current one, skipping what `(?x)` skips (as
    /// `regex-syntax`'s `peek_space` does, quirks included).
    fn peek_space(&self) -> Option<char> {
        if !self.flags.x {
            return self.peek();
        }
        let c = self.cur()?;
        let after = self.rest().get(c.len_utf8()..).unwrap_or_default();
        let mut in_comment = false;
        for c in after.chars() {
            if c.is_whitespace() {
                continue;
            }
            if c == '#' && !in_comment {
                in_comment = true;
                continue;
            }
            return Some(c);
        }
        after.chars().next()
    }

    // ---- building the tree ----

    /// The depth of a node over a child of depth `depth`, refused past [`MAX_NEST`].
    fn wrap(&self, depth: usize) -> Result<usize> {
        let depth = depth.saturating_add(1);
        if depth > MAX_NEST {
            return Err(self.error(&alloc::format!("nesting deeper than {MAX_NEST}")));
        }
        Ok(depth)
    }

    fn concat(&self, mut items: Vec<Item>) -> Result<Item> {
        if items.len() < 2 {
            return Ok(items.pop().unwrap_or_else(|| Item::leaf(Node::Empty)));
        }
        let depth = self.wrap(items.iter().map(|i| i.depth).max().unwrap_or(0))?;
        let nodes = items.into_iter().map(|i| i.node).filter(|n| !matches!(n, Node::Empty)).collect();
        Ok(Item { node: Node::Concat(nodes), depth, directive: false })
    }

    fn finish(&self, level: Level) -> Result<Item> {
        let last = self.concat(level.concat)?;
        if level.branches.is_empty() {
            return Ok(last);
        }
        let mut branches = level.branches;
        branches.push(last);
        let depth = self.wrap(branches.iter().map(|i| i.depth).max().unwrap_or(0))?;
        Ok(Item { node: Node::Alt(branches.into_iter().map(|i| i.node).collect()), depth, directive: false })
    }

    fn set(&mut self, set: ByteSet) -> Result<Node> {
        let i = u32::try_from(self.sets.len()).map_err(|_| self.error("too many classes"))?;
        self.sets.push(set);
        Ok(Node::Set(i))
    }

    // ---- groups and flags ----

    fn open_group(&mut self, level: &mut Level, outer: &mut Vec<Level>) -> Result<()> {
        let open = self.pos;
        self.bump();
        self.bump_space();
        if self.bump_if("?=") || self.bump_if("?!") || self.bump_if("?<=") || self.bump_if("?<!") {
            return Err(Error::at(open, "look-around is not supported"));
        }
        let mut flags = self.flags;
        if self.bump_if("?P<") || self.bump_if("?<") {
            self.capture_name()?;
        } else if self.bump_if("?") {
            if self.eof() {
                return Err(Error::at(open, "unclosed group"));
            }
            let any = self.flag_items(&mut flags)?;
            let end = self.cur();
            self.bump();
            if end == Some(')') {
                if !any {
                    return Err(Error::at(open, "empty flag group"));
                }
                self.flags = flags;
                level.concat.push(Item { node: Node::Empty, depth: 0, directive: true });
                return Ok(());
            }
        }
        if outer.len() >= MAX_NEST {
            return Err(Error::at(open, &alloc::format!("nesting deeper than {MAX_NEST}")));
        }
        let saved = self.flags;
        outer.push(mem::replace(level, Level { saved, ..Level::default() }));
        self.flags = flags;
        Ok(())
    }

    /// The flags of `(?flags)` or `(?flags:`, up to the `)` or `:`; whether there were any.
    fn flag_items(&mut self, flags: &mut Flags) -> Result<bool> {
        let (mut seen, mut enable, mut negation_last) = (0u8, true, false);
        loop {
            let Some(c) = self.cur() else { return Err(self.error("unclosed flag group")) };
            if c == ':' || c == ')' {
                break;
            }
            let bit = match c {
                '-' => 1,
                'i' => 2,
                'm' => 4,
                's' => 8,
                'U' => 16,
                'u' => 32,
                'R' => 64,
                'x' => 128,
                _ => return Err(self.error("unrecognized flag")),
            };
            if seen & bit != 0 {
                return Err(self.error(if c == '-' { "repeated flag negation" } else { "duplicate flag" }));
            }
            seen |= bit;
            negation_last = c == '-';
            match c {
                '-' => enable = false,
                'i' => flags.i = enable,
                'm' => flags.m = enable,
                's' => flags.s = enable,
                'R' => flags.crlf = enable,
                'x' => flags.x = enable,
                'u' if enable => return Err(self.error("Unicode mode (?u) is not supported: patterns match bytes")),
                // `U` swaps greediness, which does not change whether a whole value matches;
                // `-u` is the default.
                _ => {}
            }
            if !self.bump() {
                return Err(self.error("unclosed flag group"));
            }
        }
        if negation_last {
            return Err(self.error("flag negation without a flag"));
        }
        Ok(seen != 0)
    }

    fn capture_name(&mut self) -> Result<()> {
        let start = self.pos;
        loop {
            let Some(c) = self.cur() else { return Err(self.error("unclosed group name")) };
            if c == '>' {
                break;
            }
            let first = self.pos == start;
            if !(c == '_' || c.is_ascii_alphabetic() || (!first && (c == '.' || c == '[' || c == ']' || c.is_ascii_digit()))) {
                return Err(self.error(if c.is_ascii() { "invalid group name" } else { "group names must be ASCII" }));
            }
            self.bump();
        }
        let name = self.pat.get(start..self.pos).unwrap_or_default();
        self.bump();
        if name.is_empty() {
            return Err(Error::at(start, "empty group name"));
        }
        match self.names.binary_search(&name) {
            Ok(_) => Err(Error::at(start, "duplicate group name")),
            Err(i) => {
                self.names.insert(i, name);
                Ok(())
            }
        }
    }

    // ---- repetition ----

    fn operand(&self, concat: &mut Vec<Item>) -> Result<Item> {
        match concat.pop() {
            Some(item) if !item.directive => Ok(item),
            _ => Err(self.error("repetition operator without an expression")),
        }
    }

    fn push_repeat(&self, concat: &mut Vec<Item>, sub: Item, min: u32, max: Option<u32>) -> Result<()> {
        let depth = self.wrap(sub.depth)?;
        concat.push(Item { node: Node::Repeat { min, max, sub: Box::new(sub.node) }, depth, directive: false });
        Ok(())
    }

    /// `?`, `*` or `+`, and a lazy `?` right after it.
    fn repeat(&mut self, concat: &mut Vec<Item>, min: u32, max: Option<u32>) -> Result<()> {
        let sub = self.operand(concat)?;
        if self.bump() && self.is('?') {
            self.bump();
        }
        self.push_repeat(concat, sub, min, max)
    }

    /// `{n}`, `{n,}` or `{n,m}`, and a lazy `?` after it.
    fn counted(&mut self, concat: &mut Vec<Item>) -> Result<()> {
        let start = self.pos;
        let sub = self.operand(concat)?;
        let unclosed = Error::at(start, "unclosed counted repetition");
        if !self.bump_and_bump_space() {
            return Err(unclosed);
        }
        let lo = self.decimal();
        if self.eof() {
            return Err(unclosed);
        }
        let (min, max) = if self.is(',') {
            if !self.bump_and_bump_space() {
                return Err(unclosed);
            }
            if self.is('}') {
                (lo?, None)
            } else {
                let lo = lo?;
                (lo, Some(self.decimal()?))
            }
        } else {
            let n = lo?;
            (n, Some(n))
        };
        if !self.is('}') {
            return Err(unclosed);
        }
        if self.bump_and_bump_space() && self.is('?') {
            self.bump();
        }
        if max.is_some_and(|max| min > max) {
            return Err(Error::at(start, "repetition range with min > max"));
        }
        self.push_repeat(concat, sub, min, max)
    }

    /// A count, whitespace around it allowed (even without `(?x)`, as in `regex-syntax`).
    fn decimal(&mut self) -> Result<u32> {
        while self.cur().is_some_and(char::is_whitespace) {
            self.bump();
        }
        let start = self.pos;
        let (mut n, mut digits) = (Some(0u32), false);
        while let Some(d) = self.cur().and_then(|c| c.to_digit(10)) {
            digits = true;
            n = n.and_then(|n| n.checked_mul(10)).and_then(|n| n.checked_add(d));
            self.bump_and_bump_space();
        }
        while self.cur().is_some_and(char::is_whitespace) {
            self.bump_and_bump_space();
        }
        if !digits {
            return Err(Error::at(start, "missing repetition count"));
        }
        n.ok_or_else(|| Error::at(start, "repetition count too large"))
    }

    // ---- primitives and escapes ----

    fn primitive(&mut self) -> Result<Item> {
        let Some(c) = self.cur() else { return Err(self.error("unexpected end")) };
        let f = self.flags;
        let prim = match c {
            '\\' => self.escape()?,
            '.' => Prim::Class(match (f.s, f.crlf) {
                (true, _) => ByteSet::ALL,
                (false, true) => ByteSet::of(b"\r\n").not(),
                (false, false) => ByteSet::byte(b'\n').not(),
            }),
            '^' => Prim::Look(match (f.m, f.crlf) {
                (false, _) => Look::Start,
                (true, false) => Look::StartLf,
                (true, true) => Look::StartCrlf,
            }),
            '$' => Prim::Look(match (f.m, f.crlf) {
                (false, _) => Look::End,
                (true, false) => Look::EndLf,
                (true, true) => Look::EndCrlf,
            }),
            c => Prim::Char(c),
        };
        if c != '\\' {
            self.bump();
        }
        let node = match prim {
            Prim::Char(c) if !c.is_ascii() => {
                let mut buf = [0; 4];
                let bytes = c.encode_utf8(&mut buf).bytes();
                Node::Concat(bytes.map(|b| self.set(ByteSet::byte(b))).collect::<Result<_>>()?)
            }
            Prim::Char(c) => {
                let b = ByteSet::byte(u8::try_from(c).unwrap_or_default());
                self.set(if f.i { b.fold() } else { b })?
            }
            Prim::Byte(b) => self.set(ByteSet::byte(b))?,
            Prim::Class(set) => self.set(set)?,
            Prim::Look(look) => Node::Look(look),
        };
        Ok(Item::leaf(node))
    }

    /// An escape, the parser at its `\`.
    fn escape(&mut self) -> Result<Prim> {
        let start = self.pos;
        if !self.bump() {
            return Err(Error::at(start, "incomplete escape"));
        }
        let Some(c) = self.cur() else { return Err(Error::at(start, "incomplete escape")) };
        match c {
            '0'..='9' => return Err(Error::at(start, "backreferences are not supported")),
            'x' | 'u' | 'U' => return self.hex(start, c),
            'p' | 'P' => return Err(Error::at(start, "Unicode classes (\\p, \\P) are not supported: patterns match bytes")),
            'd' | 's' | 'w' | 'D' | 'S' | 'W' => {
                self.bump();
                let name = match c.to_ascii_lowercase() {
                    'd' => "digit",
                    's' => "space",
                    _ => "word",
                };
                let set = ByteSet::named(name).unwrap_or_default();
                return Ok(Prim::Class(if c.is_ascii_uppercase() { set.not() } else { set }));
            }
            _ => {}
        }
        self.bump();
        // Any ASCII punctuation may be escaped (`regex-syntax`'s `is_escapeable_character`).
        if c.is_ascii() && !c.is_ascii_alphanumeric() && c != '<' && c != '>' {
            return Ok(Prim::Char(c));
        }
        Ok(match c {
            'a' => Prim::Char('\x07'),
            'f' => Prim::Char('\x0C'),
            't' => Prim::Char('\t'),
            'n' => Prim::Char('\n'),
            'r' => Prim::Char('\r'),
            'v' => Prim::Char('\x0B'),
            'A' => Prim::Look(Look::Start),
            'z' => Prim::Look(Look::End),
            'b' => Prim::Look(self.word_boundary(start)?),
            'B' => Prim::Look(Look::NotWord),
            '<' => Prim::Look(Look::WordStart),
            '>' => Prim::Look(Look::WordEnd),
            _ => return Err(Error::at(start, "unrecognized escape")),
        })
    }

    /// After `\b`: `{start}`, `{end}`, `{start-half}` or `{end-half}`, or a plain `\b` (whose
    /// `{` may then be a counted repetition, as in `\b{2}`).
    fn word_boundary(&mut self, start: usize) -> Result<Look> {
        if !self.is('{') {
            return Ok(Look::Word);
        }
        let brace = self.pos;
        let valid = |c: char| c.is_ascii_alphabetic() || c == '-';
        if !self.bump_and_bump_space() {
            return Err(Error::at(start, "unclosed \\b{...}"));
        }
        if !self.cur().is_some_and(valid) {
            self.pos = brace;
            return Ok(Look::Word);
        }
        let mut name = String::new();
        while let Some(c) = self.cur().filter(|&c| valid(c)) {
            name.push(c);
            self.bump_and_bump_space();
        }
        if !self.is('}') {
            return Err(Error::at(start, "unclosed \\b{...}"));
        }
        self.bump();
        match name.as_str() {
            "start" => Ok(Look::WordStart),
            "end" => Ok(Look::WordEnd),
            "start-half" => Ok(Look::WordStartHalf),
            "end-half" => Ok(Look::WordEndHalf),
            _ => Err(Error::at(start, "unrecognized \\b{...}")),
        }
    }

    /// `\xHH`, `\uHHHH`, `\UHHHHHHHH` or one of them with braces, the parser at the letter.
    fn hex(&mut self, start: usize, kind: char) -> Result<Prim> {
        let bad = |what: &str| Error::at(start, what);
        if !self.bump_and_bump_space() {
            return Err(bad("incomplete escape"));
        }
        let mut v = Some(0u32);
        let brace = self.is('{');
        if brace {
            let mut digits = 0usize;
            while self.bump_and_bump_space() && !self.is('}') {
                let d = self.cur().and_then(|c| c.to_digit(16)).ok_or_else(|| bad("invalid hexadecimal digit"))?;
                v = v.and_then(|v| v.checked_mul(16)).and_then(|v| v.checked_add(d));
                digits += 1;
            }
            if self.eof() {
                return Err(bad("unclosed hexadecimal escape"));
            }
            self.bump_and_bump_space();
            if digits == 0 {
                return Err(bad("empty hexadecimal escape"));
            }
        } else {
            let digits = match kind {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            for i in 0..digits {
                if i > 0 && !self.bump_and_bump_space() {
                    return Err(bad("incomplete escape"));
                }
                let d = self.cur().and_then(|c| c.to_digit(16)).ok_or_else(|| bad("invalid hexadecimal digit"))?;
                v = v.and_then(|v| v.checked_mul(16)).and_then(|v| v.checked_add(d));
            }
            self.bump_and_bump_space();
        }
        let c = v.and_then(char::from_u32).ok_or_else(|| bad("invalid code point"))?;
        // Only the two-digit `\xHH` stands for a byte; every other form for a code point.
        Ok(match u8::try_from(c) {
            Ok(b) if kind == 'x' && !brace && !c.is_ascii() => Prim::Byte(b),
            _ => Prim::Char(c),
        })
    }

    // ---- classes ----

    /// A bracketed class, the parser at its `[`; nested classes are kept on a stack.
    fn class(&mut self) -> Result<Item> {
        let mut stack: Vec<ClassState> = Vec::new();
        let mut union = Union::default();
        loop {
            self.bump_space();
            let Some(c) = self.cur() else { return Err(self.error("unclosed class")) };
            match c {
                '[' => {
                    if !stack.is_empty() {
                        if let Some(set) = self.ascii_class() {
                            union.add(set, 0);
                            continue;
                        }
                    }
                    let parent = mem::take(&mut union);
                    let negated = self.class_open(&mut union)?;
                    stack.push(ClassState::Open { parent, negated });
                }
                ']' => {
                    let last = self.union_set(mem::take(&mut union))?;
                    let set = self.pop_op(&mut stack, last)?;
                    let Some(ClassState::Open { parent, negated }) = stack.pop() else { return Err(self.error("unopened class")) };
                    self.bump();
                    let mut bytes = if self.flags.i { set.set.fold() } else { set.set };
                    if negated {
                        bytes = bytes.not();
                    }
                    let depth = self.wrap(set.depth)?;
                    if stack.is_empty() {
                        let node = self.set(bytes)?;
                        return Ok(Item { node, depth, directive: false });
                    }
                    union = parent;
                    union.add(bytes, depth);
                }
                '&' if self.peek() == Some('&') => self.class_op(SetOp::And, &mut union, &mut stack)?,
                '-' if self.peek() == Some('-') => self.class_op(SetOp::Minus, &mut union, &mut stack)?,
                '~' if self.peek() == Some('~') => self.class_op(SetOp::Xor, &mut union, &mut stack)?,
                _ => {
                    let set = self.class_range()?;
                    union.add(set, 0);
                }
            }
        }
    }

    /// A class's `[`, `^` and leading `-`s and `]`, which are literals there.
    fn class_open(&mut self, union: &mut Union) -> Result<bool> {
        let unclosed = Error::at(self.pos, "unclosed class");
        if !self.bump_and_bump_space() {
            return Err(unclosed);
        }
        let negated = self.is('^');
        if negated && !self.bump_and_bump_space() {
            return Err(unclosed);
        }
        while self.is('-') {
            union.add(ByteSet::byte(b'-'), 0);
            if !self.bump_and_bump_space() {
                return Err(unclosed);
            }
        }
        if union.items == 0 && self.is(']') {
            union.add(ByteSet::byte(b']'), 0);
            if !self.bump_and_bump_space() {
                return Err(unclosed);
            }
        }
        Ok(negated)
    }

    fn union_set(&self, u: Union) -> Result<ClassSet> {
        let depth = if u.items >= 2 { self.wrap(u.depth)? } else { u.depth };
        Ok(ClassSet { set: u.set, depth })
    }

    fn class_op(&mut self, op: SetOp, union: &mut Union, stack: &mut Vec<ClassState>) -> Result<()> {
        self.pos += 2;
        let rhs = self.union_set(mem::take(union))?;
        let lhs = self.pop_op(stack, rhs)?;
        stack.push(ClassState::Op { op, lhs });
        Ok(())
    }

    /// Apply a pending set operation to its right-hand side, if one is pending.
    fn pop_op(&self, stack: &mut Vec<ClassState>, rhs: ClassSet) -> Result<ClassSet> {
        if !matches!(stack.last(), Some(ClassState::Op { .. })) {
            return Ok(rhs);
        }
        let Some(ClassState::Op { op, lhs }) = stack.pop() else { return Ok(rhs) };
        let (l, r) = if self.flags.i { (lhs.set.fold(), rhs.set.fold()) } else { (lhs.set, rhs.set) };
        let set = match op {
            SetOp::And => l.and(r),
            SetOp::Minus => l.and(r.not()),
            SetOp::Xor => l.xor(r),
        };
        Ok(ClassSet { set, depth: self.wrap(lhs.depth.max(rhs.depth))? })
    }

    /// A member of a class: a literal, an escape or a range `a-z`.
    fn class_range(&mut self) -> Result<ByteSet> {
        let first = self.class_prim()?;
        self.bump_space();
        if self.eof() {
            return Err(self.error("unclosed class"));
        }
        if !self.is('-') || matches!(self.peek_space(), Some(']' | '-')) {
            return match first {
                Prim::Class(set) => Ok(set),
                Prim::Look(_) => Err(self.error("assertions are not allowed in a class")),
                lit => Ok(ByteSet::byte(self.class_byte(&lit)?)),
            };
        }
        if !self.bump_and_bump_space() {
            return Err(self.error("unclosed class"));
        }
        let last = self.class_prim()?;
        let code = |p: &Prim| match *p {
            Prim::Char(c) => Some(u32::from(c)),
            Prim::Byte(b) => Some(u32::from(b)),
            _ => None,
        };
        match (code(&first), code(&last)) {
            (Some(a), Some(b)) if a <= b => Ok(ByteSet::range(self.class_byte(&first)?, self.class_byte(&last)?)),
            (Some(_), Some(_)) => Err(self.error("class range out of order")),
            _ => Err(self.error("class range bound is not a single character")),
        }
    }

    fn class_prim(&mut self) -> Result<Prim> {
        if self.is('\\') {
            return self.escape();
        }
        let c = self.cur().ok_or_else(|| self.error("unclosed class"))?;
        self.bump();
        Ok(Prim::Char(c))
    }

    fn class_byte(&self, p: &Prim) -> Result<u8> {
        match *p {
            Prim::Byte(b) => Ok(b),
            Prim::Char(c) if c.is_ascii() => u8::try_from(c).map_err(|_| self.error("invalid class member")),
            _ => Err(self.error("non-ASCII character in a class (write bytes as \\xHH)")),
        }
    }

    /// `[:name:]` or `[:^name:]` inside a class; anything else leaves the parser where it was.
    fn ascii_class(&mut self) -> Option<ByteSet> {
        let start = self.pos;
        let set = self.ascii_class_at();
        if set.is_none() {
            self.pos = start;
        }
        set
    }

    fn ascii_class_at(&mut self) -> Option<ByteSet> {
        if !self.bump() || !self.is(':') || !self.bump() {
            return None;
        }
        let negated = self.is('^');
        if negated && !self.bump() {
            return None;
        }
        let name_start = self.pos;
        while !self.is(':') && self.bump() {}
        if self.eof() {
            return None;
        }
        let name = self.pat.get(name_start..self.pos)?;
        if !self.bump_if(":]") {
            return None;
        }
        let mut set = ByteSet::named(name)?;
        if self.flags.i {
            set = set.fold();
        }
        Some(if negated { set.not() } else { set })
    }
}
