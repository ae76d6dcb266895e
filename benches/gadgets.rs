//! Criterion benchmarks of constraint synthesis, gadget by gadget, and of the presentation's
//! witness generation on its own.
//!
//! `cargo bench --bench gadgets` (about a minute on 2 cores). Results and the machine are
//! recorded in BENCHMARKS.md.
//!
//! **Gadgets** (group `gadget_synthesis`): each gadget is synthesized with real, satisfying
//! values (a signature from the native signer, a path from a native tree, a non-membership
//! witness from the native indexed tree) into a fresh constraint system per iteration, in the
//! mode stock ark-groth16's prover synthesizes in: `OptimizationGoal::Constraints` and
//! `SynthesisMode::Prove { construct_matrices: true, generate_lc_assignments: false }`, i.e.
//! witness values computed and every constraint recorded, without `finalize` (the inlining of
//! linear combinations comes after synthesis). The witness allocation that the gadget needs is
//! inside the timed loop, as in a circuit.
//!
//! **Presentation** (group `presentation_witness`): the whole `PresentationCircuit` with values,
//! `witness_only` in the mode our prover uses (`Prove { construct_matrices: false,
//! generate_lc_assignments: false }`: values only, the matrices come from the cached shape), and
//! `with_matrices` in the mode above, for comparison.
//!
//! Before any timing, every benchmark synthesizes once in the very mode it measures, and
//! asserts that the system is satisfied and that its number of constraints is the count pinned
//! in `circuits/README.md`, so a benchmark cannot silently measure the wrong thing.

// Benchmark set-up: a failure is a broken benchmark, reported by the panic.
#![allow(clippy::expect_used, missing_docs)]

use ark_ff::UniformRand;
use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::GR1CSVar;
use ark_relations::gr1cs::{
    ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, OptimizationGoal, SynthesisMode,
};
use criterion::measurement::WallTime;
use criterion::{black_box, criterion_group, criterion_main, BenchmarkGroup, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::time::Duration;
use vouchsafe::credential::{ClaimValue, CredentialBuilder};
use vouchsafe::holder::{Holder, HolderSecret};
use vouchsafe::keys::setup_for_development;
use vouchsafe::primitives::babyjubjub::constraints::PointVar;
use vouchsafe::primitives::compare::constraints::{less_than, to_bits_le_strict, U64Var};
use vouchsafe::primitives::eddsa::constraints::{verify, SignatureVar, VERIFY_CONSTRAINTS};
use vouchsafe::primitives::eddsa::SecretKey;
use vouchsafe::primitives::merkle::constraints::alloc_path;
use vouchsafe::primitives::merkle::{Arity, MerkleTree};
use vouchsafe::primitives::presentation::{Op, Policy, Predicate, PresentationCircuit};
use vouchsafe::primitives::revocation::constraints::{alloc_non_membership, enforce_not_revoked};
use vouchsafe::primitives::revocation::{revocation_id, verify_non_membership, RevocationTree};
use vouchsafe::primitives::{poseidon, Fr};
use vouchsafe::provider::Provider;
use vouchsafe::registry::Registry;
use vouchsafe::revocation::RevocationList;
use vouchsafe::schema::Schema;
use vouchsafe::verifier::{TrustedRoots, Verifier, VerifierConfig};

// The constraint counts pinned in circuits/README.md (and by the crate's unit tests).
/// Poseidon, 2 inputs (t = 3).
const POSEIDON_2: usize = 240;
/// Poseidon, 16 inputs (t = 17).
const POSEIDON_16: usize = 609;
/// EdDSA-Poseidon verification.
const EDDSA_VERIFY: usize = 3_481;
const _: () = assert!(EDDSA_VERIFY == VERIFY_CONSTRAINTS);
/// Merkle path, 4-ary, depth 8 (8 levels x 303, position booleanity included).
const MERKLE_4ARY_DEPTH_8: usize = 2_424;
/// Non-revocation, `alloc_non_membership` included.
const NON_REVOCATION: usize = 5_006;
/// Two 64-bit range checks (65 each) and `less_than` (66).
const LT_64_RANGE_CHECKED: usize = 65 + 65 + 66;
/// Strict 254-bit decomposition.
const STRICT_BITS: usize = 407;
/// The presentation statement.
const PRESENTATION: usize = 13_630;

const NOW: u64 = 1_800_000_000;

/// A fresh constraint system in the mode stock ark-groth16's prover synthesizes in.
fn with_matrices() -> ConstraintSystemRef<Fr> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Prove {
        construct_matrices: true,
        generate_lc_assignments: false,
    });
    cs
}

/// A fresh constraint system in the mode our prover generates the witness in.
fn witness_only() -> ConstraintSystemRef<Fr> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Prove {
        construct_matrices: false,
        generate_lc_assignments: false,
    });
    cs
}

/// Asserts that `cs` (synthesized in [`with_matrices`] mode) has `constraints` constraints and
/// is satisfied. Finalizes `cs` (inlining), after which its satisfaction can be evaluated.
fn check(name: &str, cs: &ConstraintSystemRef<Fr>, constraints: usize) {
    assert_eq!(
        cs.num_constraints(),
        constraints,
        "{name}: constraint count"
    );
    cs.finalize();
    assert!(
        cs.is_satisfied().expect("satisfiability"),
        "{name}: unsatisfied"
    );
}

/// Checks `synth` once in the measured mode, then times it with a fresh system per iteration.
fn bench_gadget<O>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    constraints: usize,
    synth: impl Fn(ConstraintSystemRef<Fr>) -> O,
) {
    let cs = with_matrices();
    black_box(synth(cs.clone()));
    check(name, &cs, constraints);
    g.bench_function(name, |b| {
        b.iter(|| {
            let cs = with_matrices();
            let out = synth(cs.clone());
            (out, cs.num_constraints())
        })
    });
}

fn witness(cs: &ConstraintSystemRef<Fr>, v: Fr) -> FpVar<Fr> {
    FpVar::new_witness(cs.clone(), || Ok(v)).expect("witness")
}

fn gadgets(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let mut g = c.benchmark_group("gadget_synthesis");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));

    // Poseidon, 2 and 16 inputs, checked against the native hash
    for (n, constraints) in [(2usize, POSEIDON_2), (16, POSEIDON_16)] {
        let xs: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
        let expected = poseidon::hash(&xs).expect("native hash");
        let synth = |cs: ConstraintSystemRef<Fr>| {
            let vars: Vec<FpVar<Fr>> = black_box(&xs).iter().map(|x| witness(&cs, *x)).collect();
            poseidon::constraints::hash(&vars).expect("hash")
        };
        let cs = with_matrices();
        let out = synth(cs.clone());
        assert_eq!(out.value().expect("value"), expected);
        bench_gadget(&mut g, &format!("poseidon_{n}"), constraints, synth);
    }

    // EdDSA-Poseidon verification of a signature by the native signer
    let sk = SecretKey::from_seed([3; 32]);
    let m = Fr::rand(&mut rng);
    let sig = sk.sign(m);
    let a = sk.public_key();
    a.verify(m, &sig).expect("native verification");
    let a = a.point();
    bench_gadget(&mut g, "eddsa_poseidon_verify", EDDSA_VERIFY, |cs| {
        let a = PointVar::new_witness_unchecked(cs.clone(), || Ok(*black_box(&a))).expect("A");
        let r8 =
            PointVar::new_witness_unchecked(cs.clone(), || Ok(black_box(&sig).r8())).expect("R8");
        let s = witness(&cs, sig.s());
        let m = witness(&cs, *black_box(&m));
        verify(&a, &m, &SignatureVar { r8, s }).expect("verify")
    });

    // a 4-ary depth-8 path (65,536 leaves) from a native tree of 1,000 leaves, to the root
    let (arity, depth) = (Arity::Quaternary, 8);
    let leaves: Vec<Fr> = (0..1_000).map(|_| Fr::rand(&mut rng)).collect();
    let tree = MerkleTree::from_leaves(arity, depth, &leaves).expect("tree");
    let index = 777;
    let path = tree.path(index).expect("path");
    let leaf = leaves[index as usize];
    let root = tree.root();
    let synth = |cs: ConstraintSystemRef<Fr>| {
        let leaf = witness(&cs, *black_box(&leaf));
        let p = alloc_path(cs, arity, depth, Some(black_box(&path))).expect("path");
        p.compute_root(&leaf).expect("root")
    };
    assert_eq!(synth(with_matrices()).value().expect("value"), root);
    bench_gadget(&mut g, "merkle_4ary_depth8", MERKLE_4ARY_DEPTH_8, synth);

    // non-revocation against a native indexed tree of 1,000 revoked credentials
    let provider = SecretKey::from_seed([4; 32]).public_key().point();
    let revoked = (0..1_000u64).map(|serial| revocation_id(&provider, &Fr::from(serial)));
    let revocations = RevocationTree::from_ids(revoked).expect("revocation tree");
    let serial = Fr::from(1_000_000u64);
    let w = revocations
        .non_membership(revocation_id(&provider, &serial))
        .expect("not revoked");
    let revocation_root = revocations.root();
    verify_non_membership(revocation_root, revocation_id(&provider, &serial), &w)
        .expect("native check");
    bench_gadget(&mut g, "non_revocation", NON_REVOCATION, |cs| {
        let root = FpVar::new_input(cs.clone(), || Ok(*black_box(&revocation_root))).expect("root");
        let x = witness(&cs, black_box(&provider).x());
        let y = witness(&cs, provider.y());
        let s = witness(&cs, *black_box(&serial));
        let var = alloc_non_membership(cs, Some(black_box(&w))).expect("witness");
        enforce_not_revoked(&root, &x, &y, &s, &var).expect("not revoked")
    });

    // 64-bit comparison of two range-checked operands
    let synth = |cs: ConstraintSystemRef<Fr>| {
        let a = U64Var::range_checked(&witness(&cs, Fr::from(black_box(1_000_000u64)))).expect("a");
        let b = U64Var::range_checked(&witness(&cs, Fr::from(black_box(2_000_000u64)))).expect("b");
        less_than(&a, &b).expect("lt")
    };
    assert!(synth(with_matrices()).value().expect("value"));
    bench_gadget(&mut g, "lt_64_range_checked", LT_64_RANGE_CHECKED, synth);

    // strict 254-bit decomposition of a random field element
    let x = Fr::rand(&mut rng);
    bench_gadget(&mut g, "strict_bits_254", STRICT_BITS, |cs| {
        to_bits_le_strict(&witness(&cs, *black_box(&x))).expect("bits")
    });
    g.finish();
}

/// A presentation circuit with values, built as in `benches/presentation.rs`: the E&O schema,
/// an approved provider, 100 revoked credentials, one `coverage >= 1,000,000` predicate and a
/// scope.
fn presentation_circuit() -> PresentationCircuit {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let (_, vk) = setup_for_development(&mut rng).expect("setup");
    let provider = Provider::from_seed([1; 32]);
    let schema = Schema::eo_insurance();
    let mut registry = Registry::new();
    registry
        .approve(&provider.public_key(), schema.id(), NOW - 10)
        .expect("approve");
    let mut revocations = RevocationList::new();
    for serial in 0..100u64 {
        revocations
            .revoke(&provider.revoke(Fr::from(serial)), &registry, NOW - 5)
            .expect("revoke");
    }
    let holder = Holder::new(HolderSecret::from_bytes(&[2; 32]).expect("secret"));
    let cred = provider.issue(
        CredentialBuilder::new(&schema)
            .holder(holder.commitment())
            .serial(Fr::from(1_000_000u64))
            .validity(NOW - 100, NOW + 100_000)
            .claim("coverage", ClaimValue::U64(2_000_000))
            .claim("per_claim_limit", ClaimValue::U64(500_000))
            .claim("policy_class", ClaimValue::text("B"))
            .build()
            .expect("credential"),
    );
    let policy = Policy {
        schema_id: schema.id(),
        predicates: [
            Predicate::compare(schema.slot_of("coverage").expect("slot"), Op::Ge, 1_000_000)
                .expect("predicate"),
            Predicate::none(),
            Predicate::none(),
            Predicate::none(),
        ],
    };
    let verifier = Verifier::new(
        vk.prepare(),
        VerifierConfig::new("bench"),
        TrustedRoots {
            issuers: vec![registry.root()],
            revocations: vec![revocations.root()],
        },
    );
    let request = verifier
        .request(policy, Some("scope"), NOW, &mut rng)
        .expect("request");
    holder
        .circuit(&request, &cred, &registry, &revocations)
        .expect("circuit")
}

fn presentation(c: &mut Criterion) {
    let circuit = presentation_circuit();

    // the full system is satisfied and has the pinned size ...
    let full = with_matrices();
    circuit
        .clone()
        .generate_constraints(full.clone())
        .expect("synthesis");
    check("presentation", &full, PRESENTATION);
    // ... and witness-only synthesis computes the same assignment, without constraints
    let values = witness_only();
    circuit
        .clone()
        .generate_constraints(values.clone())
        .expect("synthesis");
    assert_eq!(values.num_constraints(), 0);
    assert_eq!(
        values.instance_assignment().expect("instance"),
        full.instance_assignment().expect("instance")
    );
    assert_eq!(
        values.witness_assignment().expect("witness"),
        full.witness_assignment().expect("witness")
    );

    let mut g = c.benchmark_group("presentation_witness");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for (name, fresh) in [
        (
            "witness_only",
            witness_only as fn() -> ConstraintSystemRef<Fr>,
        ),
        ("with_matrices", with_matrices),
    ] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || circuit.clone(),
                |circuit| {
                    let cs = fresh();
                    circuit.generate_constraints(cs.clone()).expect("synthesis");
                    cs.num_witness_variables()
                },
                criterion::BatchSize::SmallInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, gadgets, presentation);
criterion_main!(benches);
