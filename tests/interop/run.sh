#!/usr/bin/env bash
# vouchsafe against snarkjs and circomlibjs (issue 6, items 3 and 4). See README.md here.
#
#   tests/interop/run.sh        (from any directory; .ci/run runs it after the tests)
#
# Installs snarkjs 0.7.6 and circomlibjs 0.1.7 (pinned in package-lock.json) into
# tests/interop/node_modules with `npm ci`, then:
#   1. circomlibjs as a provider: signs a credential's 16 slots with signPoseidon; vouchsafe
#      accepts, proves and verifies it (examples/interop.rs `prove`);
#   2. circomlibjs' verifyPoseidon accepts a vouchsafe Provider::issue signature;
#   3. `snarkjs groth16 verify` accepts a presentation exported with vouchsafe::export::snarkjs
#      and refuses altered ones (a changed public input, a changed proof, a proof of another
#      statement, G2 coordinates in the wrong order), each with the expected exit status and
#      message.
# Every check prints a PASS or FAIL line; the script exits with 1 if any check failed.
# Outputs go to ${VOUCHSAFE_INTEROP_OUT:-tests/interop/build} (ignored by git).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${VOUCHSAFE_INTEROP_OUT:-$HERE/build}"
SNARKJS="$HERE/node_modules/.bin/snarkjs"
LOG="$OUT/interop.log"
START=$SECONDS
STEP_FAILURES=0

say() { printf '\n== [%3d s] %s\n' "$((SECONDS - START))" "$*"; }

summary() {
    local passed failed
    passed="$(grep -c '^PASS' "$LOG" || true)"
    failed="$(grep -c '^FAIL' "$LOG" || true)"
    say "interop: $passed passed, $failed failed"
    if (( failed > 0 || STEP_FAILURES > 0 )); then
        grep '^FAIL' "$LOG" || true
        echo "interop: FAILED"
        exit 1
    fi
    echo "interop: all passed"
}

# Runs a command that prints PASS/FAIL lines; its output is also logged. A nonzero exit is a
# failure even if it printed no FAIL line.
check() {
    local rc=0
    "$@" 2>&1 | tee -a "$LOG" || rc=$?
    if (( rc != 0 )); then
        STEP_FAILURES=$((STEP_FAILURES + 1))
        echo "FAIL  exit status $rc: $*" | tee -a "$LOG"
    fi
    return "$rc"
}

# A step the rest depends on: on failure, stop with the summary.
required() {
    check "$@" || { echo "interop: cannot continue"; summary; }
}

rm -rf "$OUT"
mkdir -p "$OUT"
: > "$LOG"

say "node $(node --version), npm $(npm --version); npm ci (snarkjs 0.7.6, circomlibjs 0.1.7)"
npm_ci() { (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error); }
required npm_ci

# `cargo test --workspace` builds every example; asking for exactly that build reuses its
# artifacts (in CI, where the tests just ran, it is a no-op). `cargo build --example interop`
# would resolve other features (no workspace members' dev-dependencies) and rebuild about 30
# crates, 3 minutes on 2 cores.
say "building the Rust half (cargo test --workspace --no-run; the interop example is one of its builds)"
cargo_build() { (cd "$ROOT" && cargo test --workspace --no-run --quiet); }
required cargo_build
INTEROP_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/examples/interop"
interop() { "$INTEROP_BIN" "$@"; }

say "vouchsafe: the credential template and a vouchsafe-signed credential"
required interop prepare "$OUT"

say "circomlibjs as a provider: Poseidon over the 16 slots, signPoseidon"
required node "$HERE/circomlibjs.js" sign "$OUT"

say "circomlibjs verifyPoseidon on a vouchsafe signature"
check node "$HERE/circomlibjs.js" verify "$OUT" || true

say "vouchsafe: accept, prove and verify the circomlibjs credential; export for snarkjs"
check interop prove "$OUT" || true

say "snarkjs: layout of the exported files"
check node "$HERE/snarkjs_layout.js" "$OUT/snarkjs/valid" || true

say "snarkjs groth16 verify"
shopt -s nullglob
cases=("$OUT"/snarkjs/*/)
if (( ${#cases[@]} == 0 )); then
    echo "FAIL  no exported cases in $OUT/snarkjs" | tee -a "$LOG"
fi
for case_dir in "${cases[@]}"; do
    name="$(basename "$case_dir")"
    expect="$(cat "$case_dir/expect")"
    want_rc=1
    [[ "$expect" == "OK!" ]] && want_rc=0
    rc=0
    output="$("$SNARKJS" groth16 verify "$case_dir/verification_key.json" \
        "$case_dir/public.json" "$case_dir/proof.json" 2>&1)" || rc=$?
    output="$(printf '%s\n' "$output" | sed 's/\x1b\[[0-9;]*m//g')"
    # The exit status and snarkjs' own message must both be the expected ones: a refusal for
    # another reason (a crash, an unreadable file) is a failure.
    if (( rc == want_rc )) && [[ "$output" == *"$expect"* ]]; then
        echo "PASS  snarkjs groth16 verify on $name: exit $rc, \"$expect\"" | tee -a "$LOG"
    else
        echo "FAIL  snarkjs groth16 verify on $name: expected exit $want_rc and \"$expect\"," \
            "got exit $rc: $output" | tee -a "$LOG"
    fi
done

summary
