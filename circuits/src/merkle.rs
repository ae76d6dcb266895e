//! Poseidon Merkle trees of fixed depth, binary and 4-ary, with domain-tagged leaves.
//!
//! Relation: a path of `depth` levels proves that `leaf` sits at position `index` of a tree
//! with root `root`, where every inner node is the **untagged** Poseidon of its children
//! (`hash2(left, right)` for a binary tree, `hash4([c0, c1, c2, c3])` for a 4-ary one) and an
//! empty slot holds the value 0. Going up, level `i` places the current node at position
//! `(index >> i) & 1` (binary: bit `i` of the index, least significant bit at the bottom) or
//! `(index >> 2i) & 3` (4-ary: base-4 digit `i`) among its siblings, which keep their order.
//! An empty subtree of height `h` has the value `z_h`: `z_0 = 0`, `z_{h+1} = H(z_h, ..., z_h)`.
//!
//! Leaves are values that callers compute with [`leaf_hash`]: `Poseidon(tag, data...)` with a
//! [`FieldTag`] as its first input. The value 0 means "empty": [`MerkleTree::push`] and
//! [`MerkleTree::update`] refuse it and [`MerklePath::verify`] never accepts it, so an empty
//! slot is never a member (SECURITY.md E03).
//!
//! **Why no inner node can pass as a leaf** (SECURITY.md E04, bug class 18). First, the depth is
//! fixed: a path has exactly `depth` levels ([`MerklePath::compute_root`] refuses any other
//! length; in a circuit the number of levels is part of the circuit's shape), so a value can
//! only ever be presented at level 0, and an inner node cannot be presented as a leaf with a
//! shorter path. This is the guarantee. Second, as defence in depth, a leaf is a tagged hash
//! whose preimage starts with the tag: `leaf_hash(tag, data)` is a different function from the
//! node hash whenever the input counts differ (Poseidon's arity is part of the function), and
//! where they agree (one data element in a binary tree, three in a 4-ary one) a node equals a
//! leaf only if its first child is the tag value itself, which for children that are Poseidon
//! outputs means finding a Poseidon preimage of the tag.
//!
//! The gadgets are in [`constraints`]: 242 constraints per binary level and 303 per 4-ary level
//! (path bits included).

// Gadget code: it lays out constraints over the prover's own witness, with indexes and sizes
// fixed by the circuit's shape; no input bytes reach it. It keeps the unwrap/expect/panic
// lints but not the crate's indexing and integer-arithmetic ones (SECURITY.md 6.8).
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
pub mod constraints;

use crate::poseidon::{self, hash2, hash4};
use crate::tags::FieldTag;
use crate::Fr;
use ark_ff::Zero;
use std::fmt;

/// The largest depth of a binary tree (capacity `2^32`).
pub const MAX_DEPTH_BINARY: usize = 32;
/// The largest depth of a 4-ary tree (capacity `4^16 = 2^32`).
pub const MAX_DEPTH_QUATERNARY: usize = 16;
/// The largest number of data elements of one leaf ([`leaf_hash`] adds the tag).
pub const MAX_LEAF_DATA: usize = poseidon::MAX_INPUTS - 1;

/// The number of children of every inner node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Arity {
    /// Two children: nodes are `hash2(left, right)`.
    Binary,
    /// Four children: nodes are `hash4([c0, c1, c2, c3])`.
    Quaternary,
}

impl Arity {
    /// The number of children of a node: 2 or 4.
    pub fn fan_out(self) -> usize {
        match self {
            Arity::Binary => 2,
            Arity::Quaternary => 4,
        }
    }

    /// The largest supported depth: 32 for binary trees, 16 for 4-ary trees.
    pub fn max_depth(self) -> usize {
        match self {
            Arity::Binary => MAX_DEPTH_BINARY,
            Arity::Quaternary => MAX_DEPTH_QUATERNARY,
        }
    }

    /// The number of index bits per level: 1 or 2.
    pub fn bits_per_level(self) -> usize {
        match self {
            Arity::Binary => 1,
            Arity::Quaternary => 2,
        }
    }

    /// The number of leaves of a tree of `depth` levels, `fan_out^depth`, or
    /// [`MerkleError::BadDepth`] unless `1 <= depth <= max_depth()`.
    pub fn capacity(self, depth: usize) -> Result<u64, MerkleError> {
        if depth == 0 || depth > self.max_depth() {
            return Err(MerkleError::BadDepth { arity: self, depth });
        }
        // At most 32 bits (32 binary levels or 16 4-ary ones): the shift is in range.
        depth
            .checked_mul(self.bits_per_level())
            .and_then(|bits| u32::try_from(bits).ok())
            .and_then(|bits| 1u64.checked_shl(bits))
            .ok_or(MerkleError::BadDepth { arity: self, depth })
    }

    /// The position at level `level` of the node on the path of leaf `index`: bit `level` of
    /// the index (binary) or base-4 digit `level` (4-ary). `level` must be below `max_depth()`.
    fn position(self, index: u64, level: usize) -> usize {
        let mask: u64 = match self {
            Arity::Binary => 0b1,
            Arity::Quaternary => 0b11,
        };
        // Levels are below the depth (at most 32 bits of index): the shift is below 64. Were it
        // not, the digit of a u64 that far up is 0.
        let shift = level
            .checked_mul(self.bits_per_level())
            .and_then(|bits| u32::try_from(bits).ok())
            .unwrap_or(u32::MAX);
        (index.checked_shr(shift).unwrap_or(0) & mask) as usize
    }

    /// The inner node over `children` (`fan_out()` of them; others are ignored, missing ones
    /// count as 0, which never happens for the callers in this module).
    fn node(self, children: &[Fr]) -> Fr {
        let child = |i: usize| children.get(i).copied().unwrap_or_default();
        match self {
            Arity::Binary => hash2(child(0), child(1)),
            Arity::Quaternary => hash4([child(0), child(1), child(2), child(3)]),
        }
    }

    /// `z_0 = 0, ..., z_depth`: the value of an empty subtree of each height.
    fn zero_hashes(self, depth: usize) -> Vec<Fr> {
        let mut zeros = Vec::with_capacity(depth.saturating_add(1));
        let mut z = Fr::zero();
        zeros.push(z);
        for _ in 0..depth {
            z = self.node(&[z; 4]);
            zeros.push(z);
        }
        zeros
    }
}

/// Why a tree operation or a path was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MerkleError {
    /// The depth is 0 or above the arity's maximum (32 for binary trees, 16 for 4-ary ones).
    #[error("a {arity:?} tree has depth 1 to {max}, got {depth}", max = .arity.max_depth())]
    BadDepth {
        /// The arity asked for.
        arity: Arity,
        /// The depth asked for.
        depth: usize,
    },
    /// Every slot has been pushed already.
    #[error("the tree is full ({capacity} leaves)")]
    Full {
        /// The number of leaves of the tree.
        capacity: u64,
    },
    /// More leaves were given than the tree holds.
    #[error("{got} leaves do not fit in a tree of {capacity}")]
    TooManyLeaves {
        /// The number of leaves given.
        got: usize,
        /// The number of leaves of the tree.
        capacity: u64,
    },
    /// The index is not a position of the tree.
    #[error("index {index} is outside a tree of {capacity} leaves")]
    IndexOutOfRange {
        /// The index asked for.
        index: u64,
        /// The number of leaves of the tree.
        capacity: u64,
    },
    /// [`MerkleTree::update`] or [`MerkleTree::remove`] of a slot that [`MerkleTree::push`]
    /// has not reached yet.
    #[error("slot {index} has not been pushed ({len} slots in use)")]
    NotPushed {
        /// The index asked for.
        index: u64,
        /// The number of slots pushed so far.
        len: u64,
    },
    /// The leaf value 0, which marks an empty slot, cannot be stored or proven a member.
    #[error("the leaf value 0 marks an empty slot")]
    EmptyLeaf,
    /// [`leaf_hash`] takes 1 to [`MAX_LEAF_DATA`] data elements.
    #[error("a leaf hashes 1 to 15 data elements, got {got}")]
    LeafDataLength {
        /// The number of data elements given.
        got: usize,
    },
    /// A path has a number of levels other than the tree's depth.
    #[error("the path has {got} levels, the tree {expected}")]
    WrongPathLength {
        /// The depth of the tree.
        expected: usize,
        /// The number of levels of the path.
        got: usize,
    },
    /// One level of a path has a number of siblings other than `fan_out - 1`.
    #[error("level {level} of the path has {got} siblings, expected {expected}")]
    WrongSiblingCount {
        /// The level, 0 at the bottom.
        level: usize,
        /// `fan_out - 1`.
        expected: usize,
        /// The number of siblings given.
        got: usize,
    },
}

/// The leaf value of `data` under `tag`: `Poseidon(tag.value(), data[0], ..., data[n-1])`,
/// for 1 to [`MAX_LEAF_DATA`] elements.
///
/// A Poseidon output, so 0 (the empty value) only with negligible probability; its first input
/// is the tag, which separates it from inner nodes (see the module documentation).
pub fn leaf_hash(tag: FieldTag, data: &[Fr]) -> Result<Fr, MerkleError> {
    if data.is_empty() || data.len() > MAX_LEAF_DATA {
        return Err(MerkleError::LeafDataLength { got: data.len() });
    }
    let mut inputs = Vec::with_capacity(data.len().saturating_add(1));
    inputs.push(tag.value());
    inputs.extend_from_slice(data);
    poseidon::hash(&inputs).map_err(|_| MerkleError::LeafDataLength { got: data.len() })
}

/// The value of slot `i` of a level, if it has been computed.
/// The position of the first of the siblings of node `i`: `i` rounded down to a multiple of
/// `fan_out` (2 or 4).
fn first_sibling(i: u64, fan_out: u64) -> u64 {
    i.saturating_sub(i.checked_rem(fan_out).unwrap_or(0))
}

fn get(level: &[Fr], i: u64) -> Option<Fr> {
    usize::try_from(i).ok().and_then(|i| level.get(i).copied())
}

/// A Poseidon Merkle tree of fixed arity and depth, filled from index 0 upwards.
///
/// Storage: per level, only the nodes computed so far (those over the slots pushed); every node
/// beyond them is the level's zero hash. A depth-32 tree with a few leaves is as cheap as a
/// small one; `n` leaves take about `n * fan_out / (fan_out - 1)` field elements (64 MB for a
/// million leaves in a binary tree). [`MerkleTree::push`], [`MerkleTree::update`] and
/// [`MerkleTree::remove`] cost `depth` hashes; [`MerkleTree::from_leaves`] builds level by
/// level with about `n / (fan_out - 1)` hashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerkleTree {
    arity: Arity,
    depth: usize,
    capacity: u64,
    /// The number of slots pushed (the next free index).
    len: u64,
    /// `zeros[h]`: the value of an empty subtree of height `h`.
    zeros: Vec<Fr>,
    /// `levels[0]` holds the leaves, `levels[depth]` at most the root. Invariant: level `h`
    /// holds `ceil(len / fan_out^h)` nodes.
    levels: Vec<Vec<Fr>>,
}

impl MerkleTree {
    /// An empty tree: every slot holds 0 and the root is the zero hash of height `depth`.
    ///
    /// Errors: [`MerkleError::BadDepth`] unless `1 <= depth <= arity.max_depth()`.
    pub fn new(arity: Arity, depth: usize) -> Result<Self, MerkleError> {
        let capacity = arity.capacity(depth)?;
        Ok(MerkleTree {
            arity,
            depth,
            capacity,
            len: 0,
            zeros: arity.zero_hashes(depth),
            // depth <= 32, checked by `capacity`
            levels: vec![Vec::new(); depth.saturating_add(1)],
        })
    }

    /// The tree whose slots `0..leaves.len()` hold `leaves`, built level by level. A 0 entry is
    /// an empty slot (as [`MerkleTree::remove`] leaves it); the result equals pushing the
    /// non-zero entries and removing the zero ones.
    ///
    /// Errors: [`MerkleError::BadDepth`], [`MerkleError::TooManyLeaves`].
    pub fn from_leaves(arity: Arity, depth: usize, leaves: &[Fr]) -> Result<Self, MerkleError> {
        let mut tree = MerkleTree::new(arity, depth)?;
        let got = leaves.len();
        if u64::try_from(got).map_or(true, |n| n > tree.capacity) {
            return Err(MerkleError::TooManyLeaves {
                got,
                capacity: tree.capacity,
            });
        }
        let fan_out = arity.fan_out();
        let mut level = leaves.to_vec();
        for h in 0..depth {
            let zero = tree.zeros.get(h).copied().unwrap_or_default();
            let next: Vec<Fr> = level
                .chunks(fan_out)
                .map(|chunk| {
                    let mut children = [zero; 4];
                    for (child, leaf) in children.iter_mut().zip(chunk) {
                        *child = *leaf;
                    }
                    arity.node(&children)
                })
                .collect();
            if let Some(slot) = tree.levels.get_mut(h) {
                *slot = level;
            }
            level = next;
        }
        if let Some(slot) = tree.levels.get_mut(depth) {
            *slot = level;
        }
        tree.len = got as u64;
        Ok(tree)
    }

    /// The arity.
    pub fn arity(&self) -> Arity {
        self.arity
    }

    /// The depth: every path has exactly this many levels.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The number of slots, `fan_out^depth`.
    pub fn capacity(&self) -> u64 {
        self.capacity
    }

    /// The number of slots pushed so far, which is also the next index [`MerkleTree::push`]
    /// fills. Removed slots still count (they hold 0 and are not reused).
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether nothing has been pushed yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The root.
    pub fn root(&self) -> Fr {
        self.node_at(self.depth, 0)
    }

    /// The value of slot `index`: the leaf, or 0 for an empty slot.
    ///
    /// Errors: [`MerkleError::IndexOutOfRange`] unless `index < capacity()`.
    pub fn leaf(&self, index: u64) -> Result<Fr, MerkleError> {
        self.check_index(index)?;
        Ok(self.node_at(0, index))
    }

    /// Stores `leaf` in the next free slot and returns its index.
    ///
    /// Errors: [`MerkleError::EmptyLeaf`] for 0, [`MerkleError::Full`].
    pub fn push(&mut self, leaf: Fr) -> Result<u64, MerkleError> {
        if leaf.is_zero() {
            return Err(MerkleError::EmptyLeaf);
        }
        if self.len >= self.capacity {
            return Err(MerkleError::Full {
                capacity: self.capacity,
            });
        }
        let index = self.len;
        // len < capacity <= 2^32: exact.
        self.len = self.len.saturating_add(1);
        self.set(index, leaf);
        Ok(index)
    }

    /// Replaces the leaf of a slot already pushed (possibly removed) by `leaf`.
    ///
    /// Errors: [`MerkleError::IndexOutOfRange`], [`MerkleError::NotPushed`],
    /// [`MerkleError::EmptyLeaf`] for 0 (use [`MerkleTree::remove`]).
    pub fn update(&mut self, index: u64, leaf: Fr) -> Result<(), MerkleError> {
        self.check_pushed(index)?;
        if leaf.is_zero() {
            return Err(MerkleError::EmptyLeaf);
        }
        self.set(index, leaf);
        Ok(())
    }

    /// Empties a slot already pushed (sets it to 0). The index is not reused by
    /// [`MerkleTree::push`]; [`MerkleTree::update`] can fill it again.
    ///
    /// Errors: [`MerkleError::IndexOutOfRange`], [`MerkleError::NotPushed`].
    pub fn remove(&mut self, index: u64) -> Result<(), MerkleError> {
        self.check_pushed(index)?;
        self.set(index, Fr::zero());
        Ok(())
    }

    /// The authentication path of slot `index` (any slot of the tree, pushed or not).
    ///
    /// Errors: [`MerkleError::IndexOutOfRange`] unless `index < capacity()`.
    pub fn path(&self, index: u64) -> Result<MerklePath, MerkleError> {
        self.check_index(index)?;
        let fan_out = self.arity.fan_out() as u64;
        let mut siblings = Vec::with_capacity(self.depth);
        let mut i = index;
        for h in 0..self.depth {
            let first = first_sibling(i, fan_out);
            siblings.push(
                (first..first.saturating_add(fan_out))
                    .filter(|&j| j != i)
                    .map(|j| self.node_at(h, j))
                    .collect(),
            );
            i = i.checked_div(fan_out).unwrap_or(0);
        }
        Ok(MerklePath { index, siblings })
    }

    fn check_index(&self, index: u64) -> Result<(), MerkleError> {
        if index >= self.capacity {
            return Err(MerkleError::IndexOutOfRange {
                index,
                capacity: self.capacity,
            });
        }
        Ok(())
    }

    fn check_pushed(&self, index: u64) -> Result<(), MerkleError> {
        self.check_index(index)?;
        if index >= self.len {
            return Err(MerkleError::NotPushed {
                index,
                len: self.len,
            });
        }
        Ok(())
    }

    /// Node `i` of level `h`: computed, or the level's zero hash.
    fn node_at(&self, h: usize, i: u64) -> Fr {
        self.levels
            .get(h)
            .and_then(|level| get(level, i))
            .or_else(|| self.zeros.get(h).copied())
            .unwrap_or_default()
    }

    /// Writes `value` into slot `index < len` and recomputes the nodes above it. Keeps the
    /// invariant: a node one past the end of its level is appended.
    fn set(&mut self, index: u64, value: Fr) {
        let fan_out = self.arity.fan_out() as u64;
        let mut i = index;
        let mut value = value;
        for h in 0..=self.depth {
            if let Some(level) = self.levels.get_mut(h) {
                match usize::try_from(i).ok().and_then(|i| level.get_mut(i)) {
                    Some(slot) => *slot = value,
                    None => level.push(value),
                }
            }
            if h == self.depth {
                break;
            }
            let first = first_sibling(i, fan_out);
            let mut children = [Fr::zero(); 4];
            for (k, child) in children.iter_mut().take(fan_out as usize).enumerate() {
                *child = self.node_at(h, first.saturating_add(k as u64));
            }
            value = self.arity.node(&children);
            i = i.checked_div(fan_out).unwrap_or(0);
        }
    }
}

/// The authentication path of one slot: its index and, per level from the bottom, the
/// `fan_out - 1` siblings of the node on the path, in tree order (the node itself left out).
///
/// The fields are public so that paths can be built and decoded elsewhere; every method checks
/// the shape and refuses a malformed path with an error. `Debug` shows only the depth: the index
/// says which leaf is proven, which a membership proof hides.
#[derive(Clone, PartialEq, Eq)]
pub struct MerklePath {
    /// The slot, `0 <= index < fan_out^depth`.
    pub index: u64,
    /// `siblings[i]`: the siblings at level `i` (0 at the bottom), `fan_out - 1` of them.
    pub siblings: Vec<Vec<Fr>>,
}

impl fmt::Debug for MerklePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MerklePath")
            .field("depth", &self.siblings.len())
            .finish_non_exhaustive()
    }
}

impl MerklePath {
    /// The number of levels.
    pub fn depth(&self) -> usize {
        self.siblings.len()
    }

    /// Checks that the path fits a tree of `arity` and `depth`: exactly `depth` levels of
    /// `fan_out - 1` siblings and an index below the capacity.
    ///
    /// Errors: [`MerkleError::BadDepth`], [`MerkleError::WrongPathLength`],
    /// [`MerkleError::WrongSiblingCount`], [`MerkleError::IndexOutOfRange`].
    pub fn check_shape(&self, arity: Arity, depth: usize) -> Result<(), MerkleError> {
        let capacity = arity.capacity(depth)?;
        if self.siblings.len() != depth {
            return Err(MerkleError::WrongPathLength {
                expected: depth,
                got: self.siblings.len(),
            });
        }
        let expected = arity.fan_out().saturating_sub(1);
        if let Some((level, s)) = self
            .siblings
            .iter()
            .enumerate()
            .find(|(_, s)| s.len() != expected)
        {
            return Err(MerkleError::WrongSiblingCount {
                level,
                expected,
                got: s.len(),
            });
        }
        if self.index >= capacity {
            return Err(MerkleError::IndexOutOfRange {
                index: self.index,
                capacity,
            });
        }
        Ok(())
    }

    /// The root of a tree of `arity` and `depth` that holds `leaf` at `self.index` with these
    /// siblings. The depth is the tree's, never the path's: a shorter path would let an inner
    /// node pass as a leaf (SECURITY.md E04).
    ///
    /// Errors: those of [`MerklePath::check_shape`].
    pub fn compute_root(&self, arity: Arity, depth: usize, leaf: Fr) -> Result<Fr, MerkleError> {
        self.check_shape(arity, depth)?;
        let fan_out = arity.fan_out();
        let mut cur = leaf;
        for (level, siblings) in self.siblings.iter().enumerate() {
            let pos = arity.position(self.index, level);
            let mut children = [Fr::zero(); 4];
            let mut s = siblings.iter();
            for (k, child) in children.iter_mut().take(fan_out).enumerate() {
                *child = if k == pos {
                    cur
                } else {
                    s.next().copied().unwrap_or_default()
                };
            }
            cur = arity.node(&children);
        }
        Ok(cur)
    }

    /// Whether `leaf` is a member at `self.index` of the tree of `arity` and `depth` with root
    /// `root`. False for a malformed path and for the leaf 0 (an empty slot is not a member).
    pub fn verify(&self, arity: Arity, depth: usize, root: Fr, leaf: Fr) -> bool {
        !leaf.is_zero() && self.compute_root(arity, depth, leaf) == Ok(root)
    }
}

#[cfg(test)]
mod tests;
