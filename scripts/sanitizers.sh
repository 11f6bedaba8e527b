#!/usr/bin/env bash
# The test suites under ThreadSanitizer and AddressSanitizer (see RELIABILITY.md for the latest results):
#
#   bash scripts/sanitizers.sh [thread|address|both] [focused|full]      defaults: both focused
#
# focused: the storage suites (StorageTests), the outbound/dispatcher suites (every suite in
# Tests/DeliveryTests/Outbound/) and the inbox suites (Tests/DeliveryTests/Inbox/: the normalizer's passes in flight,
# the hand-off to the applier). full: the whole suite. Each sanitizer builds in its own scratch folder
# (.build-tsan, .build-asan), so the normal .build keeps its flags; a first build takes about a minute, a full run
# about three minutes per sanitizer on 2 cores. Exits non-zero if any run fails or a sanitizer reports.
set -euo pipefail
cd "$(dirname "$0")/.."

which=${1:-both}
scope=${2:-focused}
case "$which" in thread|address|both) ;; *) echo "usage: $0 [thread|address|both] [focused|full]" >&2; exit 64;; esac
case "$scope" in focused|full) ;; *) echo "usage: $0 [thread|address|both] [focused|full]" >&2; exit 64;; esac

outbound=$(cd Tests/DeliveryTests/Outbound && ls *Tests.swift | sed 's/\.swift$//' | paste -sd '|' -)
inbox=$(cd Tests/DeliveryTests/Inbox && ls *Tests.swift | sed 's/\.swift$//' | paste -sd '|' -)
filters=()
if [ "$scope" = focused ]; then
    filters=('StorageTests\.' "DeliveryTests\\.($outbound|$inbox)/")
fi

# Swift's crash reporter would hold a crashing test process for a backtrace; the sanitizers print their own.
export SWIFT_BACKTRACE=enable=no
# Leaks: XCTest keeps test cases (and what their setUp made) until exit, which LeakSanitizer reports as leaks of
# every suite; run with LEAKS=1 to see them anyway. Foundation's Process.run() trips ASan itself: see the file.
export ASAN_OPTIONS="detect_leaks=${LEAKS:-0}:suppressions=$PWD/scripts/asan-suppressions.txt"

status=0
run() {  # run <sanitizer> <scratch>
    local sanitizer=$1 scratch=$2 start
    start=$(date +%s)
    swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch" 2>&1 | grep -E "error|Build complete" || true
    echo "== $sanitizer: built in $(( $(date +%s) - start ))s"
    local runs=("${filters[@]}")
    [ ${#runs[@]} -eq 0 ] && runs=("")
    for filter in "${runs[@]}"; do
        start=$(date +%s)
        local args=(--skip-build --sanitize="$sanitizer" --scratch-path "$scratch")
        [ -n "$filter" ] && args+=(--filter "$filter")
        local log
        log=$(mktemp)
        if swift test "${args[@]}" >"$log" 2>&1 && ! grep -qE "ThreadSanitizer|AddressSanitizer|LeakSanitizer" "$log"; then
            result=clean
        else
            result=FAILED; status=1
            grep -E "error:|WARNING: ThreadSanitizer|ERROR: (Address|Leak)Sanitizer|SUMMARY:" "$log" | head -20
        fi
        echo "== $sanitizer ${filter:-whole suite}: $result, $(grep -E 'Executed [0-9]+ tests' "$log" | tail -1 \
            | sed -E 's/^[[:space:]]*//'), $(( $(date +%s) - start ))s (log: $log)"
    done
}

[ "$which" = address ] || run thread .build-tsan
[ "$which" = thread ] || run address .build-asan
exit $status
