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
#   OUT_DIR/trace          the trace sections of tests/data/captures/*.trace.bundle, fuzz/seeds/trace/*
#   OUT_DIR/bootchain      the EFI boots' memory maps (tests/oracle/cases/efi) and the U-Boot
#                          environments of tests/data/boot
#   OUT_DIR/directcpp      the driver's answer to cpp -### (the kernel's cpp options) and a cache
#                          file of cc1 command lines in carveout-cli's format
#   OUT_DIR/capture        small pieces of tests/data/captures: every bundle with 12 lines per
#                          section, one bundle with its whole fdt, the head and tail of each plain
#                          log, the iomem files, the debugfs sample, and fuzz/seeds/capture/*
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

mkdir -p "$out/dtb" "$out/annotateddts" "$out/editscript" "$out/workload" "$out/capture" "$out/trace" "$out/overlay" "$out/bootchain" "$out/directcpp"
cp "$src"/tests/oracle/cases/efi/*.efi.log "$src"/tests/data/boot/* "$out/bootchain/"
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

# overlay: the samples' overlays and the corpus's two that touch reserved memory, compiled with -@
for dtso in "$src"/samples/overlays/*.dtso "$corpus"/src/arm64/freescale/imx*-phycore-rpmsg.dtso; do
    [ -f "$dtso" ] || continue
    "$CPP" -nostdinc -I "$(dirname "$dtso")" -I "$corpus/src" -I "$corpus/include" -undef -D__DTS__ \
        -x assembler-with-cpp -o "$tmp/pp" "$dtso" 2>/dev/null || continue
    "$DTC" -q -@ -I dts -O dtb -b 0 -o "$out/overlay/$(basename "$dtso" .dtso).dtbo" "$tmp/pp" 2>/dev/null \
        || rm -f "$out/overlay/$(basename "$dtso" .dtso).dtbo"
done
cp "$src"/tests/data/edit/*.json "$here"/seeds/editscript/* "$out/editscript/"
cp "$src"/samples/sim/*.json "$src"/tests/data/*workload*.json "$here"/seeds/workload/* "$out/workload/"
captures="$src/tests/data/captures"
# trace: the trace sections of the recorded trace bundles, and fuzz/seeds/trace
for f in "$captures"/*.trace.bundle; do
    [ -f "$f" ] || continue
    awk '/^@@@ section / { on = ($3 == "trace"); next } /^@@@ end$/ { on = 0 } on' "$f" >"$out/trace/$(basename "$f" .bundle).trace"
done
cp "$here"/seeds/trace/* "$out/trace/"
for f in "$captures"/*.bundle; do
    awk 'NR == 1 || /^@@@ / { print; n = 0; next } n++ < 12' "$f" >"$out/capture/piece-$(basename "$f")"
done
awk 'NR == 1 || /^@@@ section (meta|fdt)/ || /^@@@ end/ { on = !/^@@@ end/; print; next } /^@@@ / { on = 0 } on' \
    "$captures/12-memreserve.arm64-6.12.bundle" >"$out/capture/fdt-12-memreserve.arm64-6.12.bundle"
for f in "$captures"/*.log; do
    head -n 60 "$f" >"$out/capture/head-$(basename "$f")"
    tail -n 30 "$f" >"$out/capture/tail-$(basename "$f")"
done
cp "$captures"/*.iomem "$captures"/debugfs-cma.sample.bundle "$out/capture/"
# directCpp's inputs: what the real driver says, and a cache file with that command line.
if "$CPP" -### -nostdinc -I "$src/samples" -undef -D__DTS__ -x assembler-with-cpp - </dev/null 2>"$out/directcpp/hashes.txt"; then
    cc1=$(awk '/^ \// { print $1; exit }' "$out/directcpp/hashes.txt")
    printf 'carveout cc1-commands 1\n%s %s %s -E -lang-asm -quiet -nostdinc -I %s -\n' \
        0123456789abcdef "%2Fusr%2Flib%2Fcc1%201%202.3" "${cc1//\//%2F}" "${src//\//%2F}" >"$out/directcpp/cache.txt"
fi
# What earlier fuzzing sessions found (minimized with -merge=1, files under 4 KiB), so coverage
# grows from one session to the next.
cp "$here"/seeds/dtb/* "$out/dtb/"
cp "$here"/seeds/annotateddts/* "$out/annotateddts/"
if [ -d "$here/seeds/capture" ]; then cp "$here"/seeds/capture/* "$out/capture/"; fi
if [ -d "$here/seeds/bootchain" ]; then cp "$here"/seeds/bootchain/* "$out/bootchain/"; fi
if [ -d "$here/seeds/overlay" ]; then cp "$here"/seeds/overlay/* "$out/overlay/"; fi
echo "make-seeds: $(ls "$out/dtb" | wc -l) dtb, $(ls "$out/annotateddts" | wc -l) annotated dts," \
    "$(ls "$out/editscript" | wc -l) edit scripts, $(ls "$out/workload" | wc -l) workloads," \
    "$(ls "$out/capture" | wc -l) captures in $out"
