#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Times `carveout-cli check` over corpus boards against the kernel's own cpp + dtc -O dtb on the
# same boards, both on all cores (xargs -P), and prints the two wall times and their ratio.
#
# usage: benchmarks/corpus-check.sh [--all | --reserved-only] [--limit N] [--cli PATH] [--per-board]
# Default: carveout-cli check -j N over the boards in one run per 500 boards (issue 16); --per-board
# starts one carveout-cli per board instead (what a script calling it in a loop pays).
# Default: the 1,378 boards with /reserved-memory children. Needs ../shared/corpus.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus="$here/../shared/corpus"
cli="$here/build/app/carveout-cli"
filter=reserved
limit=0
mode=batch
while [ $# -gt 0 ]; do
    case "$1" in
        --all) filter=all ;;
        --reserved-only) filter=reserved ;;
        --limit) limit=$2; shift ;;
        --cli) cli=$2; shift ;;
        --per-board) mode=per-board ;;
        *) echo "usage: $0 [--all | --reserved-only] [--limit N] [--cli PATH]" >&2; exit 2 ;;
    esac
    shift
done
[ -x "$cli" ] || { echo "build first: $cli is missing" >&2; exit 2; }
list=$(mktemp)
trap 'rm -f "$list"' EXIT
awk -F'\t' -v f="$filter" 'NR > 1 && $2 == 1 && (f == "all" || $9 > 0) { print $1 }' "$corpus/MANIFEST.tsv" > "$list"
[ "$limit" -gt 0 ] && { head -n "$limit" "$list" > "$list.n"; mv "$list.n" "$list"; }
n=$(wc -l < "$list")
jobs=$(nproc)
cd "$corpus/linux-dts"

baseline() {
    # cpp + dtc exactly as the kernel's build runs them
    xargs -P "$jobs" -I{} sh -c 'cpp -nostdinc -I src -I include -undef -D__DTS__ -x assembler-with-cpp "$1" 2>/dev/null | dtc -q -I dts -O dtb -b 0 -i "$(dirname "$1")" -i src -o /dev/null - 2>/dev/null || true' _ {} < "$list"
}
ours() {
    if [ "$mode" = per-board ]; then
        xargs -P "$jobs" -I{} sh -c '"$0" check "$1" --format json >/dev/null 2>&1 || true' "$cli" {} < "$list"
    else
        xargs -n 500 sh -c '"$0" check -j "$1" --format json "$@" >/dev/null 2>&1 || true' "$cli" "$jobs" < "$list"
    fi
}
t0=$(date +%s.%N); baseline; t1=$(date +%s.%N); ours; t2=$(date +%s.%N)
awk -v n="$n" -v j="$jobs" -v m="$mode" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
    base = b - a; our = c - b
    printf "boards: %d (%d jobs)\ncpp + dtc -O dtb: %.1f s\ncarveout-cli check --format json (%s): %.1f s\nratio: %.2f\n", n, j, base, m, our, our / base }'
