//! Groth16 proof bytes (FORMATS.md 4.5): exactly 128 bytes, points validated, canonical.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vouchsafe::keys::Proof;

fuzz_target!(|data: &[u8]| {
    vouchsafe_fuzz::binary_round_trip(data, Proof::from_bytes, |p| p.to_bytes().to_vec());
});
