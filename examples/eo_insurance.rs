//! E&O insurance: a freelancer proves "holds valid errors-and-omissions insurance with coverage
//! of at least $1,000,000" to a client, under a scoped pseudonym, without revealing the insurer,
//! the exact coverage, the policy class or the dates.
//!
//! Run with `cargo run --release --example eo_insurance`.

use rand::rngs::OsRng;
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use vouchsafe::credential::{ClaimValue, CredentialBuilder};
use vouchsafe::holder::{Holder, ProveError};
use vouchsafe::keys::setup_for_development;
use vouchsafe::primitives::field::to_decimal;
use vouchsafe::primitives::presentation::{Op, Policy, Predicate};
use vouchsafe::provider::Provider;
use vouchsafe::registry::Registry;
use vouchsafe::revocation::RevocationList;
use vouchsafe::schema::Schema;
use vouchsafe::verifier::{RegistryRoots, Verifier, VerifierConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let day = 86_400;
    let schema = Schema::eo_insurance();
    let (pk, vk) = setup_for_development(&mut OsRng)?;

    let insurer = Provider::generate(&mut OsRng);
    let mut registry = Registry::new();
    let mut revocations = RevocationList::new_at(now - day);
    registry.approve(&insurer.public_key(), schema.id(), now)?;
    let freelancer = Holder::generate(&mut OsRng);
    let policy_doc = CredentialBuilder::new(&schema)
        .holder(freelancer.commitment())
        .validity(now - 30 * day, now + 335 * day)
        .claim("coverage", ClaimValue::U64(2_000_000))
        .claim("per_claim_limit", ClaimValue::U64(1_000_000))
        .claim("policy_class", ClaimValue::text("technology E&O, class B"))
        .build_with_rng(&mut OsRng)?;
    let signed = insurer.issue(policy_doc);
    freelancer.accept(&signed, &registry)?;
    println!("The insurer attested an E&O policy: coverage $2,000,000, valid for 11 more months.");

    let roots = |r: &Registry, l: &RevocationList| {
        RegistryRoots::new(r.accepted_roots(), l.accepted_roots())
    };
    let mut client = Verifier::new(
        vk.prepare(),
        VerifierConfig::new("client:northwind-payments"),
        roots(&registry, &revocations),
    );
    let coverage = schema.slot_of("coverage").ok_or("coverage slot")?;
    let at_least = |amount: u64| -> Result<Policy, Box<dyn std::error::Error>> {
        Ok(Policy {
            schema_id: schema.id(),
            predicates: [
                Predicate::compare(coverage, Op::Ge, amount)?,
                Predicate::none(),
                Predicate::none(),
                Predicate::none(),
            ],
        })
    };

    println!("\nThe client asks for coverage >= $1,000,000, not expired, with a pseudonym for its vendor list.");
    let request = client.request(
        at_least(1_000_000)?,
        Some("vendor-onboarding"),
        now,
        &mut OsRng,
    )?;
    let t = Instant::now();
    let presentation =
        freelancer.prove(&pk, &request, &signed, &registry, &revocations, &mut OsRng)?;
    println!("Proved in {:.2?}.", t.elapsed());
    let t = Instant::now();
    let verified = client.verify(&request, &presentation, now)?;
    println!("Verified in {:.2?}.", t.elapsed());
    let pseudonym = verified.nullifier.ok_or("a pseudonym was asked for")?;
    println!("The client learned: coverage >= $1,000,000 from an approved insurer, valid today;");
    println!(
        "pseudonym for (this client, vendor-onboarding): {}...",
        &to_decimal(&pseudonym)[..20]
    );
    println!("Hidden: the insurer, the exact coverage, the per-claim limit, the class, the dates.");

    println!("\nNext month the same client asks again: same pseudonym, nothing else linkable.");
    let again = client.request(
        at_least(1_000_000)?,
        Some("vendor-onboarding"),
        now,
        &mut OsRng,
    )?;
    let p2 = freelancer.prove(&pk, &again, &signed, &registry, &revocations, &mut OsRng)?;
    let v2 = client.verify(&again, &p2, now)?;
    println!("same pseudonym: {}", v2.nullifier == Some(pseudonym));

    println!("\nA client demanding $5,000,000 gets a refusal before any proof is made:");
    let greedy = client.request(at_least(5_000_000)?, None, now, &mut OsRng)?;
    match freelancer.prove(&pk, &greedy, &signed, &registry, &revocations, &mut OsRng) {
        Err(ProveError::PredicateFalse { index }) => {
            println!("refused: predicate {index} (coverage >= $5,000,000) does not hold")
        }
        other => println!("unexpected: {:?}", other.map(|_| ())),
    }

    println!("\nThe insurer cancels the policy; the marketplace publishes a new revocation root.");
    let outdated = revocations.clone(); // a holder's copy from before the cancellation
    let cancel = insurer.revoke(signed.credential().serial());
    revocations.revoke(&cancel, &registry, now + 60)?;
    client.set_roots(roots(&registry, &revocations));
    let later = client.request(at_least(1_000_000)?, None, now + 60, &mut OsRng)?;
    match freelancer.prove(&pk, &later, &signed, &registry, &revocations, &mut OsRng) {
        Err(ProveError::Revoked) => {
            println!("the freelancer's software refuses: the policy is revoked")
        }
        other => println!("unexpected: {:?}", other.map(|_| ())),
    }
    let much_later = client.request(at_least(1_000_000)?, None, now + 700, &mut OsRng)?;
    let stale = freelancer.prove(&pk, &much_later, &signed, &registry, &outdated, &mut OsRng)?;
    println!(
        "a proof against the pre-cancellation root, 11 minutes later: {:?}",
        client.verify(&much_later, &stale, now + 700).err()
    );
    Ok(())
}
