use super::*;
use crate::eddsa::SecretKey;
use crate::merkle::MerkleTree;
use crate::r1cs_check::R1cs;
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
