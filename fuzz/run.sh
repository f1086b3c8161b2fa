#!/usr/bin/env bash
# Fuzz makegood's parsers and command line for a bounded time, with proptest (cargo-fuzz needs a
# nightly toolchain; this runs on stable).
#
#   fuzz/run.sh            # every target, 60 s each
#   fuzz/run.sh 300 money  # only the money parser, 5 minutes
#
# Targets (tests in tests/cli/fuzz.rs): dates, money, log_arguments_never_panic.
# A failure prints the smallest input proptest found; add it as a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("${@:-dates money log_arguments_never_panic}")
# Each test keeps drawing batches of MAKEGOOD_FUZZ_CASES until MAKEGOOD_FUZZ_SECONDS have passed.
export MAKEGOOD_FUZZ_SECONDS="$seconds"
export MAKEGOOD_FUZZ_CASES="${MAKEGOOD_FUZZ_CASES:-1000}"
cargo test --test cli --no-run
for target in ${targets[*]}; do
    echo "== fuzz::$target for ${seconds}s"
    cases="$MAKEGOOD_FUZZ_CASES"
    # Every CLI case launches a process: smaller batches keep the time budget honest.
    [[ "$target" == log_* ]] && cases=50
    MAKEGOOD_FUZZ_CASES="$cases" cargo test --test cli "fuzz::$target" -- --exact --nocapture 2>&1 \
        | grep -v '^logged incident'
done
