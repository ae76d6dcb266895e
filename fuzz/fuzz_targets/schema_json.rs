//! Schema JSON (FORMATS.md 2.1).
#![no_main]
use libfuzzer_sys::fuzz_target;
use vouchsafe::schema::Schema;

fuzz_target!(|data: &[u8]| {
    vouchsafe_fuzz::json_round_trip(data, Schema::from_json, Schema::to_json);
});
