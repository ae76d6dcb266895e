//! Revocation request JSON (FORMATS.md 2.6); an accepted request's signature check must not
//! panic either.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vouchsafe::revocation::RevocationRequest;

fuzz_target!(|data: &[u8]| {
    vouchsafe_fuzz::json_round_trip(
        data,
        RevocationRequest::from_json,
        RevocationRequest::to_json,
    );
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(r) = RevocationRequest::from_json(text) {
            let _ = r.verify();
        }
    }
});
