//! Merkle tree hashing and inclusion proofs (RFC 9162 §2.1, the same tree as RFC 6962 §2.1).

use alloc::format;
use alloc::vec::Vec;
use sha2::{Digest, Sha256};

use crate::error::{err, Code, Result};

/// Hash output size of the log's hash function (SHA-256).
pub const HASH_LEN: usize = 32;

/// RFC 9162 §2.1.1: the hash of a leaf is `HASH(0x00 || entry)`.
pub fn leaf_hash(entry: &[u8]) -> [u8; HASH_LEN] {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(entry);
    h.finalize().into()
}

/// RFC 9162 §2.1.1: an interior node is `HASH(0x01 || left || right)`.
pub fn node_hash(left: &[u8], right: &[u8]) -> [u8; HASH_LEN] {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// Number of hashes an inclusion proof for `index` in a tree of `size` leaves must hold
/// (`index < size`): one per level where the path to the root has a right or left sibling.
/// This is the length the RFC 9162 §2.1.3.2 algorithm consumes exactly: the bits in which
/// `index` and `size - 1` differ (the "inner" part, below the split), plus the set bits of
/// `index` above it (the "border", where the path runs along the right edge of a full subtree).
pub fn expected_proof_len(index: u64, size: u64) -> Option<usize> {
    if index >= size {
        return None;
    }
    let last = size.checked_sub(1)?;
    let inner = u64::BITS - (index ^ last).leading_zeros();
    let border = index.checked_shr(inner).unwrap_or(0).count_ones();
    usize::try_from(inner + border).ok()
}

/// Verify an inclusion proof (RFC 9162 §2.1.3.2) and return nothing on success.
///
/// Checks, in order: `index < size`; every hash and the root are 32 bytes; the proof holds
/// exactly the number of hashes `index` and `size` imply; the recomputed root equals `root`.
pub fn verify_inclusion(index: u64, size: u64, leaf: &[u8; HASH_LEN], proof: &[Vec<u8>], root: &[u8]) -> Result<()> {
    let fail = |msg: alloc::string::String| err(Code::TlogInclusionProofInvalid, msg);
    let Some(want_len) = expected_proof_len(index, size) else {
        return fail(format!("inclusion proof index {index} is not below tree size {size}"));
    };
    if root.len() != HASH_LEN {
        return fail(format!("inclusion proof root hash is {} bytes, not {HASH_LEN}", root.len()));
    }
    if let Some(i) = proof.iter().position(|h| h.len() != HASH_LEN) {
        return fail(format!("inclusion proof hashes[{i}] is not {HASH_LEN} bytes"));
    }
    if proof.len() != want_len {
        return fail(format!("inclusion proof for index {index} in a tree of {size} needs {want_len} hashes, not {}", proof.len()));
    }
    match root_from_proof(index, size, leaf, proof) {
        Some(r) if r.as_slice() == root => Ok(()),
        Some(_) => fail("inclusion proof does not reproduce the root hash".into()),
        None => fail("inclusion proof has the wrong shape for its index and tree size".into()),
    }
}

/// The RFC 9162 §2.1.3.2 verification algorithm: fold the proof into a root hash.
/// `None` when the proof is too short or too long for (`index`, `size`).
fn root_from_proof(index: u64, size: u64, leaf: &[u8; HASH_LEN], proof: &[Vec<u8>]) -> Option<[u8; HASH_LEN]> {
    // 1. Compare leaf_index from the inclusion_proof against tree_size ...
    if index >= size {
        return None;
    }
    // 2. Set fn to leaf_index and sn to tree_size - 1.
    let mut fnode = index;
    let mut snode = size - 1;
    // 3. Set r to hash.
    let mut r = *leaf;
    // 4. For each value p in the inclusion_path array:
    for p in proof {
        // a. If sn is 0, then stop the iteration and fail the proof verification.
        if snode == 0 {
            return None;
        }
        if fnode & 1 == 1 || fnode == snode {
            // b. If LSB(fn) is set, or if fn is equal to sn, then:
            //    i. Set r to HASH(0x01 || p || r).
            r = node_hash(p, &r);
            //    ii. If LSB(fn) is not set, then right-shift both fn and sn equally until
            //        either LSB(fn) is set or fn is 0.
            if fnode & 1 == 0 {
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            }
        } else {
            // Otherwise: Set r to HASH(0x01 || r || p).
            r = node_hash(&r, p);
        }
        // c. Finally, right-shift both fn and sn one time.
        fnode >>= 1;
        snode >>= 1;
    }
    // 5. Compare sn to 0. Compare r against the root_hash.
    (snode == 0).then_some(r)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;
    use alloc::vec;

    /// MTH(D[n]) by the recursive definition (RFC 9162 §2.1.1).
    fn mth(leaves: &[Vec<u8>]) -> [u8; 32] {
        match leaves.len() {
            0 => Sha256::digest([]).into(),
            1 => leaf_hash(&leaves[0]),
            n => {
                let k = split(n);
                node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
            }
        }
    }

    /// The largest power of two smaller than n (n > 1).
    fn split(n: usize) -> usize {
        let mut k = 1;
        while k * 2 < n {
            k *= 2;
        }
        k
    }

    /// PATH(m, D[n]) (RFC 9162 §2.1.3.1).
    fn path(m: usize, leaves: &[Vec<u8>]) -> Vec<Vec<u8>> {
        let n = leaves.len();
        if n == 1 {
            return vec![];
        }
        let k = split(n);
        if m < k {
            let mut p = path(m, &leaves[..k]);
            p.push(mth(&leaves[k..]).to_vec());
            p
        } else {
            let mut p = path(m - k, &leaves[k..]);
            p.push(mth(&leaves[..k]).to_vec());
            p
        }
    }

    fn leaves(n: usize) -> Vec<Vec<u8>> {
        (0..n).map(|i| alloc::format!("leaf {i}").into_bytes()).collect()
    }

    #[test]
    fn every_index_of_small_trees() {
        for size in 1..=20usize {
            let ls = leaves(size);
            let root = mth(&ls);
            for idx in 0..size {
                let proof = path(idx, &ls);
                let leaf = leaf_hash(&ls[idx]);
                let (i, s) = (idx as u64, size as u64);
                assert_eq!(expected_proof_len(i, s), Some(proof.len()), "len {idx}/{size}");
                verify_inclusion(i, s, &leaf, &proof, &root).unwrap();

                // One hash too many, one too few: rejected by the exact-length rule.
                let mut longer = proof.clone();
                longer.push(vec![0; 32]);
                assert_eq!(verify_inclusion(i, s, &leaf, &longer, &root).unwrap_err().code, Code::TlogInclusionProofInvalid);
                assert!(root_from_proof(i, s, &leaf, &longer).is_none_or(|r| r != root));
                if !proof.is_empty() {
                    let shorter = &proof[..proof.len() - 1];
                    assert_eq!(verify_inclusion(i, s, &leaf, shorter, &root).unwrap_err().code, Code::TlogInclusionProofInvalid);
                    // A flipped bit anywhere breaks it.
                    for j in 0..proof.len() {
                        let mut bad = proof.clone();
                        bad[j][0] ^= 1;
                        assert!(verify_inclusion(i, s, &leaf, &bad, &root).is_err());
                    }
                }
                // Another leaf at the same position does not verify.
                let other = leaf_hash(b"not a leaf");
                assert!(verify_inclusion(i, s, &other, &proof, &root).is_err());
                // The same proof claimed for a different index does not verify.
                if size > 1 {
                    let j = ((idx + 1) % size) as u64;
                    assert!(verify_inclusion(j, s, &leaf, &proof, &root).is_err());
                }
            }
        }
    }

    #[test]
    fn shape_errors() {
        let leaf = leaf_hash(b"x");
        let e = verify_inclusion(1, 1, &leaf, &[], &leaf).unwrap_err();
        assert_eq!(e.code, Code::TlogInclusionProofInvalid);
        assert!(verify_inclusion(0, 0, &leaf, &[], &leaf).is_err());
        assert!(verify_inclusion(0, 1, &leaf, &[], &leaf[..31]).is_err());
        assert!(verify_inclusion(0, 2, &leaf, &[vec![0; 31]], &leaf).is_err());
        verify_inclusion(0, 1, &leaf, &[], &leaf).unwrap();
        assert_eq!(expected_proof_len(u64::MAX - 1, u64::MAX), Some(63));
        assert_eq!(expected_proof_len(0, u64::MAX), Some(64));
        assert_eq!(expected_proof_len(5, 5), None);
    }
}
