//! End to end, through the public API: providers issue, freelancers prove, clients verify.
//! One development setup serves every test in this file (it is the expensive part).

// Test code: a failed unwrap is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ark_ff::PrimeField;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::sync::OnceLock;
use vouchsafe::credential::{ClaimValue, CredentialBuilder, SignedCredential};
use vouchsafe::holder::{Holder, HolderSecret, ProveError};
use vouchsafe::keys::{setup_for_development, PreparedVerifyingKey, ProvingKey, VerifyingKey};
use vouchsafe::primitives::presentation::{Op, Policy, Predicate, NUM_PUBLIC_INPUTS};
use vouchsafe::primitives::Fr;
use vouchsafe::provider::Provider;
use vouchsafe::registry::Registry;
use vouchsafe::revocation::RevocationList;
use vouchsafe::schema::Schema;
use vouchsafe::verifier::{
    Presentation, Request, TrustedRoots, Verifier, VerifierConfig, VerifyError,
};

const NOW: u64 = 1_790_000_000;
const DAY: u64 = 86_400;

fn keys() -> &'static (ProvingKey, VerifyingKey) {
    static KEYS: OnceLock<(ProvingKey, VerifyingKey)> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        setup_for_development(&mut rng).unwrap()
    })
}

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

struct World {
    provider: Provider,
    registry: Registry,
    revocations: RevocationList,
    holder: Holder,
}

fn world(schemas: &[&Schema]) -> World {
    let provider = Provider::from_seed([9; 32]);
    let mut registry = Registry::new();
    for s in schemas {
        registry
            .approve(&provider.public_key(), s.id(), NOW - 10 * DAY)
            .unwrap();
    }
    let holder = Holder::new(HolderSecret::from_bytes(&[5u8; 32]).unwrap());
    World {
        provider,
        registry,
        revocations: RevocationList::new(),
        holder,
    }
}

fn issue(
    w: &World,
    schema: &Schema,
    claims: Vec<(&str, ClaimValue)>,
    issued: u64,
    expires: u64,
) -> SignedCredential {
    let mut b = CredentialBuilder::new(schema)
        .holder(w.holder.commitment())
        .serial(Fr::from(1234u64))
        .validity(issued, expires);
    for (name, v) in claims {
        b = b.claim(name, v);
    }
    w.provider.issue(b.build().unwrap())
}

fn background(w: &World, result: u64) -> SignedCredential {
    issue(
        w,
        &Schema::background_check(),
        claims_bg(result),
        NOW - DAY,
        NOW + 365 * DAY,
    )
}

fn verifier(w: &World, id: &str) -> Verifier<TrustedRoots> {
    Verifier::new(
        keys().1.prepare(),
        VerifierConfig::new(id),
        TrustedRoots {
            issuers: vec![w.registry.root()],
            revocations: vec![w.revocations.root()],
        },
    )
}

/// The world's holder proves `req` from `cred` with the shared proving key.
fn prove(w: &World, req: &Request, cred: &SignedCredential, seed: u64) -> Presentation {
    w.holder
        .prove(
            &keys().0,
            req,
            cred,
            &w.registry,
            &w.revocations,
            &mut rng(seed),
        )
        .unwrap()
}

fn policy(schema: &Schema, preds: &[Predicate]) -> Policy {
    let mut p = [Predicate::none(); 4];
    p[..preds.len()].copy_from_slice(preds);
    Policy {
        schema_id: schema.id(),
        predicates: p,
    }
}

fn passed(schema: &Schema) -> Policy {
    let slot = schema.slot_of("result").unwrap();
    policy(schema, &[Predicate::compare(slot, Op::Eq, 1).unwrap()])
}

#[test]
fn background_check_end_to_end() {
    let schema = Schema::background_check();
    let w = world(&[&schema]);
    let cred = background(&w, 1);
    w.holder.accept(&cred, &w.registry).unwrap();
    let v = verifier(&w, "client-acme");
    let req = v.request(passed(&schema), None, NOW, &mut rng(2)).unwrap();
    // the request travels as JSON
    let req = Request::from_json(&req.to_json()).unwrap();
    let pres = prove(&w, &req, &cred, 3);
    let pres = Presentation::from_json(&pres.to_json()).unwrap();
    let verified = v.verify(&req, &pres, NOW + 5).unwrap();
    assert_eq!(verified.policy, *req.policy());
    assert_eq!(verified.nullifier, None);
    // B08: the same presentation again is a replay, refused before the pairing
    assert_eq!(
        v.verify(&req, &pres, NOW + 6),
        Err(VerifyError::ChallengeReused)
    );
}

#[test]
fn every_builtin_schema_end_to_end() {
    let schemas = Schema::all_builtin();
    let refs: Vec<&Schema> = schemas.iter().collect();
    let w = world(&refs);
    let v = verifier(&w, "client-all");
    for (i, schema) in schemas.iter().enumerate() {
        let claims: Vec<(String, ClaimValue)> = schema
            .claims()
            .iter()
            .map(|c| {
                let value = match c.kind {
                    vouchsafe::schema::ClaimKind::U64 => ClaimValue::U64(7),
                    vouchsafe::schema::ClaimKind::Text => ClaimValue::text("x"),
                    vouchsafe::schema::ClaimKind::Field => ClaimValue::Field(Fr::from(3u64)),
                    vouchsafe::schema::ClaimKind::Pii => ClaimValue::Pii {
                        data: b"pii".to_vec(),
                        salt: [1; 32],
                    },
                };
                (c.name.clone(), value)
            })
            .collect();
        let claims = claims
            .iter()
            .map(|(n, v)| (n.as_str(), v.clone()))
            .collect();
        let cred = issue(&w, schema, claims, NOW - DAY, NOW + DAY);
        let slot = vouchsafe::credential::FIRST_CLAIM_SLOT;
        let pol = policy(schema, &[Predicate::compare(slot, Op::Ge, 7).unwrap()]);
        let req = v
            .request(pol, Some("pseudonym"), NOW, &mut rng(10 + i as u64))
            .unwrap();
        let pres = prove(&w, &req, &cred, 20 + i as u64);
        let ok = v.verify(&req, &pres, NOW).unwrap();
        assert!(ok.nullifier.is_some(), "{}", schema.name());
    }
}

#[test]
fn eo_insurance_coverage_threshold_boundaries() {
    let schema = Schema::eo_insurance();
    let w = world(&[&schema]);
    let v = verifier(&w, "client-eo");
    let slot = schema.slot_of("coverage").unwrap();
    for (coverage, ok) in [(999_999u64, false), (1_000_000, true), (1_000_001, true)] {
        let cred = issue(
            &w,
            &schema,
            vec![
                ("coverage", ClaimValue::U64(coverage)),
                ("per_claim_limit", ClaimValue::U64(250_000)),
                ("policy_class", ClaimValue::text("tech-E&O")),
            ],
            NOW - DAY,
            NOW + DAY,
        );
        let pol = policy(
            &schema,
            &[Predicate::compare(slot, Op::Ge, 1_000_000).unwrap()],
        );
        let req = v.request(pol, None, NOW, &mut rng(coverage)).unwrap();
        let r = w.holder.check(&req, &cred, &w.registry, &w.revocations);
        if ok {
            assert_eq!(r, Ok(()));
        } else {
            assert_eq!(r, Err(ProveError::PredicateFalse { index: 0 }));
        }
    }
}

#[test]
fn holder_refuses_before_proving() {
    let bg = Schema::background_check();
    let eo = Schema::eo_insurance();
    let w = world(&[&bg]);
    let v = verifier(&w, "client-refusals");
    let req = |p: Policy, now: u64| v.request(p, None, now, &mut rng(now)).unwrap();
    let good = background(&w, 1);
    let pk = &keys().0;
    let prove = |req: &Request, c: &SignedCredential| {
        w.holder
            .prove(pk, req, c, &w.registry, &w.revocations, &mut rng(4))
            .map(|_| ())
    };
    // expired; not yet valid (issued_at == now is valid; expires_at == now is expired)
    let c = issue(&w, &bg, claims_bg(1), NOW - 2 * DAY, NOW);
    assert_eq!(prove(&req(passed(&bg), NOW), &c), Err(ProveError::Expired));
    let c = issue(&w, &bg, claims_bg(1), NOW + 1, NOW + DAY);
    assert_eq!(
        prove(&req(passed(&bg), NOW), &c),
        Err(ProveError::NotYetValid)
    );
    // wrong schema
    assert_eq!(
        prove(&req(passed_eo(&eo), NOW), &good),
        Err(ProveError::WrongSchema)
    );
    // provider not approved at all
    let stranger = Provider::from_seed([1; 32]);
    let c = stranger.issue(good.credential().clone());
    assert_eq!(
        prove(&req(passed(&bg), NOW), &c),
        Err(ProveError::ProviderNotApproved)
    );
    // provider approved only for another schema
    let mut reg2 = Registry::new();
    reg2.approve(&w.provider.public_key(), eo.id(), NOW)
        .unwrap();
    assert_eq!(
        w.holder
            .check(&req(passed(&bg), NOW), &good, &reg2, &w.revocations),
        Err(ProveError::ProviderNotApprovedForSchema)
    );
    // forged signature: the provider's key on another provider's signature
    let forged = SignedCredential::new(
        good.credential().clone(),
        w.provider.public_key(),
        *stranger.issue(good.credential().clone()).signature(),
    );
    assert_eq!(
        prove(&req(passed(&bg), NOW), &forged),
        Err(ProveError::BadSignature)
    );
    // another holder's credential
    let other = Holder::new(HolderSecret::from_bytes(&[6u8; 32]).unwrap());
    assert_eq!(
        other
            .prove(
                pk,
                &req(passed(&bg), NOW),
                &good,
                &w.registry,
                &w.revocations,
                &mut rng(5)
            )
            .map(|_| ()),
        Err(ProveError::NotThisHolder)
    );
    // a failed check
    let failed = background(&w, 0);
    assert_eq!(
        prove(&req(passed(&bg), NOW), &failed),
        Err(ProveError::PredicateFalse { index: 0 })
    );
}

fn claims_bg(result: u64) -> Vec<(&'static str, ClaimValue)> {
    vec![
        ("result", ClaimValue::U64(result)),
        ("package_level", ClaimValue::U64(3)),
        ("jurisdiction", ClaimValue::text("US-CA")),
        (
            "checked_pii",
            ClaimValue::Pii {
                data: b"Jane Doe|123-45-6789".to_vec(),
                salt: [7; 32],
            },
        ),
    ]
}

fn passed_eo(eo: &Schema) -> Policy {
    policy(eo, &[])
}

#[test]
fn every_predicate_op_at_its_boundary() {
    let bg = Schema::background_check();
    let w = world(&[&bg]);
    let v = verifier(&w, "client-ops");
    let slot = bg.slot_of("package_level").unwrap();
    for level in [4u64, 5, 6] {
        let c = issue(
            &w,
            &bg,
            {
                let mut c = claims_bg(1);
                c[1] = ("package_level", ClaimValue::U64(level));
                c
            },
            NOW - DAY,
            NOW + DAY,
        );
        for op in [Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge] {
            let pol = policy(&bg, &[Predicate::compare(slot, op, 5).unwrap()]);
            let req = v.request(pol, None, NOW, &mut rng(level)).unwrap();
            let expect = match op {
                Op::Eq => level == 5,
                Op::Ne => level != 5,
                Op::Lt => level < 5,
                Op::Le => level <= 5,
                Op::Gt => level > 5,
                _ => level >= 5,
            };
            let r = w.holder.check(&req, &c, &w.registry, &w.revocations);
            if expect {
                assert_eq!(r, Ok(()), "{op:?} {level}");
            } else {
                assert_eq!(
                    r,
                    Err(ProveError::PredicateFalse { index: 0 }),
                    "{op:?} {level}"
                );
            }
        }
    }
}

struct Answered {
    w: World,
    v: Verifier<TrustedRoots>,
    req: Request,
    pres: Presentation,
}

fn answered(scope: Option<&str>) -> Answered {
    let bg = Schema::background_check();
    let w = world(&[&bg]);
    let v = verifier(&w, "client-neg");
    let cred = background(&w, 1);
    let req = v.request(passed(&bg), scope, NOW, &mut rng(30)).unwrap();
    let pres = prove(&w, &req, &cred, 31);
    Answered { w, v, req, pres }
}

#[test]
fn verifier_refusals() {
    let a = answered(Some("eo-scope"));
    let pvk: PreparedVerifyingKey = keys().1.prepare();
    let inputs = a
        .req
        .statement(
            a.pres.issuers_root,
            a.pres.revocation_root,
            a.pres.nullifier,
        )
        .to_field_elements();
    // the honest inputs verify at the raw level
    assert_eq!(
        vouchsafe::verifier::verify_raw(&pvk, &inputs, &a.pres.proof),
        Ok(())
    );
    // B01/B02: count mismatch at the raw call
    for n in [0, NUM_PUBLIC_INPUTS - 1, NUM_PUBLIC_INPUTS + 1] {
        let mut v = inputs.to_vec();
        v.resize(n, Fr::from(0u64));
        assert_eq!(
            vouchsafe::verifier::verify_raw(&pvk, &v, &a.pres.proof),
            Err(VerifyError::PublicInputCount {
                expected: NUM_PUBLIC_INPUTS,
                got: n
            })
        );
    }
    // B03: each public input changed -> InvalidProof, one variant whatever was tampered
    for i in 0..NUM_PUBLIC_INPUTS {
        for delta in [Fr::from(1u64), -Fr::from(1u64)] {
            let mut v = inputs;
            v[i] += delta;
            assert_eq!(
                vouchsafe::verifier::verify_raw(&pvk, &v, &a.pres.proof),
                Err(VerifyError::InvalidProof),
                "input {i}"
            );
        }
    }
    // tampered proof bytes: either not a valid encoding or not a valid proof
    let bytes = a.pres.proof.to_bytes();
    for i in [0usize, 31, 40, 100, 127] {
        let mut b = bytes;
        b[i] ^= 1;
        let r = vouchsafe::keys::Proof::from_bytes(&b);
        if let Ok(p) = r {
            assert_eq!(
                vouchsafe::verifier::verify_raw(&pvk, &inputs, &p),
                Err(VerifyError::InvalidProof)
            );
        }
    }
    // a nullifier of 0 with a scope
    let mut p = a.pres.clone();
    p.nullifier = Fr::from(0u64);
    assert_eq!(a.v.verify(&a.req, &p, NOW), Err(VerifyError::ZeroValue));
    // roots not accepted
    let mut p = a.pres.clone();
    p.issuers_root = Fr::from(77u64);
    assert_eq!(
        a.v.verify(&a.req, &p, NOW),
        Err(VerifyError::RootNotAccepted)
    );
    // now outside the clock window
    assert_eq!(
        a.v.verify(&a.req, &a.pres, NOW + 301),
        Err(VerifyError::TimeOutOfWindow)
    );
    // verifying-key mismatch: a verifier with another key
    let mut other_rng = rng(99);
    let other_keys = setup_for_development(&mut other_rng).unwrap();
    let other = Verifier::new(
        other_keys.1.prepare(),
        VerifierConfig::new("client-neg"),
        TrustedRoots {
            issuers: vec![a.w.registry.root()],
            revocations: vec![a.w.revocations.root()],
        },
    );
    assert_eq!(
        other.verify(&a.req, &a.pres, NOW),
        Err(VerifyError::WrongKey)
    );
    // a request this verifier never issued (same id, its own nonce)
    let stranger = verifier(&a.w, "client-neg");
    assert_eq!(
        stranger.verify(&a.req, &a.pres, NOW),
        Err(VerifyError::ChallengeUnknown)
    );
    // finally the honest one passes, once
    assert!(a.v.verify(&a.req, &a.pres, NOW).is_ok());
    assert_eq!(
        a.v.verify(&a.req, &a.pres, NOW),
        Err(VerifyError::ChallengeReused)
    );
}

#[test]
fn presentation_for_another_request_is_invalid() {
    let a = answered(None);
    let other_req =
        a.v.request(passed(&Schema::background_check()), None, NOW, &mut rng(77))
            .unwrap();
    assert_eq!(
        a.v.verify(&other_req, &a.pres, NOW),
        Err(VerifyError::InvalidProof)
    );
}

#[test]
fn malformed_json_refused() {
    let a = answered(None);
    let json = a.pres.to_json();
    for bad in [
        String::new(),
        "{}".to_string(),
        json.replace("\"version\":1", "\"version\":2"),
        json.replace('}', ",\"extra\":1}"),
        "x".repeat(70_000),
    ] {
        assert!(
            matches!(
                Presentation::from_json(&bad),
                Err(VerifyError::Malformed(_))
            ),
            "{bad:.60}"
        );
    }
    let r = a.req.to_json();
    for bad in [
        r.replace("\"now\":", "\"then\":"),
        r.replace("\"version\":1", "\"version\":9"),
    ] {
        assert!(matches!(
            Request::from_json(&bad),
            Err(VerifyError::Malformed(_))
        ));
    }
}

#[test]
fn privacy_scopes_and_linkability() {
    let bg = Schema::background_check();
    let w = world(&[&bg]);
    let cred = background(&w, 1);
    let v1 = verifier(&w, "client-one");
    let v2 = verifier(&w, "client-two");
    let prove = |v: &Verifier<TrustedRoots>, scope: Option<&str>, seed: u64| {
        let req = v.request(passed(&bg), scope, NOW, &mut rng(seed)).unwrap();
        let pres = prove(&w, &req, &cred, seed + 1);
        let ok = v.verify(&req, &pres, NOW).unwrap();
        (req, pres, ok)
    };
    let (r1, p1, ok1) = prove(&v1, Some("hiring"), 40);
    let (r2, p2, ok2) = prove(&v2, Some("hiring"), 50);
    let (_, _, ok1b) = prove(&v1, Some("hiring"), 60);
    let (_, p0, ok0) = prove(&v1, None, 70);
    // same verifier and label: same pseudonym (intended); two verifiers with the same label:
    // different scopes and pseudonyms
    assert_eq!(ok1.nullifier, ok1b.nullifier);
    assert_ne!(ok1.nullifier, ok2.nullifier);
    assert_ne!(r1.scope(), r2.scope());
    assert_eq!(ok0.nullifier, None);
    assert_eq!(p0.nullifier, Fr::from(0u64));
    // two presentations to two verifiers share nothing public but the root, policy and now
    let s1 = r1
        .statement(p1.issuers_root, p1.revocation_root, p1.nullifier)
        .to_field_elements();
    let s2 = r2
        .statement(p2.issuers_root, p2.revocation_root, p2.nullifier)
        .to_field_elements();
    for i in 0..NUM_PUBLIC_INPUTS {
        let shared = s1[i] == s2[i];
        // issuers_root, revocation_root, now, policy_hash
        assert_eq!(shared, i <= 3, "public input {i}");
    }
    assert_ne!(p1.proof, p2.proof);
    // J04: nothing of the credential appears in the presentation
    let json = p1.to_json();
    for (i, slot) in cred.credential().slots().iter().enumerate() {
        let d = vouchsafe::primitives::field::to_decimal(slot);
        if d.len() > 3 {
            assert!(!json.contains(&d), "slot {i} leaked");
        }
    }
    let key = w.provider.public_key().point();
    assert!(!json.contains(&vouchsafe::primitives::field::to_decimal(&key.x())));
}

#[test]
fn forced_proof_of_a_false_statement_fails_verification() {
    // Go around the holder API: a credential whose coverage is below the threshold, proven
    // directly with arkworks against the policy "coverage >= 1,000,000".
    use ark_snark::SNARK;
    use vouchsafe::primitives::presentation::{PresentationCircuit, Witness};
    let schema = Schema::eo_insurance();
    let w = world(&[&schema]);
    let v = verifier(&w, "client-forced");
    let cred = issue(
        &w,
        &schema,
        vec![
            ("coverage", ClaimValue::U64(500_000)),
            ("per_claim_limit", ClaimValue::U64(1)),
            ("policy_class", ClaimValue::text("c")),
        ],
        NOW - DAY,
        NOW + DAY,
    );
    let slot = schema.slot_of("coverage").unwrap();
    let pol = policy(
        &schema,
        &[Predicate::compare(slot, Op::Ge, 1_000_000).unwrap()],
    );
    let req = v.request(pol, None, NOW, &mut rng(80)).unwrap();
    assert_eq!(
        w.holder.check(&req, &cred, &w.registry, &w.revocations),
        Err(ProveError::PredicateFalse { index: 0 })
    );
    let statement = req.statement(w.registry.root(), w.revocations.root(), Fr::from(0u64));
    let nm = w
        .revocations
        .witness(cred.provider(), &cred.credential().serial())
        .unwrap();
    let path = w
        .registry
        .approval_path(cred.provider(), schema.id())
        .unwrap();
    let witness = Witness::new(
        *cred.credential().slots(),
        &cred.provider().point(),
        cred.signature(),
        &path,
        &nm,
        Fr::from_le_bytes_mod_order(&[5u8; 32]),
        req.policy(),
    );
    let proof = ark_groth16::Groth16::<ark_bn254::Bn254>::prove(
        keys().0.as_ark(),
        PresentationCircuit::new(statement, witness),
        &mut rng(81),
    )
    .unwrap();
    let proof = vouchsafe::keys::Proof::from_bytes(&{
        let mut b = Vec::new();
        ark_serialize::CanonicalSerialize::serialize_compressed(&proof, &mut b).unwrap();
        b
    })
    .unwrap();
    let pres = Presentation {
        issuers_root: w.registry.root(),
        revocation_root: w.revocations.root(),
        nullifier: Fr::from(0u64),
        proof,
    };
    assert_eq!(v.verify(&req, &pres, NOW), Err(VerifyError::InvalidProof));
}

#[test]
fn j02_no_zero_knowledge_free_prover_is_reachable() {
    // The production prover must never call the no-zk entry points of ark-groth16.
    for file in ["src/holder.rs", "src/keys.rs", "src/verifier.rs"] {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/").to_string() + file)
                .unwrap();
        assert!(!text.contains("no_zk"), "{file}");
        assert!(!text.contains("create_proof_with_reduction("), "{file}");
    }
}

#[test]
fn b08_rerandomized_proof_verifies_but_cannot_replay() {
    use ark_ec::{AffineRepr, CurveGroup};
    let a = answered(None);
    assert!(a.v.verify(&a.req, &a.pres, NOW).is_ok());
    // (-A, -B, C) is another valid proof of the same statement (Groth16 malleability) ...
    let p = a.pres.proof.as_ark().clone();
    let mauled = ark_groth16::Proof::<ark_bn254::Bn254> {
        a: (-p.a.into_group()).into_affine(),
        b: (-p.b.into_group()).into_affine(),
        c: p.c,
    };
    assert_ne!(mauled, p);
    assert!(!mauled.a.is_zero());
    let mut bytes = Vec::new();
    ark_serialize::CanonicalSerialize::serialize_compressed(&mauled, &mut bytes).unwrap();
    let mauled = vouchsafe::keys::Proof::from_bytes(&bytes).unwrap();
    let inputs = a
        .req
        .statement(
            a.pres.issuers_root,
            a.pres.revocation_root,
            a.pres.nullifier,
        )
        .to_field_elements();
    let pvk = keys().1.prepare();
    assert_eq!(
        vouchsafe::verifier::verify_raw(&pvk, &inputs, &mauled),
        Ok(())
    );
    // ... but replay protection keys on the consumed challenge, not on proof bytes
    let replay = Presentation {
        proof: mauled,
        ..a.pres.clone()
    };
    assert_eq!(
        a.v.verify(&a.req, &replay, NOW),
        Err(VerifyError::ChallengeReused)
    );
}

#[test]
fn e06_e07_registry_roots_with_a_window() {
    use vouchsafe::verifier::RegistryRoots;
    let bg = Schema::background_check();
    let mut w = world(&[&bg]);
    let cred = background(&w, 1);
    let roots =
        |w: &World| RegistryRoots::new(w.registry.accepted_roots(), w.revocations.accepted_roots());
    let v = Verifier::new(
        keys().1.prepare(),
        VerifierConfig::new("client-win"),
        roots(&w),
    );
    let req = v.request(passed(&bg), None, NOW, &mut rng(90)).unwrap();
    let pres = prove(&w, &req, &cred, 91);
    // the registry changes at NOW: the proof's root is replaced
    let other = Provider::from_seed([2; 32]);
    w.registry
        .approve(&other.public_key(), bg.id(), NOW)
        .unwrap();
    let mut v = v;
    v.set_roots(roots(&w));
    // within the window the old root is still accepted ...
    assert!(v.verify(&req, &pres, NOW + 299).is_ok());
    // ... after it, refused
    let req2 = v
        .request(passed(&bg), None, NOW + 700, &mut rng(92))
        .unwrap();
    let pres2 = prove(&w, &req2, &cred, 93);
    let stale = Presentation {
        issuers_root: pres.issuers_root,
        ..pres2.clone()
    };
    assert_eq!(
        v.verify(&req2, &stale, NOW + 700),
        Err(VerifyError::RootStale)
    );
    // the zero root is never accepted
    let zero = Presentation {
        issuers_root: Fr::from(0u64),
        ..pres2.clone()
    };
    assert_eq!(
        v.verify(&req2, &zero, NOW + 700),
        Err(VerifyError::RootNotAccepted)
    );
    assert!(v.verify(&req2, &pres2, NOW + 700).is_ok());
}

#[test]
fn batch_verification_accepts_good_batches_and_names_bad_items() {
    let bg = Schema::background_check();
    let w = world(&[&bg]);
    let cred = background(&w, 1);
    let v = verifier(&w, "client-batch");
    let pvk = keys().1.prepare();
    let mut items = Vec::new();
    for i in 0..4u64 {
        let req = v
            .request(passed(&bg), Some("b"), NOW, &mut rng(200 + i))
            .unwrap();
        let pres = prove(&w, &req, &cred, 300 + i);
        let inputs = req
            .statement(pres.issuers_root, pres.revocation_root, pres.nullifier)
            .to_field_elements();
        items.push((inputs, pres.proof));
    }
    let refs: Vec<(&[Fr], &vouchsafe::keys::Proof)> =
        items.iter().map(|(x, p)| (&x[..], p)).collect();
    assert_eq!(vouchsafe::verifier::verify_batch(&pvk, &refs), Ok(()));
    assert_eq!(vouchsafe::verifier::verify_batch(&pvk, &refs[..1]), Ok(()));
    // one public input changed in item 2: the batch fails and names item 2 only
    let mut bad = items.clone();
    bad[2].0[4] += Fr::from(1u64);
    let refs: Vec<(&[Fr], &vouchsafe::keys::Proof)> =
        bad.iter().map(|(x, p)| (&x[..], p)).collect();
    assert_eq!(
        vouchsafe::verifier::verify_batch(&pvk, &refs),
        Err(vouchsafe::verifier::BatchError { bad: vec![2] })
    );
    // a batch of one bad item takes the single-verification path and names it
    let one = [(&bad[2].0[..], &bad[2].1)];
    assert_eq!(
        vouchsafe::verifier::verify_batch(&pvk, &one),
        Err(vouchsafe::verifier::BatchError { bad: vec![0] })
    );
    // swapped proofs between two statements: both named
    let mut swapped = items.clone();
    let p0 = swapped[0].1.clone();
    swapped[0].1 = swapped[1].1.clone();
    swapped[1].1 = p0;
    let refs: Vec<(&[Fr], &vouchsafe::keys::Proof)> =
        swapped.iter().map(|(x, p)| (&x[..], p)).collect();
    assert_eq!(
        vouchsafe::verifier::verify_batch(&pvk, &refs),
        Err(vouchsafe::verifier::BatchError { bad: vec![0, 1] })
    );
    // a wrong input count is named without any pairing
    let short = [Fr::from(1u64)];
    let refs = [(&short[..], &items[0].1)];
    assert_eq!(
        vouchsafe::verifier::verify_batch(&pvk, &refs),
        Err(vouchsafe::verifier::BatchError { bad: vec![0] })
    );
}

#[test]
fn verify_many_checks_each_request_and_batches_the_proofs() {
    let bg = Schema::background_check();
    let w = world(&[&bg]);
    let cred = background(&w, 1);
    let v = verifier(&w, "client-many");
    let mut reqs = Vec::new();
    let mut pres = Vec::new();
    for i in 0..3u64 {
        let req = v
            .request(passed(&bg), Some("m"), NOW, &mut rng(400 + i))
            .unwrap();
        let p = prove(&w, &req, &cred, 500 + i);
        reqs.push(req);
        pres.push(p);
    }
    // item 2 answers request 2 with request 0's presentation: its proof is for another challenge
    let items = [
        (&reqs[0], &pres[0]),
        (&reqs[1], &pres[1]),
        (&reqs[2], &pres[0]),
    ];
    let results = v.verify_many(&items, NOW);
    assert!(results[0].is_ok());
    assert!(results[1].is_ok());
    assert_eq!(results[2], Err(VerifyError::InvalidProof));
    // every challenge was consumed, the failed one too
    let again = v.verify_many(&items[..1], NOW);
    assert_eq!(again[0], Err(VerifyError::ChallengeReused));
    assert_eq!(
        v.verify(&reqs[2], &pres[2], NOW),
        Err(VerifyError::ChallengeReused)
    );
}

/// The version is read before anything else, so a future format with new fields is reported
/// as a version, not as an unknown field; a JSON array in place of an object is refused.
#[test]
fn future_versions_and_arrays_are_refused_as_such() {
    fn as_array(json: &str) -> String {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        let values: Vec<serde_json::Value> = v.as_object().unwrap().values().cloned().collect();
        serde_json::to_string(&values).unwrap()
    }
    fn future(json: &str) -> String {
        json.replacen("\"version\":1", "\"version\":2,\"new_field\":true", 1)
    }
    let a = answered(Some("s"));
    let msg = |r: Result<(), VerifyError>| match r {
        Err(VerifyError::Malformed(m)) => m,
        other => panic!("expected Malformed, got {other:?}"),
    };
    for json in [a.pres.to_json(), a.req.to_json()] {
        let is_request = json.contains("verifier_id");
        let check = |s: &str| {
            if is_request {
                Request::from_json(s).map(|_| ())
            } else {
                Presentation::from_json(s).map(|_| ())
            }
        };
        assert_eq!(check(&json), Ok(()));
        let m = msg(check(&future(&json)));
        assert!(m.contains("unsupported version 2"), "{m}");
        let m = msg(check(&as_array(&json)));
        assert!(m.contains("expected a JSON object"), "{m}");
    }
    // a request must spell scope_label out (null for none): it is what the encoder writes
    let r = a.req.to_json();
    let without: serde_json::Value = {
        let mut v: serde_json::Value = serde_json::from_str(&r).unwrap();
        v.as_object_mut().unwrap().remove("scope_label");
        v
    };
    assert!(matches!(
        Request::from_json(&without.to_string()),
        Err(VerifyError::Malformed(_))
    ));
    let provider = Provider::from_seed([9; 32]);
    let rr = provider.revoke(Fr::from(5u64)).to_json();
    assert!(vouchsafe::revocation::RevocationRequest::from_json(&rr).is_ok());
    for (bad, want) in [
        (future(&rr), "unsupported version 2"),
        (as_array(&rr), "expected a JSON object"),
    ] {
        match vouchsafe::revocation::RevocationRequest::from_json(&bad) {
            Err(vouchsafe::revocation::RevocationListError::Decode(m)) => {
                assert!(m.contains(want), "{m}")
            }
            other => panic!("{other:?}"),
        }
    }
    let list = RevocationList::new().to_json();
    assert!(RevocationList::from_json(&list).is_ok());
    for (bad, want) in [
        (future(&list), "unsupported version 2"),
        (as_array(&list), "expected a JSON object"),
    ] {
        match RevocationList::from_json(&bad) {
            Err(vouchsafe::revocation::RevocationListError::Decode(m)) => {
                assert!(m.contains(want), "{m}")
            }
            other => panic!("{other:?}"),
        }
    }
}

/// A holder who edits the request (here: "result == 1" weakened to "result == 0") can prove
/// the edited request, but the verifier refuses it: the challenge was issued with the digest
/// of the original request. Against the original, the proof is invalid.
#[test]
fn an_edited_request_is_refused() {
    let bg = Schema::background_check();
    let w = world(&[&bg]);
    let failed = background(&w, 0);
    let v = verifier(&w, "client-edit");
    let req = v.request(passed(&bg), None, NOW, &mut rng(600)).unwrap();
    let mut j: serde_json::Value = serde_json::from_str(&req.to_json()).unwrap();
    assert_eq!(j["predicates"][0]["value"], "1");
    j["predicates"][0]["value"] = serde_json::Value::String("0".into());
    let edited = Request::from_json(&j.to_string()).unwrap();
    assert_eq!(edited.challenge(), req.challenge());
    let pres = prove(&w, &edited, &failed, 601);
    assert_eq!(
        v.verify(&edited, &pres, NOW),
        Err(VerifyError::RequestAltered)
    );
    // the refusal did not spend the challenge; the original request refuses the proof
    assert_eq!(v.verify(&req, &pres, NOW), Err(VerifyError::InvalidProof));
    assert_eq!(
        v.verify(&req, &pres, NOW),
        Err(VerifyError::ChallengeReused)
    );
}
