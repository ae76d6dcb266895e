//! R1CS gadgets for range checks and comparisons.
//!
//! Costs (pinned by tests, and listed in `circuits/README.md`):
//! - [`range_check`] of `n` bits: `n + 1` constraints (`n` booleanity, one recomposition);
//! - [`less_than`], [`less_or_equal`], [`greater_than`], [`greater_or_equal`] on two
//!   [`U64Var`]s: 66 constraints (a 65-bit decomposition of `a - b + 2^64`);
//! - [`enforce_le_constant`]: one constraint per run of zero bits of the constant, and
//!   `min(k, 3)` per run of `k` one bits that is followed by a zero;
//! - [`to_bits_le_strict`]: 255 constraints for the decomposition plus the alias check
//!   `bits <= r - 1` through [`enforce_le_constant`].

use crate::Fr;
use ark_ff::{BigInteger, Field, PrimeField, Zero};
use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::boolean::Boolean;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::fields::FieldVar;
use ark_r1cs_std::GR1CSVar;
use ark_relations::gr1cs::SynthesisError;

/// Allocates `n` witness bits of `x`, little-endian, and enforces that they are boolean and
/// that they recompose to `x`; so `x < 2^n`.
///
/// Requires `n <= 253`: then `2^n < r`, the recomposition cannot wrap around the modulus, and
/// the decomposition is unique. Costs `n + 1` constraints (none for a constant `x`, which is
/// checked directly).
pub fn range_check(x: &FpVar<Fr>, n: usize) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    if n > 253 {
        return Err(SynthesisError::Unsatisfiable);
    }
    if let FpVar::Constant(c) = x {
        if c.into_bigint().num_bits() as usize > n {
            return Err(SynthesisError::Unsatisfiable);
        }
    }
    // n booleanity rows and one recomposition row: sum b_i 2^i == x, exact over the integers
    // since 2^n < r
    decompose(x, n)
}

/// Allocates the `n` little-endian bits of `x` (booleanity: one row each) and enforces
/// `sum b_i 2^i == x (mod r)` (one row). A constant `x` gives constant bits and no rows. The
/// caller decides what makes the decomposition unique (`n <= 253`, or an alias check).
fn decompose(x: &FpVar<Fr>, n: usize) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    if let FpVar::Constant(c) = x {
        let big = c.into_bigint();
        return Ok((0..n).map(|i| Boolean::constant(big.get_bit(i))).collect());
    }
    let cs = x.cs();
    let value = x.value().ok().map(|v| v.into_bigint());
    let bits = (0..n)
        .map(|i| {
            Boolean::new_witness(cs.clone(), || {
                value
                    .map(|v| v.get_bit(i))
                    .ok_or(SynthesisError::AssignmentMissing)
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    bits_to_fp(&bits).enforce_equal(x)?;
    Ok(bits)
}

/// The linear combination `sum b_i 2^i` of little-endian bits, reduced mod r, with no
/// constraints. (`Boolean::le_bits_to_fp` adds its own alias check at 254 bits; callers here
/// choose their check explicitly.)
pub fn bits_to_fp(bits: &[Boolean<Fr>]) -> FpVar<Fr> {
    let mut power = Fr::from(1u64);
    let mut acc = FpVar::zero();
    for b in bits {
        acc += FpVar::from(b.clone()) * power;
        power += power;
    }
    acc
}

/// `a * b` as a new witness with one constraint (none if either is a constant). Unlike the
/// `*` operator of ark-r1cs-std, a missing value outside setup mode is an error, not a panic.
pub fn product(a: &FpVar<Fr>, b: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    if a.is_constant() || b.is_constant() {
        return Ok(a * b);
    }
    let p = FpVar::new_witness(a.cs().or(b.cs()), || Ok(a.value()? * b.value()?))?;
    a.mul_equals(b, &p)?;
    Ok(p)
}

/// `[x == 0]` with 3 constraints and no free witness: `x inv = 1 - z`, `x z = 0`, `inv z = 0`.
/// If `x != 0` then `z = 0` and `inv = 1/x`; if `x = 0` then `z = 1` and `inv = 0`. (The usual
/// 2-constraint form leaves `inv` free when `x = 0`, which the mutation sweep reports.)
pub fn is_zero(x: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    if let FpVar::Constant(c) = x {
        return Ok(FpVar::Constant(Fr::from(c.is_zero())));
    }
    let cs = x.cs();
    let z = FpVar::new_witness(cs.clone(), || Ok(Fr::from(x.value()?.is_zero())))?;
    let inv = FpVar::new_witness(cs, || Ok(x.value()?.inverse().unwrap_or(Fr::from(0u64))))?;
    x.mul_equals(&inv, &(FpVar::one() - &z))?;
    x.mul_equals(&z, &FpVar::zero())?;
    inv.mul_equals(&z, &FpVar::zero())?;
    Ok(z)
}

/// `[a == b]`: [`is_zero`] of `a - b`, 3 constraints.
pub fn is_equal(a: &FpVar<Fr>, b: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    is_zero(&(a - b))
}

/// A field element known to be below `2^64`.
///
/// Construct it with [`U64Var::range_checked`] (65 constraints) for a prover-supplied value, or
/// with [`U64Var::assume_checked`] for a value whose range is already enforced elsewhere, e.g. a
/// public input that the verifier range-checks natively before it verifies. Each value should be
/// range-checked once in a circuit and then compared as often as needed.
#[derive(Clone, Debug)]
pub struct U64Var(FpVar<Fr>);

impl U64Var {
    /// Range-checks `x < 2^64` in the circuit (65 constraints).
    pub fn range_checked(x: &FpVar<Fr>) -> Result<Self, SynthesisError> {
        range_check(x, 64)?;
        Ok(U64Var(x.clone()))
    }

    /// Wraps `x` without constraints. The caller guarantees `x < 2^64` by other means (a
    /// previous range check of the same variable, or a native check of a public input); without
    /// that guarantee the comparisons below are unsound.
    pub fn assume_checked(x: FpVar<Fr>) -> Self {
        U64Var(x)
    }

    /// A constant.
    pub fn constant(v: u64) -> Self {
        U64Var(FpVar::Constant(Fr::from(v)))
    }

    /// The underlying field variable.
    pub fn as_fp(&self) -> &FpVar<Fr> {
        &self.0
    }
}

/// `a < b` for two values below `2^64`: 66 constraints.
///
/// `t = a - b + 2^64` lies in `[1, 2^65)` because both operands are below `2^64` (the
/// precondition carried by [`U64Var`]); `a < b` exactly when `t < 2^64`, i.e. when bit 64 of the
/// 65-bit decomposition of `t` is zero.
pub fn less_than(a: &U64Var, b: &U64Var) -> Result<Boolean<Fr>, SynthesisError> {
    let two64 = FpVar::Constant(Fr::from(u64::MAX) + Fr::from(1u64));
    let t = &a.0 - &b.0 + two64;
    let bits = range_check(&t, 65)?;
    Ok(!bits[64].clone())
}

/// `a <= b`: 66 constraints.
pub fn less_or_equal(a: &U64Var, b: &U64Var) -> Result<Boolean<Fr>, SynthesisError> {
    Ok(!less_than(b, a)?)
}

/// `a > b`: 66 constraints.
pub fn greater_than(a: &U64Var, b: &U64Var) -> Result<Boolean<Fr>, SynthesisError> {
    less_than(b, a)
}

/// `a >= b`: 66 constraints.
pub fn greater_or_equal(a: &U64Var, b: &U64Var) -> Result<Boolean<Fr>, SynthesisError> {
    Ok(!less_than(a, b)?)
}

/// Enforces `a < b` (65 constraints: `b - a - 1` is range-checked to 64 bits).
pub fn enforce_less_than(a: &U64Var, b: &U64Var) -> Result<(), SynthesisError> {
    range_check(&(&b.0 - &a.0 - FpVar::one()), 64).map(|_| ())
}

/// Enforces `a <= b` (65 constraints).
pub fn enforce_less_or_equal(a: &U64Var, b: &U64Var) -> Result<(), SynthesisError> {
    range_check(&(&b.0 - &a.0), 64).map(|_| ())
}

/// Enforces that the little-endian `bits` encode an integer `<= c` (as an integer, not mod r).
///
/// Precondition: every bit is boolean-constrained (as [`range_check`] and
/// [`Boolean::new_witness`] guarantee). Scans from the most significant bit, keeping `eq`, the
/// flag "the bits so far equal the constant's":
/// - a run of zero bits of `c`: `eq * (sum of those bits) == 0`, one constraint (the sum of at
///   most 254 booleans cannot wrap around r, so it is zero only if every bit is);
/// - a run of `k` one bits of `c` followed by a zero: `eq` becomes `eq * prod(bits)`, `k`
///   products (`k - 1` while `eq` is still the constant 1).
///
/// Bits above the width of `c` must be zero; they form the first zero run.
pub fn enforce_le_constant<B: BigInteger>(
    bits: &[Boolean<Fr>],
    c: &B,
) -> Result<(), SynthesisError> {
    let n = bits.len();
    // Bit i of the constant (false beyond its width).
    let cbit = |i: usize| i < (c.num_bits() as usize) && c.get_bit(i);
    // eq == None stands for the constant 1 (nothing scanned yet).
    let mut eq: Option<FpVar<Fr>> = None;
    let mut i = n;
    while i > 0 {
        let bit = cbit(i - 1);
        let mut j = i;
        while j > 0 && cbit(j - 1) == bit {
            j -= 1;
        }
        // positions j..i (exclusive of i) form a run with constant bit `bit`
        let run = &bits[j..i];
        if !bit {
            let sum = run
                .iter()
                .fold(FpVar::zero(), |acc, b| acc + FpVar::from(b.clone()));
            match &eq {
                None => sum.enforce_equal(&FpVar::zero())?,
                Some(e) => e.mul_equals(&sum, &FpVar::zero())?,
            }
        } else if j > 0 {
            // a zero run follows, so the flag is needed
            eq = Some(and_run(eq.take(), run)?);
        }
        i = j;
    }
    Ok(())
}

fn and_run(eq: Option<FpVar<Fr>>, run: &[Boolean<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
    // A chain of products, one constraint each. (An "is the sum equal to k" test would cost 3
    // for any k, but its inverse hint is unconstrained whenever the run is all ones, and the
    // mutation sweep rightly flags free witness variables.)
    let mut acc = eq;
    for b in run {
        let bf = FpVar::from(b.clone());
        acc = Some(match acc {
            None => bf,
            Some(e) => e * bf,
        });
    }
    acc.ok_or(SynthesisError::Unsatisfiable)
}

/// The unique little-endian 254-bit decomposition of `x`: 255 constraints for the bits and the
/// recomposition, plus the alias check `bits <= r - 1` ([`enforce_le_constant`]), without which
/// both `x` and `x + r` (when below `2^254`) would be accepted (SECURITY.md bug class 2).
pub fn to_bits_le_strict(x: &FpVar<Fr>) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    let bits = decompose(x, 254)?;
    if x.is_constant() {
        // a constant is below r already: its bits are the canonical ones
        return Ok(bits);
    }
    // alias check: 254 bits can encode x and x + r
    let mut r_minus_1 = Fr::MODULUS;
    r_minus_1.sub_with_borrow(&ark_ff::BigInt::from(1u64));
    enforce_le_constant(&bits, &r_minus_1)?;
    Ok(bits)
}

#[cfg(test)]
mod tests;
