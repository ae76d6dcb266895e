//! `Verifier::verify` on arbitrary presentations against one fixed request (the session of
//! `vouchsafe_fuzz::session`, whose nonce store lets the request be answered again and again).
//!
//! Two ways in:
//! - input that starts with `{` is decoded as presentation JSON (the committed seed is the honest
//!   presentation), which exercises the decoder and every check before the pairing;
//! - any other input is a list of edits to the honest presentation, 33 bytes each: a tag byte
//!   and 32 bytes read as a field element `v` (little-endian, reduced: this is the fuzzer's own
//!   input, not wire data). The tag adds `v` to the issuers root, the revocation root or the
//!   nullifier, or multiplies A, B or C of the proof by `1 + v`. Edits always decode, so they
//!   reach the root checks, the input preparation and the pairing.
//!
//! Oracle: no panic, and nothing verifies unless its public values are exactly the honest
//! presentation's. The proof itself may differ (Groth16 proofs are malleable, SECURITY.md 1.4:
//! `(kA, B/k, C)` verifies), so an edited proof must fail exactly when `kA * kB != 1` or
//! `kC != 1` for the factors applied to A, B and C.
#![no_main]
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::PrimeField;
use ark_serialize::CanonicalSerialize;
use libfuzzer_sys::fuzz_target;
use vouchsafe::keys::Proof;
use vouchsafe::verifier::Presentation;
use vouchsafe_circuits::Fr;
use vouchsafe_fuzz::{check_committed_seed, session, NOW};

/// The honest presentation with the edits of `data` applied, and whether its proof is no
/// longer a re-randomization of the honest one (then it must not verify).
fn edited(honest: &Presentation, data: &[u8]) -> (Presentation, bool) {
    let mut p = honest.clone();
    let mut proof = honest.proof.as_ark().clone();
    let one = Fr::from(1u64);
    let (mut ka, mut kb, mut kc) = (one, one, one);
    for chunk in data.chunks_exact(33) {
        let Some((tag, value)) = chunk.split_first() else {
            continue;
        };
        let v = Fr::from_le_bytes_mod_order(value);
        let k = one + v;
        match tag % 6 {
            0 => p.issuers_root += v,
            1 => p.revocation_root += v,
            2 => p.nullifier += v,
            3 => {
                proof.a = (proof.a.into_group() * k).into_affine();
                ka *= k;
            }
            4 => {
                proof.b = (proof.b.into_group() * k).into_affine();
                kb *= k;
            }
            _ => {
                proof.c = (proof.c.into_group() * k).into_affine();
                kc *= k;
            }
        }
    }
    let mut bytes = Vec::new();
    proof
        .serialize_compressed(&mut bytes)
        .expect("a proof serializes");
    // Scaling by `1 + v = 0` gives the identity, which the decoder accepts as a point; every
    // result is a valid encoding.
    p.proof = Proof::from_bytes(&bytes).expect("an edited proof decodes");
    (p, ka * kb != one || kc != one)
}

fuzz_target!(init: check_committed_seed(), |data: &[u8]| {
    let s = session();
    let honest = &s.presentation;
    let (p, forged) = if data.first() == Some(&b'{') {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        let Ok(p) = Presentation::from_json(text) else {
            return;
        };
        (p, false)
    } else {
        edited(honest, data)
    };
    if s.verifier.verify(&s.request, &p, NOW).is_ok() {
        assert_eq!(
            (p.issuers_root, p.revocation_root, p.nullifier),
            (honest.issuers_root, honest.revocation_root, honest.nullifier),
            "a presentation with other public values verified"
        );
        assert!(!forged, "a scaled proof that is no re-randomization verified");
    }
});
