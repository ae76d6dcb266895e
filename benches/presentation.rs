//! Criterion benchmarks of the presentation statement (with revocation): setup, constraint
//! synthesis, proving, single and batch verification, issuing. Each gadget's synthesis and the
//! witness generation alone are in `gadgets.rs`.
//!
//! `cargo bench --bench presentation` (about 4 minutes on 2 cores). Results and the machine
//! are recorded in BENCHMARKS.md.

// Benchmark set-up: a failure is a broken benchmark, reported by the panic.
#![allow(clippy::expect_used, missing_docs)]

use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, SynthesisMode};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::time::Duration;
use vouchsafe::credential::{ClaimValue, CredentialBuilder, SignedCredential};
use vouchsafe::holder::{Holder, HolderSecret};
use vouchsafe::keys::{setup_for_development, ProvingKey, VerifyingKey};
use vouchsafe::primitives::presentation::{Op, Policy, Predicate, PresentationCircuit};
use vouchsafe::primitives::Fr;
use vouchsafe::provider::Provider;
use vouchsafe::registry::Registry;
use vouchsafe::revocation::RevocationList;
use vouchsafe::schema::Schema;
use vouchsafe::verifier::{Request, TrustedRoots, Verifier, VerifierConfig};

const NOW: u64 = 1_800_000_000;

struct Fixture {
    pk: ProvingKey,
    vk: VerifyingKey,
    provider: Provider,
    registry: Registry,
    revocations: RevocationList,
    holder: Holder,
    cred: SignedCredential,
}

fn fixture() -> Fixture {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let (pk, vk) = setup_for_development(&mut rng).expect("setup");
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
    let cred = provider.issue(credential(&holder, 1_000_000));
    Fixture {
        pk,
        vk,
        provider,
        registry,
        revocations,
        holder,
        cred,
    }
}

fn credential(holder: &Holder, serial: u64) -> vouchsafe::credential::Credential {
    CredentialBuilder::new(&Schema::eo_insurance())
        .holder(holder.commitment())
        .serial(Fr::from(serial))
        .validity(NOW - 100, NOW + 100_000)
        .claim("coverage", ClaimValue::U64(2_000_000))
        .claim("per_claim_limit", ClaimValue::U64(500_000))
        .claim("policy_class", ClaimValue::text("B"))
        .build()
        .expect("credential")
}

fn policy() -> Policy {
    let s = Schema::eo_insurance();
    Policy {
        schema_id: s.id(),
        predicates: [
            Predicate::compare(s.slot_of("coverage").expect("slot"), Op::Ge, 1_000_000)
                .expect("predicate"),
            Predicate::none(),
            Predicate::none(),
            Predicate::none(),
        ],
    }
}

fn verifier(f: &Fixture) -> Verifier<TrustedRoots> {
    Verifier::new(
        f.vk.prepare(),
        VerifierConfig::new("bench"),
        TrustedRoots {
            issuers: vec![f.registry.root()],
            revocations: vec![f.revocations.root()],
        },
    )
}

fn benches(c: &mut Criterion) {
    let f = fixture();
    let v = verifier(&f);
    let mut rng = ChaCha20Rng::seed_from_u64(3);

    let mut g = c.benchmark_group("presentation");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    g.bench_function("setup", |b| {
        b.iter(|| setup_for_development(&mut ChaCha20Rng::seed_from_u64(9)).expect("setup"))
    });
    let req: Request = v
        .request(policy(), Some("scope"), NOW, &mut rng)
        .expect("request");
    g.bench_function("prove", |b| {
        b.iter(|| {
            f.holder
                .prove(
                    &f.pk,
                    black_box(&req),
                    &f.cred,
                    &f.registry,
                    &f.revocations,
                    &mut rng,
                )
                .expect("prove")
        })
    });
    g.finish();

    let mut g = c.benchmark_group("synthesis");
    g.sample_size(10);
    g.bench_function("setup_shape", |b| {
        b.iter(|| {
            let cs = ConstraintSystem::<Fr>::new_ref();
            cs.set_mode(SynthesisMode::Setup);
            PresentationCircuit::blank()
                .generate_constraints(cs.clone())
                .expect("synthesis");
            cs.num_constraints()
        })
    });
    g.finish();

    // single verification: prepared key; decoding excluded; a fresh request for each proof
    let mut g = c.benchmark_group("verify");
    let pvk = f.vk.prepare();
    let pres = f
        .holder
        .prove(&f.pk, &req, &f.cred, &f.registry, &f.revocations, &mut rng)
        .expect("prove");
    let inputs = req
        .statement(pres.issuers_root, pres.revocation_root, pres.nullifier)
        .to_field_elements();
    g.bench_function("single_raw", |b| {
        b.iter(|| vouchsafe::verifier::verify_raw(&pvk, black_box(&inputs), &pres.proof))
    });
    // the baseline for our Miller loop: arkworks' pairing check alone, on the same proof, with
    // the input commitment computed outside the loop (single_raw computes it, about 100 us)
    let ark_pvk = ark_groth16::prepare_verifying_key(f.vk.as_ark());
    let ark_inputs = ark_groth16::Groth16::<ark_bn254::Bn254>::prepare_inputs(&ark_pvk, &inputs)
        .expect("inputs");
    g.bench_function("arkworks_pairing_check", |b| {
        b.iter(|| {
            ark_groth16::Groth16::<ark_bn254::Bn254>::verify_proof_with_prepared_inputs(
                &ark_pvk,
                pres.proof.as_ark(),
                black_box(&ark_inputs),
            )
            .expect("verify")
        })
    });
    g.finish();

    // batch verification against one-by-one verification of the same items (16 distinct
    // proofs, repeated to the batch size; nothing is cached between items)
    let mut proofs = Vec::new();
    for _ in 0..16 {
        let r = v.request(policy(), None, NOW, &mut rng).expect("request");
        let p = f
            .holder
            .prove(&f.pk, &r, &f.cred, &f.registry, &f.revocations, &mut rng)
            .expect("prove");
        let x = r
            .statement(p.issuers_root, p.revocation_root, p.nullifier)
            .to_field_elements();
        proofs.push((x, p.proof));
    }
    let mut g = c.benchmark_group("batch_verify");
    g.sample_size(10);
    for n in [1usize, 16, 64, 256] {
        let items: Vec<(&[Fr], &vouchsafe::keys::Proof)> = (0..n)
            .map(|i| {
                let (x, p) = &proofs[i % proofs.len()];
                (&x[..], p)
            })
            .collect();
        g.bench_with_input(BenchmarkId::new("batch", n), &items, |b, items| {
            b.iter(|| vouchsafe::verifier::verify_batch(&pvk, black_box(items)).expect("batch"))
        });
        g.bench_with_input(BenchmarkId::new("one_by_one", n), &items, |b, items| {
            b.iter(|| {
                for (x, p) in items.iter() {
                    vouchsafe::verifier::verify_raw(&pvk, black_box(x), p).expect("verify");
                }
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("issue");
    g.bench_function("sign_credential", |b| {
        b.iter(|| f.provider.issue(credential(&f.holder, 7)))
    });
    g.finish();
}

criterion_group!(presentation, benches);
criterion_main!(presentation);
