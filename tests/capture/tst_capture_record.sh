#!/bin/sh
# tst_capture_record.sh SOURCE_DIR: record 05-dynamic-align.arm64-6.12 again under QEMU (the
# oracle's arm64 6.12 kernel, busybox-static initramfs) and compare its structure with the
# committed tests/data/captures/05-dynamic-align.arm64-6.12.bundle: the sections present, the
# kernel release, and the reserved-memory lines of its dmesg (timestamps removed).
# Exit 77 = skipped (no ../shared/oracle, no kernels/QEMU in the cache).
set -u
SRC=${1:?usage: tst_capture_record.sh SOURCE_DIR}
NAME=05-dynamic-align.arm64-6.12
ORACLE=${SHARED_ORACLE:-$SRC/../shared/oracle}
KCACHE=${KERNEL_ORACLE_CACHE:-$HOME/.cache/kernel-oracle}
[ -x "$ORACLE/kernel-oracle" ] || { echo "SKIP: no kernel oracle at $ORACLE"; exit 77; }
[ -f "$KCACHE/kernels/arm64-6.12/vmlinuz" ] || { echo "SKIP: no arm64-6.12 kernel in $KCACHE (run $ORACLE/setup-kernel)"; exit 77; }
[ -f "$KCACHE/qemu/virt-arm64.dts" ] || { echo "SKIP: no QEMU virt tree in $KCACHE (run $ORACLE/setup-kernel)"; exit 77; }
command -v qemu-system-aarch64 >/dev/null || { echo "SKIP: qemu-system-aarch64 not installed (run $ORACLE/setup-kernel)"; exit 77; }
command -v dtc >/dev/null || { echo "SKIP: dtc not installed"; exit 77; }
CCACHE=${CARVEOUT_CAPTURE_CACHE:-$HOME/.cache/carveout-captures}
if [ ! -x "$CCACHE/busybox-arm64/bin/busybox" ] || [ ! -x "$CCACHE/busybox-armhf/bin/busybox" ]; then
    echo "note: busybox-static not cached in $CCACHE: record-captures.sh fetches it (needs Debian's mirror)"
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if ! CAPTURE_TIMEOUT=90 "$SRC/scripts/record-captures.sh" --out "$T" --logs "$T" "$NAME" >"$T/record.log" 2>&1; then
    if [ ! -x "$CCACHE/busybox-arm64/bin/busybox" ]; then
        echo "SKIP: could not fetch busybox-static:"; tail -n 5 "$T/record.log"; exit 77
    fi
    echo "FAIL: record-captures.sh failed:"; tail -n 20 "$T/record.log"; exit 1
fi
NEW=$T/$NAME.bundle
OLD=$SRC/tests/data/captures/$NAME.bundle
fail=0
bad() { echo "FAIL: $*"; fail=1; }
[ "$(head -n 1 "$NEW")" = "carveout-capture-bundle 1" ] || bad "first line: $(head -n 1 "$NEW")"
[ "$(tail -n 1 "$NEW")" = "@@@ end" ] || bad "no '@@@ end'"
grep '^@@@ section' "$OLD" > "$T/old.sections"
grep '^@@@ section' "$NEW" > "$T/new.sections"
diff "$T/old.sections" "$T/new.sections" >/dev/null || { bad "sections differ:"; diff "$T/old.sections" "$T/new.sections"; }
ko=$(sed -n 's/^kernel_release=//p' "$OLD"); kn=$(sed -n 's/^kernel_release=//p' "$NEW")
[ "$ko" = "$kn" ] || bad "kernel release: committed $ko, recorded $kn (a newer kernel in the cache? record the captures again)"
rm_lines() {
    sed -n '/^@@@ section dmesg$/,/^@@@ section /p' "$1" | sed 's/^\[ *[0-9.]*\] //' \
        | grep -E '^(OF: reserved mem|Reserved memory|cma: )'
}
rm_lines "$OLD" > "$T/old.rm"; rm_lines "$NEW" > "$T/new.rm"
[ -s "$T/old.rm" ] || bad "the committed bundle has no reserved-memory lines"
diff "$T/old.rm" "$T/new.rm" >/dev/null || { bad "reserved-memory lines differ:"; diff "$T/old.rm" "$T/new.rm"; }
cmp -s "$T/$NAME.dts" "$SRC/tests/data/captures/$NAME.dts" || bad "the generated tree differs from the committed $NAME.dts"
[ $fail = 0 ] && echo "PASS: $NAME recorded again: $(wc -l < "$T/new.sections") sections, $(wc -l < "$T/new.rm") reserved-memory lines, kernel $kn"
exit $fail
