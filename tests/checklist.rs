//! The negative tests of the team's security checklist (section 3 of the shared security notes,
//! IDs A01..L03) that had no test of their own, or only part of one. Each test is named by the
//! IDs it covers and asserts the exact error variant, or the exact verdict. `docs/CHECKLIST.md`
//! maps every ID to its tests, here and elsewhere.
//!
//! Cost: every check a verifier makes before the pairing is independent of how its key was
//! made, so most tests here use a hand-made verifying key (multiples of the generators: valid,
//! not weak, and with no known proof) and a dummy proof, which reaches the pairing and fails
//! there. The tests that need a real proof share one development setup and two presentations
//! (with and without a pseudonym scope), built once for the whole file; each such test builds
//! its own verifier with a fresh nonce store, so that tests running in parallel never consume
//! each other's challenge.

// Test code: a failed unwrap is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ark_bn254::{Bn254, Fq, Fq2, G1Affine, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInteger, PrimeField, UniformRand, Zero};
use ark_serialize::CanonicalSerialize;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::OnceLock;
use vouchsafe::credential::{ClaimValue, CredentialBuilder, SignedCredential};
use vouchsafe::holder::{Holder, HolderSecret, ProveError};
use vouchsafe::keys::{
    setup_for_development, KeyError, PreparedVerifyingKey, Proof, ProvingKey, VerifyingKey,
    MAX_KEY_BYTES, PROOF_LEN,
};
use vouchsafe::primitives::babyjubjub::{Point, PointError};
use vouchsafe::primitives::eddsa::PublicKey;
use vouchsafe::primitives::field::{self, FieldError};
use vouchsafe::primitives::poseidon;
use vouchsafe::primitives::presentation::{
    issuer_leaf, nullifier, Op, Policy, Predicate, NUM_PUBLIC_INPUTS,
};
use vouchsafe::primitives::revocation::{revocation_id, revocation_leaf};
use vouchsafe::primitives::tags::FieldTag;
use vouchsafe::primitives::Fr;
use vouchsafe::provider::{public_key_from_bytes, public_key_from_json, Provider};
use vouchsafe::registry::{AcceptedRoots, Registry, RegistryError};
use vouchsafe::revocation::{
    revocation_message, RevocationList, RevocationListError, RevocationRequest,
};
use vouchsafe::schema::Schema;
use vouchsafe::verifier::{
    verify_batch, verify_raw, InMemoryNonceStore, NonceStore, Presentation, RegistryRoots, Request,
    RootAcceptance, TrustedRoots, Verifier, VerifierConfig, VerifyError, MAX_MESSAGE_BYTES,
};
use vouchsafe::wire::DecodeError;

const NOW: u64 = 1_790_000_000;
const DAY: u64 = 86_400;
const VERIFIER: &str = "client-checklist";

// Canary values of the credential: distinctive, so that a leak can be searched for.
const HOLDER_SECRET: [u8; 32] = [0x17; 32];
const SERIAL: u64 = 918_273_645;
const PACKAGE_LEVEL: u64 = 7_654_321;
const JURISDICTION: &str = "canary-jurisdiction-XQ";
const ISSUED_AT: u64 = NOW - 3 * DAY - 1_234;
const EXPIRES_AT: u64 = NOW + 400 * DAY + 4_321;

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

fn ser<T: CanonicalSerialize>(t: &T) -> Vec<u8> {
    let mut v = Vec::new();
    t.serialize_compressed(&mut v).unwrap();
    v
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn g1(k: u64) -> G1Affine {
    (G1Affine::generator() * Fr::from(k)).into_affine()
}

fn g2(k: u64) -> G2Affine {
    (G2Affine::generator() * Fr::from(k)).into_affine()
}

/// 32 little-endian bytes of a base-field integer (no flags).
fn fq_le(x: &Fq) -> Vec<u8> {
    x.into_bigint().to_bytes_le()
}

/// A verifying key of the presentation circuit's shape made of multiples of the generators:
/// it passes every check of `VerifyingKey::from_bytes`, and nobody knows a proof under it.
fn fake_ark_vk(k: u64) -> ark_groth16::VerifyingKey<Bn254> {
    ark_groth16::VerifyingKey {
        alpha_g1: g1(2 * k),
        beta_g2: g2(3 * k),
        gamma_g2: g2(5 * k),
        delta_g2: g2(7 * k),
        gamma_abc_g1: (0..=NUM_PUBLIC_INPUTS as u64)
            .map(|i| g1(11 * k + i))
            .collect(),
    }
}

fn fake_vk() -> VerifyingKey {
    VerifyingKey::from_bytes(&ser(&fake_ark_vk(1))).unwrap()
}

fn fake_pvk() -> PreparedVerifyingKey {
    static PVK: OnceLock<PreparedVerifyingKey> = OnceLock::new();
    PVK.get_or_init(|| fake_vk().prepare()).clone()
}

/// A small proving key around `vk`: one point per list. It decodes (a proving key has no
/// shape check), and cannot prove anything.
fn small_ark_pk(vk: ark_groth16::VerifyingKey<Bn254>) -> ark_groth16::ProvingKey<Bn254> {
    ark_groth16::ProvingKey {
        vk,
        beta_g1: g1(23),
        delta_g1: g1(29),
        a_query: vec![g1(31), g1(37)],
        b_g1_query: vec![g1(41), g1(43)],
        b_g2_query: vec![g2(47), g2(53)],
        h_query: vec![g1(59)],
        l_query: vec![g1(61)],
    }
}

fn dummy_ark_proof() -> ark_groth16::Proof<Bn254> {
    ark_groth16::Proof {
        a: g1(13),
        b: g2(17),
        c: g1(19),
    }
}

fn dummy_proof() -> Proof {
    Proof::from_bytes(&ser(&dummy_ark_proof())).unwrap()
}

/// A presentation's JSON around arbitrary proof bytes.
fn presentation_json_with_proof(proof: &[u8]) -> String {
    format!(
        r#"{{"version":1,"issuers_root":"1","revocation_root":"2","nullifier":"0","proof":"{}"}}"#,
        hex(proof)
    )
}

/// A point of the BN254 twist that is not in the r-torsion (SECURITY.md section 5).
fn g2_outside_the_subgroup() -> G2Affine {
    (1u64..)
        .find_map(|k| {
            G2Affine::get_point_from_x_unchecked(Fq2::new(Fq::from(k), Fq::from(1u64)), false)
                .filter(|p| !p.is_in_correct_subgroup_assuming_on_curve())
        })
        .unwrap()
}

struct World {
    provider: Provider,
    registry: Registry,
    revocations: RevocationList,
    holder: Holder,
    cred: SignedCredential,
}

fn schema() -> Schema {
    Schema::background_check()
}

fn world() -> World {
    let schema = schema();
    let provider = Provider::from_seed([0x42; 32]);
    let mut registry = Registry::new_at(NOW - 20 * DAY);
    registry
        .approve(&provider.public_key(), schema.id(), NOW - 10 * DAY)
        .unwrap();
    let holder = Holder::new(HolderSecret::from_bytes(&HOLDER_SECRET).unwrap());
    let cred = provider.issue(
        CredentialBuilder::new(&schema)
            .holder(holder.commitment())
            .serial(Fr::from(SERIAL))
            .validity(ISSUED_AT, EXPIRES_AT)
            .claim("result", ClaimValue::U64(1))
            .claim("package_level", ClaimValue::U64(PACKAGE_LEVEL))
            .claim("jurisdiction", ClaimValue::text(JURISDICTION))
            .claim(
                "checked_pii",
                ClaimValue::Pii {
                    data: b"Canary Person|000-00-0000".to_vec(),
                    salt: [0x33; 32],
                },
            )
            .build()
            .unwrap(),
    );
    World {
        provider,
        registry,
        revocations: RevocationList::new_at(NOW - 20 * DAY),
        holder,
        cred,
    }
}

/// "result == 1", the policy every test asks for.
fn passed() -> Policy {
    let slot = schema().slot_of("result").unwrap();
    Policy {
        schema_id: schema().id(),
        predicates: [
            Predicate::compare(slot, Op::Eq, 1).unwrap(),
            Predicate::none(),
            Predicate::none(),
            Predicate::none(),
        ],
    }
}

fn roots(w: &World) -> RegistryRoots {
    RegistryRoots::new(w.registry.accepted_roots(), w.revocations.accepted_roots())
}

/// A verifier under the hand-made key: every check before the pairing is real.
fn fake_verifier(w: &World) -> Verifier<RegistryRoots> {
    Verifier::new(fake_pvk(), VerifierConfig::new(VERIFIER), roots(w))
}

/// A presentation naming the world's current roots, with the dummy proof.
fn dummy_presentation(w: &World, nullifier: Fr) -> Presentation {
    Presentation {
        issuers_root: w.registry.root(),
        revocation_root: w.revocations.root(),
        nullifier,
        proof: dummy_proof(),
    }
}

fn edit_json(json: &str, f: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(json).unwrap();
    f(&mut v);
    v.to_string()
}

fn is_malformed<T: std::fmt::Debug>(r: &Result<T, VerifyError>) -> bool {
    matches!(r, Err(VerifyError::Malformed(_)))
}

/// `x + r` as a decimal string: what a lax decoder would reduce back to `x`.
fn plus_r(x: &Fr) -> String {
    let mut b = x.into_bigint();
    assert!(!b.add_with_carry(&Fr::MODULUS));
    b.to_string()
}

// ---------------------------------------------------------------------------------------------
// The shared real session: one setup, two presentations.

fn keys() -> &'static (ProvingKey, VerifyingKey) {
    static KEYS: OnceLock<(ProvingKey, VerifyingKey)> = OnceLock::new();
    KEYS.get_or_init(|| setup_for_development(&mut rng(0xc4ec)).unwrap())
}

fn pvk() -> PreparedVerifyingKey {
    static PVK: OnceLock<PreparedVerifyingKey> = OnceLock::new();
    PVK.get_or_init(|| keys().1.prepare()).clone()
}

struct Session {
    w: World,
    req: Request,
    pres: Presentation,
    request_seed: u64,
    proof_seed: u64,
}

impl Session {
    fn new(scope: Option<&str>, request_seed: u64, proof_seed: u64) -> Session {
        let w = world();
        let v = Verifier::new(pvk(), VerifierConfig::new(VERIFIER), roots(&w));
        let req = v
            .request(passed(), scope, NOW, &mut rng(request_seed))
            .unwrap();
        let pres = w
            .holder
            .prove(
                &keys().0,
                &req,
                &w.cred,
                &w.registry,
                &w.revocations,
                &mut rng(proof_seed),
            )
            .unwrap();
        Session {
            w,
            req,
            pres,
            request_seed,
            proof_seed,
        }
    }

    fn inputs(&self) -> [Fr; NUM_PUBLIC_INPUTS] {
        self.req
            .statement(
                self.pres.issuers_root,
                self.pres.revocation_root,
                self.pres.nullifier,
            )
            .to_field_elements()
    }

    /// A verifier of its own, whose fresh nonce store holds this session's challenge.
    fn verifier(&self) -> Verifier<RegistryRoots> {
        let store = InMemoryNonceStore::default();
        store.register(
            self.req.challenge(),
            self.req.digest(),
            self.req.expires_at(),
        );
        Verifier::with_store(pvk(), VerifierConfig::new(VERIFIER), roots(&self.w), store)
    }
}

/// A presentation answering a request with a pseudonym scope.
fn scoped() -> &'static Session {
    static S: OnceLock<Session> = OnceLock::new();
    S.get_or_init(|| Session::new(Some("checklist-scope"), 101, 102))
}

/// A presentation answering a request without a scope: its last two public inputs are 0.
fn unscoped() -> &'static Session {
    static S: OnceLock<Session> = OnceLock::new();
    S.get_or_init(|| Session::new(None, 201, 202))
}

fn with_proof(pres: &Presentation, proof: &ark_groth16::Proof<Bn254>) -> Presentation {
    Presentation {
        proof: Proof::from_bytes(&ser(proof)).unwrap(),
        ..pres.clone()
    }
}

// ---------------------------------------------------------------------------------------------
// A. Wire decoding

/// A05: a G1 point (proof A or C, or a key's alpha) whose x has no y on `y^2 = x^3 + 3`: the
/// compressed form of a point off the curve. (The uncompressed form is not a proof encoding:
/// its length is refused.)
#[test]
fn a05_g1_points_off_the_curve_are_refused() {
    let x = (1u64..)
        .map(Fq::from)
        .find(|x| G1Affine::get_point_from_x_unchecked(*x, false).is_none())
        .unwrap();
    let good = ser(&dummy_ark_proof());
    for (name, offset) in [("A", 0usize), ("C", 96)] {
        for sign in [0u8, 0x80] {
            let mut b = good.clone();
            b[offset..offset + 32].copy_from_slice(&fq_le(&x));
            b[offset + 31] |= sign;
            assert!(
                matches!(Proof::from_bytes(&b), Err(KeyError::Invalid(_))),
                "{name}"
            );
            assert!(is_malformed(&Presentation::from_json(
                &presentation_json_with_proof(&b)
            )));
        }
    }
    // B: an x in Fq2 with no y on the twist
    let x2 = (1u64..)
        .map(|k| Fq2::new(Fq::from(k), Fq::from(1u64)))
        .find(|x| G2Affine::get_point_from_x_unchecked(*x, false).is_none())
        .unwrap();
    let mut b = good.clone();
    b[32..96].copy_from_slice(&ser(&x2));
    assert!(matches!(Proof::from_bytes(&b), Err(KeyError::Invalid(_))));
    // in a verifying key
    let mut vk = ser(&fake_ark_vk(1));
    vk[..32].copy_from_slice(&fq_le(&x));
    assert!(matches!(
        VerifyingKey::from_bytes(&vk),
        Err(KeyError::Invalid(_))
    ));
    let mut unc = Vec::new();
    dummy_ark_proof().serialize_uncompressed(&mut unc).unwrap();
    assert_eq!(
        Proof::from_bytes(&unc),
        Err(KeyError::Length {
            expected: PROOF_LEN,
            got: unc.len()
        })
    );
}

/// A06: proof B on the twist but outside the r-torsion, built without validation and
/// serialized (serialization does not validate): refused in a proof, a presentation, a
/// verifying key and a proving key.
#[test]
fn a06_g2_points_outside_the_subgroup_are_refused() {
    let bad = g2_outside_the_subgroup();
    assert!(bad.is_on_curve());
    assert!(!bad.is_in_correct_subgroup_assuming_on_curve());
    let proof = ark_groth16::Proof::<Bn254> {
        b: bad,
        ..dummy_ark_proof()
    };
    let bytes = ser(&proof);
    assert_eq!(bytes.len(), PROOF_LEN);
    assert!(matches!(
        Proof::from_bytes(&bytes),
        Err(KeyError::Invalid(_))
    ));
    assert!(is_malformed(&Presentation::from_json(
        &presentation_json_with_proof(&bytes)
    )));
    for field in 0..3 {
        let mut vk = fake_ark_vk(1);
        match field {
            0 => vk.beta_g2 = bad,
            1 => vk.gamma_g2 = bad,
            _ => vk.delta_g2 = bad,
        }
        assert!(matches!(
            VerifyingKey::from_bytes(&ser(&vk)),
            Err(KeyError::Invalid(_))
        ));
    }
    let mut pk = small_ark_pk(fake_ark_vk(1));
    assert!(ProvingKey::from_bytes(&ser(&pk)).is_ok());
    pk.b_g2_query[1] = bad;
    assert!(matches!(
        ProvingKey::from_bytes(&ser(&pk)),
        Err(KeyError::Invalid(_))
    ));
}

/// A07: a coordinate at or above the base-field modulus q, in every point of a proof and in a
/// key: refused, never reduced.
#[test]
fn a07_coordinates_at_or_above_q_are_refused() {
    let q = Fq::MODULUS;
    let mut q_plus_1 = q;
    q_plus_1.add_with_carry(&ark_ff::BigInt::from(1u64));
    // the largest 254-bit value (the two top bits of the last byte are the flags)
    let mut max = [0xffu8; 32];
    max[31] = 0x3f;
    let good = ser(&dummy_ark_proof());
    for x in [q.to_bytes_le(), q_plus_1.to_bytes_le(), max.to_vec()] {
        for (name, offset) in [("A", 0usize), ("B.c0", 32), ("B.c1", 64), ("C", 96)] {
            let mut b = good.clone();
            let flags = b[offset + 31] & 0xc0;
            b[offset..offset + 32].copy_from_slice(&x);
            if name != "B.c0" {
                b[offset + 31] |= flags;
            }
            assert!(
                matches!(Proof::from_bytes(&b), Err(KeyError::Invalid(_))),
                "{name}"
            );
        }
        // the input commitment IC_3 of a verifying key
        let mut vk = ser(&fake_ark_vk(1));
        let at = 232 + 3 * 32;
        vk[at..at + 32].copy_from_slice(&x);
        assert!(matches!(
            VerifyingKey::from_bytes(&vk),
            Err(KeyError::Invalid(_))
        ));
    }
}

/// A09: every accepted point encoding is the canonical one. The compressed decoder maps "the
/// infinity flag with any x < q" to the identity: such an encoding is refused as
/// non-canonical, in A, B, C and in a key, while the canonical identity decodes (B05 shows it
/// then fails verification). Both flags at once are no encoding at all.
#[test]
fn a09_non_canonical_point_encodings_are_refused() {
    let good = ser(&dummy_ark_proof());
    for (offset, len) in [(0usize, 32usize), (32, 64), (96, 32)] {
        let mut b = good.clone();
        b[offset..offset + len].fill(0);
        b[offset + len - 1] = 0x40;
        let p = Proof::from_bytes(&b).unwrap();
        assert_eq!(p.to_bytes().to_vec(), b);
        b[offset] = 5;
        assert_eq!(
            Proof::from_bytes(&b),
            Err(KeyError::NonCanonical),
            "{offset}"
        );
        b[offset] = 0;
        b[offset + len - 1] = 0xc0;
        assert!(matches!(Proof::from_bytes(&b), Err(KeyError::Invalid(_))));
    }
    // in a verifying key: refused as non-canonical before the weak-key checks see an identity
    let mut vk = ser(&fake_ark_vk(1));
    let ic0 = 232;
    vk[ic0..ic0 + 32].fill(0);
    vk[ic0] = 5;
    vk[ic0 + 31] = 0x40;
    assert_eq!(VerifyingKey::from_bytes(&vk), Err(KeyError::NonCanonical));
    // every single-bit change of a proof either is refused or re-encodes to itself
    let mut accepted = 0;
    for i in 0..PROOF_LEN {
        for bit in [0u8, 6, 7] {
            let mut b = good.clone();
            b[i] ^= 1 << bit;
            match Proof::from_bytes(&b) {
                Ok(p) => {
                    accepted += 1;
                    assert_eq!(p.to_bytes().to_vec(), b);
                }
                Err(e) => assert!(
                    matches!(e, KeyError::Invalid(_) | KeyError::NonCanonical),
                    "{e:?}"
                ),
            }
        }
    }
    assert!(accepted > 0);
}

/// A11: one known-bad point through every public entry point that reads it, each with its
/// exact error; and no decoder in the code base is called without validation.
#[test]
fn a11_a_known_bad_point_is_refused_by_every_entry_point() {
    // BN254: a G2 point outside the subgroup, as bytes, in JSON, in both key files
    let bad = g2_outside_the_subgroup();
    let proof = ser(&ark_groth16::Proof::<Bn254> {
        b: bad,
        ..dummy_ark_proof()
    });
    assert!(matches!(
        Proof::from_bytes(&proof),
        Err(KeyError::Invalid(_))
    ));
    assert!(is_malformed(&Presentation::from_json(
        &presentation_json_with_proof(&proof)
    )));
    let mut vk = fake_ark_vk(1);
    vk.beta_g2 = bad;
    assert!(matches!(
        VerifyingKey::from_bytes(&ser(&vk)),
        Err(KeyError::Invalid(_))
    ));
    assert!(matches!(
        ProvingKey::from_bytes(&ser(&small_ark_pk(vk))),
        Err(KeyError::Invalid(_))
    ));

    // Baby Jubjub: a provider key with a torsion component of order 2, A + (0, -1) = (-x, -y)
    let w = world();
    let a = w.provider.public_key().point();
    let (bx, by) = (-a.x(), -a.y());
    let torsioned = Point::new(bx, by).unwrap();
    assert!(!torsioned.is_in_subgroup());
    let not_in_subgroup = PointError::NotInSubgroup;
    assert_eq!(PublicKey::from_point(torsioned), Err(not_in_subgroup));
    assert_eq!(PublicKey::from_xy(bx, by), Err(not_in_subgroup));
    assert_eq!(
        PublicKey::from_bytes(&torsioned.pack()),
        Err(not_in_subgroup)
    );
    assert_eq!(
        public_key_from_bytes(&torsioned.pack()),
        Err(DecodeError::Point(not_in_subgroup))
    );
    let key_json = format!(
        r#"{{"version":1,"x":"{}","y":"{}"}}"#,
        field::to_decimal(&bx),
        field::to_decimal(&by)
    );
    assert_eq!(
        public_key_from_json(&key_json),
        Err(DecodeError::Point(not_in_subgroup))
    );
    let cred = edit_json(&w.cred.to_json(&schema()).unwrap(), |v| {
        v["provider"]["x"] = json!(field::to_decimal(&bx));
        v["provider"]["y"] = json!(field::to_decimal(&by));
    });
    assert_eq!(
        SignedCredential::from_json(&cred),
        Err(DecodeError::Point(not_in_subgroup))
    );
    let snapshot = edit_json(&w.registry.to_snapshot_json(), |v| {
        v["approvals"][0]["x"] = json!(field::to_decimal(&bx));
        v["approvals"][0]["y"] = json!(field::to_decimal(&by));
    });
    let bad_key = RegistryError::BadKey {
        index: 0,
        source: not_in_subgroup,
    };
    assert_eq!(
        Registry::from_snapshot_json(&snapshot).err(),
        Some(bad_key.clone())
    );
    assert_eq!(
        AcceptedRoots::from_snapshot_json(&snapshot).err(),
        Some(bad_key)
    );
    let revocation = edit_json(&w.provider.revoke(Fr::from(1u64)).to_json(), |v| {
        v["provider_x"] = json!(field::to_decimal(&bx));
        v["provider_y"] = json!(field::to_decimal(&by));
    });
    assert_eq!(
        RevocationRequest::from_json(&revocation),
        Err(RevocationListError::Decode(not_in_subgroup.to_string()))
    );

    // no unvalidated deserialization anywhere in the library, the circuits or the command
    let root = env!("CARGO_MANIFEST_DIR");
    let mut files = Vec::new();
    for dir in ["src", "circuits/src", "cli/src"] {
        collect_rs_files(&std::path::Path::new(root).join(dir), &mut files);
    }
    assert!(files.len() > 20, "{files:?}");
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for banned in [
            "Validate::No",
            "deserialize_compressed_unchecked",
            "deserialize_uncompressed_unchecked",
            "CompressedUnchecked",
            "UncompressedUnchecked",
        ] {
            assert!(!text.contains(banned), "{} uses {banned}", f.display());
        }
    }
}

fn collect_rs_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_rs_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A12, B12: oversized inputs are refused by their size before any parsing, and a claimed
/// length never sizes an allocation or a loop beyond the input (bounded work, asserted through
/// the error that stops it, never through a time).
#[test]
fn a12_b12_oversized_inputs_are_refused_before_parsing() {
    // presentations and requests over 64 KiB: refused by size, before the JSON parser
    let big = "x".repeat(MAX_MESSAGE_BYTES + 1);
    assert_eq!(
        Presentation::from_json(&big),
        Err(VerifyError::Malformed(format!(
            "presentation larger than {MAX_MESSAGE_BYTES} bytes"
        )))
    );
    assert_eq!(
        Request::from_json(&big),
        Err(VerifyError::Malformed(format!(
            "request larger than {MAX_MESSAGE_BYTES} bytes"
        )))
    );
    // at the cap the same junk reaches the parser, and fails there with another message
    match Presentation::from_json(&big[1..]) {
        Err(VerifyError::Malformed(m)) => assert!(!m.contains("larger than"), "{m}"),
        other => panic!("{other:?}"),
    }
    // key files over 64 MiB: TooLarge, nothing read
    let huge = vec![0u8; MAX_KEY_BYTES + 1];
    let too_large = KeyError::TooLarge {
        max: MAX_KEY_BYTES,
        got: MAX_KEY_BYTES + 1,
    };
    assert_eq!(VerifyingKey::from_bytes(&huge), Err(too_large.clone()));
    assert_eq!(ProvingKey::from_bytes(&huge).err(), Some(too_large));
    drop(huge);
    // a verifying key with 10^6 input commitments: refused by its length, before parsing
    let million = 32 + 3 * 64 + 8 + 32 * 1_000_000;
    assert_eq!(
        VerifyingKey::from_bytes(&vec![0u8; million]),
        Err(KeyError::Length {
            expected: 488,
            got: million
        })
    );
    // a length prefix of u64::MAX in a key: the decoder reads until the input ends and refuses
    let mut vk = ser(&fake_ark_vk(1));
    vk[224..232].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(matches!(
        VerifyingKey::from_bytes(&vk),
        Err(KeyError::Invalid(_))
    ));
    let mut pk = ser(&small_ark_pk(fake_ark_vk(1)));
    let a_query_len = 488 + 2 * 32;
    assert_eq!(&pk[a_query_len..a_query_len + 8], &2u64.to_le_bytes()[..]);
    pk[a_query_len..a_query_len + 8].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(matches!(
        ProvingKey::from_bytes(&pk),
        Err(KeyError::Invalid(_))
    ));
    // 10^6 public inputs: the count is checked before any arithmetic
    let many = vec![Fr::from(1u64); 1_000_000];
    assert_eq!(
        verify_raw(&fake_pvk(), &many, &dummy_proof()),
        Err(VerifyError::PublicInputCount {
            expected: NUM_PUBLIC_INPUTS,
            got: 1_000_000
        })
    );
    // a 10^6-digit decimal is refused by its length, never converted
    assert_eq!(
        field::parse_decimal(&"7".repeat(1_000_000)),
        Err(FieldError::TooLong {
            max: 77,
            got: 1_000_000
        })
    );
    // and a 60,000-digit nullifier inside the size cap
    let long = presentation_json_with_proof(&ser(&dummy_ark_proof())).replace(
        "\"nullifier\":\"0\"",
        &format!("\"nullifier\":\"{}\"", "7".repeat(60_000)),
    );
    assert_eq!(
        Presentation::from_json(&long),
        Err(VerifyError::Malformed(format!(
            "nullifier: {}",
            FieldError::TooLong {
                max: 77,
                got: 60_000
            }
        )))
    );
    // JSON nested 10^4 deep: an error, not a stack overflow
    let deep = format!(
        r#"{{"version":1,"issuers_root":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert!(is_malformed(&Presentation::from_json(&deep)));
    assert!(is_malformed(&Request::from_json(&deep)));
}

/// A03, A13: requests and presentations as JSON: a field element as a JSON number, unknown,
/// missing, `null`, duplicated and wrong-typed fields are all refused (`Malformed`). The one
/// documented exception, a `null` scope label (no pseudonym), is accepted.
#[test]
fn a03_a13_request_and_presentation_json_is_strict() {
    let w = world();
    let v = fake_verifier(&w);
    let req = v.request(passed(), Some("s"), NOW, &mut rng(1)).unwrap();
    let rj = req.to_json();
    assert_eq!(Request::from_json(&rj), Ok(req.clone()));
    let bad_request = |s: String| assert!(is_malformed(&Request::from_json(&s)), "{s}");
    // A03: field elements as JSON numbers
    bad_request(edit_json(&rj, |j| j["schema_id"] = json!(5)));
    bad_request(edit_json(&rj, |j| j["predicates"][0]["value"] = json!(1)));
    // A13: unknown fields, at the top and in a predicate
    bad_request(edit_json(&rj, |j| j["extra"] = json!(1)));
    bad_request(edit_json(&rj, |j| j["predicates"][0]["extra"] = json!(1)));
    // missing and null fields (scope_label may be null, not missing)
    for key in [
        "version",
        "verifier_id",
        "nonce",
        "schema_id",
        "predicates",
        "scope_label",
        "now",
        "expires_at",
        "vk_fingerprint",
    ] {
        bad_request(edit_json(&rj, |j| {
            j.as_object_mut().unwrap().remove(key);
        }));
        if key != "scope_label" {
            bad_request(edit_json(&rj, |j| j[key] = Value::Null));
        }
    }
    let unscoped = Request::from_json(&edit_json(&rj, |j| j["scope_label"] = Value::Null)).unwrap();
    assert_eq!(unscoped.scope_label(), None);
    for key in ["slot", "op", "value"] {
        bad_request(edit_json(&rj, |j| {
            j["predicates"][0].as_object_mut().unwrap().remove(key);
        }));
        bad_request(edit_json(&rj, |j| j["predicates"][0][key] = Value::Null));
    }
    // wrong types
    bad_request(edit_json(&rj, |j| j["now"] = json!(NOW.to_string())));
    bad_request(edit_json(&rj, |j| j["now"] = json!(-1)));
    bad_request(edit_json(&rj, |j| j["predicates"] = json!({})));
    bad_request(edit_json(&rj, |j| j["predicates"][0]["slot"] = json!("5")));
    bad_request(edit_json(&rj, |j| j["verifier_id"] = json!(7)));
    // A09: one spelling per request: exactly four predicates (unused ones written as none),
    // never padded from fewer
    for n in [0, 1, 3, 5] {
        let r = Request::from_json(&edit_json(&rj, |j| {
            let mut ps = j["predicates"].as_array().unwrap().clone();
            ps.resize(n, ps[3].clone());
            j["predicates"] = Value::Array(ps);
        }));
        assert_eq!(
            r,
            Err(VerifyError::Malformed(format!(
                "{n} predicates: exactly 4 expected"
            )))
        );
    }
    // duplicated keys, at the top and in a predicate
    bad_request(rj.replacen("\"now\":", &format!("\"now\":{},\"now\":", NOW - 1), 1));
    bad_request(rj.replacen("{\"slot\":", "{\"slot\":6,\"slot\":", 1));

    let pj = dummy_presentation(&w, Fr::from(9u64)).to_json();
    assert!(Presentation::from_json(&pj).is_ok());
    let bad_presentation = |s: String| assert!(is_malformed(&Presentation::from_json(&s)), "{s}");
    bad_presentation(edit_json(&pj, |j| j["nullifier"] = json!(9)));
    bad_presentation(edit_json(&pj, |j| j["issuers_root"] = json!(1)));
    bad_presentation(edit_json(&pj, |j| j["extra"] = json!(1)));
    for key in [
        "version",
        "issuers_root",
        "revocation_root",
        "nullifier",
        "proof",
    ] {
        bad_presentation(edit_json(&pj, |j| {
            j.as_object_mut().unwrap().remove(key);
        }));
        bad_presentation(edit_json(&pj, |j| j[key] = Value::Null));
    }
    bad_presentation(edit_json(&pj, |j| j["proof"] = json!([1, 2])));
    bad_presentation(edit_json(&pj, |j| j["version"] = json!("1")));
    bad_presentation(pj.replacen("\"nullifier\":", "\"nullifier\":\"1\",\"nullifier\":", 1));
}

// ---------------------------------------------------------------------------------------------
// B. Groth16 verification

/// B02: with no scope, the last two public inputs (scope, nullifier) are 0. arkworks 0.6
/// reads missing trailing inputs as 0, so it accepts the prefix of five inputs (shown below);
/// vouchsafe refuses any count but 7.
#[test]
fn b02_a_prefix_with_the_trailing_zeros_dropped_is_refused() {
    let s = unscoped();
    let inputs = s.inputs();
    assert_eq!(inputs[5], Fr::zero());
    assert_eq!(inputs[6], Fr::zero());
    assert_eq!(verify_raw(&pvk(), &inputs, &s.pres.proof), Ok(()));
    let ark_pvk = ark_groth16::prepare_verifying_key(keys().1.as_ark());
    for n in [5usize, 6] {
        // arkworks alone: the short vector passes
        assert!(
            ark_groth16::Groth16::<Bn254>::verify_proof(
                &ark_pvk,
                s.pres.proof.as_ark(),
                &inputs[..n]
            )
            .unwrap(),
            "arkworks with {n} inputs"
        );
        assert_eq!(
            verify_raw(&pvk(), &inputs[..n], &s.pres.proof),
            Err(VerifyError::PublicInputCount {
                expected: NUM_PUBLIC_INPUTS,
                got: n
            })
        );
    }
    // and the batch path names the item without a pairing
    let short = [(&inputs[..5], &s.pres.proof)];
    assert_eq!(
        verify_batch(&pvk(), &short).map_err(|e| e.bad),
        Err(vec![0])
    );
}

/// B03: every public input is bound: each changed to `x + 1`, `x - 1`, 0, `r - 1` and a random
/// value, and every pair of unequal inputs swapped, the proof fails.
#[test]
fn b03_every_public_input_change_and_swap_fails() {
    let s = scoped();
    let inputs = s.inputs();
    assert!(inputs.iter().all(|x| !x.is_zero()));
    assert_eq!(verify_raw(&pvk(), &inputs, &s.pres.proof), Ok(()));
    let mut r = rng(3);
    for i in 0..NUM_PUBLIC_INPUTS {
        let x = inputs[i];
        for y in [
            x + Fr::from(1u64),
            x - Fr::from(1u64),
            Fr::zero(),
            -Fr::from(1u64),
            Fr::rand(&mut r),
        ] {
            assert_ne!(x, y);
            let mut v = inputs;
            v[i] = y;
            assert_eq!(
                verify_raw(&pvk(), &v, &s.pres.proof),
                Err(VerifyError::InvalidProof),
                "input {i} = {y}"
            );
        }
        for j in i + 1..NUM_PUBLIC_INPUTS {
            let mut v = inputs;
            v.swap(i, j);
            assert_ne!(v, inputs);
            assert_eq!(
                verify_raw(&pvk(), &v, &s.pres.proof),
                Err(VerifyError::InvalidProof),
                "swap {i} {j}"
            );
        }
    }
}

/// B04: the public inputs that travel (the two roots and the nullifier) given as `x + r` are
/// refused, never reduced to `x`; so are the request's values the verifier hashes.
#[test]
fn b04_public_inputs_plus_r_on_the_wire_are_refused() {
    let w = world();
    let pres = dummy_presentation(&w, Fr::from(1234u64));
    let pj = pres.to_json();
    assert_eq!(Presentation::from_json(&pj), Ok(pres.clone()));
    for (name, x) in [
        ("issuers_root", pres.issuers_root),
        ("revocation_root", pres.revocation_root),
        ("nullifier", pres.nullifier),
    ] {
        let bad = edit_json(&pj, |j| j[name] = json!(plus_r(&x)));
        assert_eq!(
            Presentation::from_json(&bad),
            Err(VerifyError::Malformed(format!(
                "{name}: {}",
                FieldError::Overflow
            )))
        );
    }
    let v = fake_verifier(&w);
    let rj = v
        .request(passed(), None, NOW, &mut rng(4))
        .unwrap()
        .to_json();
    assert_eq!(
        Request::from_json(&edit_json(&rj, |j| j["schema_id"] = json!(plus_r(&schema().id())))),
        Err(VerifyError::Malformed(format!(
            "schema_id: {}",
            FieldError::Overflow
        )))
    );
    assert_eq!(
        Request::from_json(&edit_json(&rj, |j| j["predicates"][0]["value"] =
            json!(plus_r(&Fr::from(1u64))))),
        Err(VerifyError::Malformed(format!(
            "value: {}",
            FieldError::Overflow
        )))
    );
}

/// B05: a valid proof with A, B or C replaced by the identity (which decodes: it is a valid
/// group element), all three identities, or A replaced by the generator: the proof fails.
#[test]
fn b05_identity_points_in_a_proof_fail() {
    let s = scoped();
    let inputs = s.inputs();
    let p = s.pres.proof.as_ark().clone();
    let variants = [
        (
            "A = O",
            ark_groth16::Proof {
                a: G1Affine::zero(),
                ..p.clone()
            },
        ),
        (
            "B = O",
            ark_groth16::Proof {
                b: G2Affine::zero(),
                ..p.clone()
            },
        ),
        (
            "C = O",
            ark_groth16::Proof {
                c: G1Affine::zero(),
                ..p.clone()
            },
        ),
        (
            "all O",
            ark_groth16::Proof {
                a: G1Affine::zero(),
                b: G2Affine::zero(),
                c: G1Affine::zero(),
            },
        ),
        (
            "A = G1",
            ark_groth16::Proof {
                a: G1Affine::generator(),
                ..p.clone()
            },
        ),
        (
            "A = G1, B = G2",
            ark_groth16::Proof {
                a: G1Affine::generator(),
                b: G2Affine::generator(),
                ..p.clone()
            },
        ),
    ];
    for (name, bad) in &variants {
        let proof = Proof::from_bytes(&ser(bad)).unwrap();
        assert_eq!(
            verify_raw(&pvk(), &inputs, &proof),
            Err(VerifyError::InvalidProof),
            "{name}"
        );
    }
    // end to end: the verifier reaches the pairing and refuses
    let v = s.verifier();
    assert_eq!(
        v.verify(&s.req, &with_proof(&s.pres, &variants[3].1), NOW),
        Err(VerifyError::InvalidProof)
    );
}

/// B06: single-bit changes of A, B and C: each is refused at decoding (invalid or
/// non-canonical) or, when it still decodes, fails verification; and some do decode.
#[test]
fn b06_bit_flips_in_a_b_c_fail() {
    let s = scoped();
    let inputs = s.inputs();
    let bytes = s.pres.proof.to_bytes();
    for (name, range) in [("A", 0..32usize), ("B", 32..96), ("C", 96..128)] {
        let mut decoded = 0;
        let last = range.end - 1;
        for i in [range.start, range.start + 1, range.start + 17, last] {
            for bit in 0..8u8 {
                let mut b = bytes;
                b[i] ^= 1 << bit;
                match Proof::from_bytes(&b) {
                    Ok(p) => {
                        decoded += 1;
                        assert_eq!(
                            verify_raw(&pvk(), &inputs, &p),
                            Err(VerifyError::InvalidProof),
                            "{name}: byte {i} bit {bit}"
                        );
                    }
                    Err(e) => assert!(
                        matches!(e, KeyError::Invalid(_) | KeyError::NonCanonical),
                        "{name}: {e:?}"
                    ),
                }
            }
        }
        // at least the sign bit (-P) decodes
        assert!(decoded > 0, "{name}");
    }
}

/// B08: `(-A, -B, C)` and arkworks' `rerandomize_proof` are new valid proofs of the same
/// statement; the verifier refuses them as replays because replay protection keys on the
/// consumed challenge, never on proof bytes. Whichever copy comes first is accepted.
#[test]
fn b08_negated_and_rerandomized_proofs_verify_but_cannot_replay() {
    let s = scoped();
    let inputs = s.inputs();
    let p = s.pres.proof.as_ark().clone();
    let negated = ark_groth16::Proof::<Bn254> {
        a: (-p.a.into_group()).into_affine(),
        b: (-p.b.into_group()).into_affine(),
        c: p.c,
    };
    let rerandomized =
        ark_groth16::Groth16::<Bn254>::rerandomize_proof(keys().1.as_ark(), &p, &mut rng(8));
    for copy in [&negated, &rerandomized] {
        assert_ne!(*copy, p);
        assert_ne!(ser(copy), ser(&p));
        let proof = Proof::from_bytes(&ser(copy)).unwrap();
        assert_eq!(verify_raw(&pvk(), &inputs, &proof), Ok(()));
    }
    // original first
    let v = s.verifier();
    v.verify(&s.req, &s.pres, NOW).unwrap();
    for copy in [&negated, &rerandomized] {
        assert_eq!(
            v.verify(&s.req, &with_proof(&s.pres, copy), NOW),
            Err(VerifyError::ChallengeReused)
        );
    }
    // a copy first: accepted (it is a valid proof), and the original is then the replay
    let v = s.verifier();
    let verified = v
        .verify(&s.req, &with_proof(&s.pres, &rerandomized), NOW)
        .unwrap();
    assert_eq!(verified.nullifier, Some(s.pres.nullifier));
    assert_eq!(
        v.verify(&s.req, &s.pres, NOW),
        Err(VerifyError::ChallengeReused)
    );
}

/// B09: the verifier takes its key from its own configuration, never from the request (the
/// API has no such argument); a request that names another key's fingerprint is refused
/// before the challenge is spent, and a holder refuses to answer a request for another key
/// than its proving key's.
#[test]
fn b09_a_request_naming_another_key_is_refused() {
    let w = world();
    let v = fake_verifier(&w);
    let req = v.request(passed(), None, NOW, &mut rng(9)).unwrap();
    let other_fp = VerifyingKey::from_bytes(&ser(&fake_ark_vk(2)))
        .unwrap()
        .fingerprint_hex();
    let other = Request::from_json(&edit_json(&req.to_json(), |j| {
        j["vk_fingerprint"] = json!(other_fp)
    }))
    .unwrap();
    assert_eq!(other.challenge(), req.challenge());
    let pres = dummy_presentation(&w, Fr::zero());
    assert_eq!(v.verify(&other, &pres, NOW), Err(VerifyError::WrongKey));
    // not spent: the issued request reaches the pairing
    assert_eq!(v.verify(&req, &pres, NOW), Err(VerifyError::InvalidProof));
    // the holder's side: a proving key of another setup
    let pk = ProvingKey::from_bytes(&ser(&small_ark_pk(fake_ark_vk(2)))).unwrap();
    assert_eq!(
        w.holder
            .prove(
                &pk,
                &req,
                &w.cred,
                &w.registry,
                &w.revocations,
                &mut rng(10)
            )
            .map(|_| ()),
        Err(ProveError::WrongKey)
    );
}

/// B10 (and L02: the checks run whenever a key is loaded, in every build): every weak
/// verifying key of the checklist is refused, with the reason; a key with another number of
/// input commitments is refused by its length (a verifying key) or as a key for another
/// circuit (the key inside a proving key).
#[test]
fn b10_every_weak_verifying_key_is_refused() {
    let good = fake_ark_vk(1);
    assert!(VerifyingKey::from_bytes(&ser(&good)).is_ok());
    type Vk = ark_groth16::VerifyingKey<Bn254>;
    let g2 = G2Affine::generator();
    let mut cases: Vec<(String, Vk, &str)> = Vec::new();
    let case = |f: &dyn Fn(&mut Vk)| {
        let mut k = good.clone();
        f(&mut k);
        k
    };
    cases.push((
        "gamma == delta".into(),
        case(&|k| k.delta_g2 = k.gamma_g2),
        "gamma equals delta",
    ));
    cases.push((
        "delta == G2".into(),
        case(&|k| k.delta_g2 = g2),
        "delta is the G2 generator",
    ));
    cases.push((
        "gamma == delta == G2".into(),
        case(&|k| {
            k.gamma_g2 = g2;
            k.delta_g2 = g2;
        }),
        "gamma equals delta",
    ));
    cases.push((
        "alpha = O".into(),
        case(&|k| k.alpha_g1 = G1Affine::zero()),
        "identity point",
    ));
    cases.push((
        "beta = O".into(),
        case(&|k| k.beta_g2 = G2Affine::zero()),
        "identity point",
    ));
    cases.push((
        "gamma = O".into(),
        case(&|k| k.gamma_g2 = G2Affine::zero()),
        "identity point",
    ));
    cases.push((
        "delta = O".into(),
        case(&|k| k.delta_g2 = G2Affine::zero()),
        "identity point",
    ));
    for i in 0..=NUM_PUBLIC_INPUTS {
        cases.push((
            format!("IC_{i} = O"),
            case(&|k| k.gamma_abc_g1[i] = G1Affine::zero()),
            "an input commitment is the identity",
        ));
    }
    for (name, vk, reason) in cases {
        assert_eq!(
            VerifyingKey::from_bytes(&ser(&vk)),
            Err(KeyError::WeakVerifyingKey(reason)),
            "{name}"
        );
        assert_eq!(
            ProvingKey::from_bytes(&ser(&small_ark_pk(vk))).err(),
            Some(KeyError::WeakVerifyingKey(reason)),
            "{name} in a proving key"
        );
    }
    for n in [NUM_PUBLIC_INPUTS, NUM_PUBLIC_INPUTS + 2] {
        let mut vk = good.clone();
        vk.gamma_abc_g1.resize(n, g1(99));
        assert_eq!(
            VerifyingKey::from_bytes(&ser(&vk)),
            Err(KeyError::Length {
                expected: 488,
                got: 488 + 32 * n - 32 * (NUM_PUBLIC_INPUTS + 1)
            })
        );
        assert_eq!(
            ProvingKey::from_bytes(&ser(&small_ark_pk(vk))).err(),
            Some(KeyError::WrongCircuit {
                inputs: n - 1,
                expected: NUM_PUBLIC_INPUTS
            })
        );
    }
}

/// B11: the library's verification (fixed-base tables over a prepared key), arkworks'
/// verification from the unprepared key and from its prepared key, and batch verification
/// agree on a corpus of valid and invalid (inputs, proof) pairs. (The input count is B01's:
/// arkworks does not check it, so the corpus keeps the count right.)
#[test]
fn b11_prepared_and_unprepared_verification_agree() {
    use ark_snark::SNARK;
    let s = scoped();
    let u = unscoped();
    let (si, ui) = (s.inputs(), u.inputs());
    let sp = s.pres.proof.as_ark().clone();
    let up = u.pres.proof.as_ark().clone();
    let negated = ark_groth16::Proof::<Bn254> {
        a: (-sp.a.into_group()).into_affine(),
        b: (-sp.b.into_group()).into_affine(),
        c: sp.c,
    };
    let rerandomized =
        ark_groth16::Groth16::<Bn254>::rerandomize_proof(keys().1.as_ark(), &sp, &mut rng(11));
    let mut corpus: Vec<([Fr; NUM_PUBLIC_INPUTS], ark_groth16::Proof<Bn254>)> = vec![
        (si, sp.clone()),
        (ui, up.clone()),
        (si, negated),
        (si, rerandomized),
        (si, up.clone()),
        (ui, sp.clone()),
        (
            si,
            ark_groth16::Proof {
                a: G1Affine::zero(),
                ..sp.clone()
            },
        ),
        (
            si,
            ark_groth16::Proof {
                b: G2Affine::zero(),
                ..sp.clone()
            },
        ),
        (
            si,
            ark_groth16::Proof {
                c: G1Affine::zero(),
                ..sp.clone()
            },
        ),
        (
            si,
            ark_groth16::Proof {
                a: up.a,
                ..sp.clone()
            },
        ),
        (
            si,
            ark_groth16::Proof {
                c: up.c,
                ..sp.clone()
            },
        ),
        (si, dummy_ark_proof()),
    ];
    for i in 0..NUM_PUBLIC_INPUTS {
        let mut v = si;
        v[i] += Fr::from(1u64);
        corpus.push((v, sp.clone()));
        let mut v = ui;
        v[i] = -Fr::from(1u64);
        corpus.push((v, up.clone()));
    }
    let ark_pvk = ark_groth16::prepare_verifying_key(keys().1.as_ark());
    let mut verdicts = [0usize; 2];
    for (n, (inputs, proof)) in corpus.iter().enumerate() {
        let p = Proof::from_bytes(&ser(proof)).unwrap();
        let ours = verify_raw(&pvk(), inputs, &p).is_ok();
        let unprepared =
            ark_groth16::Groth16::<Bn254>::verify(keys().1.as_ark(), inputs, proof).unwrap();
        let prepared =
            ark_groth16::Groth16::<Bn254>::verify_proof(&ark_pvk, proof, inputs).unwrap();
        let alone = verify_batch(&pvk(), &[(&inputs[..], &p)]).is_ok();
        // in a batch behind a valid item: only this item is named
        let batch = verify_batch(&pvk(), &[(&si[..], &s.pres.proof), (&inputs[..], &p)]);
        let in_batch = batch.clone().is_ok();
        assert_eq!(
            [unprepared, prepared, alone, in_batch],
            [ours; 4],
            "corpus item {n}"
        );
        if !ours {
            assert_eq!(batch.map_err(|e| e.bad), Err(vec![1]), "corpus item {n}");
        }
        verdicts[usize::from(ours)] += 1;
    }
    assert_eq!(
        verdicts[1], 4,
        "the two honest proofs and the two mauled copies"
    );
    assert!(verdicts[0] > 20);
}

// ---------------------------------------------------------------------------------------------
// C, D. Signatures and Poseidon through the public API

/// C04: the signed message is computed from the slots, so a message "on the wire" is a slot:
/// every slot at or above r is refused with the slot named; so is a revocation request's
/// serial, whose hash is the revocation message.
#[test]
fn c04_signed_values_at_or_above_r_are_refused() {
    let w = world();
    let cj = w.cred.to_json(&schema()).unwrap();
    for i in 0..16 {
        let bad = edit_json(&cj, |v| v["slots"][i] = json!(plus_r(&Fr::from(3u64))));
        let name = format!("slots[{i}]");
        match SignedCredential::from_json(&bad) {
            Err(DecodeError::Field { field: f, error }) => {
                assert_eq!((f, error), (name.as_str(), FieldError::Overflow))
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    let rr = edit_json(&w.provider.revoke(Fr::from(3u64)).to_json(), |v| {
        v["serial"] = json!(plus_r(&Fr::from(3u64)))
    });
    assert_eq!(
        RevocationRequest::from_json(&rr),
        Err(RevocationListError::Decode(
            FieldError::Overflow.to_string()
        ))
    );
}

/// D05: the Poseidon gadget equals native Poseidon on 1,000 random inputs for each arity the
/// circuits use (2: holder commitment; 3: nullifier, revocation leaf; 4: issuer leaf, tree
/// nodes, revocation id; 5: EdDSA challenge; 7: policy hash; 16: credential message). The
/// outputs are compared for all 1,000 (synthesized without matrices, which is what proving
/// does); the first 100 of each arity are also checked for satisfaction.
#[test]
fn d05_poseidon_gadget_equals_native_on_1000_inputs_per_arity() {
    use ark_r1cs_std::alloc::AllocVar;
    use ark_r1cs_std::fields::fp::FpVar;
    use ark_r1cs_std::GR1CSVar;
    use ark_relations::gr1cs::{ConstraintSystem, SynthesisMode};
    let mut r = rng(5);
    for arity in [2usize, 3, 4, 5, 7, 16] {
        let checked_cs = ConstraintSystem::<Fr>::new_ref();
        let fast_cs = ConstraintSystem::<Fr>::new_ref();
        fast_cs.set_mode(SynthesisMode::Prove {
            construct_matrices: false,
            generate_lc_assignments: false,
        });
        for n in 0..1000 {
            let xs: Vec<Fr> = (0..arity)
                .map(|_| match r.next_u32() % 8 {
                    // boundary values now and then
                    0 => Fr::zero(),
                    1 => -Fr::from(1u64),
                    _ => Fr::rand(&mut r),
                })
                .collect();
            let cs = if n < 100 { &checked_cs } else { &fast_cs };
            let vars: Vec<FpVar<Fr>> = xs
                .iter()
                .map(|x| FpVar::new_witness(cs.clone(), || Ok(*x)).unwrap())
                .collect();
            let out = poseidon::constraints::hash(&vars).unwrap();
            assert_eq!(
                out.value().unwrap(),
                poseidon::hash(&xs).unwrap(),
                "arity {arity}, input {n}"
            );
        }
        assert!(checked_cs.is_satisfied().unwrap(), "arity {arity}");
    }
}

/// D06: every tagged hash of the library is recomputed here from FORMATS.md section 5 with its
/// own tag, through the public functions that compute it; the credential message alone is
/// untagged (the adaptation: circomlib compatibility, slot 0 separates schemas).
#[test]
fn d06_every_hash_call_site_uses_its_own_tag() {
    let w = world();
    let h = |xs: &[Fr]| poseidon::hash(xs).unwrap();
    let secret = field::from_bytes_le(&HOLDER_SECRET).unwrap();
    let a = w.provider.public_key().point();
    let scope = vouchsafe::verifier::scope(VERIFIER, "label");
    let serial = Fr::from(SERIAL);
    let schema_id = schema().id();
    assert_eq!(
        w.holder.commitment(),
        h(&[FieldTag::HolderCommitment.value(), secret])
    );
    assert_eq!(
        nullifier(&secret, &scope),
        h(&[FieldTag::Nullifier.value(), secret, scope])
    );
    assert_eq!(
        issuer_leaf(&a, &schema_id),
        h(&[FieldTag::IssuerLeaf.value(), a.x(), a.y(), schema_id])
    );
    let mut id = h(&[FieldTag::RevocationId.value(), a.x(), a.y(), serial]).into_bigint();
    id.0[3] &= (1u64 << 60) - 1;
    assert_eq!(revocation_id(&a, &serial), Fr::from_bigint(id).unwrap());
    let (v, n) = (Fr::from(5u64), Fr::from(9u64));
    assert_eq!(
        revocation_leaf(&v, &n),
        h(&[FieldTag::RevocationLeaf.value(), v, n])
    );
    assert_eq!(
        revocation_message(&serial),
        h(&[FieldTag::RevocationRequest.value(), serial])
    );
    let p = passed();
    let mut inputs = vec![
        FieldTag::Policy.value(),
        p.schema_id,
        p.packed_slots_and_ops(),
    ];
    inputs.extend(p.predicates.iter().map(|q| q.value()));
    assert_eq!(p.hash(), h(&inputs));
    // the untagged message, separated by slot 0
    let slots = w.cred.credential().slots();
    assert_eq!(w.cred.credential().message(), h(slots));
    assert_eq!(slots[0], schema_id);
    // the recomputations are sensitive to the tag: any other tag gives another value
    for tag in FieldTag::ALL {
        if tag != FieldTag::HolderCommitment {
            assert_ne!(w.holder.commitment(), h(&[tag.value(), secret]), "{tag:?}");
        }
        if tag != FieldTag::Nullifier {
            assert_ne!(nullifier(&secret, &scope), h(&[tag.value(), secret, scope]));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// E, F, G, H, I. Verifier checks before the pairing

/// E06: the root 0 is refused even by a verifier configured to trust it, for both roots.
#[test]
fn e06_the_zero_root_is_refused_even_if_trusted() {
    let w = world();
    let v = Verifier::new(
        fake_pvk(),
        VerifierConfig::new(VERIFIER),
        TrustedRoots {
            issuers: vec![Fr::zero(), w.registry.root()],
            revocations: vec![Fr::zero(), w.revocations.root()],
        },
    );
    let req = v.request(passed(), None, NOW, &mut rng(12)).unwrap();
    let zero_issuers = Presentation {
        issuers_root: Fr::zero(),
        ..dummy_presentation(&w, Fr::zero())
    };
    let zero_revocations = Presentation {
        revocation_root: Fr::zero(),
        ..dummy_presentation(&w, Fr::zero())
    };
    for p in [&zero_issuers, &zero_revocations] {
        assert_eq!(v.verify(&req, p, NOW), Err(VerifyError::RootNotAccepted));
    }
    // not spent by the refusals: the trusted roots reach the pairing
    assert_eq!(
        v.verify(&req, &dummy_presentation(&w, Fr::zero()), NOW),
        Err(VerifyError::InvalidProof)
    );
}

/// F07: the revocation root of a presentation must be the current one, or one replaced less
/// than the window (600 s) ago; otherwise `RootNotAccepted` (unknown, zero) or `RootStale`,
/// and the challenge is not spent.
#[test]
fn f07_the_revocation_root_must_be_current_or_within_the_window() {
    let mut w = world();
    let old = w.revocations.root();
    // a revocation at NOW replaces the root
    w.revocations
        .revoke(&w.provider.revoke(Fr::from(5u64)), &w.registry, NOW)
        .unwrap();
    let current = w.revocations.root();
    assert_ne!(old, current);
    let v = fake_verifier(&w);
    let with_root = |root: Fr| Presentation {
        revocation_root: root,
        ..dummy_presentation(&w, Fr::zero())
    };
    let req = v.request(passed(), None, NOW + 599, &mut rng(13)).unwrap();
    for root in [Fr::from(77u64), Fr::zero(), w.registry.root()] {
        assert_eq!(
            v.verify(&req, &with_root(root), NOW + 599),
            Err(VerifyError::RootNotAccepted)
        );
    }
    // replaced 599 s ago: accepted, so the dummy proof reaches the pairing
    assert_eq!(
        v.verify(&req, &with_root(old), NOW + 599),
        Err(VerifyError::InvalidProof)
    );
    // replaced 600 s ago: stale (the window is half-open)
    let req = v.request(passed(), None, NOW + 600, &mut rng(14)).unwrap();
    assert_eq!(
        v.verify(&req, &with_root(old), NOW + 600),
        Err(VerifyError::RootStale)
    );
    assert_eq!(
        v.verify(&req, &with_root(current), NOW + 600),
        Err(VerifyError::InvalidProof)
    );
    assert_eq!(
        roots(&w).revocation_root(&old, NOW + 600),
        vouchsafe::registry::RootStatus::Stale
    );
}

/// G05: `now` is the verifier's, taken from its own request; a request answered more than the
/// clock window (300 s by default) from the verifier's clock, in either direction, is
/// refused, and the challenge is not spent.
#[test]
fn g05_the_request_time_must_be_within_the_clock_window() {
    let w = world();
    let v = fake_verifier(&w);
    let pres = dummy_presentation(&w, Fr::zero());
    for (i, (at, ok)) in [
        (NOW + 301, false),
        (NOW - 301, false),
        (NOW + 300, true),
        (NOW - 300, true),
        (NOW, true),
    ]
    .into_iter()
    .enumerate()
    {
        let req = v
            .request(passed(), None, NOW, &mut rng(20 + i as u64))
            .unwrap();
        assert_eq!(req.statement(Fr::zero(), Fr::zero(), Fr::zero()).now, NOW);
        let expect = if ok {
            VerifyError::InvalidProof
        } else {
            VerifyError::TimeOutOfWindow
        };
        assert_eq!(v.verify(&req, &pres, at), Err(expect.clone()), "{at}");
        if !ok {
            // not spent: answered in time, it reaches the pairing
            assert_eq!(v.verify(&req, &pres, NOW), Err(VerifyError::InvalidProof));
        }
    }
    // a zero window accepts only the exact second
    let mut config = VerifierConfig::new(VERIFIER);
    config.clock_window_secs = 0;
    let v = Verifier::new(fake_pvk(), config, roots(&w));
    let req = v.request(passed(), None, NOW, &mut rng(30)).unwrap();
    assert_eq!(
        v.verify(&req, &pres, NOW + 1),
        Err(VerifyError::TimeOutOfWindow)
    );
    assert_eq!(v.verify(&req, &pres, NOW), Err(VerifyError::InvalidProof));
}

/// H05: a nullifier `n + r` on the wire is refused, so the pseudonym a verifier stores is the
/// canonical encoding of one field element.
#[test]
fn h05_a_nullifier_plus_r_is_refused() {
    let w = world();
    let n = nullifier(
        &field::from_bytes_le(&HOLDER_SECRET).unwrap(),
        &vouchsafe::verifier::scope(VERIFIER, "s"),
    );
    let pj = dummy_presentation(&w, n).to_json();
    let back = Presentation::from_json(&pj).unwrap();
    assert_eq!(back.nullifier, n);
    assert_eq!(
        field::from_bytes_le(&field::to_bytes_le(&back.nullifier)),
        Ok(n)
    );
    let bad = edit_json(&pj, |j| j["nullifier"] = json!(plus_r(&n)));
    assert_eq!(
        Presentation::from_json(&bad),
        Err(VerifyError::Malformed(format!(
            "nullifier: {}",
            FieldError::Overflow
        )))
    );
}

/// H08 (adapted: the nullifier is 0 exactly when no scope is asked for): a non-zero nullifier
/// without a scope and a zero nullifier with one are refused before the challenge is spent.
#[test]
fn h08_the_nullifier_is_zero_exactly_without_a_scope() {
    let w = world();
    let v = fake_verifier(&w);
    let unscoped = v.request(passed(), None, NOW, &mut rng(31)).unwrap();
    let scoped = v.request(passed(), Some("s"), NOW, &mut rng(32)).unwrap();
    assert_eq!(
        v.verify(&unscoped, &dummy_presentation(&w, Fr::from(1u64)), NOW),
        Err(VerifyError::ZeroValue)
    );
    assert_eq!(
        v.verify(&scoped, &dummy_presentation(&w, Fr::zero()), NOW),
        Err(VerifyError::ZeroValue)
    );
    // consistent: both reach the pairing (the refusals did not spend the challenges)
    assert_eq!(
        v.verify(&unscoped, &dummy_presentation(&w, Fr::zero()), NOW),
        Err(VerifyError::InvalidProof)
    );
    assert_eq!(
        v.verify(&scoped, &dummy_presentation(&w, Fr::from(1u64)), NOW),
        Err(VerifyError::InvalidProof)
    );
}

/// I02: an unknown, expired or used challenge is refused before the pairing (the dummy proof
/// would fail there with `InvalidProof`). A challenge is answerable up to and including its
/// `expires_at`, and a failed proof spends it.
#[test]
fn i02_unknown_expired_and_used_challenges_are_refused_before_the_pairing() {
    let w = world();
    let mut config = VerifierConfig::new(VERIFIER);
    config.clock_window_secs = 10_000; // so that the clock check does not come first
    config.request_ttl_secs = 600;
    let v = Verifier::new(fake_pvk(), config.clone(), roots(&w));
    let req = v.request(passed(), None, NOW, &mut rng(33)).unwrap();
    assert_eq!(req.expires_at(), NOW + 600);
    let pres = dummy_presentation(&w, Fr::zero());
    assert_eq!(
        v.verify(&req, &pres, NOW + 601),
        Err(VerifyError::ChallengeExpired)
    );
    assert_eq!(
        v.verify(&req, &pres, NOW + 600),
        Err(VerifyError::InvalidProof)
    );
    assert_eq!(
        v.verify(&req, &pres, NOW + 1),
        Err(VerifyError::ChallengeReused)
    );
    // unknown: the same request at a verifier (same id) that never issued it
    let other = Verifier::new(fake_pvk(), config, roots(&w));
    assert_eq!(
        other.verify(&req, &pres, NOW),
        Err(VerifyError::ChallengeUnknown)
    );
}

/// I03 (adapted: the nonce travels as bytes): a nonce of fewer than 16 or more than 64 bytes is
/// refused, and so is hex that is not lowercase or has an odd length; the verifier draws 32
/// fresh bytes per request.
#[test]
fn i03_nonce_length_and_encoding_bounds() {
    let w = world();
    let v = fake_verifier(&w);
    let req = v.request(passed(), None, NOW, &mut rng(34)).unwrap();
    assert_eq!(req.nonce().len(), 32);
    let again = v.request(passed(), None, NOW, &mut rng(35)).unwrap();
    assert_ne!(again.nonce(), req.nonce());
    let rj = req.to_json();
    let with_nonce = |n: String| Request::from_json(&edit_json(&rj, |j| j["nonce"] = json!(n)));
    for len in [0usize, 1, 15, 65, 128] {
        assert_eq!(
            with_nonce("ab".repeat(len)),
            Err(VerifyError::Malformed("nonce length".into())),
            "{len} bytes"
        );
    }
    for len in [16usize, 64] {
        assert_eq!(with_nonce("ab".repeat(len)).unwrap().nonce().len(), len);
    }
    for bad in ["ab".repeat(16) + "a", "AB".repeat(16), "zz".repeat(16)] {
        assert_eq!(
            with_nonce(bad),
            Err(VerifyError::Malformed(
                "nonce: lowercase hex expected".into()
            ))
        );
    }
}

/// I04: a proof for verifier V1's request replayed at V2, with V2's nonce forced to V1's:
/// the challenge hashes the verifier id with the nonce, so the proof fails; V1's request
/// itself is unknown at V2.
#[test]
fn i04_a_proof_for_one_verifier_fails_at_another_with_the_same_nonce() {
    let s = scoped();
    let v2 = Verifier::new(pvk(), VerifierConfig::new("client-other"), roots(&s.w));
    let req2 = v2
        .request(
            passed(),
            Some("checklist-scope"),
            NOW,
            &mut rng(s.request_seed),
        )
        .unwrap();
    assert_eq!(req2.nonce(), s.req.nonce());
    assert_ne!(req2.challenge(), s.req.challenge());
    assert_eq!(
        v2.verify(&s.req, &s.pres, NOW),
        Err(VerifyError::ChallengeUnknown)
    );
    assert_eq!(
        v2.verify(&req2, &s.pres, NOW),
        Err(VerifyError::InvalidProof)
    );
}

// ---------------------------------------------------------------------------------------------
// J. Privacy

/// J01 (adapted: three proofs, not a hundred): the prover's blinding comes from the caller's
/// RNG: the same seed gives the same proof (the RNG is plumbed through), another seed gives
/// another valid proof of the same statement.
#[test]
fn j01_proof_randomness_is_fresh_and_comes_from_the_rng() {
    let s = scoped();
    let prove = |seed: u64| {
        s.w.holder
            .prove(
                &keys().0,
                &s.req,
                &s.w.cred,
                &s.w.registry,
                &s.w.revocations,
                &mut rng(seed),
            )
            .unwrap()
    };
    let same = prove(s.proof_seed);
    assert_eq!(same.proof, s.pres.proof);
    let other = prove(s.proof_seed + 1000);
    assert_ne!(other.proof.to_bytes(), s.pres.proof.to_bytes());
    let p = other.proof.as_ark();
    let q = s.pres.proof.as_ark();
    assert!(p.a != q.a && p.b != q.b && p.c != q.c);
    assert_eq!(other.nullifier, s.pres.nullifier);
    assert_eq!(verify_raw(&pvk(), &s.inputs(), &other.proof), Ok(()));
}

/// The production part of a source file: every item marked `#[cfg(test)]` removed (by brace
/// matching from the attribute to the end of the item it marks).
fn production_code(text: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    let mut depth = 0i64;
    let mut opened = false;
    for line in text.lines() {
        if !skipping && line.trim() == "#[cfg(test)]" {
            skipping = true;
            depth = 0;
            opened = false;
            continue;
        }
        if skipping {
            for c in line.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            if (opened && depth <= 0) || (!opened && line.trim_end().ends_with(';')) {
                skipping = false;
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// J02: no zero-knowledge-free or fixed-randomness path is reachable from the production
/// code of the library or the command (the prover `src/prover.rs` included): no `no_zk`
/// prover, no call of arkworks' prover with given blinding scalars, no seeded or fixed RNG;
/// and the command proves with the OS RNG.
#[test]
fn j02_no_zk_free_prover_or_fixed_rng_in_production_code() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "cli/src"] {
        collect_rs_files(&root.join(dir), &mut files);
    }
    let mut scanned = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let code = production_code(&text);
        if f.ends_with("prover.rs") {
            // the test module, which compares with arkworks at fixed blinding, is gone
            assert!(text.contains("create_proof_with_reduction("));
            assert!(code.contains("fn prove<G: RngCore + CryptoRng>"));
        }
        for banned in [
            "no_zk",
            "create_proof_with_reduction",
            "create_proof_with_assignment",
            "SeedableRng",
            "seed_from_u64",
            "ChaCha",
            "StdRng",
            "StepRng",
        ] {
            assert!(!code.contains(banned), "{} uses {banned}", f.display());
        }
        scanned += 1;
    }
    assert!(scanned >= 15, "{scanned} files");
    let cli: String =
        production_code(&std::fs::read_to_string(root.join("cli/src/main.rs")).unwrap())
            .split_whitespace()
            .collect();
    assert!(cli.contains(".prove(&pk,&req,&cred,&reg,&list,&mutOsRng)"));
}

/// The values of the canary credential that no verifier may see, in every encoding a leak
/// could take.
fn canaries(w: &World) -> Vec<(String, String)> {
    let c = w.cred.credential();
    let a = w.provider.public_key().point();
    let sig = w.cred.signature();
    let secret = field::from_bytes_le(&HOLDER_SECRET).unwrap();
    let values = [
        ("holder secret", secret),
        ("holder commitment", w.holder.commitment()),
        ("serial", c.serial()),
        ("issued_at", Fr::from(ISSUED_AT)),
        ("expires_at", Fr::from(EXPIRES_AT)),
        ("package level", Fr::from(PACKAGE_LEVEL)),
        ("jurisdiction", ClaimValue::text(JURISDICTION).to_field()),
        ("pii commitment", c.slots()[8]),
        ("provider x", a.x()),
        ("provider y", a.y()),
        ("signature r8x", sig.r8().x()),
        ("signature r8y", sig.r8().y()),
        ("signature s", sig.s()),
        ("credential message", c.message()),
        ("issuer leaf", issuer_leaf(&a, &schema().id())),
        ("revocation id", revocation_id(&a, &c.serial())),
    ];
    let mut out = Vec::new();
    for (name, x) in values {
        out.push((name.to_string(), field::to_decimal(&x)));
        out.push((name.to_string(), field::to_hex(&x)[2..].to_string()));
        out.push((name.to_string(), hex(&field::to_bytes_le(&x))));
    }
    out.push(("jurisdiction (text)".into(), JURISDICTION.into()));
    out.push(("holder secret (bytes)".into(), hex(&HOLDER_SECRET)));
    out
}

/// J04: nothing a verifier receives or rebuilds (the request, the presentation, the seven
/// public inputs, the snarkjs public.json) contains a private attribute, the holder secret or
/// commitment, the serial, the dates, the provider key, the signature, the credential message,
/// the issuer leaf or the revocation id.
#[test]
fn j04_the_verifiers_view_contains_no_credential_value() {
    let s = scoped();
    let inputs = s.inputs();
    let mut seen = vec![
        ("request", s.req.to_json()),
        ("presentation", s.pres.to_json()),
        ("proof", hex(&s.pres.proof.to_bytes())),
        (
            "public.json",
            vouchsafe::export::snarkjs::to_json(&vouchsafe::export::snarkjs::public_inputs(
                &vouchsafe::export::snarkjs::public_inputs_for(&s.req, &s.pres),
            )),
        ),
    ];
    for x in inputs {
        seen.push(("public input", field::to_decimal(&x)));
        seen.push(("public input", hex(&field::to_bytes_le(&x))));
    }
    let canaries = canaries(&s.w);
    for (what, text) in &seen {
        for (name, c) in &canaries {
            assert!(!text.contains(c.as_str()), "{what} contains the {name}");
        }
    }
    // the check can fail: the credential holds them
    let cred = s.w.cred.to_json(&schema()).unwrap();
    assert!(canaries.iter().any(|(_, c)| cred.contains(c.as_str())));
}

/// J06: one holder, 1,000 scopes of one verifier and one label at 1,000 verifiers: 2,000
/// pairwise distinct pseudonyms; across presentations only the roots, `now` and the policy
/// repeat.
#[test]
fn j06_pseudonyms_are_unlinkable_across_scopes() {
    let secret = field::from_bytes_le(&HOLDER_SECRET).unwrap();
    let mut nullifiers = HashSet::new();
    let mut scopes = HashSet::new();
    for i in 0..1000 {
        for (verifier, label) in [
            (VERIFIER.to_string(), format!("label-{i}")),
            (format!("verifier-{i}"), "hiring".to_string()),
        ] {
            let scope = vouchsafe::verifier::scope(&verifier, &label);
            assert!(!scope.is_zero());
            assert!(scopes.insert(scope));
            assert!(nullifiers.insert(nullifier(&secret, &scope)));
        }
    }
    assert_eq!(nullifiers.len(), 2000);
    // the statements of two requests that differ in their scope
    let w = world();
    let v = fake_verifier(&w);
    let (r1, r2) = (
        v.request(passed(), Some("a"), NOW, &mut rng(40)).unwrap(),
        v.request(passed(), Some("b"), NOW, &mut rng(41)).unwrap(),
    );
    let st = |r: &Request| {
        r.statement(
            w.registry.root(),
            w.revocations.root(),
            nullifier(&secret, &r.scope()),
        )
        .to_field_elements()
    };
    let (s1, s2) = (st(&r1), st(&r2));
    for i in 0..NUM_PUBLIC_INPUTS {
        // issuers_root, revocation_root, now, policy_hash are shared
        assert_eq!(s1[i] == s2[i], i <= 3, "public input {i}");
    }
}

/// J09: the errors of the negative paths (every refusal of the holder's checks on the canary
/// credential, and every verifier refusal) show no witness value, in `Display` or `Debug`.
#[test]
fn j09_error_messages_show_no_witness_value() {
    let mut w = world();
    let v = fake_verifier(&w);
    let mut errors: Vec<String> = Vec::new();
    let mut push = |e: &dyn std::fmt::Debug, d: String| {
        errors.push(d);
        errors.push(format!("{e:?}"));
    };
    let check = |w: &World, req: &Request, cred: &SignedCredential| {
        w.holder
            .check(req, cred, &w.registry, &w.revocations)
            .unwrap_err()
    };
    let policy = |pred: Predicate| Policy {
        predicates: [
            pred,
            Predicate::none(),
            Predicate::none(),
            Predicate::none(),
        ],
        ..passed()
    };
    let slot = schema().slot_of("package_level").unwrap();
    let mut holder_errors = vec![
        check(
            &w,
            &v.request(passed(), None, EXPIRES_AT, &mut rng(50)).unwrap(),
            &w.cred,
        ),
        check(
            &w,
            &v.request(passed(), None, ISSUED_AT - 1, &mut rng(51))
                .unwrap(),
            &w.cred,
        ),
        check(
            &w,
            &v.request(
                policy(Predicate::compare(slot, Op::Gt, PACKAGE_LEVEL).unwrap()),
                None,
                NOW,
                &mut rng(52),
            )
            .unwrap(),
            &w.cred,
        ),
        check(
            &w,
            &v.request(
                Policy {
                    schema_id: Schema::eo_insurance().id(),
                    ..passed()
                },
                None,
                NOW,
                &mut rng(53),
            )
            .unwrap(),
            &w.cred,
        ),
    ];
    let req = v.request(passed(), None, NOW, &mut rng(54)).unwrap();
    let stranger = Provider::from_seed([0x43; 32]);
    let forged = SignedCredential::new(
        w.cred.credential().clone(),
        w.provider.public_key(),
        *stranger.issue(w.cred.credential().clone()).signature(),
    );
    holder_errors.push(check(&w, &req, &forged));
    holder_errors.push(check(
        &w,
        &req,
        &stranger.issue(w.cred.credential().clone()),
    ));
    let other = Holder::new(HolderSecret::from_bytes(&[0x18; 32]).unwrap());
    holder_errors.push(
        other
            .check(&req, &w.cred, &w.registry, &w.revocations)
            .unwrap_err(),
    );
    // the verifier's refusals of a presentation naming the canary pseudonym
    let secret = field::from_bytes_le(&HOLDER_SECRET).unwrap();
    let scoped = v.request(passed(), Some("s"), NOW, &mut rng(55)).unwrap();
    let pres = dummy_presentation(&w, nullifier(&secret, &scoped.scope()));
    let mut verifier_errors = vec![
        v.verify(&scoped, &pres, NOW + 1000).unwrap_err(),
        v.verify(&req, &pres, NOW).unwrap_err(),
        v.verify(
            &scoped,
            &Presentation {
                issuers_root: Fr::from(5u64),
                ..pres.clone()
            },
            NOW,
        )
        .unwrap_err(),
    ];
    verifier_errors.push(v.verify(&scoped, &pres, NOW).unwrap_err());
    verifier_errors.push(v.verify(&scoped, &pres, NOW).unwrap_err());
    assert_eq!(
        verifier_errors,
        [
            VerifyError::TimeOutOfWindow,
            VerifyError::ZeroValue,
            VerifyError::RootNotAccepted,
            VerifyError::InvalidProof,
            VerifyError::ChallengeReused,
        ]
    );
    // last, the credential revoked
    w.revocations
        .revoke(&w.provider.revoke(Fr::from(SERIAL)), &w.registry, NOW)
        .unwrap();
    holder_errors.push(check(&w, &req, &w.cred));
    assert_eq!(
        holder_errors,
        [
            ProveError::Expired,
            ProveError::NotYetValid,
            ProveError::PredicateFalse { index: 0 },
            ProveError::WrongSchema,
            ProveError::BadSignature,
            ProveError::ProviderNotApproved,
            ProveError::NotThisHolder,
            ProveError::Revoked,
        ]
    );
    for e in &holder_errors {
        push(e, e.to_string());
    }
    for e in &verifier_errors {
        push(e, e.to_string());
    }
    let canaries = canaries(&w);
    for text in &errors {
        for (name, c) in &canaries {
            assert!(!text.contains(c.as_str()), "{text:?} shows the {name}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// K. Robustness

/// K01: byte-level mutations of a request and a presentation are decoded and verified without
/// a panic; every outcome is a typed result.
#[test]
fn k01_mutated_requests_and_presentations_never_panic() {
    let w = world();
    let v = fake_verifier(&w);
    let req = v.request(passed(), Some("s"), NOW, &mut rng(60)).unwrap();
    let rj = req.to_json().into_bytes();
    let pj = dummy_presentation(&w, Fr::from(3u64))
        .to_json()
        .into_bytes();
    const ALPHABET: &[u8] = b"0123456789abcdef\"{}[],:-+.eE \\n";
    let mut r = rng(61);
    let mut mutate = |base: &[u8]| {
        let mut b = base.to_vec();
        for _ in 0..1 + r.next_u32() % 3 {
            let i = r.next_u32() as usize % b.len();
            match r.next_u32() % 4 {
                0 => b[i] ^= 1 << (r.next_u32() % 8),
                1 => b[i] = ALPHABET[r.next_u32() as usize % ALPHABET.len()],
                2 => {
                    b.remove(i);
                }
                _ => b.insert(i, b[i]),
            }
        }
        String::from_utf8_lossy(&b).into_owned()
    };
    let (mut requests, mut presentations) = (0, 0);
    for _ in 0..1500 {
        if let Ok(rq) = Request::from_json(&mutate(&rj)) {
            requests += 1;
            let _ = v.verify(&rq, &dummy_presentation(&w, Fr::from(3u64)), NOW);
        }
        if let Ok(p) = Presentation::from_json(&mutate(&pj)) {
            presentations += 1;
            let _ = v.verify(&req, &p, NOW);
        }
    }
    // some mutations keep a valid object (a digit changed): those went through verification
    assert!(
        requests > 0 && presentations > 0,
        "{requests} {presentations}"
    );
}

/// K01 (found by this checklist): a proving key whose `b_g1_query` is empty decodes (a proving
/// key has no shape check) and made `Holder::prove` panic on a slice index; it must be a
/// `Proving` error. The key embeds the real verifying key, so the request's fingerprint check
/// passes and the prover is reached.
#[test]
fn k01_a_proving_key_with_an_empty_query_is_an_error_not_a_panic() {
    let s = unscoped();
    let mut pk = keys().0.as_ark().clone();
    pk.b_g1_query.clear();
    let pk = ProvingKey::from_bytes(&ser(&pk)).unwrap();
    assert_eq!(pk.verifying_key(), keys().1);
    let r = s.w.holder.prove(
        &pk,
        &s.req,
        &s.w.cred,
        &s.w.registry,
        &s.w.revocations,
        &mut rng(70),
    );
    assert!(matches!(r, Err(ProveError::Proving(_))), "{r:?}");
}

/// K04: key files truncated, empty, with a corrupted count, or for another circuit.
#[test]
fn k04_truncated_empty_and_foreign_key_files_are_refused() {
    let vk = ser(&fake_ark_vk(1));
    assert_eq!(
        VerifyingKey::from_bytes(&[]),
        Err(KeyError::Length {
            expected: 488,
            got: 0
        })
    );
    assert_eq!(
        VerifyingKey::from_bytes(&vk[..487]),
        Err(KeyError::Length {
            expected: 488,
            got: 487
        })
    );
    // the size a BLS12-381 key of the same shape would have (48-byte G1, 96-byte G2)
    let bls = 48 + 3 * 96 + 8 + 48 * (NUM_PUBLIC_INPUTS + 1);
    assert_eq!(
        VerifyingKey::from_bytes(&vec![0u8; bls]),
        Err(KeyError::Length {
            expected: 488,
            got: bls
        })
    );
    // the count of input commitments edited in a key of the right size
    let mut seven = vk.clone();
    seven[224..232].copy_from_slice(&7u64.to_le_bytes());
    assert_eq!(
        VerifyingKey::from_bytes(&seven),
        Err(KeyError::TrailingBytes)
    );
    let mut nine = vk.clone();
    nine[224..232].copy_from_slice(&9u64.to_le_bytes());
    assert!(matches!(
        VerifyingKey::from_bytes(&nine),
        Err(KeyError::Invalid(_))
    ));
    // proving keys: empty, truncated, with a trailing byte, for another circuit
    let pk = ser(&small_ark_pk(fake_ark_vk(1)));
    assert!(ProvingKey::from_bytes(&pk).is_ok());
    for cut in [0usize, 1, 488, pk.len() - 1] {
        assert!(
            matches!(
                ProvingKey::from_bytes(&pk[..cut]),
                Err(KeyError::Invalid(_))
            ),
            "{cut}"
        );
    }
    let mut longer = pk.clone();
    longer.push(0);
    assert_eq!(
        ProvingKey::from_bytes(&longer).err(),
        Some(KeyError::TrailingBytes)
    );
    let mut foreign = fake_ark_vk(1);
    foreign.gamma_abc_g1.truncate(4);
    assert_eq!(
        ProvingKey::from_bytes(&ser(&small_ark_pk(foreign))).err(),
        Some(KeyError::WrongCircuit {
            inputs: 3,
            expected: NUM_PUBLIC_INPUTS
        })
    );
}
