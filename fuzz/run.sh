#!/usr/bin/env bash
# The fuzz targets of vouchsafe (issue 7). See README.md here.
#
#   fuzz/run.sh smoke            every target for ${FUZZ_SECONDS:-20} s from the committed seeds
#                                (CI runs this; nothing is written to the checkout)
#   fuzz/run.sh long SECONDS     every target for SECONDS, one after the other, keeping the
#                                grown corpora in fuzz/corpus/<target> (ignored by git)
#   fuzz/run.sh list             the targets
#
# Installs cargo-fuzz (pinned) into fuzz/.tools if the machine has no cargo-fuzz of that
# version. Uses the nightly toolchain if rustup has one, else the default toolchain with
# RUSTC_BOOTSTRAP=1 (cargo-fuzz passes -Z flags to rustc). Oracles: libFuzzer stops with an
# error on a panic, a run over -timeout seconds, or memory over -rss_limit_mb / a single
# allocation over -malloc_limit_mb; the targets assert the round-trip properties
# (fuzz/src/lib.rs). Prints one line per target: executions, corpus size, crashes.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
CARGO_FUZZ_VERSION=0.13.2
TARGETS=(proof verifying_key babyjubjub_point field_element schema_json credential_json
    provider_json registry_json revocation_request_json revocation_list_json request_json
    presentation_json verify cli_state_json)
LIMITS=(-rss_limit_mb=1024 -malloc_limit_mb=512 -timeout=10 -print_final_stats=1)

mode="${1:-smoke}"
case "$mode" in
    list) printf '%s\n' "${TARGETS[@]}"; exit 0 ;;
    smoke) seconds="${FUZZ_SECONDS:-20}" ;;
    long) seconds="${2:?fuzz/run.sh long SECONDS}" ;;
    *) echo "usage: fuzz/run.sh smoke | long SECONDS | list" >&2; exit 2 ;;
esac

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
    if [[ ! -x "$HERE/.tools/bin/cargo-fuzz" ]]; then
        echo "== installing cargo-fuzz $CARGO_FUZZ_VERSION into fuzz/.tools"
        cargo install --quiet --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION" --root "$HERE/.tools"
    fi
    export PATH="$HERE/.tools/bin:$PATH"
fi

TOOLCHAIN=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    TOOLCHAIN=(+nightly)
else
    export RUSTC_BOOTSTRAP=1
fi

cd "$ROOT"
echo "== building the fuzz targets ($(cargo "${TOOLCHAIN[@]}" --version))"
cargo "${TOOLCHAIN[@]}" fuzz build --debug-assertions

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '\n%-26s %12s %8s %8s %8s\n' target executions exec/s corpus crashes
for t in "${TARGETS[@]}"; do
    if [[ "$mode" == long ]]; then
        corpus="$HERE/corpus/$t"
    else
        corpus="$work/$t"
    fi
    mkdir -p "$corpus"
    log="$work/$t.log"
    status=0
    cargo "${TOOLCHAIN[@]}" fuzz run --debug-assertions "$t" "$corpus" "$HERE/seeds/$t" -- \
        -max_total_time="$seconds" "${LIMITS[@]}" > "$log" 2>&1 || status=$?
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    size="$(find "$corpus" -type f | wc -l)"
    printf '%-26s %12s %8s %8s %8s\n' "$t" "${runs:-?}" "${speed:-?}" "$size" \
        "$([[ $status == 0 ]] && echo 0 || echo FOUND)"
    if [[ $status != 0 ]]; then
        tail -60 "$log"
        echo "fuzz: $t failed (exit $status); the input is in fuzz/artifacts/$t/" >&2
        exit 1
    fi
done
echo "fuzz: every target ran ${seconds} s without a crash"
