//! Revocation list JSON (FORMATS.md 2.7).
#![no_main]
use libfuzzer_sys::fuzz_target;
use vouchsafe::revocation::RevocationList;

/// Lists compare by their canonical encoding (the type has no `PartialEq`); the oracle still
/// checks that this encoding is a fixed point.
#[derive(Debug, PartialEq)]
struct Canonical(String);

fuzz_target!(|data: &[u8]| {
    let decode = |s: &str| RevocationList::from_json(s).map(|l| Canonical(l.to_json()));
    vouchsafe_fuzz::json_round_trip(data, decode, |c| c.0.clone());
});
