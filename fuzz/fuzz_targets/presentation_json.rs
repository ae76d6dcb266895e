//! Presentation JSON (FORMATS.md 2.9).
#![no_main]
use libfuzzer_sys::fuzz_target;
use vouchsafe::verifier::Presentation;

fuzz_target!(|data: &[u8]| {
    vouchsafe_fuzz::json_round_trip(data, Presentation::from_json, Presentation::to_json);
});
