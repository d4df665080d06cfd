//! The Thompson NFA: compiled from a [`Node`] tree, and run as a set of states per input byte
//! (the Pike VM without captures or priorities: a yes/no answer needs neither).

use alloc::vec::Vec;
use core::mem;

use super::{ByteSet, Error, Look, Node, MAX_STATES};

#[derive(Clone, Copy)]
enum Inst {
    /// Consume one byte in the set, go to `next`.
    Byte {
        set: u32,
        next: u32,
    },
    Split(u32, u32),
    Look(Look, u32),
    Match,
}

#[derive(Clone)]
pub(super) struct Program {
    insts: Vec<Inst>,
    sets: Vec<ByteSet>,
    start: u32,
}

/// The state that accepts (compiled first).
const MATCH: u32 = 0;

pub(super) fn compile(root: &Node, sets: Vec<ByteSet>) -> Result<Program, Error> {
    let mut c = Compiler { insts: Vec::new() };
    c.push(Inst::Match)?;
    let start = c.node(root, MATCH)?;
    Ok(Program { insts: c.insts, sets, start })
}

struct Compiler {
    insts: Vec<Inst>,
}

impl Compiler {
    fn push(&mut self, inst: Inst) -> Result<u32, Error> {
        let id = u32::try_from(self.insts.len()).ok().filter(|_| self.insts.len() < MAX_STATES);
        let id = id.ok_or_else(|| Error(alloc::format!("compiled pattern larger than {MAX_STATES} states")))?;
        self.insts.push(inst);
        Ok(id)
    }

    /// Compile `node` to continue at `next`, built back to front; returns its entry state.
    /// Recursion follows the tree, whose depth the parser bounds.
    fn node(&mut self, node: &Node, next: u32) -> Result<u32, Error> {
        match node {
            Node::Empty => Ok(next),
            Node::Set(set) => self.push(Inst::Byte { set: *set, next }),
            Node::Look(look) => self.push(Inst::Look(*look, next)),
            Node::Concat(nodes) => nodes.iter().rev().try_fold(next, |n, node| self.node(node, n)),
            Node::Alt(nodes) => {
                let starts = nodes.iter().map(|node| self.node(node, next)).collect::<Result<Vec<_>, _>>()?;
                let mut starts = starts.into_iter().rev();
                let last = starts.next().unwrap_or(next);
                starts.try_fold(last, |n, s| self.push(Inst::Split(s, n)))
            }
            Node::Repeat { min, max, sub } => self.repeat(*min, *max, sub, next),
        }
    }

    fn repeat(&mut self, min: u32, max: Option<u32>, sub: &Node, next: u32) -> Result<u32, Error> {
        let (mut entry, copies) = match max {
            // `sub{min,max}`: `max - min` optional copies, each of which may end the repetition.
            Some(max) => {
                let mut n = next;
                for _ in min..max {
                    let before = self.insts.len();
                    let s = self.node(sub, n)?;
                    if self.insts.len() == before {
                        break; // `sub` matches only the empty string: nothing to repeat
                    }
                    n = self.push(Inst::Split(s, next))?;
                }
                (n, min)
            }
            // `sub{min,}`: a loop, entered at the split when `min` is 0, else at its body.
            None => {
                let split = self.push(Inst::Split(MATCH, MATCH))?;
                let body = self.node(sub, split)?;
                if let Some(slot) = usize::try_from(split).ok().and_then(|i| self.insts.get_mut(i)) {
                    *slot = Inst::Split(body, next);
                }
                if min == 0 {
                    (split, 0)
                } else {
                    (body, min - 1)
                }
            }
        };
        for _ in 0..copies {
            let before = self.insts.len();
            entry = self.node(sub, entry)?;
            if self.insts.len() == before {
                break;
            }
        }
        Ok(entry)
    }
}

impl Program {
    pub(super) fn len(&self) -> usize {
        self.insts.len()
    }

    fn inst(&self, id: u32) -> Option<Inst> {
        usize::try_from(id).ok().and_then(|i| self.insts.get(i)).copied()
    }

    /// Whether the program matches all of `value`.
    pub(super) fn is_match(&self, value: &[u8]) -> bool {
        let mut cur = States::new(self.insts.len());
        let mut next = States::new(self.insts.len());
        let mut stack = Vec::new();
        self.add(&mut cur, &mut stack, self.start, value, 0);
        for (i, &b) in value.iter().enumerate() {
            if cur.list.is_empty() {
                return false;
            }
            for &s in &cur.list {
                if let Some(Inst::Byte { set, next: to }) = self.inst(s) {
                    let hit = usize::try_from(set).ok().and_then(|j| self.sets.get(j)).is_some_and(|set| set.contains(b));
                    if hit {
                        self.add(&mut next, &mut stack, to, value, i + 1);
                    }
                }
            }
            mem::swap(&mut cur, &mut next);
            next.clear();
        }
        cur.contains(MATCH)
    }

    /// Add `id` and every state reachable from it without consuming a byte, at position `at`.
    fn add(&self, states: &mut States, stack: &mut Vec<u32>, id: u32, value: &[u8], at: usize) {
        stack.push(id);
        while let Some(id) = stack.pop() {
            if !states.insert(id) {
                continue;
            }
            match self.inst(id) {
                Some(Inst::Split(a, b)) => {
                    stack.push(b);
                    stack.push(a);
                }
                Some(Inst::Look(look, to)) if look.holds(value, at) => stack.push(to),
                _ => {}
            }
        }
    }
}

/// A set of state ids: a membership bit per state and the members in insertion order.
struct States {
    member: Vec<bool>,
    list: Vec<u32>,
}

impl States {
    fn new(n: usize) -> Self {
        States { member: alloc::vec![false; n], list: Vec::new() }
    }

    fn insert(&mut self, id: u32) -> bool {
        match usize::try_from(id).ok().and_then(|i| self.member.get_mut(i)) {
            Some(m) if !*m => {
                *m = true;
                self.list.push(id);
                true
            }
            _ => false,
        }
    }

    fn contains(&self, id: u32) -> bool {
        usize::try_from(id).ok().and_then(|i| self.member.get(i)).is_some_and(|&m| m)
    }

    fn clear(&mut self) {
        for &id in &self.list {
            if let Some(m) = usize::try_from(id).ok().and_then(|i| self.member.get_mut(i)) {
                *m = false;
            }
        }
        self.list.clear();
    }
}
