//! Poseidon Merkle paths as R1CS gadgets: the same relation as the native [`super`] module,
//! `root = compute_root(arity, depth, leaf, path)` with a fixed depth, in a circuit.
//!
//! Costs (pinned by tests):
//! - a binary level: 242 constraints, budget 243: booleanity of the path bit (1), the ordered
//!   pair (1), `hash2` (240);
//! - a 4-ary level: 303 constraints, budget 312: booleanity of the two position bits (2), the
//!   ordered children (4), `hash4` (297);
//! - [`leaf_hash`] of `n` data elements: Poseidon of `n + 1` inputs with a constant first input,
//!   3 constraints less than the Poseidon count (237 for `n = 1`, 294 for `n = 3`).
//!
//! The depth is the circuit's: [`alloc_path`] allocates exactly `depth` levels whatever the
//! witness, and refuses a path of another shape, so an inner node can never be presented as a
//! leaf with a shorter path (SECURITY.md E04). Every position bit is boolean-constrained when
//! allocated (E02, bug class 17); [`root_binary`] and [`root_quaternary`] take
//! [`Boolean`]s, which carry that constraint. The leaf should be computed in the circuit by
//! [`leaf_hash`]: a raw leaf witness of 0 would prove an empty slot (E03).

use super::{Arity, MerklePath, MAX_LEAF_DATA};
use crate::compare::constraints::product;
use crate::poseidon::constraints::{hash, hash2, hash4};
use crate::tags::FieldTag;
use crate::Fr;
use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::boolean::Boolean;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use std::fmt;

/// The leaf value of `data` under `tag`, in the circuit: `Poseidon(tag.value(), data...)`, the
/// same function as the native [`super::leaf_hash`]. 1 to 15 data elements; the constant tag
/// saves the first S-box (3 constraints fewer than Poseidon of as many variables).
///
/// # Errors
/// [`SynthesisError::Unsatisfiable`] for 0 or more than 15 data elements; otherwise any error
/// of the constraint system.
pub fn leaf_hash(tag: FieldTag, data: &[FpVar<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
    if data.is_empty() || data.len() > MAX_LEAF_DATA {
        return Err(SynthesisError::Unsatisfiable);
    }
    let mut inputs = Vec::with_capacity(data.len() + 1);
    inputs.push(FpVar::Constant(tag.value()));
    inputs.extend_from_slice(data);
    hash(&inputs)
}

/// The children of one binary level: `(cur, sib)` for `b = 0` and `(sib, cur)` for `b = 1`.
/// `b` must be boolean-constrained by the caller (it is whenever it comes from a [`Boolean`]).
/// One constraint.
fn binary_children(
    cur: &FpVar<Fr>,
    b: &FpVar<Fr>,
    sib: &FpVar<Fr>,
) -> Result<[FpVar<Fr>; 2], SynthesisError> {
    // left = cur + b (sib - cur): one constraint
    let left = cur + product(b, &(sib - cur))?;
    // right = cur + sib - left: the other one of the pair, free
    let right = cur + sib - &left;
    Ok([left, right])
}

/// One binary level: `hash2` of [`binary_children`]. 241 constraints.
fn binary_level(
    cur: &FpVar<Fr>,
    b: &FpVar<Fr>,
    sib: &FpVar<Fr>,
) -> Result<FpVar<Fr>, SynthesisError> {
    let [left, right] = binary_children(cur, b, sib)?;
    hash2(&left, &right)
}

/// The children of one 4-ary level: `cur` inserted at position `b0 + 2 b1` among the siblings
/// `s0, s1, s2` (kept in order). `b0`, `b1` must be boolean-constrained by the caller. Four
/// constraints.
///
/// The children, by position: 0: `(cur, s0, s1, s2)`, 1: `(s0, cur, s1, s2)`,
/// 2: `(s0, s1, cur, s2)`, 3: `(s0, s1, s2, cur)`. So the upper pair `(c2, c3)` is `(s1, s2)`
/// for `b1 = 0` and `{cur, s2}` ordered by `b0` for `b1 = 1`; the lower pair `(c0, c1)` is
/// `{cur, s0}` ordered by `b0` for `b1 = 0` and `(s0, s1)` for `b1 = 1`. With `p = b0 b1`:
/// - `h = s1 + b1 (cur - s1)`: `s1` or `cur`, the element of the upper pair beside `s2`;
/// - `c2 = h + p (s2 - h)`, `c3 = h + s2 - c2`: `(h, s2)`, swapped only at position 3;
/// - `l = cur + s1 - h`: `cur` or `s1`, the element of the lower pair beside `s0`;
/// - `c0 = l + (b0 + b1 - p) (s0 - l)`, `c1 = l + s0 - c0`: `(l, s0)`, swapped unless at
///   position 0 (`b0 + b1 - p` is `b0 OR b1`).
///
/// Four products (`p`, `h`, `c2`, `c0`); `l`, `c1` and `c3` are linear.
fn quaternary_children(
    cur: &FpVar<Fr>,
    b0: &FpVar<Fr>,
    b1: &FpVar<Fr>,
    s: &[FpVar<Fr>; 3],
) -> Result<[FpVar<Fr>; 4], SynthesisError> {
    let [s0, s1, s2] = s;
    let p = product(b0, b1)?;
    let h = s1 + product(b1, &(cur - s1))?;
    let c2 = &h + product(&p, &(s2 - &h))?;
    let c3 = &h + s2 - &c2;
    let l = cur + s1 - &h;
    let c0 = &l + product(&(b0 + b1 - &p), &(s0 - &l))?;
    let c1 = &l + s0 - &c0;
    Ok([c0, c1, c2, c3])
}

/// One 4-ary level: `hash4` of [`quaternary_children`]. 301 constraints.
fn quaternary_level(
    cur: &FpVar<Fr>,
    b0: &FpVar<Fr>,
    b1: &FpVar<Fr>,
    s: &[FpVar<Fr>; 3],
) -> Result<FpVar<Fr>, SynthesisError> {
    hash4(&quaternary_children(cur, b0, b1, s)?)
}

/// The root over `leaf` of a binary path: `index_bits[i]` (least significant first) places the
/// node at level `i` left (false) or right (true) of `siblings[i]`. 241 constraints per level,
/// plus the booleanity of each bit where it was allocated ([`alloc_path`]: 242 in all).
///
/// # Errors
/// [`SynthesisError::Unsatisfiable`] when the two slices differ in length or are empty;
/// otherwise any error of the constraint system.
pub fn root_binary(
    leaf: &FpVar<Fr>,
    index_bits: &[Boolean<Fr>],
    siblings: &[FpVar<Fr>],
) -> Result<FpVar<Fr>, SynthesisError> {
    if index_bits.is_empty() || index_bits.len() != siblings.len() {
        return Err(SynthesisError::Unsatisfiable);
    }
    let mut cur = leaf.clone();
    for (b, sib) in index_bits.iter().zip(siblings) {
        cur = binary_level(&cur, &FpVar::from(b.clone()), sib)?;
    }
    Ok(cur)
}

/// The root over `leaf` of a 4-ary path: `positions[i] = [b0, b1]` places the node at level `i`
/// at position `b0 + 2 b1` among `siblings[i]` (kept in order). 301 constraints per level, plus
/// the booleanity of both bits where they were allocated ([`alloc_path`]: 303 in all).
///
/// # Errors
/// [`SynthesisError::Unsatisfiable`] when the two slices differ in length or are empty;
/// otherwise any error of the constraint system.
pub fn root_quaternary(
    leaf: &FpVar<Fr>,
    positions: &[[Boolean<Fr>; 2]],
    siblings: &[[FpVar<Fr>; 3]],
) -> Result<FpVar<Fr>, SynthesisError> {
    if positions.is_empty() || positions.len() != siblings.len() {
        return Err(SynthesisError::Unsatisfiable);
    }
    let mut cur = leaf.clone();
    for ([b0, b1], s) in positions.iter().zip(siblings) {
        cur = quaternary_level(&cur, &FpVar::from(b0.clone()), &FpVar::from(b1.clone()), s)?;
    }
    Ok(cur)
}

/// A Merkle path inside a circuit: boolean position bits and sibling witnesses, per level from
/// the bottom. Built by [`alloc_path`]; the native counterpart is [`MerklePath`].
#[derive(Clone)]
pub enum PathVar {
    /// A path of a binary tree.
    Binary {
        /// Bit `i` of the index: the side of the node at level `i`.
        index_bits: Vec<Boolean<Fr>>,
        /// The sibling at each level.
        siblings: Vec<FpVar<Fr>>,
    },
    /// A path of a 4-ary tree.
    Quaternary {
        /// Base-4 digit `i` of the index as two bits `[b0, b1]`, digit `= b0 + 2 b1`.
        positions: Vec<[Boolean<Fr>; 2]>,
        /// The three siblings at each level, in tree order.
        siblings: Vec<[FpVar<Fr>; 3]>,
    },
}

impl fmt::Debug for PathVar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // the index and the siblings are the witness: show the shape only
        f.debug_struct("PathVar")
            .field("arity", &self.arity())
            .field("depth", &self.depth())
            .finish_non_exhaustive()
    }
}

/// Allocates a path of `depth` levels of a tree of `arity` as witnesses: per level, the position
/// bits (with their booleanity constraints: 1 per binary level, 2 per 4-ary level), then the
/// siblings. With `path` `None` (setup) no value is needed; in proving mode the missing values
/// give [`SynthesisError::AssignmentMissing`].
///
/// # Errors
/// [`SynthesisError::Unsatisfiable`] for a depth the arity does not support, or a `path` whose
/// shape is not `depth` levels of `fan_out - 1` siblings with an index below the capacity
/// ([`MerklePath::check_shape`]); otherwise any error of the constraint system.
pub fn alloc_path(
    cs: ConstraintSystemRef<Fr>,
    arity: Arity,
    depth: usize,
    path: Option<&MerklePath>,
) -> Result<PathVar, SynthesisError> {
    arity
        .capacity(depth)
        .map_err(|_| SynthesisError::Unsatisfiable)?;
    if let Some(p) = path {
        p.check_shape(arity, depth)
            .map_err(|_| SynthesisError::Unsatisfiable)?;
    }
    let bit = |level: usize, k: usize| {
        Boolean::new_witness(cs.clone(), || {
            let p = path.ok_or(SynthesisError::AssignmentMissing)?;
            let shift = level * arity.bits_per_level() + k;
            Ok((p.index >> shift) & 1 == 1)
        })
    };
    let sibling = |level: usize, k: usize| {
        FpVar::new_witness(cs.clone(), || {
            path.and_then(|p| p.siblings.get(level))
                .and_then(|s| s.get(k))
                .copied()
                .ok_or(SynthesisError::AssignmentMissing)
        })
    };
    match arity {
        Arity::Binary => {
            let mut index_bits = Vec::with_capacity(depth);
            let mut siblings = Vec::with_capacity(depth);
            for level in 0..depth {
                // booleanity: 1 constraint
                index_bits.push(bit(level, 0)?);
                siblings.push(sibling(level, 0)?);
            }
            Ok(PathVar::Binary {
                index_bits,
                siblings,
            })
        }
        Arity::Quaternary => {
            let mut positions = Vec::with_capacity(depth);
            let mut siblings = Vec::with_capacity(depth);
            for level in 0..depth {
                // booleanity: 2 constraints
                positions.push([bit(level, 0)?, bit(level, 1)?]);
                siblings.push([sibling(level, 0)?, sibling(level, 1)?, sibling(level, 2)?]);
            }
            Ok(PathVar::Quaternary {
                positions,
                siblings,
            })
        }
    }
}

impl PathVar {
    /// The arity of the tree.
    pub fn arity(&self) -> Arity {
        match self {
            PathVar::Binary { .. } => Arity::Binary,
            PathVar::Quaternary { .. } => Arity::Quaternary,
        }
    }

    /// The number of levels.
    pub fn depth(&self) -> usize {
        match self {
            PathVar::Binary { siblings, .. } => siblings.len(),
            PathVar::Quaternary { siblings, .. } => siblings.len(),
        }
    }

    /// The index bits, least significant first (for a 4-ary path, `b0, b1` of digit 0, then of
    /// digit 1, ...).
    pub fn index_bits(&self) -> Vec<Boolean<Fr>> {
        match self {
            PathVar::Binary { index_bits, .. } => index_bits.clone(),
            PathVar::Quaternary { positions, .. } => positions.iter().flatten().cloned().collect(),
        }
    }

    /// The index as a field element, `sum bit_i 2^i` (a linear combination: no constraint;
    /// below `2^32` since every bit is boolean).
    pub fn index(&self) -> FpVar<Fr> {
        crate::compare::constraints::bits_to_fp(&self.index_bits())
    }

    /// The root over `leaf` ([`root_binary`] or [`root_quaternary`]): 241 constraints per
    /// binary level, 301 per 4-ary level (the booleanity constraints were added by
    /// [`alloc_path`]).
    ///
    /// # Errors
    /// Those of [`root_binary`] and [`root_quaternary`].
    pub fn compute_root(&self, leaf: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
        match self {
            PathVar::Binary {
                index_bits,
                siblings,
            } => root_binary(leaf, index_bits, siblings),
            PathVar::Quaternary {
                positions,
                siblings,
            } => root_quaternary(leaf, positions, siblings),
        }
    }

    /// Enforces that `leaf` is in the tree with root `root` at this path's index:
    /// [`PathVar::compute_root`] and one equality constraint.
    ///
    /// Compute `leaf` with [`leaf_hash`] in the circuit: a raw leaf witness of 0 would prove
    /// an empty slot (SECURITY.md E03).
    ///
    /// # Errors
    /// Those of [`PathVar::compute_root`].
    pub fn enforce_membership(
        &self,
        leaf: &FpVar<Fr>,
        root: &FpVar<Fr>,
    ) -> Result<(), SynthesisError> {
        self.compute_root(leaf)?.enforce_equal(root)
    }

    /// Whether `leaf` is in the tree with root `root` at this path's index, as a [`Boolean`]:
    /// [`PathVar::compute_root`] and an equality test (2 constraints). Same warning as
    /// [`PathVar::enforce_membership`].
    ///
    /// # Errors
    /// Those of [`PathVar::compute_root`].
    pub fn is_member(
        &self,
        leaf: &FpVar<Fr>,
        root: &FpVar<Fr>,
    ) -> Result<Boolean<Fr>, SynthesisError> {
        self.compute_root(leaf)?.is_eq(root)
    }
}

#[cfg(test)]
mod tests;
