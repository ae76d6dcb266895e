//! What the fuzz targets share: the round-trip oracles and the fixed session that `verify`
//! fuzzes against (also the source of the committed seed corpora, `examples/make_seeds.rs`).
//!
//! The oracles (issue 7, item 1): a decoder never panics (libFuzzer reports a panic as a
//! crash), never hangs (`-timeout`), stays within bounded memory (`-rss_limit_mb`), and
//! whatever it accepts re-encodes canonically:
//! - binary encodings (proofs, keys, points, signatures, field elements): the re-encoding is
//!   exactly the input bytes, since every accepted encoding must be the only one of its value;
//! - JSON objects: JSON allows insignificant whitespace, escapes and any order of an object's
//!   members, so one JSON value has many byte spellings, and no digest or signature is ever
//!   taken over received JSON bytes (a request's digest is over its re-encoding). The oracle is
//!   that the re-encoding decodes to an equal value, re-encodes to the same bytes (one
//!   canonical form), and is the same JSON value as the input: the decoders accept exactly one
//!   JSON value per object.

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::fmt::Debug;
use std::sync::OnceLock;
use vouchsafe::credential::{ClaimValue, CredentialBuilder, SignedCredential};
use vouchsafe::holder::Holder;
use vouchsafe::keys::{setup_for_development, ProvingKey, VerifyingKey};
use vouchsafe::primitives::presentation::{Op, Policy, Predicate};
use vouchsafe::provider::Provider;
use vouchsafe::registry::Registry;
use vouchsafe::revocation::{RevocationList, RevocationRequest};
use vouchsafe::schema::Schema;
use vouchsafe::verifier::{
    IssuedChallenge, NonceStore, Presentation, RegistryRoots, Request, Verifier, VerifierConfig,
    VerifyError,
};
use vouchsafe_circuits::Fr;

/// Checks a binary decoder: anything accepted re-encodes to exactly `input`.
pub fn binary_round_trip<T, E>(
    input: &[u8],
    decode: impl Fn(&[u8]) -> Result<T, E>,
    encode: impl Fn(&T) -> Vec<u8>,
) {
    if let Ok(value) = decode(input) {
        assert_eq!(encode(&value), input, "accepted a non-canonical encoding");
    }
}

/// Checks a JSON decoder (module docs): the re-encoding of anything accepted is a fixed point,
/// decodes to an equal value, and is the same JSON value as the input (so no two JSON values
/// decode to one object: no padding, no second spelling of a number or a field element).
pub fn json_round_trip<T: PartialEq + Debug, E: Debug>(
    input: &[u8],
    decode: impl Fn(&str) -> Result<T, E>,
    encode: impl Fn(&T) -> String,
) {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    let Ok(value) = decode(text) else {
        return;
    };
    let canonical = encode(&value);
    let again = match decode(&canonical) {
        Ok(v) => v,
        Err(e) => panic!("the re-encoding of an accepted value is refused: {e:?}"),
    };
    assert_eq!(again, value, "the re-encoding decodes to another value");
    assert_eq!(encode(&again), canonical, "two canonical forms");
    let as_json = |s: &str| serde_json::from_str::<serde_json::Value>(s).ok();
    assert_eq!(
        as_json(text),
        as_json(&canonical),
        "accepted a JSON value other than the canonical one"
    );
}

/// The `now` of the fixed session.
pub const NOW: u64 = 1_780_000_000;

/// A nonce store that accepts the fixed request's challenge every time (the fuzzer replays
/// one request millions of times) and nothing else; it applies the library's own consumption
/// rule to a fresh copy of the challenge on every call.
pub struct ReplayableStore {
    challenge: Fr,
    issued: IssuedChallenge,
}

impl NonceStore for ReplayableStore {
    fn register(&self, _: Fr, _: [u8; 32], _: u64) {}

    fn consume(&self, challenge: Fr, digest: [u8; 32], now: u64) -> Result<(), VerifyError> {
        if challenge != self.challenge {
            return Err(VerifyError::ChallengeUnknown);
        }
        let mut fresh = self.issued;
        fresh.consume(digest, now)
    }
}

/// One whole session, made deterministically from a fixed seed: every object of the formats
/// document, and a verifier with a request that `presentation` answers.
pub struct Session {
    pub pk: ProvingKey,
    pub vk: VerifyingKey,
    pub schema: Schema,
    pub provider: Provider,
    pub credential: SignedCredential,
    pub registry: Registry,
    pub revocations: RevocationList,
    pub revocation_request: RevocationRequest,
    pub request: Request,
    pub presentation: Presentation,
    pub verifier: Verifier<RegistryRoots, ReplayableStore>,
}

/// The committed seed of the `verify` target.
const VERIFY_SEED: &str = include_str!("../seeds/verify/honest");

/// Panics unless the committed `verify` seed is the session's honest presentation, so that a
/// change to setup, proving or the formats that leaves the seed stale fails the target's
/// first run (CI's smoke run) instead of silently fuzzing from a presentation that no longer
/// verifies. Regenerate with `examples/make_seeds.rs`.
pub fn check_committed_seed() {
    assert_eq!(
        session().presentation.to_json(),
        VERIFY_SEED,
        "fuzz/seeds is stale: cargo run --release --manifest-path fuzz/Cargo.toml --example make_seeds"
    );
}

/// The session, made once per process (a few seconds: setup and one proof).
pub fn session() -> &'static Session {
    static SESSION: OnceLock<Session> = OnceLock::new();
    SESSION.get_or_init(make_session)
}

fn make_session() -> Session {
    let mut rng = ChaCha20Rng::seed_from_u64(0x766f_7563_6873_6166);
    let day = 86_400;
    let (pk, vk) = setup_for_development(&mut rng).expect("setup");
    let schema = Schema::eo_insurance();
    let provider = Provider::from_seed([7u8; 32]);
    let mut registry = Registry::new_at(NOW - 10 * day);
    registry
        .approve(&provider.public_key(), schema.id(), NOW - 9 * day)
        .expect("approve");
    let holder = Holder::generate(&mut rng);
    let credential = provider.issue(
        CredentialBuilder::new(&schema)
            .holder(holder.commitment())
            .validity(NOW - 30 * day, NOW + 300 * day)
            .claim("coverage", ClaimValue::U64(2_000_000))
            .claim("per_claim_limit", ClaimValue::U64(1_000_000))
            .claim("policy_class", ClaimValue::text("technology E&O"))
            .build_with_rng(&mut rng)
            .expect("credential"),
    );
    // A second credential, revoked, so that the revocation list is not empty.
    let revoked = provider.issue(
        CredentialBuilder::new(&schema)
            .holder(holder.commitment())
            .validity(NOW - 30 * day, NOW + 300 * day)
            .claim("coverage", ClaimValue::U64(500_000))
            .claim("per_claim_limit", ClaimValue::U64(250_000))
            .claim("policy_class", ClaimValue::text("technology E&O"))
            .build_with_rng(&mut rng)
            .expect("credential"),
    );
    let revocation_request = RevocationRequest::sign(&provider, revoked.credential().serial());
    let mut revocations = RevocationList::new_at(NOW - 10 * day);
    revocations
        .revoke(&revocation_request, &registry, NOW - day)
        .expect("revoke");

    let coverage = schema.slot_of("coverage").expect("coverage slot");
    let policy = Policy {
        schema_id: schema.id(),
        predicates: [
            Predicate::compare(coverage, Op::Ge, 1_000_000).expect("predicate"),
            Predicate::none(),
            Predicate::none(),
            Predicate::none(),
        ],
    };
    let roots = RegistryRoots::new(registry.accepted_roots(), revocations.accepted_roots());
    let issuing = Verifier::new(
        vk.prepare(),
        VerifierConfig::new("client:fuzz"),
        roots.clone(),
    );
    let request = issuing
        .request(policy, Some("vendor-onboarding"), NOW, &mut rng)
        .expect("request");
    let presentation = holder
        .prove(
            &pk,
            &request,
            &credential,
            &registry,
            &revocations,
            &mut rng,
        )
        .expect("prove");
    let store = ReplayableStore {
        challenge: request.challenge(),
        issued: IssuedChallenge::new(request.digest(), request.expires_at()),
    };
    let verifier = Verifier::with_store(
        vk.prepare(),
        VerifierConfig::new("client:fuzz"),
        roots,
        store,
    );
    verifier
        .verify(&request, &presentation, NOW)
        .expect("the fixed presentation verifies");
    Session {
        pk,
        vk,
        schema,
        provider,
        credential,
        registry,
        revocations,
        revocation_request,
        request,
        presentation,
        verifier,
    }
}
