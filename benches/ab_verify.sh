#!/usr/bin/env bash
# Single verification of this checkout against another revision, in one process, in turn.
#
#   benches/ab_verify.sh REV [ROUNDS] [PER_ROUND]
#
# On a shared host whose speed drifts by tens of percent within minutes, two binaries run one
# after the other cannot resolve a few percent. This links REV's tree and this one as two
# crates of one binary, runs PER_ROUND (default 10) verifications of one presentation with
# each in turn, ROUNDS times (default 600), alternating which goes first, and prints the
# median of the per-round ratios (new / old) with the medians and fastest rounds of each.
#
# The presentation comes from `bench_report` (VOUCHSAFE_BENCH_DUMP), run from this checkout.
# REV must be a revision whose `verifier::verify_raw`, `keys::VerifyingKey::from_bytes` and
# `keys::Proof::from_bytes` have today's signatures (any since issue 5's first commits).
# Writes nothing in the checkout: everything goes to a temporary folder, removed at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REV="${1:?usage: benches/ab_verify.sh REV [ROUNDS] [PER_ROUND]}"
ROUNDS="${2:-600}"
PER_ROUND="${3:-10}"

work="$(mktemp -d)"
cleanup() {
    git -C "$ROOT" worktree remove --force "$work/old" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "== the presentation to verify (bench_report, this checkout)" >&2
mkdir -p "$work/data"
(cd "$ROOT" && VOUCHSAFE_BENCH_DUMP="$work/data" cargo run --quiet --release --example bench_report >/dev/null)

echo "== $REV beside this checkout" >&2
git -C "$ROOT" worktree add --quiet --detach "$work/old" "$REV"
# cargo takes two packages of one name only if their versions differ: renumber the old tree's
# own crates (the workspace version and the requirement on its circuits crate)
sed -i 's/^version = "0\.1\.0"$/version = "0.0.1"/; s/\(vouchsafe-circuits = { path = "circuits", version = \)"0\.1\.0"/\1"0.0.1"/' \
    "$work/old/Cargo.toml"

mkdir -p "$work/ab/src"
cat >"$work/ab/Cargo.toml" <<TOML
[package]
name = "ab-verify"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
new = { package = "vouchsafe", path = "$ROOT" }
old = { package = "vouchsafe", path = "$work/old" }
ark-serialize = "0.6"

[workspace]
TOML
cat >"$work/ab/src/main.rs" <<'RUST'
use ark_serialize::CanonicalDeserialize;
use std::time::Instant;

macro_rules! load {
    ($krate:ident, $dir:expr, $per:expr) => {{
        let per: usize = $per;
        let read = |name: &str| std::fs::read(format!("{}/{}", $dir, name)).expect(name);
        let pvk = $krate::keys::VerifyingKey::from_bytes(&read("vk.bin")).expect("vk").prepare();
        let proof = $krate::keys::Proof::from_bytes(&read("proof.bin")).expect("proof");
        let inputs: Vec<$krate::primitives::Fr> = read("inputs.bin")
            .chunks(32)
            .map(|c| CanonicalDeserialize::deserialize_compressed(c).expect("input"))
            .collect();
        $krate::verifier::verify_raw(&pvk, &inputs, &proof).expect("the proof verifies");
        move || {
            let t = Instant::now();
            for _ in 0..per {
                $krate::verifier::verify_raw(&pvk, &inputs, &proof).expect("verifies");
            }
            t.elapsed().as_secs_f64() * 1e3 / per as f64
        }
    }};
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = &args[1];
    let rounds: usize = args[2].parse().expect("rounds");
    let per: usize = args[3].parse().expect("per round");
    let old = load!(old, dir, per);
    let new = load!(new, dir, per);
    let (mut to, mut tn, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
    for r in 0..rounds {
        let (a, b) = if r % 2 == 0 {
            let a = old();
            (a, new())
        } else {
            let b = new();
            (old(), b)
        };
        to.push(a);
        tn.push(b);
        ratio.push(b / a);
    }
    for v in [&mut to, &mut tn, &mut ratio] {
        v.sort_by(f64::total_cmp);
    }
    let med = |v: &[f64]| v[v.len() / 2];
    println!(
        "old: median {:.4} ms, fastest round {:.4} ms | new: median {:.4} ms, fastest round {:.4} ms",
        med(&to), to[0], med(&tn), tn[0]
    );
    println!(
        "new / old per round: median {:.4} (10th percentile {:.4}, 90th {:.4}), {} rounds of {}",
        med(&ratio), ratio[ratio.len() / 10], ratio[ratio.len() * 9 / 10], rounds, args[3]
    );
}
RUST
echo "== building the two-crate harness" >&2
cargo build --quiet --release --manifest-path "$work/ab/Cargo.toml"
"$work/ab/target/release/ab-verify" "$work/data" "$ROUNDS" "$PER_ROUND"
