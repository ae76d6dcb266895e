//! Keys and proofs on the wire: strict lengths, validation, canonical encodings, weak keys.

// Test code: a failed unwrap is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ark_ec::AffineRepr;
use ark_serialize::CanonicalSerialize;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use vouchsafe::keys::{
    setup_for_development, KeyError, Proof, ProvingKey, VerifyingKey, PROOF_LEN,
};

fn keys() -> &'static (ProvingKey, VerifyingKey) {
    static KEYS: OnceLock<(ProvingKey, VerifyingKey)> = OnceLock::new();
    KEYS.get_or_init(|| setup_for_development(&mut ChaCha20Rng::seed_from_u64(7)).unwrap())
}

fn ser<T: CanonicalSerialize>(t: &T) -> Vec<u8> {
    let mut v = Vec::new();
    t.serialize_compressed(&mut v).unwrap();
    v
}

#[test]
fn verifying_key_round_trip_and_fingerprint() {
    let vk = &keys().1;
    let bytes = vk.to_bytes();
    let back = VerifyingKey::from_bytes(&bytes).unwrap();
    assert_eq!(&back, vk);
    assert_eq!(back.to_bytes(), bytes);
    // L03: the fingerprint is SHA-256 of the canonical compressed encoding
    let expect: [u8; 32] = Sha256::digest(&bytes).into();
    assert_eq!(vk.fingerprint(), expect);
    assert_eq!(vk.prepare().fingerprint(), expect);
    assert_eq!(keys().0.verifying_key(), *vk);
}

#[test]
fn k04_verifying_key_lengths_and_bits() {
    let bytes = keys().1.to_bytes();
    for len in [0, 1, bytes.len() - 1, bytes.len() + 1, 10 * bytes.len()] {
        let mut b = bytes.clone();
        b.resize(len, 0);
        assert!(
            matches!(VerifyingKey::from_bytes(&b), Err(KeyError::Length { .. })),
            "{len}"
        );
    }
    // any single bit flip is refused (invalid point, non-canonical, or a different key whose
    // fingerprint no request names)
    for i in (0..bytes.len()).step_by(17) {
        let mut b = bytes.clone();
        b[i] ^= 0x01;
        match VerifyingKey::from_bytes(&b) {
            Err(e) => assert!(
                matches!(
                    e,
                    KeyError::Invalid(_) | KeyError::NonCanonical | KeyError::WeakVerifyingKey(_)
                ),
                "byte {i}: {e:?}"
            ),
            Ok(k) => assert_ne!(k.fingerprint(), keys().1.fingerprint()),
        }
    }
}

#[test]
fn b10_weak_verifying_keys_refused() {
    let vk = keys().1.as_ark().clone();
    let g2 = ark_bn254::G2Affine::generator();
    let mut gamma_is_delta = vk.clone();
    gamma_is_delta.delta_g2 = gamma_is_delta.gamma_g2;
    let mut delta_is_generator = vk.clone();
    delta_is_generator.delta_g2 = g2;
    let mut identity_ic = vk.clone();
    identity_ic.gamma_abc_g1[3] = ark_bn254::G1Affine::zero();
    let mut identity_alpha = vk.clone();
    identity_alpha.alpha_g1 = ark_bn254::G1Affine::zero();
    for (name, bad) in [
        ("gamma == delta", gamma_is_delta),
        ("delta == generator", delta_is_generator),
        ("identity input commitment", identity_ic),
        ("identity alpha", identity_alpha),
    ] {
        let r = VerifyingKey::from_bytes(&ser(&bad));
        assert!(
            matches!(r, Err(KeyError::WeakVerifyingKey(_))),
            "{name}: {r:?}"
        );
    }
    // a key for another circuit: one more input commitment
    let mut more = vk.clone();
    more.gamma_abc_g1.push(vk.gamma_abc_g1[1]);
    assert!(matches!(
        VerifyingKey::from_bytes(&ser(&more)),
        Err(KeyError::Length { .. })
    ));
}

#[test]
fn proving_key_round_trip() {
    let pk = &keys().0;
    let bytes = pk.to_bytes();
    let back = ProvingKey::from_bytes(&bytes).unwrap();
    assert_eq!(back.verifying_key(), keys().1);
    assert!(matches!(
        ProvingKey::from_bytes(&bytes[..bytes.len() - 1]),
        Err(KeyError::Invalid(_))
    ));
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        ProvingKey::from_bytes(&longer).err(),
        Some(KeyError::TrailingBytes)
    );
}

#[test]
fn a04_a09_proof_encoding_is_strict() {
    // a real proof's worth of structure: take points from the key
    let vk = keys().1.as_ark();
    let proof = ark_groth16::Proof::<ark_bn254::Bn254> {
        a: vk.alpha_g1,
        b: vk.beta_g2,
        c: vk.gamma_abc_g1[0],
    };
    let bytes = ser(&proof);
    assert_eq!(bytes.len(), PROOF_LEN);
    let p = Proof::from_bytes(&bytes).unwrap();
    assert_eq!(p.to_bytes().to_vec(), bytes);
    for len in [0, PROOF_LEN - 1, PROOF_LEN + 1, 10 * PROOF_LEN] {
        let mut b = bytes.clone();
        b.resize(len, 0);
        assert_eq!(
            Proof::from_bytes(&b),
            Err(KeyError::Length {
                expected: PROOF_LEN,
                got: len
            })
        );
    }
    // the identity with junk x (SECURITY.md section 5): refused, never mapped to the identity
    let mut junk = ser(&ark_groth16::Proof::<ark_bn254::Bn254> {
        a: ark_bn254::G1Affine::zero(),
        b: vk.beta_g2,
        c: vk.alpha_g1,
    });
    junk[0] ^= 0x05;
    assert_eq!(Proof::from_bytes(&junk), Err(KeyError::NonCanonical));
    // a point off the curve: flip bits of A's x until it has no y
    let mut refused = 0;
    for i in 0..8u8 {
        let mut b = bytes.clone();
        b[1] ^= 1 << i;
        if matches!(Proof::from_bytes(&b), Err(KeyError::Invalid(_))) {
            refused += 1;
        }
    }
    assert!(refused > 0);
}
