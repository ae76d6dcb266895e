//! The marketplace's registry of approved providers, approved per schema, and the roots it
//! publishes.
//!
//! Relation: provider `A` is approved for schema `s` under root `R` iff
//! `issuer_leaf(A, s) = Poseidon(TAG_ISSUER, Ax, Ay, s)` sits in some slot of the 4-ary Poseidon
//! tree of depth 8 ([`ISSUER_TREE_ARITY`], [`ISSUER_TREE_DEPTH`]: 65,536 slots, fixed by the
//! circuit) whose root is `R`. This is condition 2 of the presentation statement (DESIGN.md
//! section 4): a provider approved for E&O insurance only has no leaf for background checks, so
//! it cannot issue them.
//!
//! # Slots
//!
//! [`Registry::approve`] fills the next free slot, from 0 upwards. [`Registry::withdraw`] sets
//! the slot back to the empty value 0, which the tree never accepts as a member (SECURITY.md
//! E03). **Slots are not reused**: a withdrawn slot stays empty for good, and approving the same
//! provider for the same schema again takes a new slot. So an index names one approval for the
//! life of the registry, the snapshot lists every slot ever used, and the capacity of 65,536 is
//! a budget of approvals, withdrawn ones included ([`RegistryError::Full`]).
//!
//! # Roots and their acceptance (SECURITY.md E06, E07)
//!
//! Every change publishes the new root into the history, with the time passed to the change
//! (unix seconds, never decreasing: [`RegistryError::ClockRegression`]). A new registry
//! publishes the root of the empty tree at its creation time ([`Registry::new`]: time 0,
//! [`Registry::new_at`]: a given time); no proof can verify against that root, since the tree
//! holds no member.
//!
//! A verifier accepts a root if [`Registry::root_status`] (or [`AcceptedRoots::status`], which
//! needs only the public history) says [`RootStatus::Current`] or [`RootStatus::WithinWindow`]:
//! - the root of the newest history entry is [`RootStatus::Current`];
//! - an older root that was replaced at `replaced_at` (the publication time of the entry that
//!   follows it) is [`RootStatus::WithinWindow`] while `now < replaced_at + window_secs`, that
//!   is while it stopped being current **less than** `window_secs` seconds ago, and
//!   [`RootStatus::Stale`] from `now == replaced_at + window_secs` on. The window is half-open,
//!   like a credential's validity `issued_at <= now < expires_at`: with `window_secs = 0` only
//!   the current root is accepted, and a window of `w` seconds accepts a replaced root during
//!   exactly `w` seconds. A `now` before `replaced_at` (the verifier's clock behind the
//!   registry's) is within the window;
//! - a root never published is [`RootStatus::Unknown`] (the value 0 included).
//!
//! The same root can appear more than once: withdrawing the most recent approval gives the tree,
//! hence the root, it had before that approval. A root's status is the best over its
//! appearances, so a root published again is current again, which is right: it commits to
//! exactly the same approved set.
//!
//! # Snapshots
//!
//! [`Registry::to_snapshot_json`] writes the public state, and [`Registry::from_snapshot_json`]
//! reads it back, byte-exact for its own output:
//!
//! ```json
//! {"version":1,"kind":"vouchsafe-registry","tree":{"arity":4,"depth":8},
//!  "approvals":[{"index":0,"x":"<dec>","y":"<dec>","schema_id":"<dec>","withdrawn":false}],
//!  "history":[{"root":"<dec>","published_at":0},{"root":"<dec>","published_at":100}]}
//! ```
//!
//! (one line in practice). Field elements are canonical decimal strings, parsed strictly
//! (values `>= r`, signs, leading zeros refused, never reduced: SECURITY.md A01-A03). Reading
//! checks, in this order: the size ([`MAX_SNAPSHOT_BYTES`], before any parsing, A12); the
//! version ([`SNAPSHOT_VERSION`], before the rest of the object); the JSON shape (unknown,
//! missing, duplicate or `null` fields, a number for a field element, an array in place of an
//! object: [`RegistryError::Decode`], A13); the kind and the tree shape; the slot indexes
//! (`0, 1, 2, ...` in order) and the history's length (one entry per change plus the initial
//! root) and order; every field element and key (keys through [`PublicKey::from_xy`]: identity,
//! torsion and off-curve points refused); no pair approved twice at once; and last, that the
//! tree rebuilt from the approvals has the newest history root
//! ([`RegistryError::SnapshotMismatch`]). No input makes it panic.
//!
//! [`ISSUER_TREE_ARITY`]: vouchsafe_circuits::presentation::ISSUER_TREE_ARITY
//! [`ISSUER_TREE_DEPTH`]: vouchsafe_circuits::presentation::ISSUER_TREE_DEPTH
//! [`PublicKey::from_xy`]: vouchsafe_circuits::eddsa::PublicKey::from_xy
//! [`Registry::approve`]: crate::registry::Registry::approve
//! [`Registry::withdraw`]: crate::registry::Registry::withdraw
//! [`Registry::new`]: crate::registry::Registry::new
//! [`Registry::new_at`]: crate::registry::Registry::new_at
//! [`Registry::root_status`]: crate::registry::Registry::root_status
//! [`Registry::to_snapshot_json`]: crate::registry::Registry::to_snapshot_json
//! [`Registry::from_snapshot_json`]: crate::registry::Registry::from_snapshot_json
//! [`AcceptedRoots::status`]: crate::registry::AcceptedRoots::status
//! [`RootStatus::Current`]: crate::registry::RootStatus::Current
//! [`RootStatus::WithinWindow`]: crate::registry::RootStatus::WithinWindow
//! [`RootStatus::Stale`]: crate::registry::RootStatus::Stale
//! [`RootStatus::Unknown`]: crate::registry::RootStatus::Unknown
//! [`RegistryError::Full`]: crate::registry::RegistryError::Full
//! [`RegistryError::ClockRegression`]: crate::registry::RegistryError::ClockRegression
//! [`RegistryError::Decode`]: crate::registry::RegistryError::Decode
//! [`RegistryError::SnapshotMismatch`]: crate::registry::RegistryError::SnapshotMismatch
//! [`MAX_SNAPSHOT_BYTES`]: crate::registry::MAX_SNAPSHOT_BYTES
//! [`SNAPSHOT_VERSION`]: crate::registry::SNAPSHOT_VERSION

// The link targets above are absolute: rustdoc resolves these docs in the scope of lib.rs
// (whose `///` line documents the module too), where the short names are unknown.

use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::HashMap;
use std::fmt;
use vouchsafe_circuits::babyjubjub::PointError;
use vouchsafe_circuits::eddsa::PublicKey;
use vouchsafe_circuits::field::{parse_decimal, to_decimal, FieldError};
use vouchsafe_circuits::merkle::{MerkleError, MerklePath, MerkleTree};
use vouchsafe_circuits::presentation::{issuer_leaf, ISSUER_TREE_ARITY, ISSUER_TREE_DEPTH};
use vouchsafe_circuits::Fr;

/// The snapshot format version this release writes and reads.
pub const SNAPSHOT_VERSION: u64 = 1;

/// The `kind` of a registry snapshot.
pub const SNAPSHOT_KIND: &str = "vouchsafe-registry";

/// The largest snapshot [`Registry::from_snapshot_json`] reads: 64 MiB. Longer inputs are
/// refused before parsing.
///
/// Sized so that every snapshot this module writes can be read back: a full registry has
/// 65,536 approvals of at most 294 bytes each and, with every approval withdrawn,
/// 131,073 history entries of at most 125 bytes each, about 35.7 MB in all, with room left for
/// pretty-printed input.
pub const MAX_SNAPSHOT_BYTES: usize = 64 * 1024 * 1024;

/// Why a registry operation or a snapshot was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// The provider is already approved for this schema (and not withdrawn).
    #[error("the provider is already approved for this schema (slot {index})")]
    AlreadyApproved {
        /// The slot of the existing approval.
        index: u64,
    },
    /// The provider is not approved for this schema (never, or withdrawn).
    #[error("the provider is not approved for this schema")]
    NotApproved,
    /// Every slot of the tree has been used (withdrawn slots are not reused).
    #[error("the registry is full ({capacity} slots)")]
    Full {
        /// The number of slots of the tree.
        capacity: u64,
    },
    /// A change dated before the newest published root.
    #[error(
        "time went backwards: the newest root was published at {last}, the change is at {now}"
    )]
    ClockRegression {
        /// The publication time of the newest root.
        last: u64,
        /// The time given with the change.
        now: u64,
    },
    /// The tree rebuilt from a snapshot's approvals does not have the snapshot's newest root.
    #[error("the snapshot's approvals do not give its newest root")]
    SnapshotMismatch,
    /// Malformed JSON or the wrong shape: a syntax error, a missing, unknown or duplicate field,
    /// `null`, a number where a decimal string belongs, an array in place of an object, a wrong
    /// `kind`.
    #[error("malformed registry snapshot: {message}")]
    Decode {
        /// What the parser objected to.
        message: String,
    },
    /// The input is longer than [`MAX_SNAPSHOT_BYTES`]; nothing was parsed.
    #[error("snapshot too large: at most {max} bytes, got {got}")]
    TooLarge {
        /// The maximum number of bytes.
        max: usize,
        /// The number of bytes received.
        got: usize,
    },
    /// The snapshot's `version` is not [`SNAPSHOT_VERSION`].
    #[error("unsupported snapshot version {got}: this release reads version 1")]
    UnsupportedVersion {
        /// The version found.
        got: u64,
    },
    /// The snapshot's tree is not the 4-ary tree of depth 8 that the circuit fixes.
    #[error("unsupported tree: arity {arity}, depth {depth} (expected arity 4, depth 8)")]
    UnsupportedTree {
        /// The arity found.
        arity: u64,
        /// The depth found.
        depth: u64,
    },
    /// A provider key in a snapshot is not a valid public key (off the curve, the identity, or
    /// outside the prime-order subgroup).
    #[error("invalid provider key in slot {index}: {source}")]
    BadKey {
        /// The slot of the approval.
        index: u64,
        /// Why the point was refused.
        source: PointError,
    },
    /// A field element in a snapshot is not a canonical decimal below r.
    #[error("invalid field element at {location}: {source}")]
    Field {
        /// Where, e.g. `approvals[3].schema_id` or `history[0].root`.
        location: String,
        /// Why the string was refused.
        source: FieldError,
    },
    /// A snapshot slot index at or above the tree's capacity.
    #[error("slot index {index} is outside a tree of {capacity} slots")]
    IndexOutOfRange {
        /// The index found.
        index: u64,
        /// The number of slots of the tree.
        capacity: u64,
    },
    /// A snapshot slot index that an earlier approval already has.
    #[error("slot index {index} appears twice")]
    DuplicateIndex {
        /// The index found.
        index: u64,
    },
    /// A snapshot's approvals skip a slot or are out of order: they must list `0, 1, 2, ...`.
    #[error("approval {position} has slot index {got}, expected {position}")]
    IndexGap {
        /// The position in the list, which is the expected index.
        position: u64,
        /// The index found.
        got: u64,
    },
    /// A snapshot approves the same provider for the same schema in two slots, neither
    /// withdrawn.
    #[error("slots {first} and {second} approve the same provider for the same schema")]
    DuplicateApproval {
        /// The first slot.
        first: u64,
        /// The second slot.
        second: u64,
    },
    /// A snapshot's history does not have one entry per change plus the initial root.
    #[error("the history has {got} entries, the approvals imply {expected}")]
    HistoryLength {
        /// One plus the number of approvals plus the number of withdrawals.
        expected: u64,
        /// The number of entries found.
        got: u64,
    },
    /// A snapshot's history goes back in time.
    #[error("history entry {position} is published before the entry preceding it")]
    HistoryOrder {
        /// The position of the first entry older than its predecessor.
        position: u64,
    },
    /// The tree refused an operation that the registry's own checks should have prevented; not
    /// expected.
    #[error("tree error: {0}")]
    Tree(MerkleError),
}

/// One root of the history and the time it was published (unix seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PublishedRoot {
    /// The root of the approved-provider tree.
    pub root: Fr,
    /// When it became the current root.
    pub published_at: u64,
}

/// Whether a verifier should accept a root; see the module documentation for the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RootStatus {
    /// The newest published root.
    Current,
    /// A replaced root, replaced less than the window ago: still accepted.
    WithinWindow,
    /// A replaced root, replaced the window ago or earlier: refused.
    Stale,
    /// A root never published: refused.
    Unknown,
}

impl RootStatus {
    /// Whether a verifier accepts the root: [`RootStatus::Current`] or
    /// [`RootStatus::WithinWindow`].
    pub fn is_accepted(self) -> bool {
        matches!(self, RootStatus::Current | RootStatus::WithinWindow)
    }

    /// Higher is better; used to pick the best status of a root that appears more than once.
    fn rank(self) -> u8 {
        match self {
            RootStatus::Current => 3,
            RootStatus::WithinWindow => 2,
            RootStatus::Stale => 1,
            RootStatus::Unknown => 0,
        }
    }
}

/// Whether a provider may issue credentials of a schema, in the words the holder API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApprovalStatus {
    /// Approved for this schema.
    Approved,
    /// Approved, but only for other schemas.
    OnlyOtherSchemas,
    /// Not approved for any schema (never, or every approval withdrawn).
    NotApproved,
}

/// One slot of the registry: a provider approved for a schema, possibly withdrawn since.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Approval {
    provider: PublicKey,
    schema_id: Fr,
    index: u64,
    withdrawn: bool,
}

impl Approval {
    /// The provider's public key.
    pub fn provider(&self) -> &PublicKey {
        &self.provider
    }

    /// The schema the provider is approved for.
    pub fn schema_id(&self) -> Fr {
        self.schema_id
    }

    /// The slot of the tree.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// Whether the approval has been withdrawn (its slot is then empty).
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn
    }

    /// The leaf this approval puts in the tree: `issuer_leaf(provider, schema_id)`.
    pub fn leaf(&self) -> Fr {
        issuer_leaf(&self.provider.point(), &self.schema_id)
    }
}

/// The status of `root` at `now` in `history`: the best over its appearances.
fn status_in(history: &[PublishedRoot], root: &Fr, now: u64, window_secs: u64) -> RootStatus {
    let mut best = RootStatus::Unknown;
    for (i, entry) in history.iter().enumerate() {
        if entry.root != *root {
            continue;
        }
        let status = match i.checked_add(1).and_then(|next| history.get(next)) {
            None => RootStatus::Current,
            Some(next) if now < next.published_at.saturating_add(window_secs) => {
                RootStatus::WithinWindow
            }
            Some(_) => RootStatus::Stale,
        };
        if status.rank() > best.rank() {
            best = status;
        }
    }
    best
}

/// The set of approved providers, per schema, as a Poseidon tree, and the history of its roots.
///
/// See the module documentation for the relation, the slot rules and root acceptance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registry {
    tree: MerkleTree,
    /// Every slot used so far, in index order: `entries[i].index == i`.
    entries: Vec<Approval>,
    /// The slot of every approval not withdrawn.
    active: HashMap<(PublicKey, Fr), u64>,
    /// For every provider with an approval not withdrawn, the number of such approvals.
    schemas_per_provider: HashMap<PublicKey, u64>,
    /// Never empty: the initial root comes first, the current root last.
    history: Vec<PublishedRoot>,
}

impl Default for Registry {
    fn default() -> Self {
        Registry::new()
    }
}

/// The empty approved-provider tree.
fn empty_tree() -> Result<MerkleTree, MerkleError> {
    MerkleTree::new(ISSUER_TREE_ARITY, ISSUER_TREE_DEPTH)
}

impl Registry {
    /// An empty registry whose empty root is published at time 0.
    pub fn new() -> Registry {
        Registry::new_at(0)
    }

    /// An empty registry whose empty root is published at `created_at` (unix seconds).
    pub fn new_at(created_at: u64) -> Registry {
        // ISSUER_TREE_ARITY and ISSUER_TREE_DEPTH are a valid shape (4-ary, 1 <= 8 <= 16), so
        // this cannot fail; a unit test checks it.
        #[allow(clippy::expect_used)] // reason: a constant shape, checked by a test
        let tree = empty_tree().expect("the circuit's tree shape is valid");
        Registry::with_tree(tree, created_at)
    }

    fn with_tree(tree: MerkleTree, created_at: u64) -> Registry {
        let root = tree.root();
        Registry {
            tree,
            entries: Vec::new(),
            active: HashMap::new(),
            schemas_per_provider: HashMap::new(),
            history: vec![PublishedRoot {
                root,
                published_at: created_at,
            }],
        }
    }

    /// Approves `provider` for `schema_id` at time `now`: fills the next free slot with
    /// `issuer_leaf(provider, schema_id)`, publishes the new root, and returns the slot.
    ///
    /// Errors: [`RegistryError::ClockRegression`] if `now` is before the newest root's
    /// publication, [`RegistryError::AlreadyApproved`], [`RegistryError::Full`] once every slot
    /// has been used (withdrawn slots are not reused). On error nothing changes.
    pub fn approve(
        &mut self,
        provider: &PublicKey,
        schema_id: Fr,
        now: u64,
    ) -> Result<u64, RegistryError> {
        self.check_clock(now)?;
        if let Some(&index) = self.active.get(&(*provider, schema_id)) {
            return Err(RegistryError::AlreadyApproved { index });
        }
        let leaf = issuer_leaf(&provider.point(), &schema_id);
        let index = self.tree.push(leaf).map_err(|e| match e {
            MerkleError::Full { capacity } => RegistryError::Full { capacity },
            other => RegistryError::Tree(other),
        })?;
        self.entries.push(Approval {
            provider: *provider,
            schema_id,
            index,
            withdrawn: false,
        });
        self.active.insert((*provider, schema_id), index);
        // At most one per slot (65,536 slots): saturating is exact.
        let count = self.schemas_per_provider.entry(*provider).or_insert(0);
        *count = count.saturating_add(1);
        self.publish(now);
        Ok(index)
    }

    /// Withdraws the approval of `provider` for `schema_id` at time `now`: empties its slot (the
    /// slot is not reused) and publishes the new root.
    ///
    /// Errors: [`RegistryError::ClockRegression`], [`RegistryError::NotApproved`] if the
    /// provider is not approved for this schema (never, or already withdrawn). On error nothing
    /// changes.
    pub fn withdraw(
        &mut self,
        provider: &PublicKey,
        schema_id: Fr,
        now: u64,
    ) -> Result<(), RegistryError> {
        self.check_clock(now)?;
        let key = (*provider, schema_id);
        let index = *self.active.get(&key).ok_or(RegistryError::NotApproved)?;
        self.tree.remove(index).map_err(RegistryError::Tree)?;
        if let Some(entry) = usize::try_from(index)
            .ok()
            .and_then(|i| self.entries.get_mut(i))
        {
            entry.withdrawn = true;
        }
        self.active.remove(&key);
        if let Some(count) = self.schemas_per_provider.get_mut(provider) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                self.schemas_per_provider.remove(provider);
            }
        }
        self.publish(now);
        Ok(())
    }

    fn check_clock(&self, now: u64) -> Result<(), RegistryError> {
        let last = self.last_published_at();
        if now < last {
            return Err(RegistryError::ClockRegression { last, now });
        }
        Ok(())
    }

    fn publish(&mut self, now: u64) {
        self.history.push(PublishedRoot {
            root: self.tree.root(),
            published_at: now,
        });
    }

    /// The current root of the approved-provider tree.
    pub fn root(&self) -> Fr {
        self.tree.root()
    }

    /// Every published root, oldest first; the last is the current root. Never empty.
    pub fn history(&self) -> &[PublishedRoot] {
        &self.history
    }

    /// When the current root was published.
    pub fn last_published_at(&self) -> u64 {
        self.history.last().map_or(0, |r| r.published_at)
    }

    /// Whether `provider` is approved for `schema_id`, approved only for other schemas, or not
    /// approved at all.
    pub fn approval_status(&self, provider: &PublicKey, schema_id: Fr) -> ApprovalStatus {
        if self.active.contains_key(&(*provider, schema_id)) {
            ApprovalStatus::Approved
        } else if self.schemas_per_provider.contains_key(provider) {
            ApprovalStatus::OnlyOtherSchemas
        } else {
            ApprovalStatus::NotApproved
        }
    }

    /// The authentication path of the approval of `provider` for `schema_id` in the current
    /// tree: `path.verify(ISSUER_TREE_ARITY, ISSUER_TREE_DEPTH, registry.root(),
    /// issuer_leaf(&provider.point(), &schema_id))` holds.
    ///
    /// Errors: [`RegistryError::NotApproved`].
    pub fn approval_path(
        &self,
        provider: &PublicKey,
        schema_id: Fr,
    ) -> Result<MerklePath, RegistryError> {
        let index = *self
            .active
            .get(&(*provider, schema_id))
            .ok_or(RegistryError::NotApproved)?;
        self.tree.path(index).map_err(RegistryError::Tree)
    }

    /// The approvals in force (not withdrawn), in slot order.
    pub fn approvals(&self) -> impl Iterator<Item = &Approval> + '_ {
        self.entries.iter().filter(|a| !a.withdrawn)
    }

    /// Every slot used so far, withdrawn ones included, in slot order.
    pub fn entries(&self) -> &[Approval] {
        &self.entries
    }

    /// The number of approvals in force.
    pub fn len(&self) -> usize {
        self.active.len()
    }

    /// Whether no approval is in force.
    pub fn is_empty(&self) -> bool {
        self.active.is_empty()
    }

    /// The number of slots of the tree (65,536): the budget of approvals, withdrawn ones
    /// included.
    pub fn capacity(&self) -> u64 {
        self.tree.capacity()
    }

    /// Whether a verifier should accept `root` at time `now` with a grace window of
    /// `window_secs` seconds (see the module documentation).
    pub fn root_status(&self, root: &Fr, now: u64, window_secs: u64) -> RootStatus {
        status_in(&self.history, root, now, window_secs)
    }

    /// The public history, as a verifier keeps it.
    pub fn accepted_roots(&self) -> AcceptedRoots {
        AcceptedRoots {
            roots: self.history.clone(),
        }
    }

    /// The public state as JSON (see the module documentation for the format): compact, one
    /// canonical spelling, which [`Registry::from_snapshot_json`] reads back to an equal
    /// registry.
    pub fn to_snapshot_json(&self) -> String {
        let wire = SnapshotWire {
            version: SNAPSHOT_VERSION,
            kind: SNAPSHOT_KIND.to_owned(),
            tree: TreeWire {
                arity: self.tree.arity().fan_out() as u64,
                depth: self.tree.depth() as u64,
            },
            approvals: self
                .entries
                .iter()
                .map(|a| {
                    let point = a.provider.point();
                    ApprovalWire {
                        index: a.index,
                        x: to_decimal(&point.x()),
                        y: to_decimal(&point.y()),
                        schema_id: to_decimal(&a.schema_id),
                        withdrawn: a.withdrawn,
                    }
                })
                .collect(),
            history: self
                .history
                .iter()
                .map(|r| RootWire {
                    root: to_decimal(&r.root),
                    published_at: r.published_at,
                })
                .collect(),
        };
        // Strings, integers, booleans, lists and structs with string keys: serialization
        // cannot fail. Were it ever to, "{}" has no version and every reader refuses it.
        serde_json::to_string(&wire).unwrap_or_else(|_| "{}".to_owned())
    }

    /// Reads a snapshot written by [`Registry::to_snapshot_json`], checking everything (see the
    /// module documentation for the order of the checks).
    ///
    /// Errors: [`RegistryError::TooLarge`], [`RegistryError::UnsupportedVersion`],
    /// [`RegistryError::Decode`], [`RegistryError::UnsupportedTree`],
    /// [`RegistryError::IndexOutOfRange`], [`RegistryError::DuplicateIndex`],
    /// [`RegistryError::IndexGap`], [`RegistryError::HistoryLength`],
    /// [`RegistryError::HistoryOrder`], [`RegistryError::Field`], [`RegistryError::BadKey`],
    /// [`RegistryError::DuplicateApproval`], [`RegistryError::SnapshotMismatch`].
    pub fn from_snapshot_json(input: &str) -> Result<Registry, RegistryError> {
        let wire = decode_wire(input)?;
        Registry::from_wire(wire, empty_tree().map_err(RegistryError::Tree)?)
    }

    /// Rebuilds a registry whose tree has the shape of `shape` (an empty tree).
    fn from_wire(wire: SnapshotWire, shape: MerkleTree) -> Result<Registry, RegistryError> {
        if wire.kind != SNAPSHOT_KIND {
            return Err(RegistryError::Decode {
                message: format!("kind must be \"{SNAPSHOT_KIND}\""),
            });
        }
        let arity = shape.arity();
        let depth = shape.depth();
        if wire.tree.arity != arity.fan_out() as u64 || wire.tree.depth != depth as u64 {
            return Err(RegistryError::UnsupportedTree {
                arity: wire.tree.arity,
                depth: wire.tree.depth,
            });
        }

        // Structure first, cheap and before any hashing or curve arithmetic.
        let capacity = shape.capacity();
        for (position, a) in wire.approvals.iter().enumerate() {
            let position = position as u64;
            if a.index >= capacity {
                return Err(RegistryError::IndexOutOfRange {
                    index: a.index,
                    capacity,
                });
            }
            // Entries before this one hold exactly 0..position, so a smaller index repeats one.
            if a.index < position {
                return Err(RegistryError::DuplicateIndex { index: a.index });
            }
            if a.index > position {
                return Err(RegistryError::IndexGap {
                    position,
                    got: a.index,
                });
            }
        }
        let withdrawals = wire.approvals.iter().filter(|a| a.withdrawn).count() as u64;
        // Counts of a list held in memory: far below 2^64, so saturating is exact.
        let expected = 1u64
            .saturating_add(wire.approvals.len() as u64)
            .saturating_add(withdrawals);
        let got = wire.history.len() as u64;
        if got != expected {
            return Err(RegistryError::HistoryLength { expected, got });
        }
        if let Some(position) = wire
            .history
            .windows(2)
            .position(|w| matches!(w, [a, b] if b.published_at < a.published_at))
        {
            return Err(RegistryError::HistoryOrder {
                position: (position as u64).saturating_add(1),
            });
        }

        // Values.
        let mut entries = Vec::with_capacity(wire.approvals.len());
        for (position, a) in wire.approvals.iter().enumerate() {
            let field = |name: &str, s: &str| {
                parse_decimal(s).map_err(|source| RegistryError::Field {
                    location: format!("approvals[{position}].{name}"),
                    source,
                })
            };
            let x = field("x", &a.x)?;
            let y = field("y", &a.y)?;
            let schema_id = field("schema_id", &a.schema_id)?;
            let provider = PublicKey::from_xy(x, y).map_err(|source| RegistryError::BadKey {
                index: a.index,
                source,
            })?;
            entries.push(Approval {
                provider,
                schema_id,
                index: a.index,
                withdrawn: a.withdrawn,
            });
        }
        let mut history = Vec::with_capacity(wire.history.len());
        for (position, r) in wire.history.iter().enumerate() {
            let root = parse_decimal(&r.root).map_err(|source| RegistryError::Field {
                location: format!("history[{position}].root"),
                source,
            })?;
            history.push(PublishedRoot {
                root,
                published_at: r.published_at,
            });
        }

        let mut active = HashMap::new();
        let mut schemas_per_provider: HashMap<PublicKey, u64> = HashMap::new();
        for a in entries.iter().filter(|a| !a.withdrawn) {
            if let Some(&first) = active.get(&(a.provider, a.schema_id)) {
                return Err(RegistryError::DuplicateApproval {
                    first,
                    second: a.index,
                });
            }
            active.insert((a.provider, a.schema_id), a.index);
            let count = schemas_per_provider.entry(a.provider).or_insert(0);
            *count = count.saturating_add(1);
        }

        // The tree, and the one check that ties the approvals to the published roots.
        let leaves: Vec<Fr> = entries
            .iter()
            .map(|a| {
                if a.withdrawn {
                    Fr::from(0u64)
                } else {
                    a.leaf()
                }
            })
            .collect();
        let tree = MerkleTree::from_leaves(arity, depth, &leaves).map_err(RegistryError::Tree)?;
        if history.last().map(|r| r.root) != Some(tree.root()) {
            return Err(RegistryError::SnapshotMismatch);
        }
        Ok(Registry {
            tree,
            entries,
            active,
            schemas_per_provider,
            history,
        })
    }
}

/// The public root history, all a verifier needs to decide which roots to accept.
///
/// Built from a registry ([`Registry::accepted_roots`], `From<&Registry>`) or from a snapshot
/// ([`AcceptedRoots::from_snapshot_json`], which checks the snapshot in full). The list is
/// public: [`AcceptedRoots::status`] is defined (and never panics) for any list, and for the
/// history of a registry it agrees with [`Registry::root_status`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AcceptedRoots {
    /// The published roots, oldest first; the last is the current root.
    pub roots: Vec<PublishedRoot>,
}

impl AcceptedRoots {
    /// Whether a verifier should accept `root` at time `now` with a grace window of
    /// `window_secs` seconds (see the module documentation). An empty list knows no root.
    pub fn status(&self, root: &Fr, now: u64, window_secs: u64) -> RootStatus {
        status_in(&self.roots, root, now, window_secs)
    }

    /// The current root, if any.
    pub fn current(&self) -> Option<Fr> {
        self.roots.last().map(|r| r.root)
    }

    /// The history of a registry snapshot, after every check of
    /// [`Registry::from_snapshot_json`] (whose errors it returns).
    pub fn from_snapshot_json(input: &str) -> Result<AcceptedRoots, RegistryError> {
        Registry::from_snapshot_json(input).map(|r| AcceptedRoots { roots: r.history })
    }
}

impl From<&Registry> for AcceptedRoots {
    fn from(registry: &Registry) -> Self {
        registry.accepted_roots()
    }
}

// ---------------------------------------------------------------------------------------------
// Wire format.

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SnapshotWire {
    version: u64,
    kind: String,
    tree: TreeWire,
    approvals: Vec<ApprovalWire>,
    history: Vec<RootWire>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TreeWire {
    arity: u64,
    depth: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ApprovalWire {
    index: u64,
    x: String,
    y: String,
    schema_id: String,
    withdrawn: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RootWire {
    root: String,
    published_at: u64,
}

/// Only the version, read before the rest so that a future format is reported as such (other
/// fields are skipped without being stored).
#[derive(Deserialize)]
struct VersionProbe {
    version: u64,
}

fn json_error(e: serde_json::Error) -> RegistryError {
    RegistryError::Decode {
        message: e.to_string(),
    }
}

fn parse<T: DeserializeOwned>(input: &str) -> Result<T, RegistryError> {
    serde_json::from_str(input).map_err(json_error)
}

/// Size, version, shape, then the typed parse.
fn decode_wire(input: &str) -> Result<SnapshotWire, RegistryError> {
    if input.len() > MAX_SNAPSHOT_BYTES {
        return Err(RegistryError::TooLarge {
            max: MAX_SNAPSHOT_BYTES,
            got: input.len(),
        });
    }
    let probe: VersionProbe = parse(input)?;
    if probe.version != SNAPSHOT_VERSION {
        return Err(RegistryError::UnsupportedVersion { got: probe.version });
    }
    parse::<ObjectShape>(input)?;
    parse(input)
}

/// Shape check. serde's derive also reads a struct spelled as a JSON array (fields by
/// position); the snapshot format has objects only, and arrays of objects only. Reading the
/// input as an `ObjectShape` refuses a top level that is not an object, and any array whose
/// elements are not objects, so no struct can be spelled as an array. Nothing is stored, and
/// serde_json's recursion limit bounds the nesting.
struct ObjectShape;

/// Any JSON value, under the same rule: objects recurse, arrays hold objects only.
struct ValueShape;

struct ShapeVisitor {
    object_only: bool,
}

impl<'de> Deserialize<'de> for ObjectShape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ShapeVisitor { object_only: true })
            .map(|_| ObjectShape)
    }
}

impl<'de> Deserialize<'de> for ValueShape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ShapeVisitor { object_only: false })
            .map(|_| ValueShape)
    }
}

impl ShapeVisitor {
    fn scalar<E: de::Error>(&self, what: de::Unexpected<'_>) -> Result<(), E> {
        if self.object_only {
            Err(E::invalid_type(what, self))
        } else {
            Ok(())
        }
    }
}

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.object_only {
            f.write_str("a JSON object")
        } else {
            f.write_str("a JSON value whose arrays hold objects only")
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key::<IgnoredAny>()?.is_some() {
            map.next_value::<ValueShape>()?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.object_only {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        while seq.next_element::<ObjectShape>()?.is_some() {}
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar(de::Unexpected::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar(de::Unexpected::Signed(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar(de::Unexpected::Unsigned(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.scalar(de::Unexpected::Float(v))
    }

    fn visit_str<E: de::Error>(self, _v: &str) -> Result<(), E> {
        self.scalar(de::Unexpected::Other("string"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar(de::Unexpected::Unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vouchsafe_circuits::eddsa::SecretKey;
    use vouchsafe_circuits::merkle::Arity;

    fn key(i: u8) -> PublicKey {
        SecretKey::from_seed([i; 32]).public_key()
    }

    /// A registry over a small tree (4 slots), to reach `Full` quickly.
    fn small() -> Registry {
        Registry::with_tree(MerkleTree::new(Arity::Quaternary, 1).unwrap(), 0)
    }

    #[test]
    fn circuit_constants_are_a_valid_tree_shape() {
        let tree = empty_tree().unwrap();
        assert_eq!(tree.capacity(), 65_536);
        assert_eq!(Registry::new().capacity(), 65_536);
    }

    #[test]
    fn full_after_capacity_slots_withdrawn_ones_included() {
        let mut r = small();
        let s = Fr::from(7u64);
        for i in 0..4u8 {
            assert_eq!(r.approve(&key(i), s, 10), Ok(u64::from(i)));
        }
        r.withdraw(&key(0), s, 11).unwrap();
        let before = r.clone();
        assert_eq!(
            r.approve(&key(9), s, 12),
            Err(RegistryError::Full { capacity: 4 })
        );
        // Re-approving a withdrawn pair needs a new slot as well.
        assert_eq!(
            r.approve(&key(0), s, 12),
            Err(RegistryError::Full { capacity: 4 })
        );
        assert_eq!(r, before, "a refused change leaves the registry as it was");
    }

    #[test]
    fn small_tree_snapshot_round_trips_with_its_own_shape() {
        let mut r = small();
        r.approve(&key(1), Fr::from(1u64), 5).unwrap();
        r.approve(&key(2), Fr::from(1u64), 6).unwrap();
        r.withdraw(&key(1), Fr::from(1u64), 7).unwrap();
        let json = r.to_snapshot_json();
        let wire = decode_wire(&json).unwrap();
        let back =
            Registry::from_wire(wire, MerkleTree::new(Arity::Quaternary, 1).unwrap()).unwrap();
        assert_eq!(back, r);
        // The production reader insists on the circuit's tree.
        assert_eq!(
            Registry::from_snapshot_json(&json),
            Err(RegistryError::UnsupportedTree { arity: 4, depth: 1 })
        );
    }

    #[test]
    fn five_slots_in_a_four_slot_tree_are_out_of_range() {
        let mut r = small();
        for i in 0..4u8 {
            r.approve(&key(i), Fr::from(1u64), 1).unwrap();
        }
        let mut wire = decode_wire(&r.to_snapshot_json()).unwrap();
        let extra = ApprovalWire {
            index: 4,
            x: wire.approvals[0].x.clone(),
            y: wire.approvals[0].y.clone(),
            schema_id: "2".to_owned(),
            withdrawn: false,
        };
        wire.approvals.push(extra);
        assert_eq!(
            Registry::from_wire(wire, MerkleTree::new(Arity::Quaternary, 1).unwrap()),
            Err(RegistryError::IndexOutOfRange {
                index: 4,
                capacity: 4
            })
        );
    }

    #[test]
    fn status_in_handles_any_list() {
        let a = Fr::from(1u64);
        let b = Fr::from(2u64);
        assert_eq!(status_in(&[], &a, 0, 10), RootStatus::Unknown);
        // Not ordered by time, repeated roots, saturating window: never panics, best wins.
        let list = [
            PublishedRoot {
                root: a,
                published_at: u64::MAX,
            },
            PublishedRoot {
                root: b,
                published_at: 5,
            },
            PublishedRoot {
                root: a,
                published_at: 0,
            },
        ];
        assert_eq!(
            status_in(&list, &a, u64::MAX, u64::MAX),
            RootStatus::Current
        );
        assert_eq!(status_in(&list, &b, 4, 0), RootStatus::Stale);
        assert_eq!(
            status_in(&list, &b, u64::MAX - 1, u64::MAX),
            RootStatus::WithinWindow
        );
        assert_eq!(status_in(&list, &b, u64::MAX, u64::MAX), RootStatus::Stale);
    }
}
