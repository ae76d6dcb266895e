//! Request JSON (FORMATS.md 2.8); an accepted request's derived values must not panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vouchsafe::verifier::Request;
use vouchsafe_circuits::Fr;

fuzz_target!(|data: &[u8]| {
    vouchsafe_fuzz::json_round_trip(data, Request::from_json, Request::to_json);
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(r) = Request::from_json(text) {
            let zero = Fr::from(0u64);
            let _ = (
                r.challenge(),
                r.scope(),
                r.digest(),
                r.statement(zero, zero, zero),
            );
        }
    }
});
