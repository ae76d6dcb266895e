//! A background check, end to end: a provider attests, a freelancer proves "passed a background
//! check from an approved provider", a client verifies, and we print what it learned and what
//! stayed hidden.
//!
//! Run with `cargo run --release --example background_check`.

use rand::rngs::OsRng;
use std::time::{Instant, SystemTime, UNIX_EPOCH};
use vouchsafe::credential::{ClaimValue, CredentialBuilder};
use vouchsafe::holder::Holder;
use vouchsafe::keys::setup_for_development;
use vouchsafe::primitives::presentation::{Op, Policy, Predicate};
use vouchsafe::provider::Provider;
use vouchsafe::registry::Registry;
use vouchsafe::revocation::RevocationList;
use vouchsafe::schema::{Schema, RESULT_PASS};
use vouchsafe::verifier::{TrustedRoots, Verifier, VerifierConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let year = 365 * 86_400;
    let schema = Schema::background_check();

    println!("== Trusted setup (development only: production keys come from a ceremony)");
    let t = Instant::now();
    let (pk, vk) = setup_for_development(&mut OsRng)?;
    println!(
        "   {:.2?}; proving key {} KiB, verifying key {} bytes, fingerprint {}",
        t.elapsed(),
        pk.to_bytes().len() / 1024,
        vk.to_bytes().len(),
        &vk.fingerprint_hex()[..16]
    );

    println!("\n== The marketplace approves a background-check provider");
    let provider = Provider::generate(&mut OsRng);
    let mut registry = Registry::new();
    let revocations = RevocationList::new();
    registry.approve(&provider.public_key(), schema.id(), now)?;
    println!("   approved for {}; registry root published", schema.name());

    println!("\n== The provider checks the freelancer once and attests");
    let freelancer = Holder::generate(&mut OsRng);
    let credential = CredentialBuilder::new(&schema)
        .holder(freelancer.commitment())
        .validity(now - 86_400, now + year)
        .claim("result", ClaimValue::U64(RESULT_PASS))
        .claim("package_level", ClaimValue::U64(3))
        .claim("jurisdiction", ClaimValue::text("US-CA"))
        .claim(
            "checked_pii",
            ClaimValue::Pii {
                data: b"Jane Q. Freelancer|1990-01-01|SSN 123-45-6789".to_vec(),
                salt: rand::Rng::gen(&mut OsRng),
            },
        )
        .build_with_rng(&mut OsRng)?;
    let signed = provider.issue(credential);
    freelancer.accept(&signed, &registry)?;
    println!("   signed credential received and checked by the freelancer");

    println!("\n== A client asks: passed a background check from an approved provider?");
    let client = Verifier::new(
        vk.prepare(),
        VerifierConfig::new("client:acme-health"),
        TrustedRoots {
            issuers: vec![registry.root()],
            revocations: vec![revocations.root()],
        },
    );
    let result_slot = schema.slot_of("result").ok_or("schema has a result slot")?;
    let policy = Policy {
        schema_id: schema.id(),
        predicates: [
            Predicate::compare(result_slot, Op::Eq, RESULT_PASS)?,
            Predicate::none(),
            Predicate::none(),
            Predicate::none(),
        ],
    };
    let request = client.request(policy, None, now, &mut OsRng)?;
    println!("   request: {} bytes of JSON", request.to_json().len());

    println!("\n== The freelancer proves it, in zero knowledge");
    let t = Instant::now();
    let presentation =
        freelancer.prove(&pk, &request, &signed, &registry, &revocations, &mut OsRng)?;
    println!(
        "   proved in {:.2?}; presentation {} bytes of JSON (proof {} bytes)",
        t.elapsed(),
        presentation.to_json().len(),
        presentation.proof.to_bytes().len()
    );

    println!("\n== The client verifies");
    let t = Instant::now();
    let verified = client.verify(&request, &presentation, now)?;
    println!("   verified in {:.2?}", t.elapsed());
    println!(
        "   learned: a provider approved for {} attests result == pass,",
        schema.name()
    );
    println!("            valid now, bound to whoever made this proof for this request only");
    println!("   pseudonym: {:?} (none asked for)", verified.nullifier);
    println!("   hidden: the name, birth date and SSN, which provider, the package level,");
    println!("           the jurisdiction, the dates, the credential's serial");
    println!("\n== Replaying the same presentation");
    println!("   {:?}", client.verify(&request, &presentation, now).err());
    Ok(())
}
