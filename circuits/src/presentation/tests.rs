use super::*;
use crate::eddsa::SecretKey;
use crate::merkle::MerkleTree;
use crate::r1cs_check::R1cs;
use ark_ff::BigInteger;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, SynthesisMode};

const NOW: u64 = 1_790_000_000;

struct Fixture {
    statement: Statement,
    witness: Witness,
}

fn schema_id() -> Fr {
    crate::field::hash_to_field(b"test-schema", b"eo-insurance/v1")
}

/// A valid presentation: an E&O credential with coverage 2,000,000, policy "coverage >= 1M".
fn fixture_with(
    policy_preds: [Predicate; PREDICATES],
    scope: Fr,
    tweak: impl FnOnce(&mut [Fr; SLOTS]),
) -> Fixture {
    let provider = SecretKey::from_seed([3; 32]);
    let secret = Fr::from(0xdead_beefu64);
    let mut slots = [Fr::zero(); SLOTS];
    slots[0] = schema_id();
    slots[1] = holder_commitment(&secret);
    slots[2] = Fr::from(777u64);
    slots[3] = Fr::from(NOW - 1000);
    slots[4] = Fr::from(NOW + 1000);
    slots[5] = Fr::from(2_000_000u64);
    slots[6] = Fr::from(500_000u64);
    slots[7] = crate::field::hash_to_field(b"text", b"class-A");
    tweak(&mut slots);
    let sig = provider.sign(poseidon::hash(&slots).unwrap());
    let mut tree = MerkleTree::new(ISSUER_TREE_ARITY, ISSUER_TREE_DEPTH).unwrap();
    tree.push(Fr::from(12345u64)).unwrap();
    let idx = tree
        .push(issuer_leaf(&provider.public_key().point(), &schema_id()))
        .unwrap();
    let policy = Policy {
        schema_id: schema_id(),
        predicates: policy_preds,
    };
    let mut revoked = crate::revocation::RevocationTree::new();
    revoked.insert(Fr::from(1000u64)).unwrap();
    let rev_id = crate::revocation::revocation_id(&provider.public_key().point(), &slots[2]);
    let nm = revoked.non_membership(rev_id).unwrap();
    let statement = Statement {
        issuers_root: tree.root(),
        revocation_root: revoked.root(),
        now: NOW,
        policy_hash: policy.hash(),
        challenge: Fr::from(99u64),
        scope,
        nullifier: nullifier(&secret, &scope),
    };
    let witness = Witness::new(
        slots,
        &provider.public_key().point(),
        &sig,
        &tree.path(idx).unwrap(),
        &nm,
        secret,
        &policy,
    );
    Fixture { statement, witness }
}

fn coverage_at_least(v: u64) -> [Predicate; PREDICATES] {
    [
        Predicate::compare(5, Op::Ge, v).unwrap(),
        Predicate::none(),
        Predicate::none(),
        Predicate::none(),
    ]
}

fn fixture() -> Fixture {
    fixture_with(coverage_at_least(1_000_000), Fr::from(4242u64), |_| {})
}

fn satisfied(f: &Fixture) -> bool {
    let cs = ConstraintSystem::<Fr>::new_ref();
    PresentationCircuit::new(f.statement, f.witness.clone())
        .generate_constraints(cs.clone())
        .unwrap();
    cs.is_satisfied().unwrap()
}

/// Pinned size of the presentation circuit (without revocation).
const PRESENTATION_CONSTRAINTS: usize = 13630;

#[test]
fn honest_presentation_satisfies_and_shape_is_pinned() {
    let f = fixture();
    let cs = ConstraintSystem::<Fr>::new_ref();
    PresentationCircuit::new(f.statement, f.witness.clone())
        .generate_constraints(cs.clone())
        .unwrap();
    assert!(cs.is_satisfied().unwrap());
    println!("presentation: {} constraints", cs.num_constraints());
    assert_eq!(cs.num_instance_variables(), NUM_PUBLIC_INPUTS + 1);
    assert_eq!(cs.num_constraints(), PRESENTATION_CONSTRAINTS);
    assert!(cs.num_constraints() <= 15_000);
    // setup mode builds the same shape without values
    let setup = ConstraintSystem::<Fr>::new_ref();
    setup.set_mode(SynthesisMode::Setup);
    PresentationCircuit::blank()
        .generate_constraints(setup.clone())
        .unwrap();
    assert_eq!(setup.num_constraints(), cs.num_constraints());
    assert_eq!(setup.num_instance_variables(), cs.num_instance_variables());
}

#[test]
fn j03_public_inputs_by_name() {
    assert_eq!(
        PUBLIC_INPUT_NAMES,
        [
            "issuers_root",
            "revocation_root",
            "now",
            "policy_hash",
            "challenge",
            "scope",
            "nullifier"
        ]
    );
    let f = fixture();
    let v = f.statement.to_field_elements();
    assert_eq!(v[0], f.statement.issuers_root);
    assert_eq!(v[1], f.statement.revocation_root);
    assert_eq!(v[2], Fr::from(NOW));
    assert_eq!(v[3], f.statement.policy_hash);
    assert_eq!(v[4], f.statement.challenge);
    assert_eq!(v[5], f.statement.scope);
    assert_eq!(v[6], f.statement.nullifier);
}

#[test]
fn every_predicate_op_at_its_boundary() {
    let t = 1_000_000u64;
    for op in [Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq, Op::Ne] {
        for v in [t - 1, t, t + 1] {
            let preds = [
                Predicate::new(6, op, Fr::from(t)).unwrap(),
                Predicate::none(),
                Predicate::none(),
                Predicate::none(),
            ];
            let f = fixture_with(preds, Fr::zero(), |s| s[6] = Fr::from(v));
            let expect = preds[0].holds(&f.witness.slots);
            assert_eq!(satisfied(&f), expect, "{op:?} {v} vs {t}");
        }
    }
}

#[test]
fn eq_on_hashed_string_and_four_predicates() {
    let class = crate::field::hash_to_field(b"text", b"class-A");
    let preds = [
        Predicate::compare(5, Op::Ge, 1_000_000).unwrap(),
        Predicate::new(7, Op::Eq, class).unwrap(),
        Predicate::compare(6, Op::Lt, 600_000).unwrap(),
        Predicate::new(8, Op::Ne, Fr::from(1u64)).unwrap(),
    ];
    let f = fixture_with(preds, Fr::zero(), |_| {});
    assert!(satisfied(&f));
    let other = crate::field::hash_to_field(b"text", b"class-B");
    let preds = [
        preds[0],
        Predicate::new(7, Op::Eq, other).unwrap(),
        preds[2],
        preds[3],
    ];
    assert!(!satisfied(&fixture_with(preds, Fr::zero(), |_| {})));
    // an order comparison on a hashed string cannot be proven
    let preds = [
        Predicate::compare(7, Op::Ge, 0).unwrap(),
        preds[1],
        preds[2],
        preds[3],
    ];
    assert!(!satisfied(&fixture_with(preds, Fr::zero(), |_| {})));
}

#[test]
fn g04_validity_window() {
    let cases: [(u64, u64, bool); 5] = [
        (NOW - 1, NOW + 1, true),
        (NOW, NOW + 1, true),      // issued_at == now: valid
        (NOW + 1, NOW + 2, false), // not yet valid
        (NOW - 2, NOW, false),     // expires_at == now: expired (now < expires_at is strict)
        (NOW - 2, NOW - 1, false), // expired
    ];
    for (issued, expires, ok) in cases {
        let f = fixture_with(coverage_at_least(1), Fr::zero(), |s| {
            s[3] = Fr::from(issued);
            s[4] = Fr::from(expires);
        });
        assert_eq!(satisfied(&f), ok, "{issued} {expires}");
    }
    // G03: an expiry of r - 1 ("-1") or 2^64 cannot pass as a date
    for bad in [-Fr::from(1u64), Fr::from(u64::MAX) + Fr::from(1u64)] {
        let f = fixture_with(coverage_at_least(1), Fr::zero(), |s| s[4] = bad);
        assert!(!satisfied(&f));
        let f = fixture_with(coverage_at_least(1), Fr::zero(), |s| s[3] = bad);
        assert!(!satisfied(&f));
    }
}

#[test]
fn h01_another_holders_secret_fails() {
    let mut f = fixture();
    f.witness.holder_secret = Fr::from(1u64);
    // keep the nullifier consistent with the wrong secret: still the commitment fails
    f.statement.nullifier = nullifier(&Fr::from(1u64), &f.statement.scope);
    assert!(!satisfied(&f));
}

#[test]
fn e01_e05_provider_not_approved_or_for_another_schema() {
    // a tree without the provider's leaf
    let mut f = fixture();
    let mut tree = MerkleTree::new(ISSUER_TREE_ARITY, ISSUER_TREE_DEPTH).unwrap();
    tree.push(Fr::from(12345u64)).unwrap();
    let p = SecretKey::from_seed([3; 32]).public_key().point();
    let other_schema = Fr::from(5u64);
    let idx = tree.push(issuer_leaf(&p, &other_schema)).unwrap();
    f.statement.issuers_root = tree.root();
    let path = tree.path(idx).unwrap();
    f.witness.approval_index = path.index;
    f.witness.approval_siblings = path.siblings;
    assert!(!satisfied(&f));
}

#[test]
fn h08_nullifier_and_scope() {
    let f = fixture();
    assert!(satisfied(&f));
    let mut g = fixture();
    g.statement.nullifier = Fr::zero(); // zero nullifier with a scope
    assert!(!satisfied(&g));
    let mut g = fixture_with(coverage_at_least(1), Fr::zero(), |_| {});
    assert_eq!(g.statement.nullifier, Fr::zero());
    assert!(satisfied(&g));
    g.statement.nullifier = Fr::from(1u64); // non-zero nullifier without a scope
    assert!(!satisfied(&g));
    // H07: another scope with the same nullifier
    let mut g = fixture();
    g.statement.scope += Fr::from(1u64);
    assert!(!satisfied(&g));
}

#[test]
fn policy_and_signature_tampering() {
    let mut f = fixture();
    f.statement.policy_hash += Fr::from(1u64);
    assert!(!satisfied(&f));
    let mut f = fixture();
    f.witness.slots[5] = Fr::from(3_000_000u64); // not what the provider signed
    assert!(!satisfied(&f));
    let mut f = fixture();
    f.witness.slots[0] = Fr::from(1u64); // another schema
    assert!(!satisfied(&f));
}

#[test]
fn mutation_sweep_whole_presentation() {
    let f = fixture();
    let cs = ConstraintSystem::<Fr>::new_ref();
    PresentationCircuit::new(f.statement, f.witness.clone())
        .generate_constraints(cs.clone())
        .unwrap();
    let r = R1cs::extract(&cs);
    assert!(r.honest_ok());
    assert_eq!(r.mutation_sweep(&[]), Vec::<usize>::new());
}

#[test]
fn j08_witness_debug_is_redacted() {
    let f = fixture();
    let s = format!("{:?}", f.witness);
    assert_eq!(s, "Witness { .. }");
    let c = format!(
        "{:?}",
        PresentationCircuit::new(f.statement, f.witness.clone())
    );
    assert!(!c.contains("3735928559")); // the secret 0xdeadbeef in decimal
}

#[test]
fn predicate_validation() {
    assert_eq!(
        Predicate::compare(4, Op::Ge, 1),
        Err(PolicyError::SlotOutOfRange { slot: 4 })
    );
    assert_eq!(
        Predicate::compare(16, Op::Ge, 1),
        Err(PolicyError::SlotOutOfRange { slot: 16 })
    );
    assert_eq!(
        Predicate::new(5, Op::Lt, Fr::from(u64::MAX) + Fr::from(1u64)),
        Err(PolicyError::ValueOutOfRange)
    );
    assert_eq!(
        Predicate::new(6, Op::None, Fr::zero()),
        Err(PolicyError::NonCanonicalNone)
    );
    assert!(Predicate::new(15, Op::Eq, -Fr::from(1u64)).is_ok());
}

#[test]
fn f01_revoked_credential_cannot_be_presented() {
    let mut f = fixture();
    let provider = SecretKey::from_seed([3; 32]).public_key().point();
    let rev_id = crate::revocation::revocation_id(&provider, &f.witness.slots[2]);
    let mut revoked = crate::revocation::RevocationTree::new();
    revoked.insert(Fr::from(1000u64)).unwrap();
    // a witness from before the revocation, against the root after it
    let stale = revoked.non_membership(rev_id).unwrap();
    revoked.insert(rev_id).unwrap();
    f.statement.revocation_root = revoked.root();
    f.witness.revocation_low_value = stale.low_value;
    f.witness.revocation_low_next = stale.low_next;
    f.witness.revocation_index = stale.path.index;
    f.witness.revocation_siblings = stale.path.siblings.clone();
    assert!(!satisfied(&f));
    // the fresh witness cannot exist: the id is in the set now
    assert!(revoked.non_membership(rev_id).is_err());
    // and the honest, unrevoked fixture still passes
    assert!(satisfied(&fixture()));
}

/// The fixture's holder secret (see `fixture_with`).
fn fixture_secret() -> Fr {
    Fr::from(0xdead_beefu64)
}

/// C12: every slot the policy can read (claims 5..15) and every header slot (schema, serial,
/// dates) feeds the signed message: changed in the witness without a new signature, the
/// system is unsatisfied; the same change signed by the provider is satisfied, so the
/// signature is what refuses it. (Slot 0 is also the approval's schema and the policy's;
/// slot 1 is never read from the witness: `h03_slot_1_is_recomputed_from_the_secret`.)
#[test]
fn c12_every_slot_is_bound_by_the_signature() {
    for i in (0..SLOTS).filter(|&i| i != 1) {
        let mut f = fixture();
        f.witness.slots[i] += Fr::from(1u64);
        assert!(!satisfied(&f), "slot {i} changed without a signature");
        if i != 0 {
            let g = fixture_with(coverage_at_least(1_000_000), Fr::from(4242u64), |s| {
                s[i] += Fr::from(1u64)
            });
            assert!(satisfied(&g), "slot {i} changed and signed");
        }
    }
}

/// H03 (adapted: the holder is bound by a commitment to a secret, not by a curve key): slot 1
/// is computed in the circuit from the secret, so whatever the witness says for slot 1 is
/// never read, and only the owner of the secret satisfies the system.
#[test]
fn h03_slot_1_is_recomputed_from_the_secret() {
    for v in [
        Fr::zero(),
        Fr::from(12345u64),
        holder_commitment(&Fr::from(1u64)),
    ] {
        let mut f = fixture();
        f.witness.slots[1] = v;
        assert!(satisfied(&f));
    }
    // another secret, with a slot 1 and a nullifier that match it: refused (the credential
    // was signed with the commitment of the fixture's secret)
    let other = Fr::from(1u64);
    let mut f = fixture();
    f.witness.holder_secret = other;
    f.witness.slots[1] = holder_commitment(&other);
    f.statement.nullifier = nullifier(&other, &f.statement.scope);
    assert!(!satisfied(&f));
}

/// H04: the nullifier is a function of the secret and the scope only: two different
/// credentials of one holder give the same nullifier for one scope, and any other nullifier
/// value (off by one, or another scope's) leaves the system unsatisfied.
#[test]
fn h04_the_nullifier_depends_on_the_secret_and_scope_only() {
    let scope = Fr::from(4242u64);
    let a = fixture_with(coverage_at_least(1_000_000), scope, |_| {});
    let b = fixture_with(coverage_at_least(1), scope, |s| {
        s[2] = Fr::from(778u64);
        s[5] = Fr::from(3_000_000u64);
        s[7] = Fr::from(9u64);
    });
    assert_ne!(a.witness.slots, b.witness.slots);
    assert_eq!(a.statement.nullifier, b.statement.nullifier);
    assert_eq!(a.statement.nullifier, nullifier(&fixture_secret(), &scope));
    assert!(satisfied(&a) && satisfied(&b));
    for wrong in [
        a.statement.nullifier + Fr::from(1u64),
        a.statement.nullifier - Fr::from(1u64),
        nullifier(&fixture_secret(), &(scope + Fr::from(1u64))),
        nullifier(&(fixture_secret() + Fr::from(1u64)), &scope),
    ] {
        let mut f = fixture_with(coverage_at_least(1_000_000), scope, |_| {});
        f.statement.nullifier = wrong;
        assert!(!satisfied(&f));
    }
}

/// E05: the key whose leaf is in the approved tree is the key that verified the signature
/// (one allocated point feeds both). A credential signed by an unapproved key K2 fails whether
/// the witness names K2 (its leaf is not in the tree) or the approved K1 (the signature does
/// not verify under K1); once K2 is approved, the same credential passes.
#[test]
fn e05_the_approved_key_is_the_signing_key() {
    let k1 = SecretKey::from_seed([3; 32]); // the fixture's provider, approved
    let k2 = SecretKey::from_seed([4; 32]);
    let base = fixture();
    let sig2 = k2.sign(poseidon::hash(&base.witness.slots).unwrap());
    let with_key = |key: &Point| {
        let mut f = fixture();
        f.witness.provider_x = key.x();
        f.witness.provider_y = key.y();
        f.witness.r8x = sig2.r8().x();
        f.witness.r8y = sig2.r8().y();
        f.witness.s = sig2.s();
        f
    };
    let (p1, p2) = (k1.public_key().point(), k2.public_key().point());
    assert!(!satisfied(&with_key(&p2)));
    assert!(!satisfied(&with_key(&p1)));
    // control: approve K2 in a tree of its own; the K2 witness then passes
    let mut f = with_key(&p2);
    let mut tree = MerkleTree::new(ISSUER_TREE_ARITY, ISSUER_TREE_DEPTH).unwrap();
    let idx = tree.push(issuer_leaf(&p2, &schema_id())).unwrap();
    let path = tree.path(idx).unwrap();
    f.statement.issuers_root = tree.root();
    f.witness.approval_index = path.index;
    f.witness.approval_siblings = path.siblings;
    assert!(satisfied(&f));
}

/// The policy hash the circuit would compute if it took the witness's predicate slots and
/// operator codes as they are: `Poseidon(TAG_POLICY, schema, sum (slot + 16 op) 2^(7 i), v)`.
fn packed_policy_hash(w: &Witness) -> Fr {
    let mut packed = Fr::zero();
    for i in 0..PREDICATES {
        let limb = u64::from(w.predicate_slots[i]) + 16 * u64::from(w.predicate_ops[i]);
        packed += Fr::from(limb) * Fr::from(1u64 << (7 * i));
    }
    let mut inputs = vec![FieldTag::Policy.value(), w.slots[0], packed];
    inputs.extend(w.predicate_values);
    poseidon::hash(&inputs).unwrap()
}

/// D03: the policy hash packs each predicate's slot (4 bits) and operator code (3 bits) into
/// one field element; both come from one-hot vectors, so a limb one past its range (slot 16 =
/// 2^4, slot 4 below the claims, operator 7 or 8 = 2^3) cannot be encoded, even with the
/// policy hash computed from the packed value it would give.
#[test]
fn d03_predicate_limbs_past_their_range_are_unsat() {
    let f = fixture();
    assert_eq!(packed_policy_hash(&f.witness), f.statement.policy_hash);
    for (i, slot, op) in [
        (0usize, 16u8, 6u8),
        (0, 4, 6),
        (0, 5, 7),
        (0, 5, 8),
        (1, 21, 0),
        (3, 5, 7),
    ] {
        let mut g = fixture();
        g.witness.predicate_slots[i] = slot;
        g.witness.predicate_ops[i] = op;
        g.statement.policy_hash = packed_policy_hash(&g.witness);
        assert!(!satisfied(&g), "predicate {i}: slot {slot}, op {op}");
    }
}

/// G07: an unused predicate (`none`) holds whatever the claim is, even a value that is not a
/// u64, and the public policy hash does not depend on the claims; while an order predicate on
/// the same slot does see them (the flag gates the comparison).
#[test]
fn g07_unused_predicates_hold_for_any_claim_and_reveal_nothing() {
    let none = [Predicate::none(); PREDICATES];
    let mut hashes = std::collections::HashSet::new();
    for v in [
        Fr::zero(),
        Fr::from(u64::MAX),
        Fr::from(u64::MAX) + Fr::from(1u64),
        -Fr::from(1u64),
        crate::field::hash_to_field(b"text", b"class-Z"),
    ] {
        let f = fixture_with(none, Fr::zero(), |s| {
            s[5] = v;
            s[6] = v;
        });
        assert!(satisfied(&f), "{v}");
        hashes.insert(f.statement.policy_hash);
        // control: "slot 5 >= 0" refuses the values that are not u64
        let ge0 = [
            Predicate::compare(5, Op::Ge, 0).unwrap(),
            Predicate::none(),
            Predicate::none(),
            Predicate::none(),
        ];
        let g = fixture_with(ge0, Fr::zero(), |s| s[5] = v);
        let is_u64 = v.into_bigint().num_bits() <= 64;
        assert_eq!(satisfied(&g), is_u64, "{v}");
    }
    assert_eq!(hashes.len(), 1);
}

/// The presentation circuit's R1CS as the prover builds it (setup mode, constraints
/// optimized): the numbers of instance and witness variables and of constraints, and the
/// matrices A, B, C.
fn presentation_matrices() -> (usize, usize, usize, Vec<ark_relations::gr1cs::Matrix<Fr>>) {
    use ark_relations::gr1cs::{OptimizationGoal, R1CS_PREDICATE_LABEL};
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Setup);
    PresentationCircuit::blank()
        .generate_constraints(cs.clone())
        .unwrap();
    cs.finalize();
    let abc = cs
        .to_matrices()
        .unwrap()
        .remove(R1CS_PREDICATE_LABEL)
        .unwrap();
    (
        cs.num_instance_variables(),
        cs.num_witness_variables(),
        cs.num_constraints(),
        abc,
    )
}

/// SHA-256 of the presentation circuit's R1CS matrices, with the numbers of instance and
/// witness variables.
fn matrices_digest() -> [u8; 32] {
    let (instance, witness, _, abc) = presentation_matrices();
    digest_matrices(instance, witness, &abc)
}

fn digest_matrices(
    instance: usize,
    witness: usize,
    abc: &[ark_relations::gr1cs::Matrix<Fr>],
) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update((instance as u64).to_le_bytes());
    h.update((witness as u64).to_le_bytes());
    for m in abc {
        h.update((m.len() as u64).to_le_bytes());
        for row in m {
            let mut row = row.clone();
            row.sort_by_key(|(_, i)| *i);
            h.update((row.len() as u64).to_le_bytes());
            for (coeff, i) in row {
                h.update(crate::field::to_bytes_le(&coeff));
                h.update((i as u64).to_le_bytes());
            }
        }
    }
    h.finalize().into()
}

/// The pinned digest of the presentation circuit's matrices. Changing the circuit changes it:
/// update it deliberately, together with the constraint count, `circuits/README.md`, and the
/// keys (a new setup, so a new verifying-key fingerprint).
const MATRICES_DIGEST: &str = "7146a901b2c11292e071a3b00427b8dff2ad28ea1771dd7fcd2aefc0faf6c88f";

/// L01: the constraint count and a digest of the constraint matrices are pinned; a change of
/// one coefficient changes the digest.
#[test]
fn l01_constraint_matrices_are_pinned() {
    let digest = matrices_digest();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    println!("presentation matrices: {hex}");
    assert_eq!(hex, MATRICES_DIGEST);
    // the digest is sensitive to a single coefficient
    let (ni, nw, constraints, mut abc) = presentation_matrices();
    assert_eq!(constraints, PRESENTATION_CONSTRAINTS);
    assert_eq!(digest_matrices(ni, nw, &abc), digest);
    abc[1][PRESENTATION_CONSTRAINTS / 2][0].0 += Fr::from(1u64);
    assert_ne!(digest_matrices(ni, nw, &abc), digest);
}
