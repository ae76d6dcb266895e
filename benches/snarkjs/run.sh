#!/usr/bin/env bash
# Side-by-side benchmark of vouchsafe's prover against snarkjs on the same presentation
# statement (issue 5, item 5). See README.md in this folder.
#
#   benches/snarkjs/run.sh            (from any directory; RUNS=5 by default)
#
# Installs circom2, circomlib and snarkjs (pinned in package-lock.json) into
# benches/snarkjs/node_modules, compiles presentation.circom with --O2, makes (once) a powers of
# tau and a zkey in the cache folder ${VOUCHSAFE_BENCH_CACHE:-$HOME/.cache/vouchsafe-bench},
# then runs snarkjs' warm in-process groth16.fullProve / groth16.verify and our bench_report
# one after the other, each with all cores, and prints both with the ratios.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CACHE="${VOUCHSAFE_BENCH_CACHE:-$HOME/.cache/vouchsafe-bench}"
BUILD="$HERE/build"
SNARKJS="$HERE/node_modules/.bin/snarkjs"
CIRCOM="$HERE/node_modules/.bin/circom2"
export RUNS="${RUNS:-5}"

say() { printf '\n== %s\n' "$*" >&2; }
random_hex() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

mkdir -p "$CACHE" "$BUILD"

say "machine"
CPU_MODEL="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)"
CPU_MODEL="${CPU_MODEL:-$(uname -m)}"
NPROC="$(nproc)"
echo "cpu: $CPU_MODEL; nproc: $NPROC; node $(node --version)" >&2

say "npm ci (circom2 0.2.23, circomlib 2.0.5, snarkjs 0.7.6)"
(cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)

say "compiling presentation.circom (--O2)"
(cd "$HERE" && "$CIRCOM" presentation.circom --r1cs --wasm --O2 -l node_modules -o "$BUILD/")
R1CS="$BUILD/presentation.r1cs"
WASM="$BUILD/presentation_js/presentation.wasm"
"$SNARKJS" r1cs info "$R1CS"

# The powers of tau must cover nConstraints + nPublic + 1 rows; 2^15 unless more is needed.
ROWS="$(node -e '
  const snarkjs = require(process.argv[1]);
  snarkjs.r1cs.info(process.argv[2]).then((c) => {
    console.log(c.nConstraints + c.nPubInputs + c.nOutputs + 1);
    process.exit(0);
  });' "$HERE/node_modules/snarkjs" "$R1CS")"
POWER=15
while (( (1 << POWER) < ROWS )); do POWER=$((POWER + 1)); done
PTAU="$CACHE/pot${POWER}_final.ptau"

make_ptau() {
    # One generation at a time (flock); written under a temporary name, then renamed.
    exec 9>"$CACHE/pot${POWER}.lock"
    flock 9
    if [[ -f "$PTAU" ]]; then return; fi
    local tmp
    tmp="$(mktemp -d "$CACHE/pot${POWER}.tmp.XXXXXX")"
    "$SNARKJS" powersoftau new bn128 "$POWER" "$tmp/0000.ptau"
    "$SNARKJS" powersoftau contribute "$tmp/0000.ptau" "$tmp/0001.ptau" \
        --name="vouchsafe bench" -e="$(random_hex)"
    "$SNARKJS" powersoftau prepare phase2 "$tmp/0001.ptau" "$tmp/final.ptau"
    mv "$tmp/final.ptau" "$PTAU"
    rm -rf "$tmp"
    exec 9>&-
}

if [[ -f "$PTAU" ]]; then
    say "powers of tau: cached $PTAU"
else
    say "powers of tau 2^$POWER: generating $PTAU (several minutes, once)"
    make_ptau
fi

# The zkey is cached by the r1cs it was made for (and the ptau size).
R1CS_SHA="$(sha256sum "$R1CS" | cut -c1-64)"
ZKEY="$CACHE/presentation-${R1CS_SHA}-pot${POWER}.zkey"
if [[ -f "$ZKEY" ]]; then
    say "zkey: cached $ZKEY"
else
    say "groth16 setup and one contribution: $ZKEY"
    TMPZ="$(mktemp -d "$CACHE/zkey.tmp.XXXXXX")"
    "$SNARKJS" groth16 setup "$R1CS" "$PTAU" "$TMPZ/0000.zkey"
    "$SNARKJS" zkey contribute "$TMPZ/0000.zkey" "$TMPZ/0001.zkey" \
        --name="vouchsafe bench" -e="$(random_hex)"
    mv "$TMPZ/0001.zkey" "$ZKEY"
    rm -rf "$TMPZ"
fi
VKEY="$BUILD/verification_key.json"
"$SNARKJS" zkey export verificationkey "$ZKEY" "$VKEY"

say "witness input from our library (cargo run --release --example snarkjs_input)"
(cd "$ROOT" && cargo run --release --example snarkjs_input) > "$BUILD/input.json"

say "snarkjs: warm in-process groth16.fullProve / groth16.verify, RUNS=$RUNS"
node "$HERE/bench.js" "$R1CS" "$WASM" "$ZKEY" "$VKEY" "$BUILD/input.json" | tee "$BUILD/snarkjs.json"

OURS_JSON="$BUILD/vouchsafe.json"
rm -f "$OURS_JSON"
if [[ -f "$ROOT/examples/bench_report.rs" || -f "$ROOT/examples/bench_report/main.rs" ]]; then
    say "vouchsafe: cargo run --release --example bench_report"
    (cd "$ROOT" && cargo run --release --example bench_report) | tee "$BUILD/vouchsafe.out"
    # keep the JSON object of its output
    node -e '
      const fs = require("fs");
      const s = fs.readFileSync(process.argv[1], "utf8");
      const j = JSON.parse(s.slice(s.indexOf("{"), s.lastIndexOf("}") + 1));
      fs.writeFileSync(process.argv[2], JSON.stringify(j) + "\n");' \
        "$BUILD/vouchsafe.out" "$OURS_JSON"
else
    say "examples/bench_report.rs does not exist yet: our side is skipped"
fi

say "results ($CPU_MODEL, nproc $NPROC, all cores for both, medians of $RUNS runs)"
node -e '
  const fs = require("fs");
  const sj = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const ours = fs.existsSync(process.argv[2]) ? JSON.parse(fs.readFileSync(process.argv[2], "utf8")) : null;
  const num = (x) => (typeof x === "number" ? x : Number(x));
  const cell = (x, w) => String(x).padStart(w);
  const rows = [
    ["constraints", "constraints"],
    ["prove (ms)", "prove_ms"],
    ["verify (ms)", "verify_ms"],
  ];
  console.log(`${"".padEnd(14)}${cell("vouchsafe", 12)}${cell("snarkjs", 12)}${cell("snarkjs/ours", 14)}`);
  for (const [label, key] of rows) {
    const s = num(sj[key]);
    const o = ours && key in ours ? num(ours[key]) : NaN;
    const ratio = Number.isFinite(o) && o > 0 ? (s / o).toFixed(2) + "x" : "-";
    const fmt = (x) => (Number.isFinite(x) ? (key === "constraints" ? x : x.toFixed(2)) : "-");
    console.log(`${label.padEnd(14)}${cell(fmt(o), 12)}${cell(fmt(s), 12)}${cell(ratio, 14)}`);
  }
  console.log(`snarkjs: groth16.fullProve (witness + proof) and groth16.verify, warm, one node process; runs: ${sj.runs}`);
  if (ours) {
    const threads = (k) => (k in ours ? `${ours[k]} thread(s)` : "default threads");
    console.log(`vouchsafe: bench_report (BENCHMARKS.md); prove: ${threads("prove_threads")}, verify: ${threads("verify_threads")}`);
  } else {
    console.log("vouchsafe: not measured (examples/bench_report.rs is missing)");
  }
' "$BUILD/snarkjs.json" "$OURS_JSON"
