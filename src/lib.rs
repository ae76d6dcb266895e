#![doc = include_str!("../README.md")]
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

/// The circomlib-compatible primitives, re-exported from `vouchsafe-circuits`: field encoding,
/// Poseidon, Baby Jubjub, EdDSA-Poseidon, Merkle trees and comparisons, each with its gadget.
pub mod primitives {
    pub use vouchsafe_circuits::{
        babyjubjub, compare, eddsa, field, merkle, poseidon, presentation, revocation, tags, Fr,
    };
}

mod fixed_base;
pub mod keys;
mod pairing;
mod prover;
mod tower;
pub mod verifier;

pub mod credential;
pub mod export;
pub mod holder;
pub mod provider;
pub mod registry;
pub mod revocation;
pub mod schema;
pub mod wire;
