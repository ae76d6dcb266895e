use super::*;
use crate::merkle::{self, MerkleTree};
use crate::poseidon;
use crate::r1cs_check::R1cs;
use ark_ff::{Field, One, PrimeField, UniformRand, Zero};
use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::GR1CSVar;
use ark_relations::gr1cs::{ConstraintSystem, SynthesisMode, Variable};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// Constraints per level, booleanity included.
const BINARY_LEVEL: usize = 242;
const QUATERNARY_LEVEL: usize = 303;

fn per_level(arity: Arity) -> usize {
    match arity {
        Arity::Binary => BINARY_LEVEL,
        Arity::Quaternary => QUATERNARY_LEVEL,
    }
}

fn witness(cs: &ConstraintSystemRef<Fr>, v: Fr) -> FpVar<Fr> {
    FpVar::new_witness(cs.clone(), || Ok(v)).unwrap()
}

fn bool_var(b: &Boolean<Fr>) -> Variable {
    match b {
        Boolean::Var(v) => v.variable(),
        Boolean::Constant(_) => panic!("a constant"),
    }
}

/// The honest circuit: leaf witness, root public input, `alloc_path`, `enforce_membership`.
fn membership(
    arity: Arity,
    depth: usize,
    path: &MerklePath,
    leaf: Fr,
    root: Fr,
) -> (ConstraintSystemRef<Fr>, PathVar, FpVar<Fr>) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    let leaf = witness(&cs, leaf);
    let root = FpVar::new_input(cs.clone(), || Ok(root)).unwrap();
    let p = alloc_path(cs.clone(), arity, depth, Some(path)).unwrap();
    p.enforce_membership(&leaf, &root).unwrap();
    (cs, p, leaf)
}

fn random_path(rng: &mut ChaCha20Rng, arity: Arity, depth: usize) -> MerklePath {
    let capacity = arity.capacity(depth).unwrap();
    MerklePath {
        index: rng.gen_range(0..capacity),
        siblings: (0..depth)
            .map(|_| (1..arity.fan_out()).map(|_| Fr::rand(rng)).collect())
            .collect(),
    }
}

/// A tree of `n` random leaves; returns it and the leaves.
fn random_tree(
    rng: &mut ChaCha20Rng,
    arity: Arity,
    depth: usize,
    n: usize,
) -> (MerkleTree, Vec<Fr>) {
    let leaves: Vec<Fr> = (0..n).map(|_| Fr::rand(rng)).collect();
    (
        MerkleTree::from_leaves(arity, depth, &leaves).unwrap(),
        leaves,
    )
}

#[test]
fn quaternary_children_for_every_position() {
    let (cur, s0, s1, s2) = (
        Fr::from(100u64),
        Fr::from(10u64),
        Fr::from(11u64),
        Fr::from(12u64),
    );
    let expected = [
        [cur, s0, s1, s2],
        [s0, cur, s1, s2],
        [s0, s1, cur, s2],
        [s0, s1, s2, cur],
    ];
    for (pos, want) in expected.iter().enumerate() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let b0 = Boolean::new_witness(cs.clone(), || Ok(pos & 1 == 1)).unwrap();
        let b1 = Boolean::new_witness(cs.clone(), || Ok(pos & 2 == 2)).unwrap();
        let s = [witness(&cs, s0), witness(&cs, s1), witness(&cs, s2)];
        let c = quaternary_children(&witness(&cs, cur), &FpVar::from(b0), &FpVar::from(b1), &s)
            .unwrap();
        let got: Vec<Fr> = c.iter().map(|x| x.value().unwrap()).collect();
        assert_eq!(&got[..], &want[..], "position {pos}");
        assert_eq!(cs.num_constraints(), 2 + 4);
        assert!(cs.is_satisfied().unwrap());
    }
}

#[test]
fn binary_children_for_both_sides() {
    let (cur, sib) = (Fr::from(100u64), Fr::from(7u64));
    for (b, want) in [(false, [cur, sib]), (true, [sib, cur])] {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let bit = Boolean::new_witness(cs.clone(), || Ok(b)).unwrap();
        let c = binary_children(&witness(&cs, cur), &FpVar::from(bit), &witness(&cs, sib)).unwrap();
        assert_eq!([c[0].value().unwrap(), c[1].value().unwrap()], want);
        assert_eq!(cs.num_constraints(), 2);
        assert!(cs.is_satisfied().unwrap());
    }
}

#[test]
fn constraint_counts_pinned() {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    for (arity, depth, total) in [
        (Arity::Binary, 16, 16 * 242),
        (Arity::Quaternary, 8, 8 * 303),
    ] {
        let path = random_path(&mut rng, arity, depth);
        let cs = ConstraintSystem::<Fr>::new_ref();
        let leaf = witness(&cs, Fr::from(5u64));
        let p = alloc_path(cs.clone(), arity, depth, Some(&path)).unwrap();
        // booleanity only
        assert_eq!(cs.num_constraints(), depth * arity.bits_per_level());
        let root = p.compute_root(&leaf).unwrap();
        assert_eq!(cs.num_constraints(), total);
        assert_eq!(cs.num_constraints(), depth * per_level(arity));
        assert!(cs.is_satisfied().unwrap());
        assert_eq!(
            Ok(root.value().unwrap()),
            path.compute_root(arity, depth, Fr::from(5u64))
        );
        // enforce_membership: one more, the equality
        let public = FpVar::new_input(cs.clone(), || root.value()).unwrap();
        p.enforce_membership(&leaf, &public).unwrap();
        assert_eq!(
            cs.num_constraints(),
            2 * total - depth * arity.bits_per_level() + 1
        );
    }
    assert_eq!(per_level(Arity::Binary), 242);
    assert_eq!(per_level(Arity::Quaternary), 303);
}

#[test]
fn leaf_hash_in_circuit() {
    for (n, count) in [(1usize, 237usize), (2, 258), (3, 294), (15, 606)] {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let data: Vec<Fr> = (0..n as u64).map(|i| Fr::from(i * 31 + 1)).collect();
        let vars: Vec<FpVar<Fr>> = data.iter().map(|x| witness(&cs, *x)).collect();
        let leaf = leaf_hash(FieldTag::IssuerLeaf, &vars).unwrap();
        assert_eq!(
            Ok(leaf.value().unwrap()),
            merkle::leaf_hash(FieldTag::IssuerLeaf, &data)
        );
        assert_eq!(cs.num_constraints(), count, "n = {n}");
        assert!(cs.is_satisfied().unwrap());
    }
    let cs = ConstraintSystem::<Fr>::new_ref();
    let vars: Vec<FpVar<Fr>> = (0..16).map(|_| witness(&cs, Fr::one())).collect();
    assert_eq!(
        leaf_hash(FieldTag::MerkleLeaf, &[]).unwrap_err(),
        SynthesisError::Unsatisfiable
    );
    assert_eq!(
        leaf_hash(FieldTag::MerkleLeaf, &vars).unwrap_err(),
        SynthesisError::Unsatisfiable
    );
    assert_eq!(cs.num_constraints(), 0);
}

fn native_equals_gadget(
    arity: Arity,
    depth: usize,
    seed: u64,
    leaf: Fr,
) -> Result<(), TestCaseError> {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let path = random_path(&mut rng, arity, depth);
    let native = path.compute_root(arity, depth, leaf).unwrap();
    let cs = ConstraintSystem::<Fr>::new_ref();
    let leaf_var = witness(&cs, leaf);
    let p = alloc_path(cs.clone(), arity, depth, Some(&path)).unwrap();
    let root = p.compute_root(&leaf_var).unwrap();
    prop_assert_eq!(root.value().unwrap(), native);
    prop_assert_eq!(p.index().value().unwrap(), Fr::from(path.index));
    prop_assert_eq!(cs.num_constraints(), depth * per_level(arity));
    prop_assert!(cs.is_satisfied().unwrap());
    Ok(())
}

fn field_element() -> impl Strategy<Value = Fr> {
    prop_oneof![
        any::<u64>().prop_map(Fr::from),
        any::<[u8; 32]>().prop_map(|b| Fr::from_le_bytes_mod_order(&b)),
        Just(Fr::zero()),
        Just(-Fr::one()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn native_equals_gadget_binary(depth in 1usize..=6, seed in any::<u64>(), leaf in field_element()) {
        native_equals_gadget(Arity::Binary, depth, seed, leaf)?;
    }

    #[test]
    fn native_equals_gadget_quaternary(depth in 1usize..=4, seed in any::<u64>(), leaf in field_element()) {
        native_equals_gadget(Arity::Quaternary, depth, seed, leaf)?;
    }
}

#[test]
fn native_equals_gadget_on_real_trees() {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    for (arity, depth) in [(Arity::Binary, 5), (Arity::Quaternary, 3)] {
        let (tree, leaves) = random_tree(&mut rng, arity, depth, 13);
        for i in [0usize, 1, 2, 3, 7, 12] {
            let path = tree.path(i as u64).unwrap();
            let (cs, p, _) = membership(arity, depth, &path, leaves[i], tree.root());
            assert!(cs.is_satisfied().unwrap());
            assert_eq!(p.index().value().unwrap(), Fr::from(i as u64));
            assert_eq!(p.arity(), arity);
            assert_eq!(p.depth(), depth);
        }
    }
}

#[test]
fn is_member_is_the_boolean_form() {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    for (arity, depth) in [(Arity::Binary, 3), (Arity::Quaternary, 2)] {
        let (tree, leaves) = random_tree(&mut rng, arity, depth, 5);
        let path = tree.path(2).unwrap();
        for (leaf, member) in [(leaves[2], true), (leaves[3], false)] {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let leaf = witness(&cs, leaf);
            let root = FpVar::new_input(cs.clone(), || Ok(tree.root())).unwrap();
            let p = alloc_path(cs.clone(), arity, depth, Some(&path)).unwrap();
            let b = p.is_member(&leaf, &root).unwrap();
            assert_eq!(b.value().unwrap(), member);
            assert_eq!(cs.num_constraints(), depth * per_level(arity) + 2);
            assert!(cs.is_satisfied().unwrap());
        }
    }
}

#[test]
fn e01_valid_path_for_another_leaf_is_unsat() {
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    for (arity, depth) in [(Arity::Binary, 4), (Arity::Quaternary, 3)] {
        let (tree, leaves) = random_tree(&mut rng, arity, depth, 9);
        let path = tree.path(4).unwrap();
        let (cs, _, _) = membership(arity, depth, &path, leaves[4], tree.root());
        assert!(cs.is_satisfied().unwrap());
        // another leaf of the tree, a leaf outside it, and 0
        for other in [leaves[5], leaves[0], Fr::rand(&mut rng), Fr::zero()] {
            let (cs, _, _) = membership(arity, depth, &path, other, tree.root());
            assert!(!cs.is_satisfied().unwrap());
        }
    }
}

/// Values that are not bits: 2, r - 1 and 1/2.
fn non_bits() -> [Fr; 3] {
    [
        Fr::from(2u64),
        -Fr::one(),
        Fr::from(2u64).inverse().unwrap(),
    ]
}

/// The direct substitution: only the bit changes in `z`. This is a weak check (the product
/// rows that used the honest bit object too); the two tests below recompute everything else
/// honestly so that only booleanity can object.
#[test]
fn e02_non_boolean_path_bits_by_direct_substitution() {
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    for (arity, depth) in [(Arity::Binary, 4), (Arity::Quaternary, 3)] {
        let (tree, leaves) = random_tree(&mut rng, arity, depth, 11);
        let path = tree.path(6).unwrap();
        let (cs, p, _) = membership(arity, depth, &path, leaves[6], tree.root());
        let r1cs = R1cs::extract(&cs);
        assert!(r1cs.honest_ok());
        for bit in p.index_bits() {
            let i = r1cs.index(bool_var(&bit)).unwrap();
            for v in non_bits() {
                let mut z = r1cs.z.clone();
                z[i] = v;
                assert!(!r1cs.is_satisfied(&z), "{arity:?}: bit set to {v}");
            }
        }
    }
}

/// The binary circuit with the bits allocated as plain field witnesses (no booleanity), in the
/// same order as [`alloc_path`]: the same variables as [`membership`], minus the booleanity rows.
fn binary_without_booleanity(leaf: Fr, bits: &[Fr], siblings: &[Fr], root: Fr) -> R1cs {
    let cs = ConstraintSystem::<Fr>::new_ref();
    let mut cur = witness(&cs, leaf);
    let root = FpVar::new_input(cs.clone(), || Ok(root)).unwrap();
    let vars: Vec<(FpVar<Fr>, FpVar<Fr>)> = bits
        .iter()
        .zip(siblings)
        .map(|(b, s)| (witness(&cs, *b), witness(&cs, *s)))
        .collect();
    for (b, s) in &vars {
        cur = binary_level(&cur, b, s).unwrap();
    }
    cur.enforce_equal(&root).unwrap();
    R1cs::extract(&cs)
}

/// Class 17 (Self `BinaryMerkleRoot`): without booleanity, any leaf x "proves" membership. At
/// level 0 choose `sib = L + R - x` and `b = (L - x) / (sib - x)`; then the ordered pair is the
/// real `(L, R)` and the rest of the honest path gives the real root. The same assignment,
/// computed honestly from there on, fails only the booleanity rows of the real circuit.
#[test]
fn e02_non_boolean_bit_forgery_is_caught_by_booleanity() {
    let mut rng = ChaCha20Rng::seed_from_u64(6);
    let depth = 4;
    let (tree, leaves) = random_tree(&mut rng, Arity::Binary, depth, 10);
    let root = tree.root();
    let path = tree.path(2).unwrap();
    let (l, r) = (leaves[2], leaves[3]);
    let fake = Fr::rand(&mut rng);
    assert!(!leaves.contains(&fake));
    let sib0 = l + r - fake;
    let b0 = (l - fake) * (sib0 - fake).inverse().unwrap();
    let mut bits: Vec<Fr> = (0..depth)
        .map(|i| Fr::from((path.index >> i) & 1))
        .collect();
    bits[0] = b0;
    let mut siblings: Vec<Fr> = path.siblings.iter().map(|s| s[0]).collect();
    siblings[0] = sib0;
    let evil = binary_without_booleanity(fake, &bits, &siblings, root);
    // the forgery satisfies the circuit without booleanity ...
    assert!(evil.honest_ok());
    // ... and the real circuit, with the same variable layout, rejects it
    let (cs, _, _) = membership(Arity::Binary, depth, &path, leaves[2], root);
    let real = R1cs::extract(&cs);
    assert!(real.honest_ok());
    assert_eq!(real.z.len(), evil.z.len());
    assert!(!real.is_satisfied(&evil.z));

    // Each non-bit value at each level, everything else recomputed honestly (with the root
    // input set to what the tampered path computes, so that only booleanity can object).
    for level in 0..depth {
        for v in non_bits() {
            let mut bits: Vec<Fr> = (0..depth)
                .map(|i| Fr::from((path.index >> i) & 1))
                .collect();
            bits[level] = v;
            let siblings: Vec<Fr> = path.siblings.iter().map(|s| s[0]).collect();
            let cs = ConstraintSystem::<Fr>::new_ref();
            let mut cur = witness(&cs, leaves[2]);
            for (b, s) in bits.iter().zip(&siblings) {
                cur = binary_level(&cur, &witness(&cs, *b), &witness(&cs, *s)).unwrap();
            }
            let forged_root = cur.value().unwrap();
            let evil = binary_without_booleanity(leaves[2], &bits, &siblings, forged_root);
            assert!(evil.honest_ok());
            assert!(!real.is_satisfied(&evil.z), "level {level}, bit {v}");
        }
    }
}

/// The 4-ary circuit without booleanity, laid out like [`membership`].
fn quaternary_without_booleanity(
    leaf: Fr,
    bits: &[[Fr; 2]],
    siblings: &[Vec<Fr>],
    root: Option<Fr>,
) -> (R1cs, Fr) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    let mut cur = witness(&cs, leaf);
    let vars: Vec<_> = bits
        .iter()
        .zip(siblings)
        .map(|([b0, b1], s)| {
            (
                witness(&cs, *b0),
                witness(&cs, *b1),
                [witness(&cs, s[0]), witness(&cs, s[1]), witness(&cs, s[2])],
            )
        })
        .collect();
    for (b0, b1, s) in &vars {
        cur = quaternary_level(&cur, b0, b1, s).unwrap();
    }
    let computed = cur.value().unwrap();
    let root = FpVar::new_input(cs.clone(), || Ok(root.unwrap_or(computed))).unwrap();
    cur.enforce_equal(&root).unwrap();
    (R1cs::extract(&cs), computed)
}

#[test]
fn e02_quaternary_non_boolean_bits_recomputed_honestly() {
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    let depth = 3;
    let (tree, leaves) = random_tree(&mut rng, Arity::Quaternary, depth, 30);
    let path = tree.path(27).unwrap();
    let (cs, _, _) = membership(Arity::Quaternary, depth, &path, leaves[27], tree.root());
    let real = R1cs::extract(&cs);
    let honest_bits: Vec<[Fr; 2]> = (0..depth)
        .map(|i| {
            let d = (path.index >> (2 * i)) & 3;
            [Fr::from(d & 1), Fr::from(d >> 1)]
        })
        .collect();
    // the layout matches: the honest values reproduce the real assignment
    let (same, _) =
        quaternary_without_booleanity(leaves[27], &honest_bits, &path.siblings, Some(tree.root()));
    assert_eq!(same.z, real.z);
    for level in 0..depth {
        for k in 0..2 {
            for v in non_bits() {
                let mut bits = honest_bits.clone();
                bits[level][k] = v;
                let (evil, _) =
                    quaternary_without_booleanity(leaves[27], &bits, &path.siblings, None);
                assert!(evil.honest_ok());
                assert!(!real.is_satisfied(&evil.z), "level {level}, b{k} = {v}");
            }
        }
    }
}

#[test]
fn e03_empty_slot_cannot_be_proven() {
    let mut rng = ChaCha20Rng::seed_from_u64(8);
    for (arity, depth) in [(Arity::Binary, 4), (Arity::Quaternary, 2)] {
        let data: Vec<Fr> = (0..5).map(|_| Fr::rand(&mut rng)).collect();
        let leaves: Vec<Fr> = data
            .iter()
            .map(|d| merkle::leaf_hash(FieldTag::MerkleLeaf, &[*d]).unwrap())
            .collect();
        let tree = MerkleTree::from_leaves(arity, depth, &leaves).unwrap();
        let empty = tree.path(9).unwrap();
        assert_eq!(tree.leaf(9), Ok(Fr::zero()));

        // the leaf computed in the circuit from data [0] is not 0 and not in the tree
        let cs = ConstraintSystem::<Fr>::new_ref();
        let d = witness(&cs, Fr::zero());
        let leaf = leaf_hash(FieldTag::MerkleLeaf, &[d]).unwrap();
        assert_ne!(leaf.value().unwrap(), Fr::zero());
        assert!(!leaves.contains(&leaf.value().unwrap()));
        let root = FpVar::new_input(cs.clone(), || Ok(tree.root())).unwrap();
        let p = alloc_path(cs.clone(), arity, depth, Some(&empty)).unwrap();
        p.enforce_membership(&leaf, &root).unwrap();
        assert!(!cs.is_satisfied().unwrap());

        // the same with a member's path
        let cs = ConstraintSystem::<Fr>::new_ref();
        let d = witness(&cs, Fr::zero());
        let leaf = leaf_hash(FieldTag::MerkleLeaf, &[d]).unwrap();
        let root = FpVar::new_input(cs.clone(), || Ok(tree.root())).unwrap();
        let p = alloc_path(cs.clone(), arity, depth, Some(&tree.path(1).unwrap())).unwrap();
        p.enforce_membership(&leaf, &root).unwrap();
        assert!(!cs.is_satisfied().unwrap());

        // Why the leaf must be hashed in the circuit: a raw leaf witness of 0 does prove the
        // empty slot (documented hazard of `enforce_membership`).
        let (cs, _, _) = membership(arity, depth, &empty, Fr::zero(), tree.root());
        assert!(cs.is_satisfied().unwrap());

        // and a member's data does prove membership
        let cs = ConstraintSystem::<Fr>::new_ref();
        let d = witness(&cs, data[1]);
        let leaf = leaf_hash(FieldTag::MerkleLeaf, &[d]).unwrap();
        let root = FpVar::new_input(cs.clone(), || Ok(tree.root())).unwrap();
        let p = alloc_path(cs.clone(), arity, depth, Some(&tree.path(1).unwrap())).unwrap();
        p.enforce_membership(&leaf, &root).unwrap();
        assert!(cs.is_satisfied().unwrap());
    }
}

#[test]
fn e04_depth_is_fixed() {
    let mut rng = ChaCha20Rng::seed_from_u64(9);
    for (arity, depth) in [(Arity::Binary, 4), (Arity::Quaternary, 3)] {
        let (tree, _) = random_tree(&mut rng, arity, depth, 7);
        let full = tree.path(0).unwrap();
        let short = MerklePath {
            index: 0,
            siblings: full.siblings[1..].to_vec(),
        };
        // a path of depth - 1 levels is refused for a depth-`depth` circuit
        let cs = ConstraintSystem::<Fr>::new_ref();
        assert_eq!(
            alloc_path(cs.clone(), arity, depth, Some(&short)).unwrap_err(),
            SynthesisError::Unsatisfiable
        );
        let mut long = full.clone();
        long.siblings.push(vec![Fr::one(); arity.fan_out() - 1]);
        assert_eq!(
            alloc_path(cs.clone(), arity, depth, Some(&long)).unwrap_err(),
            SynthesisError::Unsatisfiable
        );
        let mut bad = full.clone();
        bad.siblings[1].pop();
        assert_eq!(
            alloc_path(cs.clone(), arity, depth, Some(&bad)).unwrap_err(),
            SynthesisError::Unsatisfiable
        );
        let mut bad = full.clone();
        bad.index = tree.capacity();
        assert_eq!(
            alloc_path(cs.clone(), arity, depth, Some(&bad)).unwrap_err(),
            SynthesisError::Unsatisfiable
        );
        for d in [0, arity.max_depth() + 1] {
            assert_eq!(
                alloc_path(cs.clone(), arity, d, None).unwrap_err(),
                SynthesisError::Unsatisfiable
            );
        }
        assert_eq!(cs.num_witness_variables(), 0);
        // the shape is the circuit's: the same constraints whatever the witness
        let (cs, _, _) = membership(arity, depth, &full, Fr::one(), Fr::one());
        assert_eq!(cs.num_constraints(), depth * per_level(arity) + 1);
    }
    // mismatched or empty slices to the free functions
    let cs = ConstraintSystem::<Fr>::new_ref();
    let leaf = witness(&cs, Fr::one());
    let b = Boolean::new_witness(cs.clone(), || Ok(true)).unwrap();
    let s = witness(&cs, Fr::one());
    assert_eq!(
        root_binary(&leaf, &[b.clone(), b.clone()], std::slice::from_ref(&s)).unwrap_err(),
        SynthesisError::Unsatisfiable
    );
    assert_eq!(
        root_binary(&leaf, &[], &[]).unwrap_err(),
        SynthesisError::Unsatisfiable
    );
    assert_eq!(
        root_quaternary(&leaf, &[[b.clone(), b]], &[]).unwrap_err(),
        SynthesisError::Unsatisfiable
    );

    // a leaf is not the node hash of the same data, in the circuit as natively
    let (a, c) = (witness(&cs, Fr::from(3u64)), witness(&cs, Fr::from(4u64)));
    let leaf = leaf_hash(FieldTag::MerkleLeaf, &[a.clone(), c.clone()]).unwrap();
    let node = poseidon::constraints::hash2(&a, &c).unwrap();
    assert_ne!(leaf.value().unwrap(), node.value().unwrap());
    let quad = [a.clone(), c.clone(), a.clone(), c.clone()];
    let leaf = leaf_hash(FieldTag::MerkleLeaf, &quad).unwrap();
    let node = poseidon::constraints::hash4(&quad).unwrap();
    assert_ne!(leaf.value().unwrap(), node.value().unwrap());
}

#[test]
fn mutation_sweep_finds_no_free_witness() {
    let mut rng = ChaCha20Rng::seed_from_u64(10);
    for (arity, depth, n, index) in [(Arity::Binary, 4, 12, 5u64), (Arity::Quaternary, 3, 25, 22)] {
        let (tree, leaves) = random_tree(&mut rng, arity, depth, n);
        let path = tree.path(index).unwrap();
        let (cs, _, _) = membership(arity, depth, &path, leaves[index as usize], tree.root());
        assert_eq!(cs.num_constraints(), depth * per_level(arity) + 1);
        let r1cs = R1cs::extract(&cs);
        assert!(r1cs.honest_ok());
        assert_eq!(r1cs.mutation_sweep(&[]), Vec::<usize>::new(), "{arity:?}");
    }
    // also on a path through empty subtrees (siblings are zero hashes)
    for (arity, depth) in [(Arity::Binary, 4), (Arity::Quaternary, 3)] {
        let (tree, leaves) = random_tree(&mut rng, arity, depth, 1);
        let path = tree.path(0).unwrap();
        let (cs, _, _) = membership(arity, depth, &path, leaves[0], tree.root());
        let r1cs = R1cs::extract(&cs);
        assert!(r1cs.honest_ok());
        assert_eq!(r1cs.mutation_sweep(&[]), Vec::<usize>::new(), "{arity:?}");
    }
}

#[test]
fn setup_mode_needs_no_values() {
    for (arity, depth) in [(Arity::Binary, 5), (Arity::Quaternary, 3)] {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_mode(SynthesisMode::Setup);
        let missing = || -> Result<Fr, SynthesisError> { Err(SynthesisError::AssignmentMissing) };
        let data = FpVar::new_witness(cs.clone(), missing).unwrap();
        let leaf = leaf_hash(FieldTag::IssuerLeaf, &[data]).unwrap();
        let root = FpVar::new_input(cs.clone(), missing).unwrap();
        let p = alloc_path(cs.clone(), arity, depth, None).unwrap();
        p.enforce_membership(&leaf, &root).unwrap();
        assert!(p.index().value().is_err());
        assert_eq!(cs.num_constraints(), 237 + depth * per_level(arity) + 1);

        // proving mode without a path: an error, not a panic
        let cs = ConstraintSystem::<Fr>::new_ref();
        assert_eq!(
            alloc_path(cs, arity, depth, None).unwrap_err(),
            SynthesisError::AssignmentMissing
        );
    }
}

#[test]
fn debug_shows_the_shape_only() {
    let cs = ConstraintSystem::<Fr>::new_ref();
    let path = MerklePath {
        index: 5,
        siblings: vec![vec![Fr::from(77_777u64)]; 3],
    };
    let p = alloc_path(cs, Arity::Binary, 3, Some(&path)).unwrap();
    assert_eq!(format!("{p:?}"), "PathVar { arity: Binary, depth: 3, .. }");
}
