//! What vouchsafe proves: circomlib-compatible primitives over the BN254 scalar field, each as
//! native code and, beside it, as an R1CS gadget (`foo.rs` + `foo/constraints.rs`).
//!
//! - [`field`]: strict parsing and canonical encoding of field elements, hash-to-field.
//! - [`tags`]: every domain-separation tag, in one place.
//! - [`poseidon`]: circomlib Poseidon, 1 to 16 inputs.
//! - [`babyjubjub`]: the Baby Jubjub curve in circomlib's form (a = 168700, d = 168696).
//! - [`eddsa`]: EdDSA-Poseidon with circomlib semantics.
//! - [`merkle`]: Poseidon Merkle trees, binary and 4-ary.
//! - [`compare`]: range checks and 64-bit comparisons.
//! - [`revocation`]: the revoked set, an indexed Merkle tree with non-membership proofs.
//! - [`presentation`]: the one statement every presentation proves.
//!
//! The constraint budget of every gadget is in `circuits/README.md` and pinned by tests.

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

pub mod babyjubjub;
pub mod compare;
pub mod eddsa;
pub mod field;
pub mod merkle;
pub mod poseidon;
pub mod presentation;
pub mod revocation;
pub mod tags;

#[cfg(test)]
pub(crate) mod r1cs_check;
#[cfg(test)]
#[allow(clippy::expect_used)] // test helper: a missing vectors file fails the test
pub(crate) mod test_vectors;

/// The BN254 scalar field: every value in every statement lives here.
pub use ark_bn254::Fr;
