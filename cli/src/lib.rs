//! The `vouchsafe` command's file formats (docs/FORMATS.md section 3), as a library so that
//! the fuzz targets in `fuzz/` can reach them. The command itself is `src/main.rs`.

#![forbid(unsafe_code)]
// Panic-free on untrusted input (SECURITY.md section 6.8): outside tests, no unwrap, expect,
// panic, unchecked indexing or overflowing integer arithmetic anywhere in this crate, except
// where a narrow `#[allow]` says why (the gadget modules, which see only the prover's own
// witness and the circuit's fixed shape).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

pub mod state;
