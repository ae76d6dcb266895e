#![doc = include_str!("../README.md")]

/// The circomlib-compatible primitives, re-exported from `vouchsafe-circuits`: field encoding,
/// Poseidon, Baby Jubjub, EdDSA-Poseidon, Merkle trees and comparisons, each with its gadget.
pub mod primitives {
    pub use vouchsafe_circuits::{
        babyjubjub, compare, eddsa, field, merkle, poseidon, presentation, tags, Fr,
    };
}

/// Proving and verifying keys, proofs, and the development setup.
pub mod keys;
/// Requests, presentations and their verification.
pub mod verifier;

/// Credentials: the 16 signed slots, their builder, and signed credentials.
pub mod credential;
/// The freelancer's side: the holder secret, accepting credentials, proving.
pub mod holder;
/// Providers (issuers): signing keys that issue credentials, and key formats.
pub mod provider;
/// The marketplace registry of approved providers (per schema), its root history and snapshots.
pub mod registry;
/// Credential schemas: names, versions and typed claims; the built-in schemas.
pub mod schema;
/// Wire formats: strict JSON conventions, serde helpers for field elements, decoding errors.
pub mod wire;
