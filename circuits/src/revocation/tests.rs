use super::*;
use ark_ff::{One, UniformRand};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::time::Instant;

fn fr(x: u64) -> Fr {
    Fr::from(x)
}

fn two_pow(k: usize) -> Fr {
    (0..k).fold(Fr::one(), |x, _| x + x)
}

/// A uniform id below 2^252.
fn random_id(rng: &mut ChaCha20Rng) -> Fr {
    low_252(Fr::rand(rng))
}

fn random_ids(rng: &mut ChaCha20Rng, n: usize) -> Vec<Fr> {
    (0..n).map(|_| random_id(rng)).collect()
}

/// The list invariant: from the sentinel, the next values visit every id once, in increasing
/// order, ending with 0; every slot holds the leaf of its entry; the slots are 0 (sentinel)
/// and 1..=len, each used once.
fn check_invariant(t: &RevocationTree) {
    let mut walk = Vec::new();
    let mut cur = t.first;
    while !cur.is_zero() {
        walk.push(cur);
        cur = t.entries[&cur].next;
    }
    let sorted: Vec<Fr> = t.entries.keys().copied().collect();
    assert_eq!(walk, sorted);
    assert!(walk.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(
        t.tree.leaf(0).unwrap(),
        revocation_leaf(&Fr::zero(), &t.first)
    );
    let mut slots: Vec<u64> = t.entries.values().map(|e| e.slot).collect();
    slots.sort_unstable();
    assert_eq!(slots, (1..=t.len()).collect::<Vec<_>>());
    assert_eq!(t.tree.len(), t.len() + 1);
    for (v, e) in &t.entries {
        assert_eq!(t.tree.leaf(e.slot).unwrap(), revocation_leaf(v, &e.next));
    }
}

fn verify(t: &RevocationTree, id: Fr, w: &NonMembershipWitness) -> Result<(), RevocationError> {
    verify_non_membership(t.root(), id, w)
}

/// Proves and verifies that `id` is not revoked.
fn assert_absent(t: &RevocationTree, id: Fr) {
    assert!(!t.contains(id));
    let w = t.non_membership(id).unwrap();
    assert_eq!(verify(t, id, &w), Ok(()));
}

#[test]
fn empty_tree_is_the_sentinel() {
    let t = RevocationTree::new();
    assert_eq!(t, RevocationTree::default());
    assert_eq!(t, RevocationTree::from_ids([]).unwrap());
    assert!(t.is_empty());
    assert_eq!(t.len(), 0);
    let sentinel = revocation_leaf(&Fr::zero(), &Fr::zero());
    assert_ne!(sentinel, Fr::zero());
    let expected =
        MerkleTree::from_leaves(REVOCATION_TREE_ARITY, REVOCATION_TREE_DEPTH, &[sentinel]).unwrap();
    assert_eq!(t.root(), expected.root());
    check_invariant(&t);
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    for id in [fr(1), two_pow(252) - fr(1), random_id(&mut rng)] {
        assert_absent(&t, id);
        let w = t.non_membership(id).unwrap();
        assert_eq!((w.low_value, w.low_next, w.path.index), (fr(0), fr(0), 0));
    }
    assert_eq!(RevocationTree::capacity(), (1 << 20) - 1);
}

#[test]
fn leaf_and_id_functions() {
    // the leaf is the tagged Poseidon of (value, next), through merkle::leaf_hash too
    let (v, n) = (fr(5), fr(9));
    assert_eq!(
        revocation_leaf(&v, &n),
        crate::merkle::leaf_hash(FieldTag::RevocationLeaf, &[v, n]).unwrap()
    );
    assert_ne!(revocation_leaf(&v, &n), revocation_leaf(&n, &v));
    // the id keeps the low 252 bits of the tagged Poseidon
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let mut saw_high_bits = false;
    for k in 1..50u64 {
        let p = Point::base8().mul_bigint(&[k]);
        let serial = Fr::rand(&mut rng);
        let h = poseidon::hash(&[FieldTag::RevocationId.value(), p.x(), p.y(), serial]).unwrap();
        let id = revocation_id(&p, &serial);
        assert!(below_bound(&id));
        let hb = h.into_bigint();
        let ib = id.into_bigint();
        for i in 0..256 {
            assert_eq!(ib.get_bit(i), i < 252 && hb.get_bit(i), "bit {i}");
        }
        saw_high_bits |= hb.get_bit(252) || hb.get_bit(253);
        assert_ne!(id, revocation_id(&p, &(serial + fr(1))));
        assert_ne!(id, revocation_id(&p.neg(), &serial));
    }
    assert!(saw_high_bits, "some outputs have bit 252 or 253 set");
    // 3 * 2^252 - 1 < r keeps its low 252 bits, all ones; r - 1 drops its top two bits
    assert_eq!(
        low_252(two_pow(253) + two_pow(252) - fr(1)),
        two_pow(252) - fr(1)
    );
    assert_eq!(low_252(-fr(1)), -fr(1) - two_pow(253) - two_pow(252));
}

#[test]
fn invalid_ids_are_refused() {
    let mut t = RevocationTree::new();
    let too_big = [
        two_pow(252),
        two_pow(252) + fr(1),
        two_pow(253),
        -fr(1),
        -fr(2),
    ];
    assert_eq!(t.insert(fr(0)), Err(RevocationError::Zero));
    assert_eq!(t.non_membership(fr(0)).unwrap_err(), RevocationError::Zero);
    for x in too_big {
        assert_eq!(t.insert(x), Err(RevocationError::OutOfRange));
        assert_eq!(
            t.non_membership(x).unwrap_err(),
            RevocationError::OutOfRange
        );
        assert!(!t.contains(x));
        assert_eq!(
            RevocationTree::from_ids([fr(3), x]),
            Err(RevocationError::OutOfRange)
        );
    }
    assert_eq!(
        RevocationTree::from_ids([fr(3), fr(0)]),
        Err(RevocationError::Zero)
    );
    assert_eq!(
        RevocationTree::from_ids([fr(3), fr(4), fr(3)]),
        Err(RevocationError::Revoked)
    );
    assert!(!t.contains(fr(0)));
    assert_eq!(t, RevocationTree::new(), "refusals change nothing");
    assert_eq!(t.insert(fr(7)), Ok(1));
    let before = t.clone();
    assert_eq!(t.insert(fr(7)), Err(RevocationError::Revoked));
    assert_eq!(t, before);
}

#[test]
fn boundary_ids_one_and_max() {
    let max = two_pow(252) - fr(1);
    let mut t = RevocationTree::new();
    assert_absent(&t, fr(1));
    assert_absent(&t, max);
    t.insert(max).unwrap();
    assert_absent(&t, fr(1));
    assert_absent(&t, max - fr(1));
    assert_eq!(t.non_membership(max).unwrap_err(), RevocationError::Revoked);
    t.insert(fr(1)).unwrap();
    assert_eq!(
        t.non_membership(fr(1)).unwrap_err(),
        RevocationError::Revoked
    );
    assert_absent(&t, fr(2));
    assert_absent(&t, max - fr(1));
    // ids 1 and max bracket everything else
    let w = t.non_membership(fr(2)).unwrap();
    assert_eq!((w.low_value, w.low_next), (fr(1), max));
    check_invariant(&t);
}

#[test]
fn inserts_keep_the_sorted_list() {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let mut t = RevocationTree::new();
    let ids = random_ids(&mut rng, 60);
    for (k, id) in ids.iter().enumerate() {
        let root = t.root();
        assert_absent(&t, *id);
        assert_eq!(t.insert(*id), Ok(k as u64 + 1));
        assert_ne!(t.root(), root);
        assert!(t.contains(*id));
        assert_eq!(t.len(), k as u64 + 1);
        check_invariant(&t);
    }
    // small ids too, in and around the random ones
    for id in [fr(2), fr(1), fr(3)] {
        t.insert(id).unwrap();
        check_invariant(&t);
    }
    for id in &ids {
        assert_eq!(t.non_membership(*id).unwrap_err(), RevocationError::Revoked);
    }
}

#[test]
fn revoking_one_leaves_the_others_working() {
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let mut t = RevocationTree::from_ids(random_ids(&mut rng, 20)).unwrap();
    let x = random_id(&mut rng);
    assert_absent(&t, x);
    t.insert(x).unwrap();
    assert_eq!(t.non_membership(x).unwrap_err(), RevocationError::Revoked);
    // the ids just below and just above the revoked one still prove
    assert_absent(&t, x - fr(1));
    assert_absent(&t, x + fr(1));
    let below = t.non_membership(x - fr(1)).unwrap();
    let above = t.non_membership(x + fr(1)).unwrap();
    assert_eq!(below.low_next, x);
    assert_eq!(above.low_value, x);
    // and so do random others
    for _ in 0..20 {
        assert_absent(&t, random_id(&mut rng));
    }
    // revoking two neighbours leaves the one between them working
    t.insert(x + fr(2)).unwrap();
    let w = t.non_membership(x + fr(1)).unwrap();
    assert_eq!((w.low_value, w.low_next), (x, x + fr(2)));
    assert_eq!(verify(&t, x + fr(1), &w), Ok(()));
}

#[test]
fn id_equal_to_the_low_or_next_value_fails() {
    let mut t = RevocationTree::new();
    for id in [fr(10), fr(20), fr(30)] {
        t.insert(id).unwrap();
    }
    let w = t.non_membership(fr(15)).unwrap();
    assert_eq!((w.low_value, w.low_next), (fr(10), fr(20)));
    assert_eq!(verify(&t, fr(15), &w), Ok(()));
    assert_eq!(verify(&t, fr(11), &w), Ok(()));
    assert_eq!(verify(&t, fr(19), &w), Ok(()));
    assert_eq!(verify(&t, fr(10), &w), Err(RevocationError::WrongLowLeaf));
    assert_eq!(verify(&t, fr(20), &w), Err(RevocationError::WrongLowLeaf));
    assert_eq!(verify(&t, fr(9), &w), Err(RevocationError::WrongLowLeaf));
    assert_eq!(verify(&t, fr(21), &w), Err(RevocationError::WrongLowLeaf));
    // the last leaf (30, 0) covers everything above 30, not 30 itself
    let top = t.non_membership(fr(31)).unwrap();
    assert_eq!((top.low_value, top.low_next), (fr(30), fr(0)));
    assert_eq!(verify(&t, two_pow(252) - fr(1), &top), Ok(()));
    assert_eq!(verify(&t, fr(30), &top), Err(RevocationError::WrongLowLeaf));
    assert_eq!(verify(&t, fr(29), &top), Err(RevocationError::WrongLowLeaf));
}

#[test]
fn f06_witness_for_another_id_fails() {
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let t = RevocationTree::from_ids(random_ids(&mut rng, 30)).unwrap();
    let mut checked = 0;
    for _ in 0..50 {
        let (a, b) = (random_id(&mut rng), random_id(&mut rng));
        let wa = t.non_membership(a).unwrap();
        let wb = t.non_membership(b).unwrap();
        if wa == wb {
            // the same gap: the witness is as good for b as for a
            assert_eq!(verify(&t, b, &wa), Ok(()));
            continue;
        }
        assert_eq!(verify(&t, b, &wa), Err(RevocationError::WrongLowLeaf));
        assert_eq!(verify(&t, a, &wb), Err(RevocationError::WrongLowLeaf));
        checked += 1;
    }
    assert!(checked > 30);
    // a revoked id with any honest witness
    for id in t.entries.keys() {
        let w = t.non_membership(*id + fr(1)).unwrap();
        assert_eq!(verify(&t, *id, &w), Err(RevocationError::WrongLowLeaf));
    }
}

#[test]
fn low_leaf_not_in_the_tree_fails() {
    let mut t = RevocationTree::new();
    for id in [fr(100), fr(200), fr(300)] {
        t.insert(id).unwrap();
    }
    let w = t.non_membership(fr(150)).unwrap();
    // a wider gap (100, 300) that brackets 200, on the real path: not a leaf
    let mut wide = w.clone();
    wide.low_next = fr(300);
    assert_eq!(verify(&t, fr(200), &wide), Err(RevocationError::NotMember));
    // the end of the list claimed early: (100, 0)
    let mut open = w.clone();
    open.low_next = fr(0);
    assert_eq!(verify(&t, fr(250), &open), Err(RevocationError::NotMember));
    // the right leaf at the wrong slot
    let mut moved = w.clone();
    moved.path.index ^= 1;
    assert_eq!(verify(&t, fr(150), &moved), Err(RevocationError::NotMember));
    // a sibling changed
    let mut bent = w.clone();
    bent.path.siblings[4][1] += fr(1);
    assert_eq!(verify(&t, fr(150), &bent), Err(RevocationError::NotMember));
    // another root
    assert_eq!(
        verify_non_membership(RevocationTree::new().root(), fr(150), &w),
        Err(RevocationError::NotMember)
    );
}

#[test]
fn stale_low_leaf_that_skips_a_revoked_id_fails() {
    let mut t = RevocationTree::new();
    t.insert(fr(100)).unwrap();
    t.insert(fr(300)).unwrap();
    let old = t.clone();
    let stale = old.non_membership(fr(200)).unwrap();
    assert_eq!((stale.low_value, stale.low_next), (fr(100), fr(300)));
    t.insert(fr(200)).unwrap();
    // valid against the old root, not against the current one
    assert_eq!(verify(&old, fr(200), &stale), Ok(()));
    assert_eq!(verify(&t, fr(200), &stale), Err(RevocationError::NotMember));
    // the current leaf at that slot is (100, 200), which does not bracket 200
    let current = t.non_membership(fr(150)).unwrap();
    assert_eq!(current.path.index, stale.path.index);
    assert_eq!(
        verify(&t, fr(200), &current),
        Err(RevocationError::WrongLowLeaf)
    );
    // ids in the remaining gaps still prove
    assert_absent(&t, fr(150));
    assert_absent(&t, fr(250));
}

#[test]
fn malformed_witnesses_are_refused_without_panicking() {
    let mut t = RevocationTree::new();
    t.insert(fr(100)).unwrap();
    let w = t.non_membership(fr(50)).unwrap();
    assert_eq!(w.check_shape(), Ok(()));
    let mut short = w.clone();
    short.path.siblings.pop();
    assert_eq!(
        verify(&t, fr(50), &short),
        Err(RevocationError::Merkle(MerkleError::WrongPathLength {
            expected: 10,
            got: 9
        }))
    );
    let mut long = w.clone();
    long.path.siblings.push(vec![fr(0); 3]);
    assert!(matches!(
        verify(&t, fr(50), &long),
        Err(RevocationError::Merkle(MerkleError::WrongPathLength { .. }))
    ));
    let mut binary = w.clone();
    binary.path.siblings[3].pop();
    assert!(matches!(
        verify(&t, fr(50), &binary),
        Err(RevocationError::Merkle(MerkleError::WrongSiblingCount {
            level: 3,
            ..
        }))
    ));
    let mut far = w.clone();
    far.path.index = 1 << 20;
    assert!(matches!(
        verify(&t, fr(50), &far),
        Err(RevocationError::Merkle(MerkleError::IndexOutOfRange { .. }))
    ));
    let mut empty = w.clone();
    empty.path.siblings.clear();
    assert_eq!(
        verify(&t, fr(50), &empty),
        Err(RevocationError::Merkle(MerkleError::WrongPathLength {
            expected: 10,
            got: 0
        }))
    );
    // low values not below 2^252
    for big in [two_pow(252), -fr(1)] {
        let mut v = w.clone();
        v.low_value = big;
        assert_eq!(v.check_shape(), Err(RevocationError::LowLeafOutOfRange));
        assert_eq!(
            verify(&t, fr(50), &v),
            Err(RevocationError::LowLeafOutOfRange)
        );
        let mut n = w.clone();
        n.low_next = big;
        assert_eq!(
            verify(&t, fr(50), &n),
            Err(RevocationError::LowLeafOutOfRange)
        );
    }
    // invalid ids
    assert_eq!(verify(&t, fr(0), &w), Err(RevocationError::Zero));
    assert_eq!(
        verify(&t, two_pow(252), &w),
        Err(RevocationError::OutOfRange)
    );
}

/// A malicious registry's leaf `(r - 1, 0)` (the field's -1) would bracket every id if the
/// values were compared mod r; the range checks refuse it.
#[test]
fn low_leaf_of_minus_one_is_refused() {
    let leaves = [
        revocation_leaf(&Fr::zero(), &Fr::zero()),
        revocation_leaf(&-fr(1), &Fr::zero()),
    ];
    let tree =
        MerkleTree::from_leaves(REVOCATION_TREE_ARITY, REVOCATION_TREE_DEPTH, &leaves).unwrap();
    let w = NonMembershipWitness {
        low_value: -fr(1),
        low_next: Fr::zero(),
        path: tree.path(1).unwrap(),
    };
    assert_eq!(
        verify_non_membership(tree.root(), fr(5), &w),
        Err(RevocationError::LowLeafOutOfRange)
    );
}

#[test]
fn from_ids_equals_repeated_insert() {
    let mut rng = ChaCha20Rng::seed_from_u64(6);
    for n in [0usize, 1, 2, 3, 4, 5, 17, 64, 200] {
        let mut ids = random_ids(&mut rng, n);
        if n > 3 {
            ids[1] = fr(1);
            ids[2] = two_pow(252) - fr(1);
        }
        let bulk = RevocationTree::from_ids(ids.iter().copied()).unwrap();
        let mut one_by_one = RevocationTree::new();
        for id in &ids {
            one_by_one.insert(*id).unwrap();
        }
        assert_eq!(bulk.root(), one_by_one.root(), "n = {n}");
        assert_eq!(bulk, one_by_one, "n = {n}");
        check_invariant(&bulk);
        // another order: another slot layout, the same set
        ids.shuffle(&mut rng);
        let shuffled = RevocationTree::from_ids(ids.iter().copied()).unwrap();
        check_invariant(&shuffled);
        assert_eq!(
            shuffled.entries.keys().collect::<Vec<_>>(),
            bulk.entries.keys().collect::<Vec<_>>()
        );
        for id in random_ids(&mut rng, 5) {
            assert_absent(&bulk, id);
            assert_absent(&shuffled, id);
        }
    }
}

#[test]
fn from_ids_refuses_more_ids_than_slots() {
    // refused while counting, before any hashing
    let capacity = RevocationTree::capacity();
    assert_eq!(
        RevocationTree::from_ids((1..=capacity + 1).map(fr)),
        Err(RevocationError::Full { capacity })
    );
}

#[test]
fn debug_shows_the_shape_only() {
    let mut t = RevocationTree::new();
    t.insert(fr(123_456_789)).unwrap();
    let w = t.non_membership(fr(987_654_321)).unwrap();
    let s = format!("{w:?}");
    assert_eq!(s, "NonMembershipWitness { depth: 10, .. }");
    let s = format!("{t:?}");
    assert!(s.starts_with("RevocationTree { len: 1, root: "), "{s}");
    assert!(!s.contains("123456789"));
    for e in [
        RevocationError::Zero,
        RevocationError::OutOfRange,
        RevocationError::Revoked,
        RevocationError::WrongLowLeaf,
        RevocationError::NotMember,
        RevocationError::LowLeafOutOfRange,
    ] {
        assert!(!e.to_string().contains("123456789"));
    }
}

/// Builds a tree of `n` random ids in bulk, checks a few proofs, returns the build time.
fn build(n: usize) -> std::time::Duration {
    let mut rng = ChaCha20Rng::seed_from_u64(n as u64);
    let ids = random_ids(&mut rng, n);
    // the Poseidon tables are generated on first use: not part of the build
    let _ = RevocationTree::new();
    let start = Instant::now();
    let t = RevocationTree::from_ids(ids.iter().copied()).unwrap();
    let elapsed = start.elapsed();
    assert_eq!(t.len(), n as u64);
    for id in ids.iter().take(3) {
        assert_eq!(t.non_membership(*id).unwrap_err(), RevocationError::Revoked);
    }
    for id in random_ids(&mut rng, 3) {
        assert_absent(&t, id);
    }
    let start = Instant::now();
    let mut t = t;
    for id in random_ids(&mut rng, 100) {
        t.insert(id).unwrap();
    }
    println!(
        "revocation tree of {n} ids: built in {elapsed:?}; 100 inserts in {:?}",
        start.elapsed()
    );
    elapsed
}

#[test]
fn builds_10_000_ids() {
    build(10_000);
}

/// 100,000 ids: a few seconds in release (`cargo test --release -p vouchsafe-circuits
/// builds_100_000 -- --ignored --nocapture`); ignored to keep CI short.
#[test]
#[ignore]
fn builds_100_000_ids() {
    build(100_000);
}
