//! Field elements (FORMATS.md 1.1, 4.1): decimal and hex strings, 32 bytes little- and
//! big-endian, and the holder secret (32 bytes little-endian). The first byte picks the
//! decoder. Anything accepted is below r and re-encodes to the same spelling.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vouchsafe::holder::HolderSecret;
use vouchsafe_circuits::field;
use vouchsafe_fuzz::binary_round_trip;

fn text(
    bytes: &[u8],
    parse: fn(&str) -> Result<vouchsafe_circuits::Fr, field::FieldError>,
    print: fn(&vouchsafe_circuits::Fr) -> String,
) {
    if let Ok(s) = std::str::from_utf8(bytes) {
        if let Ok(x) = parse(s) {
            assert_eq!(print(&x), s, "a second spelling was accepted");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((which, rest)) = data.split_first() else {
        return;
    };
    match which % 5 {
        0 => text(rest, field::parse_decimal, field::to_decimal),
        1 => text(rest, field::parse_hex, field::to_hex),
        2 => binary_round_trip(rest, field::from_bytes_le, |x| {
            field::to_bytes_le(x).to_vec()
        }),
        3 => binary_round_trip(rest, field::from_bytes_be, |x| {
            field::to_bytes_be(x).to_vec()
        }),
        _ => binary_round_trip(rest, HolderSecret::from_bytes, |s| {
            s.export_bytes().to_vec()
        }),
    }
});
