//! Verifying-key bytes (FORMATS.md 4.6): exact length, validated points, canonical, and the
//! weak-key checks; an accepted key must also prepare without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vouchsafe::keys::VerifyingKey;

fuzz_target!(|data: &[u8]| {
    vouchsafe_fuzz::binary_round_trip(data, VerifyingKey::from_bytes, VerifyingKey::to_bytes);
    if let Ok(vk) = VerifyingKey::from_bytes(data) {
        let _ = vk.prepare().fingerprint();
    }
});
