//! Revocation end to end: providers revoke, the marketplace publishes, presentations of revoked
//! credentials stop verifying within the verifier's window.

// Test code: a failed unwrap is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ark_ff::PrimeField;
use ark_snark::SNARK;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::sync::OnceLock;
use vouchsafe::credential::{ClaimValue, CredentialBuilder, SignedCredential};
use vouchsafe::holder::{Holder, HolderSecret, ProveError};
use vouchsafe::keys::{setup_for_development, ProvingKey, VerifyingKey};
use vouchsafe::primitives::presentation::{Op, Policy, Predicate, PresentationCircuit, Witness};
use vouchsafe::primitives::Fr;
use vouchsafe::provider::Provider;
use vouchsafe::registry::Registry;
use vouchsafe::revocation::{
    witness_from_public_ids, RevocationList, RevocationListError, RevocationRequest,
};
use vouchsafe::schema::Schema;
use vouchsafe::verifier::{Presentation, RegistryRoots, Verifier, VerifierConfig, VerifyError};

const NOW: u64 = 1_800_000_000;
const DAY: u64 = 86_400;

fn keys() -> &'static (ProvingKey, VerifyingKey) {
    static KEYS: OnceLock<(ProvingKey, VerifyingKey)> = OnceLock::new();
    KEYS.get_or_init(|| setup_for_development(&mut ChaCha20Rng::seed_from_u64(11)).unwrap())
}

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

struct Market {
    insurer: Provider,
    registry: Registry,
    revocations: RevocationList,
    holder: Holder,
}

fn market() -> Market {
    let insurer = Provider::from_seed([21; 32]);
    let mut registry = Registry::new();
    registry
        .approve(
            &insurer.public_key(),
            Schema::eo_insurance().id(),
            NOW - 30 * DAY,
        )
        .unwrap();
    Market {
        insurer,
        registry,
        revocations: RevocationList::new_at(NOW - 30 * DAY),
        holder: Holder::new(HolderSecret::from_bytes(&[8u8; 32]).unwrap()),
    }
}

fn policy_doc(m: &Market, serial: u64) -> SignedCredential {
    let c = CredentialBuilder::new(&Schema::eo_insurance())
        .holder(m.holder.commitment())
        .serial(Fr::from(serial))
        .validity(NOW - DAY, NOW + 300 * DAY)
        .claim("coverage", ClaimValue::U64(2_000_000))
        .claim("per_claim_limit", ClaimValue::U64(1_000_000))
        .claim("policy_class", ClaimValue::text("B"))
        .build()
        .unwrap();
    m.insurer.issue(c)
}

fn at_least_1m() -> Policy {
    let s = Schema::eo_insurance();
    Policy {
        schema_id: s.id(),
        predicates: [
            Predicate::compare(s.slot_of("coverage").unwrap(), Op::Ge, 1_000_000).unwrap(),
            Predicate::none(),
            Predicate::none(),
            Predicate::none(),
        ],
    }
}

fn client(m: &Market) -> Verifier<RegistryRoots> {
    Verifier::new(
        keys().1.prepare(),
        VerifierConfig::new("client-rev"),
        RegistryRoots::new(m.registry.accepted_roots(), m.revocations.accepted_roots()),
    )
}

#[test]
fn cancelled_policy_is_refused_and_others_keep_working() {
    let mut m = market();
    let cancelled = policy_doc(&m, 500);
    let kept = policy_doc(&m, 501);
    // before the cancellation both prove
    let v = client(&m);
    let req = v.request(at_least_1m(), None, NOW, &mut rng(1)).unwrap();
    let before = m
        .holder
        .prove(
            &keys().0,
            &req,
            &cancelled,
            &m.registry,
            &m.revocations,
            &mut rng(2),
        )
        .unwrap();
    // the insurer cancels policy 500 at NOW
    let request =
        RevocationRequest::from_json(&m.insurer.revoke(Fr::from(500u64)).to_json()).unwrap();
    m.revocations.revoke(&request, &m.registry, NOW).unwrap();
    assert!(m
        .revocations
        .is_revoked(&m.insurer.public_key(), &Fr::from(500u64)));
    // the holder API refuses at once
    let mut v = v;
    v.set_roots(RegistryRoots::new(
        m.registry.accepted_roots(),
        m.revocations.accepted_roots(),
    ));
    let fresh = v
        .request(at_least_1m(), None, NOW + 60, &mut rng(3))
        .unwrap();
    assert_eq!(
        m.holder
            .prove(
                &keys().0,
                &fresh,
                &cancelled,
                &m.registry,
                &m.revocations,
                &mut rng(4)
            )
            .map(|_| ()),
        Err(ProveError::Revoked)
    );
    // the kept policy (serial 501, just above) still proves and verifies against the newest roots
    let p = m
        .holder
        .prove(
            &keys().0,
            &fresh,
            &kept,
            &m.registry,
            &m.revocations,
            &mut rng(5),
        )
        .unwrap();
    assert!(v.verify(&fresh, &p, NOW + 60).is_ok());
    // a presentation made before the revocation, against the old root: accepted inside the
    // window (10 minutes) ...
    assert!(v.verify(&req, &before, NOW + 299).is_ok());
    // ... and refused as stale after it
    let late = v
        .request(at_least_1m(), None, NOW + 600, &mut rng(6))
        .unwrap();
    let old_root_pres = Presentation {
        revocation_root: before.revocation_root,
        ..m.holder
            .prove(
                &keys().0,
                &late,
                &kept,
                &m.registry,
                &m.revocations,
                &mut rng(7),
            )
            .unwrap()
    };
    assert_eq!(
        v.verify(&late, &old_root_pres, NOW + 600),
        Err(VerifyError::RootStale)
    );
}

#[test]
fn forced_proof_from_a_revoked_witness_fails() {
    let mut m = market();
    let cred = policy_doc(&m, 900);
    let stale = m
        .revocations
        .witness(cred.provider(), &cred.credential().serial())
        .unwrap();
    m.revocations
        .revoke(&m.insurer.revoke(Fr::from(900u64)), &m.registry, NOW)
        .unwrap();
    assert_eq!(
        m.revocations
            .witness(cred.provider(), &cred.credential().serial())
            .err(),
        Some(RevocationListError::Revoked)
    );
    let v = client(&m);
    let req = v.request(at_least_1m(), None, NOW, &mut rng(8)).unwrap();
    // around the holder API: the pre-revocation witness against the newest root
    let statement = req.statement(m.registry.root(), m.revocations.root(), Fr::from(0u64));
    let path = m
        .registry
        .approval_path(cred.provider(), Schema::eo_insurance().id())
        .unwrap();
    let witness = Witness::new(
        *cred.credential().slots(),
        &cred.provider().point(),
        cred.signature(),
        &path,
        &stale,
        Fr::from_le_bytes_mod_order(&[8u8; 32]),
        req.policy(),
    );
    let proof = ark_groth16::Groth16::<ark_bn254::Bn254>::prove(
        keys().0.as_ark(),
        PresentationCircuit::new(statement, witness),
        &mut rng(9),
    )
    .unwrap();
    let mut bytes = Vec::new();
    ark_serialize::CanonicalSerialize::serialize_compressed(&proof, &mut bytes).unwrap();
    let pres = Presentation {
        issuers_root: m.registry.root(),
        revocation_root: m.revocations.root(),
        nullifier: Fr::from(0u64),
        proof: vouchsafe::keys::Proof::from_bytes(&bytes).unwrap(),
    };
    assert_eq!(v.verify(&req, &pres, NOW), Err(VerifyError::InvalidProof));
}

#[test]
fn bad_revocation_requests_change_nothing() {
    let mut m = market();
    let root = m.revocations.root();
    let stranger = Provider::from_seed([22; 32]);
    // unapproved provider
    assert_eq!(
        m.revocations
            .revoke(&stranger.revoke(Fr::from(1u64)), &m.registry, NOW),
        Err(RevocationListError::ProviderNotApproved)
    );
    // signed by the stranger but naming the insurer's key
    let forged = stranger.revoke(Fr::from(1u64));
    let json = forged.to_json();
    let insurer_key = m.insurer.public_key().point();
    let stranger_key = stranger.public_key().point();
    let forged_json = json
        .replace(
            &vouchsafe::primitives::field::to_decimal(&stranger_key.x()),
            &vouchsafe::primitives::field::to_decimal(&insurer_key.x()),
        )
        .replace(
            &vouchsafe::primitives::field::to_decimal(&stranger_key.y()),
            &vouchsafe::primitives::field::to_decimal(&insurer_key.y()),
        );
    let forged = RevocationRequest::from_json(&forged_json).unwrap();
    assert_eq!(forged.provider(), &m.insurer.public_key());
    assert_eq!(
        m.revocations.revoke(&forged, &m.registry, NOW),
        Err(RevocationListError::BadSignature)
    );
    // a bad signature: the insurer's request for serial 1 presented for serial 2
    let good = m.insurer.revoke(Fr::from(1u64));
    let moved = good
        .to_json()
        .replace("\"serial\":\"1\"", "\"serial\":\"2\"");
    let moved = RevocationRequest::from_json(&moved).unwrap();
    assert_eq!(
        m.revocations.revoke(&moved, &m.registry, NOW),
        Err(RevocationListError::BadSignature)
    );
    assert_eq!(m.revocations.root(), root);
    assert!(m.revocations.ids().is_empty());
    // twice the same revocation
    m.revocations.revoke(&good, &m.registry, NOW).unwrap();
    assert_eq!(
        m.revocations.revoke(&good, &m.registry, NOW),
        Err(RevocationListError::AlreadyRevoked)
    );
    // time cannot go backwards
    assert!(matches!(
        m.revocations
            .revoke(&m.insurer.revoke(Fr::from(3u64)), &m.registry, NOW - 1),
        Err(RevocationListError::ClockRegression { .. })
    ));
}

#[test]
fn holders_compute_witnesses_from_public_data() {
    let mut m = market();
    for serial in 0..20u64 {
        m.revocations
            .revoke(
                &m.insurer.revoke(Fr::from(serial * 7)),
                &m.registry,
                NOW + serial,
            )
            .unwrap();
    }
    // the list travels as JSON; a holder rebuilds the tree and gets the same root and witness
    let public = RevocationList::from_json(&m.revocations.to_json()).unwrap();
    assert_eq!(public.root(), m.revocations.root());
    let cred = policy_doc(&m, 8);
    let (root, w) =
        witness_from_public_ids(public.ids(), cred.provider(), &cred.credential().serial())
            .unwrap();
    assert_eq!(root, m.revocations.root());
    assert_eq!(
        w,
        m.revocations
            .witness(cred.provider(), &cred.credential().serial())
            .unwrap()
    );
    // a revoked serial has no witness
    assert_eq!(
        witness_from_public_ids(public.ids(), cred.provider(), &Fr::from(14u64)).err(),
        Some(RevocationListError::Revoked)
    );
    // a tampered list is refused
    let tampered = m
        .revocations
        .to_json()
        .replacen("\"ids\":[\"", "\"ids\":[\"1", 1);
    assert!(RevocationList::from_json(&tampered).is_err());
}
