#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make-seeds.sh OUT_DIR [BOARDS]
#
# Seed corpora for the fuzz targets, generated (nothing of the kernel corpus is committed):
#   OUT_DIR/dtb            the samples, the rule fixtures (tests/data/rules) and BOARDS corpus
#                          boards (default 40), compiled as the kernel does (cpp, dtc -O dtb)
#   OUT_DIR/annotateddts   the same trees as dtc's annotated DTS (dtc -O dts -T -T)
#   OUT_DIR/editscript     tests/data/edit/*.json and fuzz/seeds/editscript/*
#   OUT_DIR/workload       samples/sim/*.json, tests/data/*workload*.json and fuzz/seeds/workload/*
# and, for every target, fuzz/seeds/<kind>/*: the minimized corpus earlier sessions found.
# The corpus boards are the smallest BOARDS with reserved memory in ../shared/corpus (a DTB
# under 48 KiB keeps the fuzzers fast), spread over the whole manifest. Without the corpus,
# only the project's own files are used.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$(cd "$here/.." && pwd)"
out="${1:?usage: make-seeds.sh OUT_DIR [BOARDS]}"
boards="${2:-40}"
corpus="${CORPUS_DIR:-$src/../shared/corpus/linux-dts}"
CPP="${CPP:-cpp}"
DTC="${DTC:-dtc}"

mkdir -p "$out/dtb" "$out/annotateddts" "$out/editscript" "$out/workload"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/carveout-seeds.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# compile NAME DTS CPP_INCLUDES... -- DTC_INCLUDES...
compile() {
    local name="$1" dts="$2"
    shift 2
    local cppinc=() dtcinc=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do cppinc+=(-I "$1"); shift; done
    [ $# -gt 0 ] && shift
    while [ $# -gt 0 ]; do dtcinc+=(-i "$1"); shift; done
    "$CPP" -nostdinc "${cppinc[@]}" -undef -D__DTS__ -x assembler-with-cpp -o "$tmp/pp" "$dts" 2>/dev/null || return 0
    "$DTC" -q -I dts -O dtb -b 0 "${dtcinc[@]}" -o "$out/dtb/$name.dtb" "$tmp/pp" 2>/dev/null || rm -f "$out/dtb/$name.dtb"
    "$DTC" -q -I dts -O dts -T -T -b 0 "${dtcinc[@]}" -o "$out/annotateddts/$name.dts" "$tmp/pp" 2>/dev/null \
        || rm -f "$out/annotateddts/$name.dts"
}

for dts in "$src"/samples/*/*.dts; do
    d="$(dirname "$dts")"
    compile "sample-$(basename "$dts" .dts)" "$dts" "$d" -- "$d"
done
for dts in "$src"/tests/data/rules/*.dts "$src"/tests/data/*.dts; do
    d="$(dirname "$dts")"
    compile "fixture-$(basename "$dts" .dts)" "$dts" "$d" -- "$d"
done

if [ "$boards" -gt 0 ] && [ -f "$corpus/../MANIFEST.tsv" ]; then
    # ok=1, rmem (column 9) > 0, dtb_bytes (column 5) < 48 KiB; then every k-th of them.
    mapfile -t picked < <(awk -F'\t' 'NR > 1 && $2 == 1 && $9 > 0 && $5 < 49152 { print $1 }' "$corpus/../MANIFEST.tsv" \
        | awk -v n="$boards" '{ a[NR] = $0 } END { step = NR / n; if (step < 1) step = 1;
                                 for (i = 1; i <= NR && c < n; i += step) { print a[int(i)]; c++ } }')
    for board in "${picked[@]}"; do
        compile "corpus-$(basename "$board" .dts)" "$corpus/$board" "$corpus/src" "$corpus/include" \
            -- "$(dirname "$corpus/$board")" "$corpus/src"
    done
elif [ "$boards" -gt 0 ]; then
    echo "make-seeds: no corpus at $corpus; seeds from the project's own files only" >&2
fi

cp "$src"/tests/data/edit/*.json "$here"/seeds/editscript/* "$out/editscript/"
cp "$src"/samples/sim/*.json "$src"/tests/data/*workload*.json "$here"/seeds/workload/* "$out/workload/"
# What earlier fuzzing sessions found (minimized with -merge=1, files under 4 KiB), so coverage
# grows from one session to the next.
cp "$here"/seeds/dtb/* "$out/dtb/"
cp "$here"/seeds/annotateddts/* "$out/annotateddts/"
echo "make-seeds: $(ls "$out/dtb" | wc -l) dtb, $(ls "$out/annotateddts" | wc -l) annotated dts," \
    "$(ls "$out/editscript" | wc -l) edit scripts, $(ls "$out/workload" | wc -l) workloads in $out"
