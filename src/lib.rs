#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

/// The circomlib-compatible primitives, re-exported from `vouchsafe-circuits`: field encoding,
/// Poseidon, Baby Jubjub, EdDSA-Poseidon, Merkle trees and comparisons, each with its gadget.
pub mod primitives {
    pub use vouchsafe_circuits::{
        babyjubjub, compare, eddsa, field, merkle, poseidon, presentation, revocation, tags, Fr,
    };
}

mod fixed_base;
pub mod keys;
mod prover;
pub mod verifier;

pub mod credential;
pub mod export;
pub mod holder;
pub mod provider;
pub mod registry;
pub mod revocation;
pub mod schema;
pub mod wire;
