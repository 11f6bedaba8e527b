#!/usr/bin/env bash
# Instructions per applied WhatsApp delivery, counted by valgrind (BENCHMARKS.md: the apply pipeline in instructions):
#
#   bash scripts/count-instructions.sh [--binary PATH] [--small N] [--large N] [--top K] [--ids random|sequential]
#                                      [--alter SQL]
#
# On a shared machine the rate of the same binary swings by a third within an hour, so a change worth 5 or 10 % cannot
# be told from the weather by timing it; the instructions it executes hold still (the same count, to a few parts in a
# thousand, whatever else the machine runs). This logs the `gateway-bench apply` deliveries natively into two stores
# (N small, N large), applies each under `valgrind --tool=callgrind`, and prints the difference divided by the
# difference in deliveries: the app's start and everything else a run does once cancel out, what remains is the cost
# of one more delivery — in total, and by function (self cost, then inclusive cost of the gateway's own functions).
#
# `--alter SQL` runs SQL on both stores after they are filled and before they are applied (needs the sqlite3 shell):
# what a schema change would save, e.g. --alter "DROP INDEX tickets_to_archive", measured before anyone writes it.
#
# Needs valgrind (apt install valgrind). Valgrind 3.19 cannot read the DWARF 5 debug information Swift 6 writes, so
# the binary is measured from a copy without it (function names stay). Builds the release benchmark unless --binary is
# given; about two minutes for the counts on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

binary="" small=500 large=2500 top=30 ids=random alter=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --binary) binary="$2"; shift 2 ;;
        --small) small="$2"; shift 2 ;;
        --large) large="$2"; shift 2 ;;
        --top) top="$2"; shift 2 ;;
        --ids) ids="$2"; shift 2 ;;
        --alter) alter="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 64 ;;
    esac
done
command -v valgrind >/dev/null || { echo "needs valgrind: apt-get install -y valgrind" >&2; exit 69; }
if [[ -z "$binary" ]]; then
    swift build -c release --product gateway-bench >/dev/null
    binary=".build/release/gateway-bench"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
strip --strip-debug -o "$work/gateway-bench" "$binary"

# Logs n deliveries into a store of its own, then applies them under callgrind; prints the counts' file.
count() {
    local n=$1
    "$work/gateway-bench" apply --deliveries "$n" --ids "$ids" --prepare "$work/store-$n" >/dev/null
    if [[ -n "$alter" ]]; then sqlite3 "$work/store-$n/apply.sqlite" "$alter"; fi
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind-$n.out" \
        "$work/gateway-bench" apply --from "$work/store-$n" >"$work/run-$n.txt" 2>"$work/valgrind-$n.txt"
    grep -q "0 items failed" "$work/run-$n.txt" || { cat "$work/run-$n.txt" >&2; exit 1; }
}
count "$small"
count "$large"

# Function -> instructions, self or inclusive, from one run's counts.
costs() {
    callgrind_annotate --inclusive="$2" --threshold=100 "$1" 2>/dev/null |
        awk '/^ *[0-9,]+ \( *[0-9.]+%\)/ {
                 n = $1; gsub(",", "", n); name = $0
                 sub(/^ *[0-9,]+ \( *[0-9.]+%\) +/, "", name)  # the count and its share
                 sub(/^[^: ]*:/, "", name)                      # the source file, when known
                 sum[name] += n
             }
             END { for (name in sum) print name "\t" sum[name] }' |
        sort -t $'\t' -k1,1
}
# Instructions per added delivery by function, the largest first.
per_delivery() {
    join -t $'\t' -a 2 -e 0 -o 0,1.2,2.2 <(costs "$work/callgrind-$small.out" "$1") \
        <(costs "$work/callgrind-$large.out" "$1") |
        awk -F'\t' -v d=$((large - small)) '{ printf "%10.0f  %s\n", ($3 - $2) / d, $1 }' | sort -nr
}
demangle() { if command -v swift-demangle >/dev/null; then swift-demangle --simplified; else cat; fi; }

per_delivery no >"$work/self.txt"
per_delivery yes >"$work/inclusive.txt"
total=$(awk '/PROGRAM TOTALS/ { print $1 }' "$work/self.txt")
echo "instructions per applied delivery: $total  ($small and $large deliveries, $ids ids, $(git rev-parse --short HEAD 2>/dev/null || echo '?')${alter:+, altered: $alter})"
echo
echo "self, per delivery:"
grep -v "PROGRAM TOTALS" "$work/self.txt" | sed -n "1,${top}p" | demangle | cut -c1-200
echo
echo "inclusive, the gateway's own functions, per delivery:"
grep "gateway-bench\]" "$work/inclusive.txt" | sed -n "1,${top}p" | demangle | cut -c1-200
