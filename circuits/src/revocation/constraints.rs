//! The revocation check as an R1CS gadget: the non-membership relation of [`super`], with the
//! id derived in the circuit from the provider key and the serial.
//!
//! Relation ([`enforce_not_revoked`]): for `root` and the variables `Ax, Ay, serial`, with
//! `id = low252(Poseidon(TAG_REVOCATION_ID, Ax, Ay, serial))`, the witness `(low_value,
//! low_next, path)` satisfies `low_value, low_next < 2^252`, `low_value < id`,
//! `id < low_next or low_next == 0`, and `Poseidon(TAG_REVOCATION_LEAF, low_value, low_next)` is
//! at the path's slot of the 4-ary tree of depth 10 with root `root`. The same checks as the
//! native [`super::verify_non_membership`].
//!
//! Costs, measured and pinned by the tests (5,006 in all):
//!
//! | step | constraints |
//! |---|---:|
//! | 1. `h = Poseidon(TAG_REVOCATION_ID, Ax, Ay, serial)` (constant tag) | 294 |
//! | 2. strict 254-bit decomposition of `h`; `id` = its low 252 bits (linear, free) | 407 |
//! | 3. `low_value < 2^252`, `low_next < 2^252` (252-bit range checks) | 2 x 253 |
//! | 4. `low_value < id`: `id - low_value - 1 < 2^252` | 253 |
//! | 5. `z = [low_next == 0]` (3), `(1 - z)(low_next - id - 1)` (1), `< 2^252` (253) | 257 |
//! | 6. leaf `Poseidon(TAG_REVOCATION_LEAF, low_value, low_next)` (constant tag) | 258 |
//! | 6. path: 10 levels x 303 (20 booleanity rows added by [`alloc_non_membership`]) + 1 | 3,031 |
//! | **total** | **5,006** |
//!
//! Soundness notes:
//! - **The id is this credential's** (SECURITY.md F02): it is computed from the `Ax, Ay, serial`
//!   variables the caller passes, which must be the very variables the signature check uses.
//! - **The decomposition of `h` is unique** (F03, bug class 2): `to_bits_le_strict` checks the
//!   254 bits against `r - 1`, so the bits of `h + r` (when below `2^254`), which would give
//!   another id, are refused. Bits 252 and 253 are decomposed and dropped.
//! - **Comparisons are sound** because every operand is below `2^252`: `id` by construction,
//!   `low_value` and `low_next` by the range checks of step 3 (the proof is in [`super`]).
//!   Without step 3 a leaf `(r - 1, 0)` would bracket every id.
//! - **`[low_next == 0]` has no free witness**: `x inv = 1 - z`, `x z = 0`, `inv z = 0` (the
//!   form of [`crate::compare::constraints::is_zero`]); the mutation sweep checks it.
//! - **The leaf is hashed in the circuit** and its path has the circuit's fixed depth, with
//!   boolean position bits (E02-E04): an empty slot (0) or an inner node cannot pass as a leaf.

use super::{NonMembershipWitness, ID_BITS, REVOCATION_TREE_ARITY, REVOCATION_TREE_DEPTH};
use crate::compare::constraints::{bits_to_fp, is_zero, product, range_check, to_bits_le_strict};
use crate::merkle::constraints::{alloc_path, leaf_hash, PathVar};
use crate::poseidon::constraints::hash;
use crate::tags::FieldTag;
use crate::Fr;

use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::boolean::Boolean;
use ark_r1cs_std::fields::fp::FpVar;
use ark_r1cs_std::fields::FieldVar;
use ark_r1cs_std::GR1CSVar;
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use std::fmt;
use std::ops::Range;

/// A non-membership witness inside a circuit: the low leaf's two values and its path. Built by
/// [`alloc_non_membership`] only, so the path always has the revocation tree's shape.
#[derive(Clone)]
pub struct NonMembershipVar {
    low_value: FpVar<Fr>,
    low_next: FpVar<Fr>,
    path: PathVar,
}

impl fmt::Debug for NonMembershipVar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // the low leaf and the slot are the witness: show the shape only
        f.debug_struct("NonMembershipVar")
            .field("depth", &self.path.depth())
            .finish_non_exhaustive()
    }
}

/// Allocates a non-membership witness: `low_value`, `low_next`, then the path of
/// [`REVOCATION_TREE_DEPTH`] 4-ary levels (20 booleanity constraints for the position bits).
/// With `witness` `None` (setup) no value is needed; in proving mode the missing values give
/// [`SynthesisError::AssignmentMissing`]. The values are not checked here: the circuit checks
/// them.
///
/// # Errors
/// [`SynthesisError::Unsatisfiable`] for a path of the wrong shape; otherwise any error of the
/// constraint system.
pub fn alloc_non_membership(
    cs: ConstraintSystemRef<Fr>,
    witness: Option<&NonMembershipWitness>,
) -> Result<NonMembershipVar, SynthesisError> {
    let value = |f: fn(&NonMembershipWitness) -> Fr| {
        move || witness.map(f).ok_or(SynthesisError::AssignmentMissing)
    };
    let low_value = FpVar::new_witness(cs.clone(), value(|w| w.low_value))?;
    let low_next = FpVar::new_witness(cs.clone(), value(|w| w.low_next))?;
    let path = alloc_path(
        cs,
        REVOCATION_TREE_ARITY,
        REVOCATION_TREE_DEPTH,
        witness.map(|w| &w.path),
    )?;
    Ok(NonMembershipVar {
        low_value,
        low_next,
        path,
    })
}

/// `h = Poseidon(TAG_REVOCATION_ID, Ax, Ay, serial)`: 294 constraints.
fn id_hash(
    provider_x: &FpVar<Fr>,
    provider_y: &FpVar<Fr>,
    serial: &FpVar<Fr>,
) -> Result<FpVar<Fr>, SynthesisError> {
    hash(&[
        FpVar::Constant(FieldTag::RevocationId.value()),
        provider_x.clone(),
        provider_y.clone(),
        serial.clone(),
    ])
}

/// The strict 254-bit decomposition of `h` (407 constraints) and the id, the linear
/// combination of its low 252 bits.
fn id_from_hash(h: &FpVar<Fr>) -> Result<(FpVar<Fr>, Vec<Boolean<Fr>>), SynthesisError> {
    let bits = to_bits_le_strict(h)?;
    let id = bits_to_fp(bits.get(..ID_BITS).ok_or(SynthesisError::Unsatisfiable)?);
    Ok((id, bits))
}

/// The revocation id of the credential with provider key `(provider_x, provider_y)` and
/// `serial`: `low252(Poseidon(TAG_REVOCATION_ID, Ax, Ay, serial))`, the same function as the
/// native [`super::revocation_id`]. 701 constraints: the hash (294) and the strict 254-bit
/// decomposition of its output (407); the id is the linear combination of the low 252 bits.
///
/// # Errors
/// Only errors of the constraint system.
pub fn revocation_id(
    provider_x: &FpVar<Fr>,
    provider_y: &FpVar<Fr>,
    serial: &FpVar<Fr>,
) -> Result<FpVar<Fr>, SynthesisError> {
    Ok(id_from_hash(&id_hash(provider_x, provider_y, serial)?)?.0)
}

/// Enforces that the credential with provider key `(provider_x, provider_y)` and `serial` is not
/// revoked in the tree with root `root`, using `witness` (see the module documentation for the
/// relation and the cost: 4,986 constraints here, 5,006 with [`alloc_non_membership`]).
///
/// Pass the provider key and serial variables that the rest of the statement uses (the
/// signature check, the credential hash): the id is derived from them here, so the proof is
/// about this credential and no other (SECURITY.md F02, bug class 21).
///
/// # Errors
/// Only errors of the constraint system.
pub fn enforce_not_revoked(
    root: &FpVar<Fr>,
    provider_x: &FpVar<Fr>,
    provider_y: &FpVar<Fr>,
    serial: &FpVar<Fr>,
    witness: &NonMembershipVar,
) -> Result<(), SynthesisError> {
    enforce_traced(root, provider_x, provider_y, serial, witness).map(|_| ())
}

/// The intermediate variables of one [`enforce_not_revoked`], and the constraint rows of each
/// step, for the malicious-witness tests and the cost table.
// Only the tests read the fields.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct Trace {
    /// The strict 254-bit decomposition of `h`.
    pub(crate) h_bits: Vec<Boolean<Fr>>,
    /// The id: the linear combination of the low 252 bits.
    pub(crate) id: FpVar<Fr>,
    /// The 252 bits of `id - low_value - 1`.
    pub(crate) above_low_bits: Vec<Boolean<Fr>>,
    /// `[low_next == 0]`.
    pub(crate) next_is_zero: FpVar<Fr>,
    /// `(1 - z)(low_next - id - 1)`.
    pub(crate) below_next: FpVar<Fr>,
    /// Its 252 bits.
    pub(crate) below_next_bits: Vec<Boolean<Fr>>,
    /// The constraint rows of each step, in order.
    pub(crate) steps: Vec<(&'static str, Range<usize>)>,
}

/// [`enforce_not_revoked`], returning its [`Trace`].
pub(crate) fn enforce_traced(
    root: &FpVar<Fr>,
    provider_x: &FpVar<Fr>,
    provider_y: &FpVar<Fr>,
    serial: &FpVar<Fr>,
    witness: &NonMembershipVar,
) -> Result<Trace, SynthesisError> {
    let NonMembershipVar {
        low_value,
        low_next,
        path,
    } = witness;
    // alloc_non_membership is the only constructor; check the shape anyway
    if path.arity() != REVOCATION_TREE_ARITY || path.depth() != REVOCATION_TREE_DEPTH {
        return Err(SynthesisError::Unsatisfiable);
    }
    let cs = root
        .cs()
        .or(provider_x.cs())
        .or(provider_y.cs())
        .or(serial.cs())
        .or(low_value.cs())
        .or(low_next.cs());
    let mut steps = Vec::with_capacity(8);
    let mut start = cs.num_constraints();
    let mut step = |name: &'static str| {
        let end = cs.num_constraints();
        steps.push((name, start..end));
        start = end;
    };
    let one = FpVar::<Fr>::one();

    // 1, 2. id = low252(Poseidon(TAG_REVOCATION_ID, Ax, Ay, serial)), h decomposed strictly
    let h = id_hash(provider_x, provider_y, serial)?;
    step("1. id hash");
    let (id, h_bits) = id_from_hash(&h)?;
    step("2. strict decomposition");

    // 3. both values of the low leaf are below 2^252, so the comparisons below are sound
    range_check(low_value, ID_BITS)?;
    step("3. low_value < 2^252");
    range_check(low_next, ID_BITS)?;
    step("3. low_next < 2^252");

    // 4. low_value < id
    let above_low_bits = range_check(&(&id - low_value - &one), ID_BITS)?;
    step("4. low_value < id");

    // 5. id < low_next, unless low_next == 0 (no larger value)
    let next_is_zero = is_zero(low_next)?;
    let below_next = product(&(&one - &next_is_zero), &(low_next - &id - &one))?;
    let below_next_bits = range_check(&below_next, ID_BITS)?;
    step("5. id < low_next or low_next == 0");

    // 6. the low leaf is in the tree
    let leaf = leaf_hash(
        FieldTag::RevocationLeaf,
        &[low_value.clone(), low_next.clone()],
    )?;
    step("6. leaf hash");
    path.enforce_membership(&leaf, root)?;
    step("6. path and root");

    Ok(Trace {
        h_bits,
        id,
        above_low_bits,
        next_is_zero,
        below_next,
        below_next_bits,
        steps,
    })
}

#[cfg(test)]
mod tests;
