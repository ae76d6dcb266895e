//! How the revocation list scales: build a tree of 100,000 revoked ids, revoke one more, and
//! compute a holder's non-revocation witness from the public list.
//!
//! Run with `cargo run --release --example revocation_scale [N]` (default N = 100000).

use rand::rngs::OsRng;
use rand::RngCore;
use std::time::Instant;
use vouchsafe::primitives::babyjubjub::Point;
use vouchsafe::primitives::revocation::{revocation_id, RevocationTree};
use vouchsafe::primitives::Fr;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(100_000);
    let provider = Point::base8();
    let serial = || Fr::from(OsRng.next_u64());
    // warm the Poseidon parameter tables so they are not counted
    let _ = revocation_id(&provider, &Fr::from(0u64));

    let ids: Vec<Fr> = (0..n)
        .map(|_| revocation_id(&provider, &serial()))
        .collect();
    let t = Instant::now();
    let mut tree = RevocationTree::from_ids(ids.iter().copied())?;
    println!("build, {n} revoked ids: {:.2?}", t.elapsed());

    let t = Instant::now();
    tree.insert(revocation_id(&provider, &serial()))?;
    println!("one more revocation (insert): {:.2?}", t.elapsed());

    let mine = revocation_id(&provider, &serial());
    let t = Instant::now();
    let w = tree.non_membership(mine)?;
    println!("one non-revocation witness: {:.2?}", t.elapsed());
    let t = Instant::now();
    let again = RevocationTree::from_ids(ids.iter().copied())?;
    let _ = again.non_membership(mine)?;
    println!(
        "a holder's own witness from the public list (rebuild + witness): {:.2?}",
        t.elapsed()
    );
    println!("witness path depth: {}", w.path.depth());
    Ok(())
}
