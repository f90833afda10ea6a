#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# crosscheck.sh BOARD_LIST_FILE OUT_DIR
#
# Independent cross-check of `carveout-cli layout --format json` against dtbref, a separate
# libfdt-only reading of the compiled DTB (tests/tools/dtbref.cpp). For every board listed
# (paths relative to the corpus linux-dts/ folder, one per line; blank lines and # comments
# are skipped) it:
#   1. compiles the board to a DTB the way the kernel does (cpp, then dtc -b 0);
#   2. runs dtbref on that DTB;
#   3. runs carveout-cli layout on the board's SOURCE (.dts) and on the compiled DTB (with
#      --arch from the board's path: a DTB does not tell its architecture);
#   4. compares both carveout-cli readings with dtbref (crosscheck.py).
# Prints one line per mismatch (`board: field: expected X got Y`), then
# `crosscheck: N boards, M mismatches`; exits 1 on any mismatch, 2 on a usage error.
#
# Environment: DTBREF, CARVEOUT_CLI (the two programs; default: the build dir),
# CORPUS_DIR (default: <source>/../shared/corpus/linux-dts), CROSSCHECK_JOBS (default 2),
# CPP, DTC, PYTHON (default cpp, dtc, python3).
set -u

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
srcroot="$(cd "$here/../.." && pwd)"

if [ $# -ne 2 ]; then
    echo "usage: crosscheck.sh BOARD_LIST_FILE OUT_DIR" >&2
    exit 2
fi
list="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
out="$2"

export DTBREF="${DTBREF:-$srcroot/build/tests/tools/dtbref}"
export CARVEOUT_CLI="${CARVEOUT_CLI:-$srcroot/build/app/carveout-cli}"
export CORPUS_DIR="${CORPUS_DIR:-$srcroot/../shared/corpus/linux-dts}"
export CPP="${CPP:-cpp}" DTC="${DTC:-dtc}"
PYTHON="${PYTHON:-python3}"
jobs="${CROSSCHECK_JOBS:-2}"

for tool in "$DTBREF" "$CARVEOUT_CLI"; do
    if [ ! -x "$tool" ]; then
        echo "crosscheck: $tool is not an executable (set DTBREF / CARVEOUT_CLI)" >&2
        exit 2
    fi
done
if [ ! -f "$list" ] || [ ! -d "$CORPUS_DIR/src" ]; then
    echo "crosscheck: no board list $list or no corpus at $CORPUS_DIR" >&2
    exit 2
fi

mkdir -p "$out" || exit 2
out="$(cd "$out" && pwd)"
# Stale results of an earlier run would be compared again: start clean.
rm -f "$out"/*.ref.json "$out"/*.dts.json "$out"/*.dtb.json "$out"/*.err

tmp="$(mktemp -d "${TMPDIR:-/tmp}/crosscheck.XXXXXX")" || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
export OUT="$out" TMPD="$tmp"

# One board: compile, read with dtbref, read with carveout-cli (source and DTB). Failures go
# to OUT/<key>.err, which crosscheck.py reports as mismatches.
one_board() {
    local board="$1"
    local key="${board//\//__}"
    local pp="$TMPD/$key.pp" dtb="$TMPD/$key.dtb" err="$OUT/$key.err"
    cd "$CORPUS_DIR" || return 0
    if ! "$CPP" -nostdinc -I src -I include -undef -D__DTS__ -x assembler-with-cpp \
            -o "$pp" "$board" 2>"$TMPD/$key.cpp.log"; then
        { echo "cpp failed"; head -5 "$TMPD/$key.cpp.log"; } >"$err"
        return 0
    fi
    if ! "$DTC" -q -I dts -O dtb -b 0 -i "$(dirname "$board")" -i src -o "$dtb" "$pp" \
            2>"$TMPD/$key.dtc.log"; then
        { echo "dtc failed"; head -5 "$TMPD/$key.dtc.log"; } >"$err"
        return 0
    fi
    rm -f "$pp"
    if ! "$DTBREF" "$dtb" >"$OUT/$key.ref.json" 2>"$TMPD/$key.ref.log"; then
        { echo "dtbref failed"; head -5 "$TMPD/$key.ref.log"; } >>"$err"
        rm -f "$OUT/$key.ref.json"
    fi
    if ! "$CARVEOUT_CLI" layout "$CORPUS_DIR/$board" --format json \
            >"$OUT/$key.dts.json" 2>"$TMPD/$key.dts.log"; then
        { echo "carveout-cli layout (dts) failed"; head -5 "$TMPD/$key.dts.log"; } >>"$err"
        rm -f "$OUT/$key.dts.json"
    fi
    # A DTB carries no architecture: give the DTB reading the one the source path implies
    # (src/<arch>/...), so that both readings use the same kernel profile.
    local arch="${board#src/}"
    arch="${arch%%/*}"
    local archopt=()
    case "$arch" in arm|arm64|riscv) archopt=(--arch "$arch") ;; esac
    if ! "$CARVEOUT_CLI" layout "$dtb" "${archopt[@]}" --format json \
            >"$OUT/$key.dtb.json" 2>"$TMPD/$key.dtb.log"; then
        { echo "carveout-cli layout (dtb) failed"; head -5 "$TMPD/$key.dtb.log"; } >>"$err"
        rm -f "$OUT/$key.dtb.json"
    fi
    rm -f "$dtb"
    return 0
}
export -f one_board

grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$list" | tr -d '\r' \
    | xargs -d '\n' -P "$jobs" -n 1 bash -c 'one_board "$1"' _

"$PYTHON" "$here/crosscheck.py" "$list" "$out"
