//! A Merkle tree over the audit chain in the shape of RFC 6962 §2.1 (Certificate Transparency):
//! leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right), the tree of n leaves split
//! at the largest power of two below n. An entry's leaf data is its 32-byte chain hash (which
//! covers its canonical text), so the tree can be built from the stored hashes alone.
//!
//! Proof generation asks a caller-supplied function for the hash of a range of leaves (the
//! store answers from its cached subtrees); verification (RFC 9162 §2.1.3.2 and §2.1.4.2) needs
//! nothing but the proof and the two roots.

use sha2::{Digest, Sha256};

/// A SHA-256 value.
pub type Hash = [u8; 32];

/// The root of the empty tree: SHA-256 of nothing.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The hash of a leaf: SHA-256(0x00 ‖ data).
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

/// The hash of an inner node: SHA-256(0x01 ‖ left ‖ right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The leaf of an audit entry: its chain hash (hex) as 32 bytes, hashed as a leaf. `None` if the
/// text is not 64 hex digits.
pub fn entry_leaf(entry_hash_hex: &str) -> Option<Hash> {
    let bytes: Hash = hex::decode(entry_hash_hex).ok()?.try_into().ok()?;
    Some(leaf_hash(&bytes))
}

/// A hash as lower-case hex.
pub fn to_hex(h: &Hash) -> String {
    hex::encode(h)
}

/// A hash from hex; `None` unless exactly 32 bytes.
pub fn from_hex(s: &str) -> Option<Hash> {
    hex::decode(s).ok()?.try_into().ok()
}

/// The largest power of two strictly below `n` (n ≥ 2): where RFC 6962 splits a tree.
pub fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// The root of a tree held in memory as its leaf hashes (tests, small trees, batches).
pub fn root_of(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = split(n as u64) as usize;
            node_hash(&root_of(&leaves[..k]), &root_of(&leaves[k..]))
        }
    }
}

/// The audit path of leaf `m` in the tree of the first `n` leaves (RFC 6962 §2.1.1), using
/// `range(start, end)` for the hash of the leaves `start..end`. Asks for at most ⌈log₂ n⌉ ranges.
pub fn inclusion_path<E>(
    m: u64,
    n: u64,
    range: &mut dyn FnMut(u64, u64) -> Result<Hash, E>,
) -> Result<Vec<Hash>, E> {
    let mut path = Vec::new();
    let (mut start, mut end, mut m) = (0u64, n, m);
    // Walk down from the root, collecting siblings; the path lists them leaf-side first.
    while end - start > 1 {
        let k = split(end - start);
        if m < k {
            path.push(range(start + k, end)?);
            end = start + k;
        } else {
            path.push(range(start, start + k)?);
            start += k;
            m -= k;
        }
    }
    path.reverse();
    Ok(path)
}

/// The consistency proof between the tree of the first `m` leaves and that of the first `n`
/// (RFC 6962 §2.1.2), 0 < m ≤ n, using `range(start, end)` as in `inclusion_path`.
pub fn consistency_path<E>(
    m: u64,
    n: u64,
    range: &mut dyn FnMut(u64, u64) -> Result<Hash, E>,
) -> Result<Vec<Hash>, E> {
    let mut path = Vec::new();
    let (mut start, mut end, mut m, mut whole) = (0u64, n, m, true);
    loop {
        let size = end - start;
        if m == size {
            if !whole {
                path.push(range(start, end)?);
            }
            break;
        }
        let k = split(size);
        if m <= k {
            path.push(range(start + k, end)?);
            end = start + k;
        } else {
            path.push(range(start, start + k)?);
            start += k;
            m -= k;
            whole = false;
        }
    }
    path.reverse();
    Ok(path)
}

/// The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or `None` if the proof cannot be
/// a proof for leaf `m` of a tree of `n` leaves (wrong length, index out of range).
pub fn root_from_inclusion(m: u64, n: u64, leaf: &Hash, path: &[Hash]) -> Option<Hash> {
    if m >= n {
        return None;
    }
    let (mut f, mut s) = (m, n - 1);
    let mut r = *leaf;
    for p in path {
        if s == 0 {
            return None;
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    (s == 0).then_some(r)
}

/// Whether `path` proves that the tree of `m` leaves with root `root_m` is a prefix of the tree
/// of `n` leaves with root `root_n` (RFC 9162 §2.1.4.2).
pub fn verify_consistency(m: u64, n: u64, root_m: &Hash, root_n: &Hash, path: &[Hash]) -> bool {
    if m == 0 || m > n {
        return false;
    }
    if m == n {
        return path.is_empty() && root_m == root_n;
    }
    let mut proof: Vec<Hash> = Vec::with_capacity(path.len() + 1);
    if m.is_power_of_two() {
        proof.push(*root_m);
    }
    proof.extend_from_slice(path);
    let Some((first, rest)) = proof.split_first() else {
        return false;
    };
    let (mut f, mut s) = (m - 1, n - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    s == 0 && &fr == root_m && &sr == root_n
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The eight leaves of the Certificate Transparency reference tests.
    fn ct_leaves() -> Vec<Hash> {
        let data: [&[u8]; 8] = [
            b"",
            b"\x00",
            b"\x10",
            b"\x20\x21",
            b"\x30\x31",
            b"\x40\x41\x42\x43",
            b"\x50\x51\x52\x53\x54\x55\x56\x57",
            b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
        ];
        data.iter().map(|d| leaf_hash(d)).collect()
    }

    fn h(s: &str) -> Hash {
        from_hex(s).unwrap()
    }

    fn mem(leaves: &[Hash]) -> impl FnMut(u64, u64) -> Result<Hash, ()> + '_ {
        |a, b| Ok(root_of(&leaves[a as usize..b as usize]))
    }

    const ROOTS: [&str; 8] = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    #[test]
    fn the_tree_heads_of_the_reference_leaves_are_those_of_the_reference_implementation() {
        let leaves = ct_leaves();
        for (i, root) in ROOTS.iter().enumerate() {
            assert_eq!(
                to_hex(&root_of(&leaves[..=i])),
                *root,
                "tree of {} leaves",
                i + 1
            );
        }
        assert_eq!(
            to_hex(&empty_root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn inclusion_paths_are_those_of_the_reference_vectors() {
        let leaves = ct_leaves();
        let cases: [(u64, u64, &[&str]); 3] = [
            (
                0,
                8,
                &[
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                5,
                8,
                &[
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
            (
                2,
                3,
                &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
            ),
        ];
        for (m, n, want) in cases {
            let path = inclusion_path(m, n, &mut mem(&leaves)).unwrap();
            let got: Vec<String> = path.iter().map(to_hex).collect();
            assert_eq!(got, want, "leaf {m} of {n}");
            let root = root_from_inclusion(m, n, &leaves[m as usize], &path).unwrap();
            assert_eq!(to_hex(&root), ROOTS[n as usize - 1]);
        }
    }

    #[test]
    fn consistency_paths_are_those_of_the_reference_vectors() {
        let leaves = ct_leaves();
        let cases: [(u64, u64, &[&str]); 3] = [
            (
                1,
                8,
                &[
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                6,
                8,
                &[
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
            (
                2,
                5,
                &[
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                ],
            ),
        ];
        for (m, n, want) in cases {
            let path = consistency_path(m, n, &mut mem(&leaves)).unwrap();
            let got: Vec<String> = path.iter().map(to_hex).collect();
            assert_eq!(got, want, "{m} to {n}");
            assert!(verify_consistency(
                m,
                n,
                &h(ROOTS[m as usize - 1]),
                &h(ROOTS[n as usize - 1]),
                &path
            ));
        }
    }

    #[test]
    fn every_inclusion_and_consistency_proof_of_small_trees_verifies_and_no_other_does() {
        let leaves: Vec<Hash> = (0u32..40).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        for n in 1..=leaves.len() as u64 {
            let root = root_of(&leaves[..n as usize]);
            for m in 0..n {
                let path = inclusion_path(m, n, &mut mem(&leaves)).unwrap();
                let leaf = leaves[m as usize];
                assert_eq!(root_from_inclusion(m, n, &leaf, &path), Some(root));
                // Another leaf or another index does not lead to the root.
                let other = leaves[((m + 1) % n) as usize];
                if n > 1 {
                    assert_ne!(root_from_inclusion(m, n, &other, &path), Some(root));
                    assert_ne!(
                        root_from_inclusion((m + 1) % n, n, &leaf, &path),
                        Some(root)
                    );
                }
                // (The size itself is bound by the signed checkpoint: a left-edge path of a
                // tree of 5 leaves is also one of a tree of 8.)
            }
            for m in 1..=n {
                let path = consistency_path(m, n, &mut mem(&leaves)).unwrap();
                let root_m = root_of(&leaves[..m as usize]);
                assert!(
                    verify_consistency(m, n, &root_m, &root, &path),
                    "{m} to {n}"
                );
                if m < n {
                    let wrong = root_of(&leaves[1..=m as usize]);
                    assert!(!verify_consistency(m, n, &wrong, &root, &path));
                    assert!(!verify_consistency(m, n, &root_m, &root_m, &path));
                }
            }
        }
    }

    #[test]
    fn a_path_with_any_byte_changed_no_longer_leads_to_the_root() {
        let leaves = ct_leaves();
        let root = root_of(&leaves[..7]);
        let path = inclusion_path(3, 7, &mut mem(&leaves)).unwrap();
        for i in 0..path.len() {
            for byte in 0..32 {
                let mut bad = path.clone();
                bad[i][byte] ^= 0x01;
                assert_ne!(root_from_inclusion(3, 7, &leaves[3], &bad), Some(root));
            }
        }
        let mut short = path.clone();
        short.pop();
        assert_ne!(root_from_inclusion(3, 7, &leaves[3], &short), Some(root));
        let mut long = path;
        long.push(root);
        assert_eq!(root_from_inclusion(3, 7, &leaves[3], &long), None);
    }
}
