//! Packed Baby Jubjub points, EdDSA public keys (32 bytes) and signatures (64 bytes)
//! (FORMATS.md 4.2, 4.3). The first byte picks the decoder, the rest is its input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vouchsafe_circuits::babyjubjub::unpack;
use vouchsafe_circuits::eddsa::{PublicKey, Signature};
use vouchsafe_fuzz::binary_round_trip;

fuzz_target!(|data: &[u8]| {
    let Some((which, rest)) = data.split_first() else {
        return;
    };
    match which % 3 {
        0 => binary_round_trip(rest, unpack, |p| p.pack().to_vec()),
        1 => {
            binary_round_trip(rest, PublicKey::from_bytes, |k| k.to_bytes().to_vec());
            if let Ok(k) = PublicKey::from_bytes(rest) {
                assert!(k.point().is_in_subgroup() && !k.point().is_identity());
            }
        }
        _ => binary_round_trip(rest, Signature::from_bytes, |s| s.to_bytes().to_vec()),
    }
});
