//! Prints, as circom input JSON, one valid presentation of `benches/snarkjs/presentation.circom`:
//! the 7 public inputs and the private witness, every value a decimal string.
//!
//! The presentation is built the way `benches/presentation.rs` builds its fixture: a provider
//! approved in a registry for E&O insurance, a revocation list with 100 revoked credentials of
//! that provider, a holder, a credential whose id lies between two revoked ids, and a
//! verifier's request with three predicates and a pseudonym scope. The statement and witness
//! come from [`Holder::circuit`], the circuit that [`Holder::prove`] proves (after the holder's
//! checks); before printing, the example checks that our own circuit is satisfied by them, so
//! the JSON is a witness of the relation both circuits prove.
//!
//! Run with `cargo run --release --example snarkjs_input > input.json` (`benches/snarkjs/run.sh`
//! and `check.sh` do). The witness is secret in real use; here it is a fixed test fixture.

use ark_ff::Zero;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::{json, Value};
use vouchsafe::credential::{ClaimValue, CredentialBuilder};
use vouchsafe::holder::{Holder, HolderSecret};
use vouchsafe::keys::setup_for_development;
use vouchsafe::primitives::field;
use vouchsafe::primitives::presentation::{
    Op, Policy, Predicate, Statement, Witness, PUBLIC_INPUT_NAMES,
};
use vouchsafe::primitives::Fr;
use vouchsafe::provider::Provider;
use vouchsafe::registry::Registry;
use vouchsafe::revocation::RevocationList;
use vouchsafe::schema::Schema;
use vouchsafe::verifier::{TrustedRoots, Verifier, VerifierConfig};

const NOW: u64 = 1_800_000_000;
const HOLDER_SECRET: [u8; 32] = [2; 32];

fn dec(x: &Fr) -> Value {
    Value::String(field::to_decimal(x))
}

fn decs(xs: &[Fr]) -> Value {
    Value::Array(xs.iter().map(dec).collect())
}

fn small<T: Into<u64>>(xs: impl IntoIterator<Item = T>) -> Value {
    Value::Array(
        xs.into_iter()
            .map(|x| Value::String(x.into().to_string()))
            .collect(),
    )
}

/// The circom input object: public inputs first, in circuit order, then the witness, under the
/// signal names of `presentation.circom`.
fn circom_input(statement: &Statement, w: &Witness) -> Value {
    let mut obj = serde_json::Map::new();
    for (name, value) in PUBLIC_INPUT_NAMES.iter().zip(statement.to_field_elements()) {
        obj.insert((*name).to_string(), dec(&value));
    }
    let private = json!({
        "slots": decs(&w.slots),
        "provider_x": dec(&w.provider_x),
        "provider_y": dec(&w.provider_y),
        "r8x": dec(&w.r8x),
        "r8y": dec(&w.r8y),
        "s": dec(&w.s),
        "approval_index": w.approval_index.to_string(),
        "approval_siblings": w.approval_siblings.iter().map(|l| decs(l)).collect::<Vec<_>>(),
        "revocation_low_value": dec(&w.revocation_low_value),
        "revocation_low_next": dec(&w.revocation_low_next),
        "revocation_index": w.revocation_index.to_string(),
        "revocation_siblings": w.revocation_siblings.iter().map(|l| decs(l)).collect::<Vec<_>>(),
        "holder_secret": dec(&w.holder_secret),
        "predicate_slots": small(w.predicate_slots),
        "predicate_ops": small(w.predicate_ops),
        "predicate_values": decs(&w.predicate_values),
    });
    if let Value::Object(p) = private {
        obj.extend(p);
    }
    Value::Object(obj)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    // The verifier needs a verifying key for its request (its fingerprint); no proof is made.
    let (_pk, vk) = setup_for_development(&mut rng)?;
    let schema = Schema::eo_insurance();

    let provider = Provider::from_seed([1; 32]);
    let mut registry = Registry::new();
    registry.approve(&provider.public_key(), schema.id(), NOW - 10)?;
    let mut revocations = RevocationList::new();
    for serial in 0..100u64 {
        revocations.revoke(&provider.revoke(Fr::from(serial)), &registry, NOW - 5)?;
    }

    // The first serial from 1,000,000 whose id lies between two revoked ids, so that the
    // witness exercises the `id < low_next` branch of the non-revocation check (an id above
    // every revoked one has `low_next == 0`).
    let mut serial = 1_000_000u64;
    while revocations
        .witness(&provider.public_key(), &Fr::from(serial))?
        .low_next
        .is_zero()
    {
        serial += 1;
    }

    let holder = Holder::new(HolderSecret::from_bytes(&HOLDER_SECRET)?);
    let credential = CredentialBuilder::new(&schema)
        .holder(holder.commitment())
        .serial(Fr::from(serial))
        .validity(NOW - 100, NOW + 100_000)
        .claim("coverage", ClaimValue::U64(2_000_000))
        .claim("per_claim_limit", ClaimValue::U64(500_000))
        .claim("policy_class", ClaimValue::text("B"))
        .build()?;
    let cred = provider.issue(credential);

    let slot = |name: &str| schema.slot_of(name).ok_or("schema slot");
    let policy = Policy {
        schema_id: schema.id(),
        predicates: [
            Predicate::compare(slot("coverage")?, Op::Ge, 1_000_000)?,
            Predicate::compare(slot("per_claim_limit")?, Op::Le, 750_000)?,
            Predicate::new(
                slot("policy_class")?,
                Op::Eq,
                ClaimValue::text("B").to_field(),
            )?,
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
    let request = verifier.request(policy, Some("scope"), NOW, &mut rng)?;

    // Exactly what Holder::prove proves (after the same checks).
    let circuit = holder.circuit(&request, &cred, &registry, &revocations)?;
    let (Some(statement), Some(witness)) = (circuit.statement, circuit.witness.clone()) else {
        return Err("the holder's circuit has no values".into());
    };

    // Our circuit must accept them.
    let cs = ConstraintSystem::<Fr>::new_ref();
    circuit.generate_constraints(cs.clone())?;
    if !cs.is_satisfied()? {
        return Err("our presentation circuit rejects the witness".into());
    }

    println!("{}", circom_input(&statement, &witness));
    Ok(())
}
