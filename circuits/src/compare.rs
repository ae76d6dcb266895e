//! Range checks and comparisons: `x < 2^n`, and `a op b` for 64-bit unsigned values.
//!
//! Native side: [`CmpOp`] and its evaluation on `u64`, which the policy layer uses to decide
//! before proving whether a predicate holds. The gadgets live in [`constraints`]:
//! - [`constraints::range_check`]: `x < 2^n` with `n + 1` constraints;
//! - [`constraints::U64Var`]: a value proven (or checked by the verifier) to be below `2^64`,
//!   the only operand type the comparisons accept;
//! - [`constraints::less_than`] and friends: 66 constraints each;
//! - [`constraints::enforce_le_constant`]: bits `<=` a constant, about 0.75 constraints a bit;
//! - [`constraints::to_bits_le_strict`]: the unique 254-bit decomposition (alias-checked).

// Gadget code: it lays out constraints over the prover's own witness, with indexes and sizes
// fixed by the circuit's shape; no input bytes reach it. It keeps the unwrap/expect/panic
// lints but not the crate's indexing and integer-arithmetic ones (SECURITY.md 6.8).
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
pub mod constraints;

/// An order comparison between two `u64` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `a < b`
    Lt,
    /// `a <= b`
    Le,
    /// `a > b`
    Gt,
    /// `a >= b`
    Ge,
}

impl CmpOp {
    /// Evaluates `a op b` natively.
    pub fn eval(self, a: u64, b: u64) -> bool {
        match self {
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
        }
    }
}
