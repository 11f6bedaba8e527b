#!/usr/bin/env bash
# libFuzzer on one fuzz target of Sources/Fuzz (see RELIABILITY.md):
#
#   bash scripts/fuzz.sh <target> [seconds] [more libFuzzer flags]
#   targets: json whatsapp webhook-signature pos-csv pos-json config; seconds: 60 by default
#
# Builds gateway-fuzz with -sanitize=fuzzer,address and -D FUZZING in its own scratch folder (.build-fuzz, so the
# normal .build keeps its flags), then fuzzes from the checked-in seeds in Fuzz/corpus/<target>. New inputs go to
# .build-fuzz/runs/<target>/corpus and crashes to .build-fuzz/runs/<target>/artifacts/, never into the checked-in
# corpus: copy a crash there by hand, with a regression test, once it is understood.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: bash scripts/fuzz.sh <json|whatsapp|webhook-signature|pos-csv|pos-json|config> [seconds] [flags]}
seconds=${2:-60}
shift $(( $# < 2 ? $# : 2 ))
[ -d "Fuzz/corpus/$target" ] || { echo "no seeds in Fuzz/corpus/$target" >&2; exit 64; }

scratch=.build-fuzz
# SwiftPM aliases `main` to the executable's entry point and libFuzzer brings its own: allow both (GatewayFuzz.swift
# explains why either one works). ld.gold warns about every ASan symbol it cannot export; those lines are dropped.
swift build -c debug --scratch-path "$scratch" --product gateway-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -D -Xswiftc FUZZING -Xlinker --allow-multiple-definition \
    2>&1 | grep -v "Cannot export local symbol" || true
binary="$scratch/debug/gateway-fuzz"
[ -x "$binary" ] || { echo "the fuzzing build failed" >&2; exit 1; }

run="$scratch/runs/$target"
mkdir -p "$run/corpus" "$run/artifacts"
dict=()
[ -f "Fuzz/dict/$target.dict" ] && dict=(-dict="Fuzz/dict/$target.dict")
[ ${#dict[@]} -eq 0 ] && [ "$target" != pos-csv ] && dict=(-dict=Fuzz/dict/json.dict)

# Swift's own crash reporter would hold the process for a backtrace; libFuzzer prints its own and saves the input.
FUZZ_TARGET=$target SWIFT_BACKTRACE=enable=no "$binary" "$run/corpus" "Fuzz/corpus/$target" "${dict[@]}" \
    -max_total_time="$seconds" -artifact_prefix="$run/artifacts/" -print_final_stats=1 "$@"
