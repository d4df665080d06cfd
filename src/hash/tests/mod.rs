//! The public hashers, the multi-buffer lane algorithm (over the portable lanes) and `sha2` must
//! agree.
extern crate std;

use super::lanes::{Portable32, Portable64};
use super::multi::{run, Engine, Sha256x4, Sha512x2, H256, H384, H512};
use super::*;
use alloc::vec;
use sha2::Digest;

fn hex(b: &[u8]) -> alloc::string::String {
    b.iter().map(|x| alloc::format!("{x:02x}")).collect()
}

use crate::test_rng::Rng;

/// The lane algorithm over the portable lanes, as the wasm build runs it over `v128`;
/// `simd_from` 1 keeps every message in the lanes to its end.
fn lanes256(msgs: &[&[u8]], simd_from: usize) -> Vec<[u8; 32]> {
    run::<Sha256x4<Portable32>, 64, 4>(msgs, H256, simd_from).into_iter().map(|h| be(&h).try_into().unwrap()).collect()
}
fn lanes512(msgs: &[&[u8]], simd_from: usize) -> Vec<[u8; 64]> {
    run::<Sha512x2<Portable64>, 128, 2>(msgs, H512, simd_from).into_iter().map(|h| be64(&h).try_into().unwrap()).collect()
}
fn lanes384(msgs: &[&[u8]], simd_from: usize) -> Vec<[u8; 48]> {
    run::<Sha512x2<Portable64>, 128, 2>(msgs, H384, simd_from).into_iter().map(|h| be64(&h)[..48].try_into().unwrap()).collect()
}
fn be(h: &[u32; 8]) -> Vec<u8> {
    h.iter().flat_map(|w| w.to_be_bytes()).collect()
}
fn be64(h: &[u64; 8]) -> Vec<u8> {
    h.iter().flat_map(|w| w.to_be_bytes()).collect()
}

/// All the digests of `data` fed in `chunks` by every implementation, as (name, digest) pairs.
fn all_digests(data: &[u8], cuts: &[usize]) -> [(&'static str, Vec<u8>, Vec<u8>); 6] {
    let feed = |f: &mut dyn FnMut(&[u8])| {
        let mut rest = data;
        for &c in cuts {
            let (a, b) = rest.split_at(c.min(rest.len()));
            f(a);
            rest = b;
        }
        f(rest);
    };
    let mut s256 = StreamingHasher::new(HashAlg::Sha256);
    feed(&mut |d| s256.update(d));
    let mut s384 = StreamingHasher::new(HashAlg::Sha384);
    feed(&mut |d| s384.update(d));
    let mut s512 = StreamingHasher::new(HashAlg::Sha512);
    feed(&mut |d| s512.update(d));
    let r256 = sha2::Sha256::digest(data).to_vec();
    let r384 = sha2::Sha384::digest(data).to_vec();
    let r512 = sha2::Sha512::digest(data).to_vec();
    [
        ("lanes sha256", lanes256(&[data], 1).remove(0).to_vec(), r256.clone()),
        ("lanes sha384", lanes384(&[data], 1).remove(0).to_vec(), r384.clone()),
        ("lanes sha512", lanes512(&[data], 1).remove(0).to_vec(), r512.clone()),
        ("public sha256", s256.finalize(), r256),
        ("public sha384", s384.finalize(), r384),
        ("public sha512", s512.finalize(), r512),
    ]
}

fn check(data: &[u8], cuts: &[usize]) {
    for (name, got, want) in all_digests(data, cuts) {
        assert_eq!(hex(&got), hex(&want), "{name}, len {}, cuts {cuts:?}", data.len());
    }
}

/// FIPS 180-2 appendix / NIST CSRC example vectors.
#[test]
fn nist_vectors() {
    let m448 = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".as_slice();
    let m896 = b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".as_slice();
    let million = vec![b'a'; 1_000_000];
    let cases: [(&[u8], &str, &str, &str); 5] = [
        (
            b"",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b",
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
        ),
        (
            b"abc",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
        ),
        (
            m448,
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b",
            "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445",
        ),
        (
            m896,
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
            "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039",
            "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909",
        ),
        (
            &million,
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
            "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985",
            "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b",
        ),
    ];
    for (msg, h256, h384, h512) in cases {
        for cuts in [vec![], vec![1, 63, 64, 65, 127, 128, 129]] {
            let d = all_digests(msg, &cuts);
            for (name, got, _) in &d {
                let want = if name.ends_with("256") {
                    h256
                } else if name.ends_with("384") {
                    h384
                } else {
                    h512
                };
                assert_eq!(hex(got), want, "{name} len {}", msg.len());
            }
        }
    }
}

/// Every length 0..=300 in one piece, byte by byte, and in random chunks.
#[test]
fn every_short_length_matches_sha2() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for len in 0..=300 {
        let data = rng.bytes(len);
        check(&data, &[]);
        check(&data, &vec![1; len]);
        let cuts: Vec<usize> = (0..rng.below(6)).map(|_| rng.below(len + 1)).collect();
        check(&data, &cuts);
    }
}

/// Random lengths up to 1 MiB, random chunkings (including empty chunks and sizes around blocks).
#[test]
fn random_long_inputs_match_sha2() {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    for i in 0..12 {
        let len = if i == 0 { 1 << 20 } else { rng.below((1 << 20) + 1) };
        let data = rng.bytes(len);
        let mut cuts = Vec::new();
        let mut left = len;
        while left > 0 {
            let c = match rng.below(4) {
                0 => rng.below(3),
                1 => 64 * rng.below(4) + rng.below(3),
                2 => rng.below(1000),
                _ => rng.below(200_000),
            }
            .min(left);
            cuts.push(c);
            left -= c;
        }
        check(&data, &cuts);
    }
}

/// The ninth-and-later schedule words and the padding edge cases: blocks that end exactly where
/// the length field no longer fits.
#[test]
fn padding_boundaries() {
    for len in [55, 56, 63, 64, 111, 112, 119, 120, 127, 128, 129, 191, 192] {
        check(&vec![0xa5; len], &[]);
        check(&vec![0xff; len], &[len / 2]);
    }
}

#[test]
fn streaming_hasher_reports_alg_and_lengths() {
    for alg in [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512] {
        let mut h = StreamingHasher::new(alg);
        assert_eq!(h.alg(), alg);
        h.update(b"a");
        h.update(b"");
        h.update(b"bc");
        let d = h.clone().finalize();
        assert_eq!(d.len(), alg.output_len());
        assert_eq!(d, alg.digest(b"abc"));
    }
    assert_eq!(Sha256Hasher::default().finalize(), Sha256Hasher::new().finalize());
    assert_eq!(Sha384Hasher::default().finalize().to_vec(), HashAlg::Sha384.digest(b""));
    assert_eq!(Sha512Hasher::default().finalize().to_vec(), HashAlg::Sha512.digest(b""));
}

/// Lane operations of the portable implementation (the wasm one mirrors them).
#[test]
fn portable_lane_ops() {
    use super::lanes::{U32x4, U64x2};
    let a = Portable32::new(1, 2, 3, 4);
    assert_eq!(Portable32::new(0x0102_0304, 0, 0, u32::MAX).bswap().0, [0x0403_0201, 0, 0, u32::MAX]);
    assert_eq!(a.rotr(1).0, [1 << 31, 1, 1 << 31 | 1, 2]);
    assert_eq!(a.shr(1).0, [0, 1, 1, 2]);
    assert_eq!(Portable32::new(u32::MAX, 0, 0, 0).add(a).0, [0, 2, 3, 4]);
    assert_eq!(a.and(Portable32::splat(6)).xor(Portable32::splat(1)).0, [1, 3, 3, 5]);
    assert_eq!((0..5).map(|i| a.lane(i)).collect::<Vec<_>>(), [1, 2, 3, 4, 0]);
    assert_eq!(a.with_lane(2, 9).with_lane(4, 9).0, [1, 2, 9, 4]);
    let c = Portable64::new(1, 2);
    let d = Portable64::new(3, u64::MAX);
    assert_eq!(d.add(c).0, [4, 1]);
    assert_eq!(c.xor(d).0, [2, u64::MAX - 2]);
    assert_eq!(c.and(d).0, [1, 2]);
    assert_eq!(Portable64::new(0x0102_0304_0506_0708, 0).bswap().0, [0x0807_0605_0403_0201, 0]);
    assert_eq!(c.rotr(1).0, [1 << 63, 1]);
    assert_eq!(Portable64::new(0x0102_0304_0506_0708, 1).rotr(8).0, [0x0801_0203_0405_0607, 1 << 56]);
    assert_eq!(d.shr(63).0, [0, 1]);
    assert_eq!([c.lane(0), c.lane(1), c.lane(2)], [1, 2, 0]);
    assert_eq!(c.with_lane(1, 7).with_lane(2, 7).0, [1, 7]);
}

/// Each message's digest from `sha2` (SHA-256, SHA-384, SHA-512), for the batch functions.
type Digests = Vec<Vec<u8>>;
fn want(msgs: &[&[u8]]) -> (Digests, Digests, Digests) {
    (
        msgs.iter().map(|m| sha2::Sha256::digest(m).to_vec()).collect(),
        msgs.iter().map(|m| sha2::Sha384::digest(m).to_vec()).collect(),
        msgs.iter().map(|m| sha2::Sha512::digest(m).to_vec()).collect(),
    )
}

/// A batch through the lanes (never leaving them, and as shipped) and the public functions.
fn check_batch(msgs: &[&[u8]]) {
    let (w256, w384, w512) = want(msgs);
    let lens: Vec<usize> = msgs.iter().map(|m| m.len()).collect();
    for simd_from in [1, Sha256x4::<Portable32>::SIMD_FROM, 3, 4] {
        let got: Vec<Vec<u8>> = lanes256(msgs, simd_from).iter().map(|d| d.to_vec()).collect();
        assert_eq!(got, w256, "sha256 lanes, lengths {lens:?}, simd_from {simd_from}");
    }
    for simd_from in [1, Sha512x2::<Portable64>::SIMD_FROM] {
        let got: Vec<Vec<u8>> = lanes512(msgs, simd_from).iter().map(|d| d.to_vec()).collect();
        assert_eq!(got, w512, "sha512 lanes, lengths {lens:?}, simd_from {simd_from}");
        let got: Vec<Vec<u8>> = lanes384(msgs, simd_from).iter().map(|d| d.to_vec()).collect();
        assert_eq!(got, w384, "sha384 lanes, lengths {lens:?}, simd_from {simd_from}");
    }
    assert_eq!(sha256_many(msgs).iter().map(|d| d.to_vec()).collect::<Vec<_>>(), w256);
    assert_eq!(sha384_many(msgs).iter().map(|d| d.to_vec()).collect::<Vec<_>>(), w384);
    assert_eq!(sha512_many(msgs).iter().map(|d| d.to_vec()).collect::<Vec<_>>(), w512);
    assert_eq!(digest_many(HashAlg::Sha256, msgs), w256);
    assert_eq!(digest_many(HashAlg::Sha384, msgs), w384);
    assert_eq!(digest_many(HashAlg::Sha512, msgs), w512);
}

/// The padding edges one by one, and all together in one batch (each lane meets several).
#[test]
fn many_padding_lengths() {
    let mut rng = Rng(0x5eed);
    let lens = [0usize, 1, 55, 56, 63, 64, 65, 111, 112, 119, 120, 127, 128, 129, 191, 192, 255, 256];
    let data: Vec<Vec<u8>> = lens.iter().map(|&n| rng.bytes(n)).collect();
    let all: Vec<&[u8]> = data.iter().map(Vec::as_slice).collect();
    for m in &all {
        check_batch(&[m]);
    }
    check_batch(&all);
    check_batch(&[]);
}

/// Mixed batches of 1..=9 messages of random lengths (short ones and up to a few blocks more
/// than their neighbours), and the same message many times.
#[test]
fn many_random_batches() {
    let mut rng = Rng(0xb47c_4e55);
    for round in 0..300 {
        let n = 1 + rng.below(9);
        let data: Vec<Vec<u8>> = (0..n)
            .map(|_| {
                let len = match rng.below(3) {
                    0 => rng.below(130),
                    1 => rng.below(1200),
                    _ => rng.below(if round % 30 == 0 { 70_000 } else { 5000 }),
                };
                rng.bytes(len)
            })
            .collect();
        let msgs: Vec<&[u8]> = data.iter().map(Vec::as_slice).collect();
        check_batch(&msgs);
    }
    let same = rng.bytes(300);
    check_batch(&[same.as_slice(); 7]);
}

/// Large messages: 1 MiB (a whole number of blocks: the padding is a block of its own), a batch
/// of them with odd lengths beside, and the NIST million-`a` vector in every lane.
#[test]
fn many_large() {
    let mut rng = Rng(0x1_0000);
    let mib = rng.bytes(1 << 20);
    check_batch(&[&mib]);
    let others: Vec<Vec<u8>> = (0..5).map(|i| rng.bytes((1 << 20) - 3 * i + 1)).collect();
    let mut msgs: Vec<&[u8]> = others.iter().map(Vec::as_slice).collect();
    msgs.push(&mib);
    msgs.push(b"abc");
    check_batch(&msgs);
    let million = vec![b'a'; 1_000_000];
    let million = million.as_slice();
    let out = sha256_many(&[million; 5]);
    let lanes = lanes256(&[million; 5], 1);
    for d in out.iter().chain(&lanes) {
        assert_eq!(hex(d), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
    let d512 = lanes512(&[million; 3], 1);
    for d in &d512 {
        assert_eq!(hex(d), "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
    }
}
