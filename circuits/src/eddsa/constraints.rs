//! The EdDSA-Poseidon verification gadget, with circomlib semantics (DESIGN section 2):
//! `S < l`, `A` and `R8` on the curve, `8 A != O`, and `[S] Base8 == R8 + [h] (8 A)` with
//! `h = Poseidon(R8x, R8y, Ax, Ay, m)` multiplied as its full integer.
//!
//! Cost: 3,481 constraints against circomlib's 4,217 for `EdDSAPoseidonVerifier` (the parts are
//! listed in `circuits/README.md`). The public key enters as one allocated point that feeds both
//! the hash and the scalar multiplication (SECURITY.md C10, E05).

use crate::babyjubjub::constraints::{mul_base8, mul_prime_order, PointVar, BASE8_SCALAR_BITS};
use crate::babyjubjub::subgroup_order;
use crate::compare::constraints::{enforce_le_constant, range_check};
use crate::Fr;
use ark_ff::BigInteger;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::fields::FieldVar;
use ark_relations::gr1cs::SynthesisError;

/// A signature `(R8, S)` inside a circuit.
#[derive(Clone, Debug)]
pub struct SignatureVar {
    /// The nonce point `R8` (on-curve is enforced by [`verify`]).
    pub r8: PointVar,
    /// The scalar `S` (`S < l` is enforced by [`verify`]).
    pub s: FpVar<Fr>,
}

/// Enforces that `sig` is a valid EdDSA-Poseidon signature of `m` under the public key `a`
/// (circomlib's `EdDSAPoseidonVerifier` with `enabled = 1`): 3,481 constraints.
///
/// 1. `A` and `R8` on the curve (3 + 3);
/// 2. `P = 8 A` by three doublings (15) and `P != O`, i.e. `x(P) != 0` (1): `A` is not of small
///    order, and `P` has order exactly `l`;
/// 3. `h = Poseidon(R8x, R8y, Ax, Ay, m)` (321);
/// 4. `S` decomposed into 251 bits (252) and `S <= l - 1` on those bits (169): rejects `S + l`;
/// 5. `[S] Base8` (504) and `[h] P` (2,201, which pins `h` to its unique integer in `[0, r)`);
/// 6. `R8 + [h] P == [S] Base8` (6 + 2).
pub fn verify(a: &PointVar, m: &FpVar<Fr>, sig: &SignatureVar) -> Result<(), SynthesisError> {
    // 1. both points on the curve
    a.enforce_on_curve()?;
    sig.r8.enforce_on_curve()?;
    // 2. P = 8 A, not the identity (x(P) = 0 only for O and (0, -1), and 8 A is never the latter)
    let p = a.double()?.double()?.double()?;
    let _inv = p.x.inverse()?; // one constraint: x * inv == 1
                               // 3. the challenge, from the same allocated A and R8
    let h = crate::poseidon::constraints::hash(&[
        sig.r8.x.clone(),
        sig.r8.y.clone(),
        a.x.clone(),
        a.y.clone(),
        m.clone(),
    ])?;
    // 4. S < l (circomlib's CompConstant(l - 1); RFC 8032 section 5.1.7 likewise)
    let s_bits = range_check(&sig.s, BASE8_SCALAR_BITS)?;
    let mut l_minus_1 = subgroup_order();
    l_minus_1.sub_with_borrow(&ark_ff::BigInt::from(1u64));
    enforce_le_constant(&s_bits, &l_minus_1)?;
    // 5. both scalar multiplications
    let left = mul_base8(&s_bits)?;
    let right = mul_prime_order(&p, &h)?;
    // 6. the verification equation
    sig.r8.add(&right)?.enforce_equal(&left)
}

/// The number of constraints [`verify`] adds (pinned by a test).
pub const VERIFY_CONSTRAINTS: usize = 3481;

#[cfg(test)]
mod tests;
