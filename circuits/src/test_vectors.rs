//! Test-only access to the circomlibjs known-answer vectors in `vectors/`.

use crate::field::parse_decimal;
use crate::Fr;

/// The parsed `vectors/eddsa_poseidon.json`.
pub(crate) fn eddsa() -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../vectors/eddsa_poseidon.json"
    ))
    .expect("vectors file");
    serde_json::from_str(&text).expect("vectors JSON")
}

/// A decimal string of the vectors as a field element.
pub(crate) fn dec(v: &serde_json::Value) -> Fr {
    parse_decimal(v.as_str().expect("decimal string")).expect("canonical decimal")
}
