//! No secret leaves through a public artifact: a full session (setup, approval, issuing,
//! request, proof, verification, snarkjs export, revocation) is run, every artifact a verifier,
//! a registry or a bystander can see is encoded, and none of them may contain the holder
//! secret, the provider's seed, the holder commitment or the undisclosed claim values, in any
//! of their encodings. The `Debug` forms of the secret-bearing types are checked the same way.

// Test code: a failed unwrap is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use vouchsafe::credential::{ClaimValue, CredentialBuilder};
use vouchsafe::holder::Holder;
use vouchsafe::keys::setup_for_development;
use vouchsafe::primitives::field;
use vouchsafe::primitives::presentation::{Op, Policy, Predicate};
use vouchsafe::primitives::Fr;
use vouchsafe::provider::{public_key_to_json, Provider};
use vouchsafe::registry::Registry;
use vouchsafe::revocation::RevocationList;
use vouchsafe::schema::Schema;
use vouchsafe::verifier::{RegistryRoots, Verifier, VerifierConfig};

const NOW: u64 = 1_800_000_000;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every encoding of a field element a leak could take.
fn encodings(x: &Fr) -> Vec<String> {
    vec![
        field::to_decimal(x),
        field::to_hex(x).trim_start_matches("0x").to_string(),
        hex(&field::to_bytes_le(x)),
        hex(&field::to_bytes_be(x)),
    ]
}

#[test]
fn no_public_artifact_contains_a_secret() {
    let mut rng = ChaCha20Rng::seed_from_u64(77);
    let (pk, vk) = setup_for_development(&mut rng).unwrap();
    let schema = Schema::eo_insurance();
    let provider = Provider::generate(&mut rng);
    let mut registry = Registry::new_at(NOW - 100);
    registry
        .approve(&provider.public_key(), schema.id(), NOW - 50)
        .unwrap();
    let mut revocations = RevocationList::new_at(NOW - 100);
    let holder = Holder::generate(&mut rng);
    // undisclosed claim values: distinctive numbers that appear nowhere else
    let coverage = 2_718_281u64;
    let per_claim = 3_141_592u64;
    let cred = provider.issue(
        CredentialBuilder::new(&schema)
            .holder(holder.commitment())
            .serial(Fr::from(424_242u64))
            .validity(NOW - 10, NOW + 86_400)
            .claim("coverage", ClaimValue::U64(coverage))
            .claim("per_claim_limit", ClaimValue::U64(per_claim))
            .claim("policy_class", ClaimValue::text("class-zeta-secret"))
            .build()
            .unwrap(),
    );
    let verifier = Verifier::new(
        vk.prepare(),
        VerifierConfig::new("client-secrets"),
        RegistryRoots::new(registry.accepted_roots(), revocations.accepted_roots()),
    );
    let policy = Policy {
        schema_id: schema.id(),
        predicates: [
            Predicate::compare(schema.slot_of("coverage").unwrap(), Op::Ge, 1_000_000).unwrap(),
            Predicate::none(),
            Predicate::none(),
            Predicate::none(),
        ],
    };
    let request = verifier
        .request(policy, Some("hiring"), NOW, &mut rng)
        .unwrap();
    let presentation = holder
        .prove(&pk, &request, &cred, &registry, &revocations, &mut rng)
        .unwrap();
    verifier.verify(&request, &presentation, NOW).unwrap();
    let inputs = vouchsafe::export::snarkjs::public_inputs_for(&request, &presentation);

    // the public artifacts of the session, before and after a revocation
    let mut artifacts = vec![
        (
            "provider public key",
            public_key_to_json(&provider.public_key()),
        ),
        ("registry snapshot", registry.to_snapshot_json()),
        ("revocation list (empty)", revocations.to_json()),
        ("request", request.to_json()),
        ("presentation", presentation.to_json()),
        ("verifying key", hex(&vk.to_bytes())),
        ("proof", hex(&presentation.proof.to_bytes())),
        (
            "snarkjs verification_key.json",
            vouchsafe::export::snarkjs::to_json(&vouchsafe::export::snarkjs::verification_key(&vk)),
        ),
        (
            "snarkjs proof.json",
            vouchsafe::export::snarkjs::to_json(&vouchsafe::export::snarkjs::proof(
                &presentation.proof,
            )),
        ),
        (
            "snarkjs public.json",
            vouchsafe::export::snarkjs::to_json(&vouchsafe::export::snarkjs::public_inputs(
                &inputs,
            )),
        ),
    ];
    revocations
        .revoke(&provider.revoke(Fr::from(424_242u64)), &registry, NOW + 5)
        .unwrap();
    artifacts.push(("revocation list (after)", revocations.to_json()));
    // the secret-bearing types print redacted
    artifacts.push(("Debug of Holder", format!("{holder:?}")));
    artifacts.push(("Debug of Provider", format!("{provider:?}")));
    let circuit = holder.circuit(
        &request,
        &cred,
        &registry,
        &RevocationList::new_at(NOW - 100),
    );
    artifacts.push(("Debug of the circuit", format!("{circuit:?}")));

    let mut secrets: Vec<(&str, String)> = Vec::new();
    let secret = holder.secret().export_bytes();
    secrets.push(("holder secret (bytes)", hex(&secret[..])));
    let secret_fr = field::from_bytes_le(&secret[..]).unwrap();
    for e in encodings(&secret_fr) {
        secrets.push(("holder secret", e));
    }
    for e in encodings(&holder.commitment()) {
        secrets.push(("holder commitment", e));
    }
    secrets.push(("provider seed", hex(&provider.export_secret_bytes()[..])));
    for v in [coverage, per_claim] {
        for e in encodings(&Fr::from(v)) {
            secrets.push(("an undisclosed claim", e));
        }
    }
    for e in encodings(&ClaimValue::text("class-zeta-secret").to_field()) {
        secrets.push(("an undisclosed text claim", e));
    }
    secrets.push((
        "an undisclosed text claim (plain)",
        "class-zeta-secret".into(),
    ));

    for (what, text) in &artifacts {
        for (name, s) in &secrets {
            assert!(!text.contains(s.as_str()), "{what} contains the {name}");
        }
    }
    // the check can fail: the credential itself holds them, and is not public
    let cred_json = cred.to_json(&schema).unwrap();
    assert!(cred_json.contains(&field::to_decimal(&holder.commitment())));
    assert!(cred_json.contains(&coverage.to_string()));
}

/// Compiles only if `T` does not implement `serde::Serialize`: with an impl, the two blanket
/// impls below both apply and `not_serialize::<T>()` cannot infer `A` (the usual "ambiguous
/// if implemented" assertion).
trait AmbiguousIfSerialize<A> {
    fn check() {}
}
impl<T: ?Sized> AmbiguousIfSerialize<()> for T {}
#[allow(dead_code)]
struct IsSerialize;
impl<T: ?Sized + serde::Serialize> AmbiguousIfSerialize<IsSerialize> for T {}

fn not_serialize<T: ?Sized + AmbiguousIfSerialize<A>, A>() {
    <T as AmbiguousIfSerialize<A>>::check();
}

fn zeroize_on_drop<T: zeroize::ZeroizeOnDrop>() {}

/// J08, issue 7 item 5: the secret-bearing types zeroize on drop (those holding a secret
/// directly; `Provider` and `Holder` hold one of them) and none of them is `Serialize`, so the
/// only ways out are the explicit exports (`HolderSecret::export_bytes`,
/// `Provider::export_secret_json` / `export_secret_bytes`). Checked at compile time: adding a
/// serde impl to any of them breaks this test's build.
#[test]
fn j08_secret_types_zeroize_on_drop_and_are_not_serializable() {
    use vouchsafe::holder::HolderSecret;
    use vouchsafe::primitives::eddsa::SecretKey;
    use vouchsafe::primitives::presentation::Witness;
    zeroize_on_drop::<HolderSecret>();
    zeroize_on_drop::<SecretKey>();
    zeroize_on_drop::<Witness>();
    not_serialize::<HolderSecret, _>();
    not_serialize::<Holder, _>();
    not_serialize::<SecretKey, _>();
    not_serialize::<Provider, _>();
    not_serialize::<Witness, _>();
    not_serialize::<ClaimValue, _>();
}
