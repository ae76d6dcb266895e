//! The command's own files (FORMATS.md 3.2, 3.3): the holder secret file and the verifier
//! state file. The first byte picks the decoder.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vouchsafe_cli::state;

/// Holder secrets compare by their file text (the type has no `PartialEq`, being a secret).
#[derive(Debug, PartialEq)]
struct SecretText(String);

fuzz_target!(|data: &[u8]| {
    let Some((which, rest)) = data.split_first() else {
        return;
    };
    if which % 2 == 0 {
        let decode = |s: &str| {
            state::parse_holder_secret(s)
                .map(|h| SecretText(state::holder_secret_json(&h).to_string()))
        };
        vouchsafe_fuzz::json_round_trip(rest, decode, |t| t.0.clone());
    } else {
        vouchsafe_fuzz::json_round_trip(rest, state::parse_verifier_state, |(id, entries)| {
            state::verifier_state_json(id, entries)
        });
    }
});
