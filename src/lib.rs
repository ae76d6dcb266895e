#![doc = include_str!("../README.md")]

/// The circomlib-compatible primitives, re-exported from `vouchsafe-circuits`: field encoding,
/// Poseidon, Baby Jubjub, EdDSA-Poseidon, Merkle trees and comparisons, each with its gadget.
pub mod primitives {
    pub use vouchsafe_circuits::{babyjubjub, compare, eddsa, field, merkle, poseidon, tags, Fr};
}
