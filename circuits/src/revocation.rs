//! The revocation set: an indexed (sorted) Poseidon Merkle tree of revoked credentials, and
//! proofs that a credential is **not** in it.
//!
//! Relation (non-membership): for a public `root` and a credential with provider key
//! `A = (Ax, Ay)` and serial `s` (slot 2), let
//! `id = low252(Poseidon(TAG_REVOCATION_ID, Ax, Ay, s))`, the Poseidon output's canonical integer
//! with only its low 252 bits kept ([`revocation_id`]). The witness is a *low leaf*
//! `(low_value, low_next)` and a path, such that
//! - `low_value < 2^252` and `low_next < 2^252`;
//! - `low_value < id`, and `id < low_next` or `low_next == 0`;
//! - `Poseidon(TAG_REVOCATION_LEAF, low_value, low_next)` is a leaf of the 4-ary tree of depth
//!   [`REVOCATION_TREE_DEPTH`] with root `root`.
//!
//! **The tree.** Every occupied slot holds a leaf `Poseidon(TAG_REVOCATION_LEAF, value, next)`;
//! together they form a linked list sorted by value. Slot 0 holds the sentinel `(0, next)`;
//! `next == 0` means "no larger value". Revoking `x` finds the low leaf `L` (the largest value
//! below `x`), pushes a new leaf `(x, L.next)` into the next free slot and rewrites `L` as
//! `(L.value, x)`: two updates of `depth` hashes each. So in a tree built by [`RevocationTree`]
//! every leaf `(v, n)` says "no revoked id lies strictly between `v` and `n`" (or above `v` when
//! `n == 0`), and a leaf with `v < id < n` proves that `id` is not revoked. Leaves replaced by a
//! later revocation are no longer in the tree, so a stale low leaf fails against the current
//! root (SECURITY.md F04-F06, indexed-tree analogues; bug class 20).
//!
//! The registry that builds the tree is trusted to build it this way; the checks on the witness
//! do not rely on more than that: the range checks on `low_value` and `low_next` keep a leaf
//! such as `(r - 1, 0)` (the field's "-1", which would bracket every id) from ever proving
//! anything, even if such a leaf were in the tree.
//!
//! **Why ids have 252 bits.** For integers `a, b < 2^252`, `a < b` holds exactly when
//! `d = (b - a - 1) mod r` is below `2^252`, so one 252-bit range check decides it:
//! - if `a < b`, then `0 <= b - a - 1 < 2^252` and `d = b - a - 1 < 2^252`;
//! - if `a >= b`, then `-2^252 <= b - a - 1 <= -1` and `d = r + (b - a - 1) >= r - 2^252`,
//!   which exceeds `2^252` because `r > 2^253`.
//!
//! Truncating a uniform Poseidon output to 252 bits keeps ids uniform enough: two credentials
//! share an id with probability about `n^2 / 2^253` for `n` credentials (a shared id would only
//! make the second credential look revoked, never the reverse). The id 0 is the sentinel's
//! value and is refused ([`RevocationError::Zero`]).
//!
//! Capacity: `4^10 = 1,048,576` slots, one of them the sentinel, so 1,048,575 revocations.
//! The gadget is in [`constraints`].

// Gadget code: it lays out constraints over the prover's own witness, with indexes and sizes
// fixed by the circuit's shape; no input bytes reach it. It keeps the unwrap/expect/panic
// lints but not the crate's indexing and integer-arithmetic ones (SECURITY.md 6.8).
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
pub mod constraints;

use crate::babyjubjub::Point;
use crate::merkle::{Arity, MerkleError, MerklePath, MerkleTree};
use crate::poseidon;
use crate::tags::FieldTag;
use crate::Fr;
use ark_ff::{BigInteger, PrimeField, Zero};
use std::collections::BTreeMap;
use std::fmt;

/// The revocation tree is 4-ary.
pub const REVOCATION_TREE_ARITY: Arity = Arity::Quaternary;
/// Depth of the revocation tree: `4^10 = 1,048,576` slots.
pub const REVOCATION_TREE_DEPTH: usize = 10;
/// Revocation ids are below `2^ID_BITS`.
pub const ID_BITS: usize = 252;

/// Why a revocation operation or a non-membership witness was refused. The messages carry no
/// id or witness value (SECURITY.md J09).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RevocationError {
    /// The id 0 is the sentinel's value: it is never revoked and never proven absent.
    #[error("the revocation id 0 is reserved")]
    Zero,
    /// The id is not below `2^252`; [`revocation_id`] never gives such an id.
    #[error("a revocation id is below 2^252")]
    OutOfRange,
    /// The id is in the set: [`RevocationTree::insert`] does not add it twice, and
    /// [`RevocationTree::non_membership`] cannot prove it absent.
    #[error("the id is revoked")]
    Revoked,
    /// The tree holds as many ids as it has slots besides the sentinel's.
    #[error("the revocation tree is full ({capacity} ids)")]
    Full {
        /// The largest number of revoked ids.
        capacity: u64,
    },
    /// The witness's low value or next value is not below `2^252`.
    #[error("the low leaf's values are not below 2^252")]
    LowLeafOutOfRange,
    /// The witness's low leaf does not bracket the id: it needs `low_value < id`, and
    /// `id < low_next` or `low_next == 0`. This is the verdict for a witness made for another
    /// id (SECURITY.md F06) and for an id equal to the low or the next value.
    #[error("the low leaf does not bracket the id")]
    WrongLowLeaf,
    /// The witness's low leaf is not in the tree with this root at the path's slot (a stale
    /// leaf, or one that was never there).
    #[error("the low leaf is not in the tree")]
    NotMember,
    /// A path of the wrong shape, or a refusal of the underlying Merkle tree.
    #[error("merkle: {0}")]
    Merkle(#[from] MerkleError),
}

/// Keeps the low 252 bits of `x`'s canonical integer.
fn low_252(x: Fr) -> Fr {
    let mut big = x.into_bigint();
    // bits 192..256 are limb 3; keep its low 60 bits (bits 192..252)
    if let Some(top) = big.0.get_mut(3) {
        *top &= (1u64 << (ID_BITS - 192)) - 1;
    }
    // below 2^252 < r: always Some
    Fr::from_bigint(big).unwrap_or_default()
}

/// Whether `x`'s canonical integer is below `2^252`.
fn below_bound(x: &Fr) -> bool {
    x.into_bigint().num_bits() as usize <= ID_BITS
}

/// Refuses 0 and ids not below `2^252`.
fn check_id(id: &Fr) -> Result<(), RevocationError> {
    if id.is_zero() {
        return Err(RevocationError::Zero);
    }
    if !below_bound(id) {
        return Err(RevocationError::OutOfRange);
    }
    Ok(())
}

/// The revocation id of a credential: `low252(Poseidon(TAG_REVOCATION_ID, Ax, Ay, serial))`,
/// where `(Ax, Ay)` is the provider key and `serial` the credential's slot 2. Below `2^252`.
pub fn revocation_id(provider: &Point, serial: &Fr) -> Fr {
    let h = poseidon::hash4([
        FieldTag::RevocationId.value(),
        provider.x(),
        provider.y(),
        *serial,
    ]);
    low_252(h)
}

/// The leaf of the list entry `value -> next`: `Poseidon(TAG_REVOCATION_LEAF, value, next)`.
pub fn revocation_leaf(value: &Fr, next: &Fr) -> Fr {
    // Poseidon takes 3 inputs, so this never falls back; 0 would be refused as an empty slot.
    poseidon::hash(&[FieldTag::RevocationLeaf.value(), *value, *next]).unwrap_or_default()
}

/// A proof that one id is not revoked: the low leaf `(low_value, low_next)` that brackets it and
/// the leaf's path in the revocation tree. Built by [`RevocationTree::non_membership`], checked
/// by [`verify_non_membership`] and, in a circuit, by [`constraints::enforce_not_revoked`].
///
/// The fields are public so that witnesses can be built and decoded elsewhere; every method
/// checks the shape. `Debug` shows only the path depth: the low leaf and the slot say which
/// neighbourhood of the id is proven.
#[derive(Clone, PartialEq, Eq)]
pub struct NonMembershipWitness {
    /// The largest revoked value below the id (0 for the sentinel).
    pub low_value: Fr,
    /// The next revoked value after `low_value`, or 0 if there is none.
    pub low_next: Fr,
    /// The path of the low leaf: [`REVOCATION_TREE_DEPTH`] levels of three siblings.
    pub path: MerklePath,
}

impl fmt::Debug for NonMembershipWitness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NonMembershipWitness")
            .field("depth", &self.path.depth())
            .finish_non_exhaustive()
    }
}

impl NonMembershipWitness {
    /// Checks the shape: a path of [`REVOCATION_TREE_DEPTH`] levels of three siblings and a slot
    /// below the capacity, and both low values below `2^252`.
    ///
    /// Errors: [`RevocationError::Merkle`] for the path, [`RevocationError::LowLeafOutOfRange`].
    pub fn check_shape(&self) -> Result<(), RevocationError> {
        self.path
            .check_shape(REVOCATION_TREE_ARITY, REVOCATION_TREE_DEPTH)?;
        if !below_bound(&self.low_value) || !below_bound(&self.low_next) {
            return Err(RevocationError::LowLeafOutOfRange);
        }
        Ok(())
    }

    /// The leaf this witness claims is in the tree.
    pub fn low_leaf(&self) -> Fr {
        revocation_leaf(&self.low_value, &self.low_next)
    }
}

/// Checks natively what [`constraints::enforce_not_revoked`] checks in a circuit: `id` is a
/// valid id, the witness has the right shape, its values are below `2^252`,
/// `low_value < id`, `id < low_next` or `low_next == 0`, and the low leaf is in the tree with
/// root `root` at the path's slot.
///
/// Errors: [`RevocationError::Zero`], [`RevocationError::OutOfRange`] for the id;
/// [`RevocationError::Merkle`] and [`RevocationError::LowLeafOutOfRange`] for the shape;
/// [`RevocationError::WrongLowLeaf`]; [`RevocationError::NotMember`].
pub fn verify_non_membership(
    root: Fr,
    id: Fr,
    witness: &NonMembershipWitness,
) -> Result<(), RevocationError> {
    check_id(&id)?;
    witness.check_shape()?;
    let above_low = witness.low_value < id;
    let below_next = witness.low_next.is_zero() || id < witness.low_next;
    if !above_low || !below_next {
        return Err(RevocationError::WrongLowLeaf);
    }
    if !witness.path.verify(
        REVOCATION_TREE_ARITY,
        REVOCATION_TREE_DEPTH,
        root,
        witness.low_leaf(),
    ) {
        return Err(RevocationError::NotMember);
    }
    Ok(())
}

/// One revoked id's list entry: where its leaf is and which value follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    /// The slot of the leaf.
    slot: u64,
    /// The next larger revoked id, or 0.
    next: Fr,
}

/// The revocation set: a sorted linked list of revoked ids stored as the leaves of a 4-ary
/// Poseidon Merkle tree of depth [`REVOCATION_TREE_DEPTH`] (see the module documentation).
///
/// Slot 0 holds the sentinel; each revocation takes the next free slot. Lookups go through an
/// ordered map from id to slot. `Debug` shows the number of ids and the root.
#[derive(Clone, PartialEq, Eq)]
pub struct RevocationTree {
    tree: MerkleTree,
    /// The sentinel's next value: the smallest revoked id, or 0.
    first: Fr,
    /// Every revoked id (the sentinel's 0 excluded), with its slot and next value.
    entries: BTreeMap<Fr, Entry>,
}

impl fmt::Debug for RevocationTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RevocationTree")
            .field("len", &self.len())
            .field("root", &self.root())
            .finish_non_exhaustive()
    }
}

impl Default for RevocationTree {
    fn default() -> Self {
        RevocationTree::new()
    }
}

impl RevocationTree {
    /// The empty set: only the sentinel `(0, 0)`, in slot 0.
    // The one panic left in this module: `new` takes no input, and its constant shape (4-ary,
    // depth 10, one leaf) is always accepted, which every test that builds a list checks. A
    // `Result` here would push an impossible error into every constructor of a revocation list.
    #[allow(clippy::unreachable)]
    pub fn new() -> Self {
        let sentinel = revocation_leaf(&Fr::zero(), &Fr::zero());
        match MerkleTree::from_leaves(REVOCATION_TREE_ARITY, REVOCATION_TREE_DEPTH, &[sentinel]) {
            Ok(tree) => RevocationTree {
                tree,
                first: Fr::zero(),
                entries: BTreeMap::new(),
            },
            // A supported constant depth and one leaf: from_leaves cannot refuse them (the
            // tests build this tree).
            Err(_) => unreachable!("a 4-ary tree of depth 10 holds one leaf"),
        }
    }

    /// The set of `ids`, built in bulk: the next values come from one sort, the leaves are
    /// hashed once each and the tree is built level by level. Id number `i` of the iterator
    /// (from 0) takes slot `i + 1`, so the result equals inserting the ids one by one in the
    /// iterator's order (same slots, same root).
    ///
    /// Errors: [`RevocationError::Zero`], [`RevocationError::OutOfRange`],
    /// [`RevocationError::Revoked`] for an id given twice, [`RevocationError::Full`].
    pub fn from_ids<I: IntoIterator<Item = Fr>>(ids: I) -> Result<Self, RevocationError> {
        let capacity = Self::capacity();
        let mut order: Vec<(Fr, u64)> = Vec::new();
        for id in ids {
            // At most `capacity` (below 2^20) ids get this far: no overflow.
            let slot = (order.len() as u64).saturating_add(1);
            if slot > capacity {
                return Err(RevocationError::Full { capacity });
            }
            check_id(&id)?;
            order.push((id, slot));
        }
        order.sort_unstable_by_key(|(id, _)| *id);
        if order.windows(2).any(|w| matches!(w, [a, b] if a.0 == b.0)) {
            return Err(RevocationError::Revoked);
        }
        let first = order.first().map(|(id, _)| *id).unwrap_or_default();
        let mut leaves = vec![Fr::zero(); order.len().saturating_add(1)];
        if let Some(leaf) = leaves.first_mut() {
            *leaf = revocation_leaf(&Fr::zero(), &first);
        }
        let mut entries = Vec::with_capacity(order.len());
        for (k, (id, slot)) in order.iter().enumerate() {
            let next = order
                .get(k.saturating_add(1))
                .map(|(n, _)| *n)
                .unwrap_or_default();
            if let Some(leaf) = usize::try_from(*slot).ok().and_then(|s| leaves.get_mut(s)) {
                *leaf = revocation_leaf(id, &next);
            }
            entries.push((*id, Entry { slot: *slot, next }));
        }
        // from_leaves reads 0 as an empty slot; a leaf hash of 0 is not a leaf
        if leaves.iter().any(Zero::is_zero) {
            return Err(MerkleError::EmptyLeaf.into());
        }
        let tree = MerkleTree::from_leaves(REVOCATION_TREE_ARITY, REVOCATION_TREE_DEPTH, &leaves)?;
        Ok(RevocationTree {
            tree,
            first,
            // sorted input: BTreeMap builds it in bulk
            entries: entries.into_iter().collect(),
        })
    }

    /// The largest number of revoked ids: `4^10 - 1` (slot 0 is the sentinel's).
    pub fn capacity() -> u64 {
        (1u64 << (2 * REVOCATION_TREE_DEPTH)) - 1
    }

    /// The number of revoked ids.
    pub fn len(&self) -> u64 {
        self.entries.len() as u64
    }

    /// Whether no id is revoked.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The root, which a verifier takes from the registry.
    pub fn root(&self) -> Fr {
        self.tree.root()
    }

    /// Whether `id` is revoked (false for 0 and out-of-range values, which never are).
    pub fn contains(&self, id: Fr) -> bool {
        self.entries.contains_key(&id)
    }

    /// The low entry of `id`: the largest value below it (the sentinel's 0 at least), with its
    /// slot and next value.
    fn low(&self, id: &Fr) -> (Fr, Entry) {
        self.entries
            .range(..*id)
            .next_back()
            .map(|(v, e)| (*v, *e))
            .unwrap_or((
                Fr::zero(),
                Entry {
                    slot: 0,
                    next: self.first,
                },
            ))
    }

    /// Revokes `id` and returns the slot of its leaf: pushes `(id, L.next)` and rewrites the low
    /// leaf `L` as `(L.value, id)`. Nothing changes on an error.
    ///
    /// Errors: [`RevocationError::Zero`], [`RevocationError::OutOfRange`],
    /// [`RevocationError::Revoked`] if `id` already is, [`RevocationError::Full`].
    pub fn insert(&mut self, id: Fr) -> Result<u64, RevocationError> {
        check_id(&id)?;
        if self.contains(id) {
            return Err(RevocationError::Revoked);
        }
        if self.tree.len() >= self.tree.capacity() {
            return Err(RevocationError::Full {
                capacity: Self::capacity(),
            });
        }
        let (low_value, low) = self.low(&id);
        let new_leaf = revocation_leaf(&id, &low.next);
        let low_leaf = revocation_leaf(&low_value, &id);
        // Check everything push and update could refuse before changing anything.
        if new_leaf.is_zero() || low_leaf.is_zero() {
            return Err(MerkleError::EmptyLeaf.into());
        }
        let slot = self.tree.push(new_leaf)?;
        self.tree.update(low.slot, low_leaf)?;
        self.entries.insert(
            id,
            Entry {
                slot,
                next: low.next,
            },
        );
        match self.entries.get_mut(&low_value) {
            Some(e) => e.next = id,
            None => self.first = id,
        }
        Ok(slot)
    }

    /// The witness that `id` is not revoked: its low leaf and that leaf's path.
    ///
    /// Errors: [`RevocationError::Zero`], [`RevocationError::OutOfRange`],
    /// [`RevocationError::Revoked`] if `id` is revoked.
    pub fn non_membership(&self, id: Fr) -> Result<NonMembershipWitness, RevocationError> {
        check_id(&id)?;
        if self.contains(id) {
            return Err(RevocationError::Revoked);
        }
        let (low_value, low) = self.low(&id);
        Ok(NonMembershipWitness {
            low_value,
            low_next: low.next,
            path: self.tree.path(low.slot)?,
        })
    }
}

#[cfg(test)]
mod tests;
