use super::*;
use ark_ff::{One, UniformRand};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

const ARITIES: [Arity; 2] = [Arity::Binary, Arity::Quaternary];

fn fr(x: u64) -> Fr {
    Fr::from(x)
}

/// The root of the full tree whose slots are `slots` (`capacity` of them), hashed level by
/// level with no shortcut.
fn naive_root(arity: Arity, slots: &[Fr]) -> Fr {
    let mut level = slots.to_vec();
    while level.len() > 1 {
        level = level
            .chunks(arity.fan_out())
            .map(|c| match arity {
                Arity::Binary => poseidon::hash2(c[0], c[1]),
                Arity::Quaternary => poseidon::hash4([c[0], c[1], c[2], c[3]]),
            })
            .collect();
    }
    level[0]
}

/// Every slot path verifies against the root, with the slot's value as the leaf (empty slots
/// only through `compute_root`: `verify` refuses the leaf 0).
fn check_all_paths(tree: &MerkleTree, slots: &[Fr]) {
    for (i, leaf) in slots.iter().enumerate() {
        let path = tree.path(i as u64).unwrap();
        assert_eq!(path.depth(), tree.depth());
        assert_eq!(
            path.compute_root(tree.arity(), tree.depth(), *leaf),
            Ok(tree.root())
        );
        assert_eq!(
            path.verify(tree.arity(), tree.depth(), tree.root(), *leaf),
            !leaf.is_zero()
        );
    }
}

#[test]
fn depth_bounds() {
    for arity in ARITIES {
        let max = arity.max_depth();
        for depth in [0, max + 1, usize::MAX] {
            assert_eq!(
                MerkleTree::new(arity, depth),
                Err(MerkleError::BadDepth { arity, depth })
            );
            assert_eq!(
                MerkleTree::from_leaves(arity, depth, &[fr(1)]),
                Err(MerkleError::BadDepth { arity, depth })
            );
        }
        assert_eq!(
            MerkleTree::new(arity, 1).unwrap().capacity(),
            arity.fan_out() as u64
        );
        assert_eq!(MerkleTree::new(arity, max).unwrap().capacity(), 1u64 << 32);
    }
    assert_eq!(MerkleTree::new(Arity::Binary, 3).unwrap().capacity(), 8);
    assert_eq!(
        MerkleTree::new(Arity::Quaternary, 2).unwrap().capacity(),
        16
    );
    assert_eq!(
        MerkleError::BadDepth {
            arity: Arity::Quaternary,
            depth: 17
        }
        .to_string(),
        "a Quaternary tree has depth 1 to 16, got 17"
    );
}

#[test]
fn empty_tree_root_is_the_zero_hash() {
    let z = Fr::zero();
    let z1 = poseidon::hash2(z, z);
    let z2 = poseidon::hash2(z1, z1);
    let z3 = poseidon::hash2(z2, z2);
    let tree = MerkleTree::new(Arity::Binary, 3).unwrap();
    assert_eq!(tree.root(), z3);
    assert_eq!(tree.root(), naive_root(Arity::Binary, &[z; 8]));
    assert!(tree.is_empty());
    let q1 = poseidon::hash4([z; 4]);
    let tree = MerkleTree::new(Arity::Quaternary, 2).unwrap();
    assert_eq!(tree.root(), poseidon::hash4([q1; 4]));
    // A deep empty tree costs nothing to store, and its paths are the zero hashes.
    let tree = MerkleTree::new(Arity::Binary, 32).unwrap();
    let path = tree.path((1u64 << 32) - 1).unwrap();
    let zeros = Arity::Binary.zero_hashes(32);
    assert_eq!(
        path.siblings,
        zeros[..32].iter().map(|z| vec![*z]).collect::<Vec<_>>()
    );
    assert_eq!(tree.root(), zeros[32]);
}

#[test]
fn push_update_remove_change_roots() {
    for (arity, depth) in [(Arity::Binary, 3), (Arity::Quaternary, 2)] {
        let capacity = arity.capacity(depth).unwrap() as usize;
        let mut tree = MerkleTree::new(arity, depth).unwrap();
        let mut slots = vec![Fr::zero(); capacity];
        let empty = tree.root();

        assert_eq!(tree.push(fr(10)), Ok(0));
        slots[0] = fr(10);
        let r1 = tree.root();
        assert_ne!(r1, empty);
        assert_eq!(r1, naive_root(arity, &slots));
        assert_eq!(tree.len(), 1);

        assert_eq!(tree.push(fr(11)), Ok(1));
        slots[1] = fr(11);
        let r2 = tree.root();
        assert_ne!(r2, r1);
        assert_eq!(r2, naive_root(arity, &slots));

        tree.update(0, fr(12)).unwrap();
        slots[0] = fr(12);
        assert_ne!(tree.root(), r2);
        assert_eq!(tree.root(), naive_root(arity, &slots));
        assert_eq!(tree.leaf(0), Ok(fr(12)));

        tree.update(0, fr(10)).unwrap();
        assert_eq!(tree.root(), r2);

        tree.remove(1).unwrap();
        assert_eq!(tree.root(), r1);
        assert_eq!(tree.leaf(1), Ok(Fr::zero()));
        assert_eq!(tree.len(), 2, "a removed slot still counts");
        tree.remove(0).unwrap();
        assert_eq!(tree.root(), empty);

        // the next push goes after the removed slots
        assert_eq!(tree.push(fr(13)), Ok(2));
        tree.update(1, fr(14)).unwrap();
        let mut slots = vec![Fr::zero(); capacity];
        slots[1] = fr(14);
        slots[2] = fr(13);
        assert_eq!(tree.root(), naive_root(arity, &slots));
        check_all_paths(&tree, &slots);
    }
}

/// Random push/update/remove sequences against the naive recomputation, and every path after
/// every step.
#[test]
fn random_operations_match_naive_recomputation() {
    let mut rng = ChaCha20Rng::seed_from_u64(0x6d65726b6c65);
    for (arity, depth) in [(Arity::Binary, 3), (Arity::Quaternary, 2)] {
        let capacity = arity.capacity(depth).unwrap();
        for _ in 0..60 {
            let mut tree = MerkleTree::new(arity, depth).unwrap();
            let mut slots = vec![Fr::zero(); capacity as usize];
            let mut len = 0u64;
            for _ in 0..40 {
                let leaf = match rng.gen_range(0..4) {
                    0 => fr(rng.gen_range(1..4)),
                    _ => Fr::rand(&mut rng),
                };
                let index = rng.gen_range(0..capacity + 2);
                match rng.gen_range(0..3) {
                    0 => {
                        let got = tree.push(leaf);
                        if len < capacity {
                            assert_eq!(got, Ok(len));
                            slots[len as usize] = leaf;
                            len += 1;
                        } else {
                            assert_eq!(got, Err(MerkleError::Full { capacity }));
                        }
                    }
                    1 => {
                        let got = tree.update(index, leaf);
                        if index >= capacity {
                            assert_eq!(got, Err(MerkleError::IndexOutOfRange { index, capacity }));
                        } else if index >= len {
                            assert_eq!(got, Err(MerkleError::NotPushed { index, len }));
                        } else {
                            assert_eq!(got, Ok(()));
                            slots[index as usize] = leaf;
                        }
                    }
                    _ => {
                        let got = tree.remove(index);
                        if index >= capacity {
                            assert_eq!(got, Err(MerkleError::IndexOutOfRange { index, capacity }));
                        } else if index >= len {
                            assert_eq!(got, Err(MerkleError::NotPushed { index, len }));
                        } else {
                            assert_eq!(got, Ok(()));
                            slots[index as usize] = Fr::zero();
                        }
                    }
                }
                assert_eq!(tree.len(), len);
                assert_eq!(tree.root(), naive_root(arity, &slots));
            }
            check_all_paths(&tree, &slots);
            for (i, s) in slots.iter().enumerate() {
                assert_eq!(tree.leaf(i as u64), Ok(*s));
            }
            // the same slots built at once give the same tree
            let built = MerkleTree::from_leaves(arity, depth, &slots[..len as usize]).unwrap();
            assert_eq!(built, tree);
        }
    }
}

#[test]
fn wrong_leaf_index_sibling_or_root_fails() {
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    for (arity, depth) in [(Arity::Binary, 5), (Arity::Quaternary, 3)] {
        let leaves: Vec<Fr> = (0..20).map(|_| Fr::rand(&mut rng)).collect();
        let tree = MerkleTree::from_leaves(arity, depth, &leaves).unwrap();
        let root = tree.root();
        for i in [0usize, 1, 3, 6, 19] {
            let leaf = leaves[i];
            let path = tree.path(i as u64).unwrap();
            assert!(path.verify(arity, depth, root, leaf));
            // E01: another leaf with this path
            assert!(!path.verify(arity, depth, root, leaves[(i + 1) % 20]));
            assert!(!path.verify(arity, depth, root, leaf + Fr::one()));
            // wrong root
            assert!(!path.verify(arity, depth, root + Fr::one(), leaf));
            // wrong index: every other index fails with these siblings
            for j in 0..tree.capacity().min(64) {
                if j != i as u64 {
                    let mut p = path.clone();
                    p.index = j;
                    assert!(!p.verify(arity, depth, root, leaf), "index {j} for {i}");
                }
            }
            // a changed sibling at each level, in each position
            for level in 0..depth {
                for k in 0..arity.fan_out() - 1 {
                    let mut p = path.clone();
                    p.siblings[level][k] += Fr::one();
                    assert!(!p.verify(arity, depth, root, leaf));
                }
            }
            // swapped siblings (order matters) at the bottom level of a 4-ary path
            if arity == Arity::Quaternary {
                let mut p = path.clone();
                p.siblings[0].swap(0, 1);
                assert!(!p.verify(arity, depth, root, leaf));
            }
            // the arity is part of the relation
            let other = match arity {
                Arity::Binary => Arity::Quaternary,
                Arity::Quaternary => Arity::Binary,
            };
            assert!(!path.verify(other, depth, root, leaf));
        }
    }
}

#[test]
fn e03_empty_slot_is_not_a_member() {
    let tree = MerkleTree::from_leaves(Arity::Binary, 4, &[fr(5), fr(6)]).unwrap();
    let path = tree.path(7).unwrap();
    // the arithmetic of an empty slot works out, but 0 is never accepted as a member
    assert_eq!(
        path.compute_root(Arity::Binary, 4, Fr::zero()),
        Ok(tree.root())
    );
    assert!(!path.verify(Arity::Binary, 4, tree.root(), Fr::zero()));
    let mut tree = tree;
    assert_eq!(tree.push(Fr::zero()), Err(MerkleError::EmptyLeaf));
    assert_eq!(tree.update(0, Fr::zero()), Err(MerkleError::EmptyLeaf));
    // a removed slot is empty too
    tree.remove(0).unwrap();
    let path = tree.path(0).unwrap();
    assert!(!path.verify(Arity::Binary, 4, tree.root(), Fr::zero()));
    assert!(!path.verify(Arity::Binary, 4, tree.root(), fr(5)));
}

#[test]
fn errors_are_the_exact_variants() {
    let mut tree = MerkleTree::new(Arity::Quaternary, 1).unwrap();
    for i in 0..4 {
        assert_eq!(tree.push(fr(i + 1)), Ok(i));
    }
    assert_eq!(tree.push(fr(9)), Err(MerkleError::Full { capacity: 4 }));
    assert_eq!(tree.push(Fr::zero()), Err(MerkleError::EmptyLeaf));
    for index in [4, 5, u64::MAX] {
        let e = Err(MerkleError::IndexOutOfRange { index, capacity: 4 });
        assert_eq!(tree.leaf(index).map(|_| ()), e.clone());
        assert_eq!(tree.path(index).map(|_| ()), e.clone());
        assert_eq!(tree.update(index, fr(1)), e.clone());
        assert_eq!(tree.remove(index), e);
    }

    let mut tree = MerkleTree::new(Arity::Binary, 3).unwrap();
    tree.push(fr(1)).unwrap();
    assert_eq!(
        tree.update(1, fr(2)),
        Err(MerkleError::NotPushed { index: 1, len: 1 })
    );
    assert_eq!(
        tree.remove(7),
        Err(MerkleError::NotPushed { index: 7, len: 1 })
    );
    assert_eq!(tree.update(0, Fr::zero()), Err(MerkleError::EmptyLeaf));
    assert_eq!(tree.leaf(7), Ok(Fr::zero()));
    assert!(tree.path(7).is_ok());

    assert_eq!(
        MerkleTree::from_leaves(Arity::Binary, 3, &[fr(1); 9]),
        Err(MerkleError::TooManyLeaves {
            got: 9,
            capacity: 8
        })
    );

    // path shape
    let path = tree.path(0).unwrap();
    let root = tree.root();
    assert_eq!(
        path.compute_root(Arity::Binary, 4, fr(1)),
        Err(MerkleError::WrongPathLength {
            expected: 4,
            got: 3
        })
    );
    assert_eq!(
        path.compute_root(Arity::Binary, 0, fr(1)),
        Err(MerkleError::BadDepth {
            arity: Arity::Binary,
            depth: 0
        })
    );
    assert_eq!(
        path.compute_root(Arity::Quaternary, 3, fr(1)),
        Err(MerkleError::WrongSiblingCount {
            level: 0,
            expected: 3,
            got: 1
        })
    );
    let mut p = path.clone();
    p.siblings[2].push(fr(0));
    assert_eq!(
        p.compute_root(Arity::Binary, 3, fr(1)),
        Err(MerkleError::WrongSiblingCount {
            level: 2,
            expected: 1,
            got: 2
        })
    );
    assert!(!p.verify(Arity::Binary, 3, root, fr(1)));
    let mut p = path.clone();
    p.siblings[1].clear();
    assert_eq!(
        p.compute_root(Arity::Binary, 3, fr(1)),
        Err(MerkleError::WrongSiblingCount {
            level: 1,
            expected: 1,
            got: 0
        })
    );
    let mut p = path.clone();
    p.index = 8;
    assert_eq!(
        p.compute_root(Arity::Binary, 3, fr(1)),
        Err(MerkleError::IndexOutOfRange {
            index: 8,
            capacity: 8
        })
    );
    assert!(!p.verify(Arity::Binary, 3, root, fr(1)));
    let empty = MerklePath {
        index: 0,
        siblings: vec![],
    };
    assert!(!empty.verify(Arity::Binary, 3, root, fr(1)));
    assert!(path.verify(Arity::Binary, 3, root, fr(1)));

    // leaf data length
    assert_eq!(
        leaf_hash(FieldTag::MerkleLeaf, &[]),
        Err(MerkleError::LeafDataLength { got: 0 })
    );
    assert_eq!(
        leaf_hash(FieldTag::MerkleLeaf, &[fr(1); 16]),
        Err(MerkleError::LeafDataLength { got: 16 })
    );
    assert!(leaf_hash(FieldTag::MerkleLeaf, &[fr(1); 15]).is_ok());
    assert_eq!(
        MerkleError::IndexOutOfRange {
            index: 8,
            capacity: 8
        }
        .to_string(),
        "index 8 is outside a tree of 8 leaves"
    );
}

#[test]
fn depth_20_binary_tree_with_1000_pushes() {
    let mut rng = ChaCha20Rng::seed_from_u64(20);
    let leaves: Vec<Fr> = (0..1000).map(|_| Fr::rand(&mut rng)).collect();
    let mut tree = MerkleTree::new(Arity::Binary, 20).unwrap();
    for (i, leaf) in leaves.iter().enumerate() {
        assert_eq!(tree.push(*leaf), Ok(i as u64));
    }
    assert_eq!(tree.len(), 1000);
    // only the nodes over the 1,000 leaves are stored
    let stored: usize = tree.levels.iter().map(Vec::len).sum();
    assert!(stored < 2 * 1000 + 20, "{stored} nodes stored");
    let root = tree.root();
    for i in [0u64, 1, 511, 512, 998, 999] {
        let path = tree.path(i).unwrap();
        assert!(path.verify(Arity::Binary, 20, root, leaves[i as usize]));
        assert!(!path.verify(Arity::Binary, 20, root, leaves[(i as usize + 1) % 1000]));
    }
    assert_eq!(
        MerkleTree::from_leaves(Arity::Binary, 20, &leaves).unwrap(),
        tree
    );
    tree.update(500, fr(3)).unwrap();
    assert!(tree
        .path(500)
        .unwrap()
        .verify(Arity::Binary, 20, tree.root(), fr(3)));
    assert_ne!(tree.root(), root);
    assert_eq!(tree.capacity(), 1 << 20);
}

#[test]
fn from_leaves_equals_pushing_one_by_one() {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    for (arity, depth) in [
        (Arity::Binary, 1),
        (Arity::Binary, 3),
        (Arity::Binary, 6),
        (Arity::Quaternary, 1),
        (Arity::Quaternary, 2),
        (Arity::Quaternary, 3),
    ] {
        let capacity = arity.capacity(depth).unwrap() as usize;
        for n in [
            0,
            1,
            2,
            3,
            4,
            5,
            7,
            8,
            15,
            16,
            17,
            33,
            capacity - 1,
            capacity,
        ] {
            if n > capacity {
                continue;
            }
            let leaves: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            let mut pushed = MerkleTree::new(arity, depth).unwrap();
            for leaf in &leaves {
                pushed.push(*leaf).unwrap();
            }
            let built = MerkleTree::from_leaves(arity, depth, &leaves).unwrap();
            assert_eq!(built, pushed, "{arity:?} depth {depth}, {n} leaves");
            assert_eq!(built.root(), pushed.root());
        }
    }
    // a 0 entry is an empty slot: the same as push then remove
    let leaves = [fr(1), Fr::zero(), fr(3)];
    let mut tree = MerkleTree::new(Arity::Binary, 2).unwrap();
    tree.push(fr(1)).unwrap();
    tree.push(fr(2)).unwrap();
    tree.push(fr(3)).unwrap();
    tree.remove(1).unwrap();
    assert_eq!(
        MerkleTree::from_leaves(Arity::Binary, 2, &leaves).unwrap(),
        tree
    );
}

#[test]
fn full_depth_trees() {
    for arity in ARITIES {
        let depth = arity.max_depth();
        let mut tree = MerkleTree::new(arity, depth).unwrap();
        for i in 0..5 {
            tree.push(fr(i + 100)).unwrap();
        }
        let last = tree.capacity() - 1;
        let path = tree.path(last).unwrap();
        assert_eq!(path.compute_root(arity, depth, Fr::zero()), Ok(tree.root()));
        for i in 0..5 {
            assert!(tree
                .path(i)
                .unwrap()
                .verify(arity, depth, tree.root(), fr(i + 100)));
        }
    }
}

#[test]
fn e04_an_inner_node_cannot_pass_as_a_leaf() {
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    for (arity, depth) in [(Arity::Binary, 4), (Arity::Quaternary, 3)] {
        let leaves: Vec<Fr> = (0..10).map(|_| Fr::rand(&mut rng)).collect();
        let tree = MerkleTree::from_leaves(arity, depth, &leaves).unwrap();
        // the inner node over slots 0..a, and the top depth-1 levels of slot 0's path
        let node = tree.levels[1][0];
        let full = tree.path(0).unwrap();
        let short = MerklePath {
            index: 0,
            siblings: full.siblings[1..].to_vec(),
        };
        // without a fixed depth the forgery would work ...
        assert_eq!(short.compute_root(arity, depth - 1, node), Ok(tree.root()));
        // ... but the tree's depth is part of every check
        assert_eq!(
            short.compute_root(arity, depth, node),
            Err(MerkleError::WrongPathLength {
                expected: depth,
                got: depth - 1
            })
        );
        assert!(!short.verify(arity, depth, tree.root(), node));
    }
}

#[test]
fn leaf_hash_is_tagged_poseidon() {
    let (a, b, c, d) = (fr(1), fr(2), fr(3), fr(4));
    for tag in FieldTag::ALL {
        assert_eq!(
            leaf_hash(tag, &[a, b]),
            poseidon::hash(&[tag.value(), a, b]).map_err(|_| MerkleError::EmptyLeaf)
        );
        // E04: a leaf is not the node hash of the same data
        assert_ne!(leaf_hash(tag, &[a, b]).unwrap(), poseidon::hash2(a, b));
        assert_ne!(
            leaf_hash(tag, &[a, b, c, d]).unwrap(),
            poseidon::hash4([a, b, c, d])
        );
        assert_ne!(leaf_hash(tag, &[a]).unwrap(), Fr::zero());
        assert_ne!(leaf_hash(tag, &[Fr::zero()]).unwrap(), Fr::zero());
    }
    // tags separate
    assert_ne!(
        leaf_hash(FieldTag::MerkleLeaf, &[a]),
        leaf_hash(FieldTag::IssuerLeaf, &[a])
    );
}

#[test]
fn debug_hides_the_index() {
    let path = MerklePath {
        index: 123_456_789,
        siblings: vec![vec![fr(987_654_321)]; 3],
    };
    let s = format!("{path:?}");
    assert_eq!(s, "MerklePath { depth: 3, .. }");
}
