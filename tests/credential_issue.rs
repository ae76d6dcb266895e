//! Schemas, the credential builder, issuance and signature verification, through the public API.

// Test code: a failed unwrap is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ark_ff::PrimeField;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use sha2::{Digest, Sha256};
use vouchsafe::credential::{
    pii_commitment, text_to_field, ClaimValue, Credential, CredentialBuilder, CredentialError,
    SignedCredential, FIRST_CLAIM_SLOT, SLOTS,
};
use vouchsafe::primitives::eddsa::SignatureError;
use vouchsafe::primitives::Fr;
use vouchsafe::provider::Provider;
use vouchsafe::schema::{ClaimKind, Schema, RESULT_PASS};

const ISSUED: u64 = 1_700_000_000;
const EXPIRES: u64 = 1_731_536_000;

fn value_for(kind: ClaimKind, i: usize) -> ClaimValue {
    match kind {
        ClaimKind::U64 => ClaimValue::U64(1_000 + i as u64),
        ClaimKind::Text => ClaimValue::text(format!("text-{i}")),
        ClaimKind::Field => ClaimValue::Field(Fr::from(77 + i as u64)),
        ClaimKind::Pii => ClaimValue::Pii {
            data: format!("Jane Canary {i}").into_bytes(),
            salt: [i as u8; 32],
        },
    }
}

/// A builder with the header set and every claim of `schema` given.
fn full(schema: &Schema) -> CredentialBuilder<'_> {
    let mut b = CredentialBuilder::new(schema)
        .holder(Fr::from(4242u64))
        .serial(Fr::from(99u64))
        .validity(ISSUED, EXPIRES);
    for (i, c) in schema.claims().iter().enumerate() {
        b = b.claim(c.name.clone(), value_for(c.kind, i));
    }
    b
}

fn background_builder(schema: &Schema) -> CredentialBuilder<'_> {
    CredentialBuilder::new(schema)
        .holder(Fr::from(4242u64))
        .serial(Fr::from(99u64))
        .validity(ISSUED, EXPIRES)
        .claim("result", ClaimValue::U64(RESULT_PASS))
        .claim("package_level", ClaimValue::U64(3))
        .claim("jurisdiction", ClaimValue::text("US-CA"))
}

fn pii() -> ClaimValue {
    ClaimValue::Pii {
        data: b"Jane Canary, 1980-01-01".to_vec(),
        salt: [7; 32],
    }
}

fn provider(seed: u8) -> Provider {
    Provider::from_seed([seed; 32])
}

#[test]
fn every_builtin_schema_builds_with_the_documented_slots() {
    for schema in Schema::all_builtin() {
        let c = full(&schema).build().unwrap();
        assert_eq!(c.schema_id(), schema.id());
        assert_eq!(c.holder_commitment(), Fr::from(4242u64));
        assert_eq!(c.serial(), Fr::from(99u64));
        assert_eq!((c.issued_at(), c.expires_at()), (ISSUED, EXPIRES));
        assert_eq!(c.slot(3), Some(Fr::from(ISSUED)));
        assert_eq!(c.slot(4), Some(Fr::from(EXPIRES)));
        for (i, def) in schema.claims().iter().enumerate() {
            let slot = FIRST_CLAIM_SLOT + i;
            assert_eq!(schema.slot_of(&def.name), Some(slot));
            assert_eq!(c.slot(slot), Some(value_for(def.kind, i).to_field()));
            assert_eq!(c.claim(&schema, &def.name), c.slot(slot));
        }
        // Claim slots the schema does not use are 0.
        for slot in FIRST_CLAIM_SLOT + schema.claims().len()..SLOTS {
            assert_eq!(
                c.slot(slot),
                Some(Fr::from(0u64)),
                "{} slot {slot}",
                schema.name()
            );
        }
    }
}

#[test]
fn claim_values_enter_as_documented() {
    let schema = Schema::background_check();
    let c = background_builder(&schema)
        .claim("checked_pii", pii())
        .build()
        .unwrap();
    assert_eq!(c.claim_u64(&schema, "result"), Some(1));
    assert_eq!(c.claim_u64(&schema, "package_level"), Some(3));
    assert_eq!(c.claim_u64(&schema, "jurisdiction"), None); // text, not u64
    assert_eq!(c.claim_u64(&Schema::eo_insurance(), "result"), None); // other schema
    assert_eq!(
        c.claim(&schema, "jurisdiction"),
        Some(text_to_field("US-CA"))
    );

    // Independent computation: SHA-256(len || tag || msg), top three bits cleared.
    fn h2f(tag: &[u8], msg: &[u8]) -> Fr {
        let mut h = Sha256::new();
        h.update([tag.len() as u8]);
        h.update(tag);
        h.update(msg);
        let mut d: [u8; 32] = h.finalize().into();
        d[0] &= 0x1f;
        Fr::from_be_bytes_mod_order(&d)
    }
    assert_eq!(text_to_field("US-CA"), h2f(b"vouchsafe/v1/text", b"US-CA"));
    let mut msg = vec![7u8; 32];
    msg.extend_from_slice(b"Jane Canary, 1980-01-01");
    let commitment = h2f(b"vouchsafe/v1/pii", &msg);
    assert_eq!(c.claim(&schema, "checked_pii"), Some(commitment));
    assert_eq!(
        pii_commitment(&[7; 32], b"Jane Canary, 1980-01-01"),
        commitment
    );
    // The raw data never enters the credential.
    assert!(!format!("{c:?}").contains("Canary"));
}

#[test]
fn builder_unknown_claim() {
    let schema = Schema::background_check();
    let r = background_builder(&schema)
        .claim("checked_pii", pii())
        .claim("coverage", ClaimValue::U64(1))
        .build();
    assert_eq!(
        r,
        Err(CredentialError::UnknownClaim {
            name: "coverage".into()
        })
    );
}

#[test]
fn builder_missing_claim() {
    let schema = Schema::background_check();
    assert_eq!(
        background_builder(&schema).build(),
        Err(CredentialError::MissingClaim {
            name: "checked_pii".into()
        })
    );
    let only_header = CredentialBuilder::new(&schema)
        .holder(Fr::from(1u64))
        .serial(Fr::from(1u64))
        .validity(1, 2)
        .build();
    assert_eq!(
        only_header,
        Err(CredentialError::MissingClaim {
            name: "result".into()
        })
    );
}

#[test]
fn builder_wrong_kind() {
    let schema = Schema::background_check();
    let cases = [
        ("result", ClaimValue::text("pass"), ClaimKind::U64),
        ("result", ClaimValue::Field(Fr::from(1u64)), ClaimKind::U64),
        ("jurisdiction", ClaimValue::U64(1), ClaimKind::Text),
        (
            "checked_pii",
            ClaimValue::Field(Fr::from(1u64)),
            ClaimKind::Pii,
        ),
        ("checked_pii", ClaimValue::text("Jane"), ClaimKind::Pii),
    ];
    for (name, value, expected) in cases {
        let mut b = CredentialBuilder::new(&schema)
            .holder(Fr::from(1u64))
            .serial(Fr::from(1u64))
            .validity(1, 2);
        for def in schema.claims() {
            if def.name == name {
                b = b.claim(name, value.clone());
            } else {
                b = b.claim(def.name.clone(), value_for(def.kind, 0));
            }
        }
        assert_eq!(
            b.build(),
            Err(CredentialError::WrongKind {
                name: name.into(),
                expected
            }),
            "{name}"
        );
    }
}

#[test]
fn builder_duplicate_claim() {
    let schema = Schema::background_check();
    let r = background_builder(&schema)
        .claim("checked_pii", pii())
        .claim("result", ClaimValue::U64(0))
        .build();
    assert_eq!(
        r,
        Err(CredentialError::DuplicateClaim {
            name: "result".into()
        })
    );
}

#[test]
fn builder_bad_validity_including_equal_dates() {
    let schema = Schema::credit_check();
    for (issued_at, expires_at) in [(10, 10), (10, 9), (u64::MAX, 0), (u64::MAX, u64::MAX)] {
        assert_eq!(
            full(&schema).validity(issued_at, expires_at).build(),
            Err(CredentialError::BadValidity {
                issued_at,
                expires_at
            })
        );
    }
    let c = full(&schema).validity(0, u64::MAX).build().unwrap();
    assert_eq!((c.issued_at(), c.expires_at()), (0, u64::MAX));
    let c = full(&schema).validity(10, 11).build().unwrap();
    assert!(c.is_valid_at(10) && !c.is_valid_at(11) && !c.is_valid_at(9));
}

#[test]
fn builder_missing_header_parts() {
    let schema = Schema::credit_check();
    fn claims(b: CredentialBuilder<'_>) -> CredentialBuilder<'_> {
        b.claim("score_band", ClaimValue::U64(4))
            .claim("bureau_code", ClaimValue::text("EXP"))
    }
    let no_holder = claims(
        CredentialBuilder::new(&schema)
            .serial(Fr::from(1u64))
            .validity(1, 2),
    );
    assert_eq!(no_holder.build(), Err(CredentialError::MissingHolder));
    let no_validity = claims(
        CredentialBuilder::new(&schema)
            .holder(Fr::from(1u64))
            .serial(Fr::from(1u64)),
    );
    assert_eq!(no_validity.build(), Err(CredentialError::MissingValidity));
    let no_serial = claims(
        CredentialBuilder::new(&schema)
            .holder(Fr::from(1u64))
            .validity(1, 2),
    );
    assert_eq!(no_serial.build(), Err(CredentialError::MissingSerial));
}

#[test]
fn build_with_rng_draws_a_serial_unless_one_is_given() {
    let schema = Schema::credit_check();
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let builder = || {
        CredentialBuilder::new(&schema)
            .holder(Fr::from(1u64))
            .validity(1, 2)
            .claim("score_band", ClaimValue::U64(4))
            .claim("bureau_code", ClaimValue::text("EXP"))
    };
    let a = builder().build_with_rng(&mut rng).unwrap();
    let b = builder().build_with_rng(&mut rng).unwrap();
    assert_ne!(a.serial(), b.serial());
    assert_ne!(a.serial(), Fr::from(0u64));
    let fixed = builder()
        .serial(Fr::from(5u64))
        .build_with_rng(&mut rng)
        .unwrap();
    assert_eq!(fixed.serial(), Fr::from(5u64));
    // Same seed, same serial: the RNG is plumbed through.
    let again = builder()
        .build_with_rng(&mut ChaCha20Rng::seed_from_u64(1))
        .unwrap();
    assert_eq!(again, a);
}

#[test]
fn issued_credentials_verify() {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    for (i, schema) in Schema::all_builtin().iter().enumerate() {
        let p = Provider::generate(&mut rng);
        let signed = p.issue(full(schema).build().unwrap());
        assert_eq!(signed.verify_signature(), Ok(()), "{}", schema.name());
        assert_eq!(signed.provider(), &p.public_key());
        let again = provider(i as u8).issue(full(schema).build().unwrap());
        assert_eq!(again.verify_signature(), Ok(()));
    }
}

#[test]
fn c06_changing_any_slot_breaks_the_signature() {
    let schema = Schema::background_check();
    let signed = provider(1).issue(
        background_builder(&schema)
            .claim("checked_pii", pii())
            .build()
            .unwrap(),
    );
    let slots = *signed.credential().slots();
    for i in 0..SLOTS {
        let mut tampered = slots;
        tampered[i] += Fr::from(1u64);
        let c = Credential::from_slots(tampered).unwrap();
        let forged = SignedCredential::new(c, *signed.provider(), *signed.signature());
        assert_eq!(
            forged.verify_signature(),
            Err(SignatureError::Invalid),
            "slot {i}"
        );
    }
}

#[test]
fn c06_other_schema_id_or_reordered_slots_break_the_signature() {
    let schema = Schema::background_check();
    let signed = provider(1).issue(
        background_builder(&schema)
            .claim("checked_pii", pii())
            .build()
            .unwrap(),
    );
    let slots = *signed.credential().slots();
    let resign = |s: [Fr; SLOTS]| {
        SignedCredential::new(
            Credential::from_slots(s).unwrap(),
            *signed.provider(),
            *signed.signature(),
        )
        .verify_signature()
    };
    // The same attributes relabelled as another claim type.
    for other in Schema::all_builtin()
        .iter()
        .filter(|s| s.id() != schema.id())
    {
        let mut s = slots;
        s[0] = other.id();
        assert_eq!(resign(s), Err(SignatureError::Invalid), "{}", other.name());
    }
    // Claims swapped (result <-> package_level), and holder <-> serial.
    for (a, b) in [(5, 6), (1, 2), (7, 8)] {
        let mut s = slots;
        s.swap(a, b);
        assert_ne!(s, slots);
        assert_eq!(resign(s), Err(SignatureError::Invalid), "swap {a} {b}");
    }
}

#[test]
fn c05_signature_presented_with_another_providers_key_fails() {
    let schema = Schema::eo_insurance();
    let a = provider(1);
    let b = provider(2);
    let signed = a.issue(full(&schema).build().unwrap());
    let swapped = SignedCredential::new(
        signed.credential().clone(),
        b.public_key(),
        *signed.signature(),
    );
    assert_eq!(swapped.verify_signature(), Err(SignatureError::Invalid));
    // B's own signature on the same credential is a different signature.
    let by_b = b.issue(full(&schema).build().unwrap());
    assert_ne!(by_b.signature(), signed.signature());
    assert_eq!(by_b.verify_signature(), Ok(()));
}

#[test]
fn schema_id_follows_the_documented_rule() {
    // hash_to_field(SCHEMA_ID_DST, name || 0x00 || BE32(version)), computed independently:
    // SHA-256(len(dst) || dst || msg), big-endian, top three bits cleared.
    fn expected(name: &str, version: u32) -> Fr {
        let dst = b"vouchsafe/v1/schema-id";
        let mut h = Sha256::new();
        h.update([dst.len() as u8]);
        h.update(dst);
        h.update(name.as_bytes());
        h.update([0u8]);
        h.update(version.to_be_bytes());
        let mut d: [u8; 32] = h.finalize().into();
        d[0] &= 0x1f;
        Fr::from_be_bytes_mod_order(&d)
    }
    let bg = Schema::background_check();
    assert_eq!(bg.name(), "vouchsafe/background-check");
    assert_eq!(bg.version(), 1);
    assert_eq!(bg.id(), expected("vouchsafe/background-check", 1));
    for s in Schema::all_builtin() {
        assert_eq!(s.id(), expected(s.name(), s.version()));
    }
    assert_eq!(
        Schema::id_for("vouchsafe/background-check", 2),
        expected("vouchsafe/background-check", 2)
    );
}

#[test]
fn builtin_schemas_are_distinct_and_found_by_name() {
    let all = Schema::all_builtin();
    assert_eq!(all.len(), 4);
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert_ne!(a.id(), b.id());
        }
        assert_eq!(Schema::builtin(a.name()).as_ref(), Some(a));
    }
    for name in [
        "vouchsafe/background-check",
        "vouchsafe/identity-verification",
        "vouchsafe/eo-insurance",
        "vouchsafe/credit-check",
    ] {
        assert!(Schema::builtin(name).is_some(), "{name}");
    }
    assert!(Schema::builtin("vouchsafe/background-check/v1").is_none());
    let eo = Schema::eo_insurance();
    let kinds: Vec<_> = eo
        .claims()
        .iter()
        .map(|c| (c.name.as_str(), c.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("coverage", ClaimKind::U64),
            ("per_claim_limit", ClaimKind::U64),
            ("policy_class", ClaimKind::Text)
        ]
    );
}
