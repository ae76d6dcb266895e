use super::*;
use crate::babyjubjub::Point;
use crate::merkle::{MerklePath, MerkleTree};
use crate::r1cs_check::R1cs;
use crate::revocation::{
    revocation_id, revocation_leaf, verify_non_membership, RevocationError, RevocationTree,
};
use ark_ff::{BigInteger, One, PrimeField, UniformRand};
use ark_ff::{Field, Zero};
use ark_relations::gr1cs::{ConstraintSystem, SynthesisMode, Variable};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// Pinned: the whole check, the witness allocation included.
const TOTAL: usize = 5_006;
// the budget
const _: () = assert!(TOTAL <= 5_500);
/// Pinned: the booleanity of the 20 position bits, added by `alloc_non_membership`.
const ALLOC: usize = 20;
/// Pinned: each step of `enforce_traced`, in order.
const STEPS: [(&str, usize); 8] = [
    ("1. id hash", 294),
    ("2. strict decomposition", 407),
    ("3. low_value < 2^252", 253),
    ("3. low_next < 2^252", 253),
    ("4. low_value < id", 253),
    ("5. id < low_next or low_next == 0", 257),
    ("6. leaf hash", 258),
    ("6. path and root", 3_011),
];

fn fr(x: u64) -> Fr {
    Fr::from(x)
}

fn two_pow(k: usize) -> Fr {
    (0..k).fold(Fr::one(), |x, _| x + x)
}

#[derive(Clone, Copy, Debug)]
struct Credential {
    provider: Point,
    serial: Fr,
}

impl Credential {
    fn random(rng: &mut ChaCha20Rng) -> Self {
        Credential {
            provider: Point::base8().mul_bigint(&[rng.gen::<u64>() | 1]),
            serial: Fr::rand(rng),
        }
    }

    fn id(&self) -> Fr {
        revocation_id(&self.provider, &self.serial)
    }
}

fn random_credentials(rng: &mut ChaCha20Rng, n: usize) -> Vec<Credential> {
    (0..n).map(|_| Credential::random(rng)).collect()
}

fn tree_of(creds: &[Credential]) -> RevocationTree {
    RevocationTree::from_ids(creds.iter().map(Credential::id)).unwrap()
}

/// The list entry of `value` (0 for the sentinel) as a witness: its leaf and path, whether or
/// not it brackets anything.
fn entry_witness(t: &RevocationTree, value: Fr) -> NonMembershipWitness {
    let (slot, next) = if value == Fr::zero() {
        (0, t.first)
    } else {
        let e = t.entries[&value];
        (e.slot, e.next)
    };
    NonMembershipWitness {
        low_value: value,
        low_next: next,
        path: t.tree.path(slot).unwrap(),
    }
}

struct Run {
    cs: ConstraintSystemRef<Fr>,
    var: NonMembershipVar,
    trace: Trace,
    /// constraints before `enforce_traced`
    before: usize,
}

/// The honest synthesis: `root` a public input, the provider key and serial witnesses.
fn synth(root: Fr, c: &Credential, w: &NonMembershipWitness) -> Run {
    let cs = ConstraintSystem::<Fr>::new_ref();
    let root = FpVar::new_input(cs.clone(), || Ok(root)).unwrap();
    let x = FpVar::new_witness(cs.clone(), || Ok(c.provider.x())).unwrap();
    let y = FpVar::new_witness(cs.clone(), || Ok(c.provider.y())).unwrap();
    let s = FpVar::new_witness(cs.clone(), || Ok(c.serial)).unwrap();
    let var = alloc_non_membership(cs.clone(), Some(w)).unwrap();
    let before = cs.num_constraints();
    let trace = enforce_traced(&root, &x, &y, &s, &var).unwrap();
    Run {
        cs,
        var,
        trace,
        before,
    }
}

/// Whether the gadget accepts (through ark-relations and through our matrix checker, which
/// must agree).
fn gadget_accepts(root: Fr, c: &Credential, w: &NonMembershipWitness) -> bool {
    let run = synth(root, c, w);
    assert_eq!(run.trace.id.value().unwrap(), c.id());
    let sat = run.cs.is_satisfied().unwrap();
    assert_eq!(R1cs::extract(&run.cs).honest_ok(), sat);
    sat
}

fn bool_var(b: &Boolean<Fr>) -> Variable {
    match b {
        Boolean::Var(v) => v.variable(),
        Boolean::Constant(_) => panic!("a constant"),
    }
}

fn fp_var(x: &FpVar<Fr>) -> Variable {
    match x {
        FpVar::Var(v) => v.variable,
        FpVar::Constant(_) => panic!("a constant"),
    }
}

fn step_rows(trace: &Trace, name: &str) -> std::ops::Range<usize> {
    trace
        .steps
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, r)| r.clone())
        .unwrap()
}

#[test]
fn constraint_count_pinned() {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let creds = random_credentials(&mut rng, 5);
    let t = tree_of(&creds);
    let c = Credential::random(&mut rng);
    let w = t.non_membership(c.id()).unwrap();
    let run = synth(t.root(), &c, &w);
    assert!(run.cs.is_satisfied().unwrap());
    // 3 witnesses + 2 low values allocate no constraint; the path bits do
    assert_eq!(run.before, ALLOC);
    let measured: Vec<(&str, usize)> = run
        .trace
        .steps
        .iter()
        .map(|(n, r)| (*n, r.end - r.start))
        .collect();
    for (name, n) in &measured {
        println!("{name}: {n}");
    }
    println!("total: {}", run.cs.num_constraints());
    assert_eq!(measured, STEPS.to_vec());
    assert_eq!(ALLOC + STEPS.iter().map(|(_, n)| n).sum::<usize>(), TOTAL);
    assert_eq!(run.cs.num_constraints(), TOTAL);
}

#[test]
fn revocation_id_gadget_matches_native() {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    for _ in 0..10 {
        let c = Credential::random(&mut rng);
        let cs = ConstraintSystem::<Fr>::new_ref();
        let w = |v: Fr| FpVar::new_witness(cs.clone(), || Ok(v)).unwrap();
        let id = revocation_id_var(&w(c.provider.x()), &w(c.provider.y()), &w(c.serial));
        assert_eq!(id.value().unwrap(), c.id());
        assert_eq!(cs.num_constraints(), 294 + 407);
        assert!(cs.is_satisfied().unwrap());
        // constants fold to the constant id
        let k = |v: Fr| FpVar::Constant(v);
        let id = revocation_id_var(&k(c.provider.x()), &k(c.provider.y()), &k(c.serial));
        assert!(matches!(id, FpVar::Constant(v) if v == c.id()));
    }
}

fn revocation_id_var(x: &FpVar<Fr>, y: &FpVar<Fr>, s: &FpVar<Fr>) -> FpVar<Fr> {
    super::revocation_id(x, y, s).unwrap()
}

#[test]
fn honest_witnesses_are_accepted() {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    // the empty tree: the sentinel (0, 0) brackets everything
    let empty = RevocationTree::new();
    let c = Credential::random(&mut rng);
    assert!(gadget_accepts(
        empty.root(),
        &c,
        &empty.non_membership(c.id()).unwrap()
    ));
    let creds = random_credentials(&mut rng, 12);
    let t = tree_of(&creds);
    for _ in 0..6 {
        let c = Credential::random(&mut rng);
        let w = t.non_membership(c.id()).unwrap();
        assert!(gadget_accepts(t.root(), &c, &w));
    }
    // the top gap (low_next == 0) at least once: an id above every revoked one
    let top = t.entries.keys().next_back().copied().unwrap();
    let c = (0..200)
        .map(|_| Credential::random(&mut rng))
        .find(|c| c.id() > top)
        .unwrap();
    let w = t.non_membership(c.id()).unwrap();
    assert_eq!(w.low_next, Fr::zero());
    assert!(gadget_accepts(t.root(), &c, &w));
}

#[test]
fn f01_revoked_credential_is_unsat() {
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let creds = random_credentials(&mut rng, 10);
    let t = tree_of(&creds);
    for c in &creds[..4] {
        let id = c.id();
        assert_eq!(t.non_membership(id).unwrap_err(), RevocationError::Revoked);
        // id == low_value: the revoked id's own leaf (id, next)
        let own = entry_witness(&t, id);
        // id == low_next: the leaf before it (prev, id)
        let prev = t.non_membership(id - fr(1)).unwrap();
        assert_eq!(prev.low_next, id);
        // the leaf after it, (id, next), reached from above
        let after = t.non_membership(id + fr(1)).unwrap();
        assert_eq!(after.low_value, id);
        for w in [own, prev, after] {
            assert_eq!(
                verify_non_membership(t.root(), id, &w),
                Err(RevocationError::WrongLowLeaf)
            );
            assert!(!gadget_accepts(t.root(), c, &w));
        }
    }
}

#[test]
fn f02_witness_for_another_credential_is_unsat() {
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let creds = random_credentials(&mut rng, 10);
    let t = tree_of(&creds);
    let revoked = creds[0];
    let mut others = 0;
    for _ in 0..10 {
        let b = Credential::random(&mut rng);
        let wb = t.non_membership(b.id()).unwrap();
        assert!(gadget_accepts(t.root(), &b, &wb));
        // the revoked credential with b's witness: its own id is derived in the circuit
        assert!(!gadget_accepts(t.root(), &revoked, &wb));
        // an unrevoked credential in another gap with b's witness
        let a = Credential::random(&mut rng);
        let wa = t.non_membership(a.id()).unwrap();
        if wa != wb {
            assert!(!gadget_accepts(t.root(), &a, &wb));
            others += 1;
        }
    }
    assert!(others > 5);
}

/// The bits of `v` (an integer below 2^254) into the variables `bits`.
fn set_bits(r: &R1cs, z: &mut [Fr], bits: &[Boolean<Fr>], v: &ark_ff::BigInt<4>) {
    for (i, b) in bits.iter().enumerate() {
        z[r.index(bool_var(b)).unwrap()] = Fr::from(v.get_bit(i));
    }
}

/// Rewrites the assignment as an honest prover would for a decomposition of `h` given as the
/// integer `h_int`: the 254 bits, and every witness downstream of the id (the bits of
/// `id - low_value - 1`, the product `(1 - z)(low_next - id - 1)` and its bits). Returns the id.
fn rewrite_from_h(
    r: &R1cs,
    z: &mut [Fr],
    trace: &Trace,
    h_int: &ark_ff::BigInt<4>,
    w: &NonMembershipWitness,
) -> Fr {
    set_bits(r, z, &trace.h_bits, h_int);
    let mut id_int = *h_int;
    id_int.0[3] &= (1u64 << 60) - 1;
    let id = Fr::from_bigint(id_int).unwrap();
    let above = id - w.low_value - fr(1);
    set_bits(r, z, &trace.above_low_bits, &above.into_bigint());
    let zero = trace.next_is_zero.value().unwrap();
    let below = (fr(1) - zero) * (w.low_next - id - fr(1));
    z[r.index(fp_var(&trace.below_next)).unwrap()] = below;
    set_bits(r, z, &trace.below_next_bits, &below.into_bigint());
    id
}

/// F03 (bug class 2, the Self SMT bug): the bits of `h + r` would give the id
/// `low252(h + r)`, another id. Take a credential whose own id is revoked and whose aliased id
/// is not, synthesize with the honest witness for the aliased id, and rewrite the assignment as
/// a prover would with the aliased bits: only the alias check stops it.
#[test]
fn f03_aliased_decomposition_is_unsat() {
    let mut rng = ChaCha20Rng::seed_from_u64(6);
    let limit = {
        // 2^254 - r: h + r fits in 254 bits exactly when h is below this
        let mut l = two_pow(253).into_bigint();
        l.add_with_carry(&two_pow(253).into_bigint());
        l.sub_with_borrow(&Fr::MODULUS);
        l
    };
    let mut tried = 0;
    let mut attacked = 0;
    while attacked < 3 {
        tried += 1;
        assert!(tried < 100);
        let c = Credential::random(&mut rng);
        let h = crate::poseidon::hash(&[
            FieldTag::RevocationId.value(),
            c.provider.x(),
            c.provider.y(),
            c.serial,
        ])
        .unwrap();
        if h.into_bigint() >= limit {
            continue;
        }
        let mut alias = h.into_bigint();
        assert!(!alias.add_with_carry(&Fr::MODULUS));
        assert!(alias.num_bits() <= 254);
        let mut creds = random_credentials(&mut rng, 6);
        creds.push(c);
        let t = tree_of(&creds);

        // control: rewriting the honest assignment with h's own bits changes nothing
        let other = Credential::random(&mut rng);
        let wo = t.non_membership(other.id()).unwrap();
        let run = synth(t.root(), &other, &wo);
        let r = R1cs::extract(&run.cs);
        let mut z = r.z.clone();
        let h_other = crate::poseidon::hash(&[
            FieldTag::RevocationId.value(),
            other.provider.x(),
            other.provider.y(),
            other.serial,
        ])
        .unwrap();
        rewrite_from_h(&r, &mut z, &run.trace, &h_other.into_bigint(), &wo);
        assert_eq!(z, r.z);
        assert!(r.is_satisfied(&z));

        // the attack
        let alias_id = {
            let mut a = alias;
            a.0[3] &= (1u64 << 60) - 1;
            Fr::from_bigint(a).unwrap()
        };
        assert_ne!(alias_id, c.id());
        assert!(t.contains(c.id()));
        let wa = t.non_membership(alias_id).unwrap();
        assert_eq!(verify_non_membership(t.root(), alias_id, &wa), Ok(()));
        let run = synth(t.root(), &c, &wa);
        assert!(!run.cs.is_satisfied().unwrap());
        let r = R1cs::extract(&run.cs);
        let mut z = r.z.clone();
        let got = rewrite_from_h(&r, &mut z, &run.trace, &alias, &wa);
        assert_eq!(got, alias_id);
        // the first row that fails is in the strict decomposition (the alias check): every
        // earlier row holds, the booleanity and recomposition rows included (h + r = h mod r)
        let strict = step_rows(&run.trace, "2. strict decomposition");
        let row = r.first_unsatisfied(&z).unwrap();
        assert!(strict.contains(&row), "row {row} outside {strict:?}");
        assert!(
            row >= strict.start + 255,
            "the alias check, not the recomposition"
        );
        attacked += 1;
    }
}

#[test]
fn stale_low_leaf_that_skips_a_revoked_id_is_unsat() {
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    let creds = random_credentials(&mut rng, 8);
    let mut t = tree_of(&creds[..7]);
    let old = t.clone();
    let c = creds[7];
    let stale = old.non_membership(c.id()).unwrap();
    assert!(gadget_accepts(old.root(), &c, &stale));
    t.insert(c.id()).unwrap();
    // the old leaf skips the id just revoked; with the current root it is refused
    assert_eq!(
        verify_non_membership(t.root(), c.id(), &stale),
        Err(RevocationError::NotMember)
    );
    assert!(!gadget_accepts(t.root(), &c, &stale));
    // and a stale witness for an unrevoked neighbour fails too, while its fresh one works
    let n = Credential::random(&mut rng);
    let fresh = t.non_membership(n.id()).unwrap();
    assert!(gadget_accepts(t.root(), &n, &fresh));
    let stale_n = old.non_membership(n.id()).unwrap();
    if stale_n != fresh {
        assert!(!gadget_accepts(t.root(), &n, &stale_n));
    }
}

#[test]
fn id_equal_to_low_value_or_low_next_is_unsat() {
    let mut rng = ChaCha20Rng::seed_from_u64(8);
    let creds = random_credentials(&mut rng, 6);
    let t = tree_of(&creds);
    for c in &creds {
        let own = entry_witness(&t, c.id());
        assert_eq!(own.low_value, c.id());
        assert!(!gadget_accepts(t.root(), c, &own));
        let prev = t.non_membership(c.id() - fr(1)).unwrap();
        assert_eq!(prev.low_next, c.id());
        assert!(!gadget_accepts(t.root(), c, &prev));
    }
}

#[test]
fn low_leaf_not_in_the_tree_is_unsat() {
    let mut rng = ChaCha20Rng::seed_from_u64(9);
    let creds = random_credentials(&mut rng, 8);
    let t = tree_of(&creds);
    let c = Credential::random(&mut rng);
    let w = t.non_membership(c.id()).unwrap();
    assert!(gadget_accepts(t.root(), &c, &w));
    // the end of the list claimed early
    let mut open = w.clone();
    open.low_next = Fr::zero();
    // a wider gap
    let mut wide = w.clone();
    wide.low_value = Fr::zero();
    // the right leaf at another slot
    let mut moved = w.clone();
    moved.path.index ^= 2;
    // a sibling changed
    let mut bent = w.clone();
    bent.path.siblings[9][0] += fr(1);
    for bad in [open, wide, moved, bent] {
        if bad == w {
            continue;
        }
        assert_eq!(
            verify_non_membership(t.root(), c.id(), &bad),
            Err(RevocationError::NotMember)
        );
        assert!(!gadget_accepts(t.root(), &c, &bad));
    }
    // a made-up tree holding a leaf that brackets the id
    let fake = MerkleTree::from_leaves(
        REVOCATION_TREE_ARITY,
        REVOCATION_TREE_DEPTH,
        &[revocation_leaf(&Fr::zero(), &Fr::zero())],
    )
    .unwrap();
    let mut made_up = w.clone();
    made_up.low_value = Fr::zero();
    made_up.low_next = Fr::zero();
    made_up.path = fake.path(0).unwrap();
    assert!(gadget_accepts(fake.root(), &c, &made_up));
    assert!(!gadget_accepts(t.root(), &c, &made_up));
}

/// A hand-built tree (a malicious registry) holding one leaf `(low_value, low_next)` at slot 1;
/// returns its root and the witness of that leaf.
fn one_leaf_tree(low_value: Fr, low_next: Fr) -> (Fr, NonMembershipWitness) {
    let leaves = [
        revocation_leaf(&Fr::zero(), &Fr::zero()),
        revocation_leaf(&low_value, &low_next),
    ];
    let tree =
        MerkleTree::from_leaves(REVOCATION_TREE_ARITY, REVOCATION_TREE_DEPTH, &leaves).unwrap();
    let w = NonMembershipWitness {
        low_value,
        low_next,
        path: tree.path(1).unwrap(),
    };
    (tree.root(), w)
}

/// Leaves whose values are not below 2^252, which a malicious registry could add: `(r - 1, 0)`
/// would bracket every id mod r, `(1, 2^252 + 5)` every id above 1. Step 3 refuses both, and
/// it is the first row to fail: the comparisons alone would have accepted.
#[test]
fn low_values_not_below_2_252_are_unsat() {
    let mut rng = ChaCha20Rng::seed_from_u64(10);
    let c = Credential::random(&mut rng);
    for (low_value, low_next, step) in [
        (-fr(1), Fr::zero(), "3. low_value < 2^252"),
        (fr(1), two_pow(252) + fr(5), "3. low_next < 2^252"),
    ] {
        let (root, w) = one_leaf_tree(low_value, low_next);
        assert_eq!(
            verify_non_membership(root, c.id(), &w),
            Err(RevocationError::LowLeafOutOfRange)
        );
        let run = synth(root, &c, &w);
        assert!(!run.cs.is_satisfied().unwrap());
        let r = R1cs::extract(&run.cs);
        let row = r.first_unsatisfied(&r.z).unwrap();
        assert!(
            step_rows(&run.trace, step).contains(&row),
            "{step}: row {row}"
        );
    }
}

#[test]
fn position_bits_must_be_boolean() {
    let mut rng = ChaCha20Rng::seed_from_u64(11);
    let creds = random_credentials(&mut rng, 8);
    let t = tree_of(&creds);
    let c = Credential::random(&mut rng);
    let w = t.non_membership(c.id()).unwrap();
    let run = synth(t.root(), &c, &w);
    let r = R1cs::extract(&run.cs);
    assert!(r.honest_ok());
    let half = Fr::from(2u64).inverse().unwrap();
    for b in run.var.path.index_bits() {
        let i = r.index(bool_var(&b)).unwrap();
        for v in [fr(2), -fr(1), half] {
            let mut z = r.z.clone();
            z[i] = v;
            assert!(!r.is_satisfied(&z));
        }
    }
}

#[test]
fn mutation_sweep_finds_no_free_witness() {
    let mut rng = ChaCha20Rng::seed_from_u64(12);
    let creds = random_credentials(&mut rng, 8);
    let t = tree_of(&creds);
    let top = t.entries.keys().next_back().copied().unwrap();
    // a gap in the middle (low_next != 0) and the top gap (low_next == 0)
    let mid = (0..100)
        .map(|_| Credential::random(&mut rng))
        .find(|c| c.id() < top)
        .unwrap();
    let high = (0..200)
        .map(|_| Credential::random(&mut rng))
        .find(|c| c.id() > top)
        .unwrap();
    for c in [mid, high] {
        let w = t.non_membership(c.id()).unwrap();
        let run = synth(t.root(), &c, &w);
        let r = R1cs::extract(&run.cs);
        assert!(r.honest_ok());
        assert_eq!(r.mutation_sweep(&[]), Vec::<usize>::new());
    }
}

#[test]
fn setup_mode_needs_no_values() {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_mode(SynthesisMode::Setup);
    let missing = || -> Result<Fr, SynthesisError> { Err(SynthesisError::AssignmentMissing) };
    let root = FpVar::new_input(cs.clone(), missing).unwrap();
    let x = FpVar::new_witness(cs.clone(), missing).unwrap();
    let y = FpVar::new_witness(cs.clone(), missing).unwrap();
    let s = FpVar::new_witness(cs.clone(), missing).unwrap();
    let var = alloc_non_membership(cs.clone(), None).unwrap();
    enforce_not_revoked(&root, &x, &y, &s, &var).unwrap();
    assert_eq!(cs.num_constraints(), TOTAL);

    // proving mode without a witness: an error, not a panic
    let cs = ConstraintSystem::<Fr>::new_ref();
    assert_eq!(
        alloc_non_membership(cs, None).unwrap_err(),
        SynthesisError::AssignmentMissing
    );
}

#[test]
fn malformed_witness_shape_is_refused() {
    let t = RevocationTree::new();
    let w = t.non_membership(fr(5)).unwrap();
    let mut short = w.clone();
    short.path.siblings.pop();
    let mut wide = w.clone();
    wide.path.siblings[0].push(fr(0));
    let mut far = w.clone();
    far.path.index = 1 << 20;
    let none = NonMembershipWitness {
        low_value: fr(0),
        low_next: fr(0),
        path: MerklePath {
            index: 0,
            siblings: Vec::new(),
        },
    };
    for bad in [short, wide, far, none] {
        let cs = ConstraintSystem::<Fr>::new_ref();
        assert_eq!(
            alloc_non_membership(cs, Some(&bad)).unwrap_err(),
            SynthesisError::Unsatisfiable
        );
    }
}

#[test]
fn debug_shows_the_shape_only() {
    let mut t = RevocationTree::new();
    t.insert(fr(123_456_789)).unwrap();
    let w = t.non_membership(fr(987_654_321)).unwrap();
    let cs = ConstraintSystem::<Fr>::new_ref();
    let var = alloc_non_membership(cs, Some(&w)).unwrap();
    assert_eq!(format!("{var:?}"), "NonMembershipVar { depth: 10, .. }");
}

/// One random case: a tree of `n` revoked credentials, a query credential (revoked or not) and
/// a witness of one of four kinds; the native verdict and the gadget's must agree.
fn native_equals_gadget(seed: u64, n: usize, revoked_query: bool, kind: u8) -> bool {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let creds = random_credentials(&mut rng, n);
    let t = tree_of(&creds);
    let c = if revoked_query && n > 0 {
        creds[rng.gen_range(0..n)]
    } else {
        Credential::random(&mut rng)
    };
    let id = c.id();
    let values: Vec<Fr> = std::iter::once(Fr::zero())
        .chain(t.entries.keys().copied())
        .collect();
    let w = match kind {
        // the honest witness, or the id's own leaf if it is revoked
        0 => t
            .non_membership(id)
            .unwrap_or_else(|_| entry_witness(&t, id)),
        // the honest witness of another random id
        1 => t.non_membership(Credential::random(&mut rng).id()).unwrap(),
        // any leaf of the list, with its path
        2 => entry_witness(&t, values[rng.gen_range(0..values.len())]),
        // a leaf of the list with one value changed
        _ => {
            let mut w = entry_witness(&t, values[rng.gen_range(0..values.len())]);
            match rng.gen_range(0..3) {
                0 => w.low_next = Fr::zero(),
                1 => w.low_value = Fr::zero(),
                _ => w.low_next = id + fr(1),
            }
            w
        }
    };
    let native = verify_non_membership(t.root(), id, &w);
    if native.is_ok() {
        assert!(!t.contains(id));
    }
    assert_eq!(
        gadget_accepts(t.root(), &c, &w),
        native.is_ok(),
        "{native:?}"
    );
    native.is_ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn native_and_gadget_agree(
        seed in any::<u64>(),
        n in 0usize..10,
        revoked_query in any::<bool>(),
        kind in 0u8..4,
    ) {
        native_equals_gadget(seed, n, revoked_query, kind);
    }
}

#[test]
fn native_and_gadget_agree_on_every_kind() {
    // deterministic cases: every kind refused at least once, the honest and the any-leaf kinds
    // accepted at least once
    let mut accepted = [0usize; 4];
    let mut refused = [0usize; 4];
    for seed in 0..12u64 {
        for kind in 0..4u8 {
            if native_equals_gadget(seed, 6, seed % 3 == 0, kind) {
                accepted[usize::from(kind)] += 1;
            } else {
                refused[usize::from(kind)] += 1;
            }
        }
    }
    println!("accepted {accepted:?}, refused {refused:?}");
    assert!(refused.iter().all(|&n| n > 0));
    assert!(accepted[0] > 0 && accepted[2] > 0);
}
