//! Provider public key JSON and provider secret JSON (FORMATS.md 2.3, 2.4). The first byte
//! picks the decoder.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vouchsafe::provider::{public_key_from_json, public_key_to_json, Provider};

/// Providers compare by what their secret file holds.
#[derive(Debug, PartialEq)]
struct Secret(String);

fuzz_target!(|data: &[u8]| {
    let Some((which, rest)) = data.split_first() else {
        return;
    };
    if which % 2 == 0 {
        vouchsafe_fuzz::json_round_trip(rest, public_key_from_json, public_key_to_json);
    } else {
        let decode = |s: &str| {
            Provider::from_secret_json(s).map(|p| Secret(p.export_secret_json().to_string()))
        };
        vouchsafe_fuzz::json_round_trip(rest, decode, |s| s.0.clone());
    }
});
