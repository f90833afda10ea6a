#!/bin/sh
# tst_capture_script.sh SOURCE_DIR: run scripts/carveout-capture on this machine with dash and
# busybox sh, as root and as nobody, and check that each bundle is well-formed (docs/capture-format.md)
# and that the non-root bundles' notes say what could not be read. Exit 77 = skipped.
set -u
SRC=${1:?usage: tst_capture_script.sh SOURCE_DIR}
SCRIPT=$SRC/scripts/carveout-capture
fail=0
ran=0
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
cp "$SCRIPT" "$T/carveout-capture"
chmod 755 "$T/carveout-capture"
mkdir "$T/out" && chmod 1777 "$T/out"

bad() { echo "FAIL: $*"; fail=1; }

check_bundle() { # FILE ROOT(1|0) LABEL
    f=$1; label=$3
    [ "$(head -n 1 "$f")" = "carveout-capture-bundle 1" ] || bad "$label: first line is '$(head -n 1 "$f")'"
    [ "$(tail -n 1 "$f")" = "@@@ end" ] || bad "$label: last line is not '@@@ end'"
    [ "$(grep -c '^@@@ end$' "$f")" = 1 ] || bad "$label: '@@@ end' more than once"
    # every header is well-formed
    grep '^@@@ ' "$f" | grep -v '^@@@ end$' | grep -Ev '^@@@ section [^ ]+( encoding=base64)?$' >/dev/null \
        && bad "$label: malformed header: $(grep '^@@@ ' "$f" | grep -v '^@@@ end$' | grep -Ev '^@@@ section [^ ]+( encoding=base64)?$' | head -n 1)"
    [ "$(sed -n 2p "$f")" = "@@@ section meta" ] || bad "$label: meta is not the first section"
    for s in meta cmdline iomem meminfo notes; do
        grep -qx "@@@ section $s" "$f" || bad "$label: no $s section"
    done
    [ "$(grep '^@@@ section' "$f" | tail -n 1)" = "@@@ section notes" ] || bad "$label: notes is not the last section"
    dup=$(grep '^@@@ section' "$f" | sort | uniq -d)
    [ -z "$dup" ] || bad "$label: repeated sections: $dup"
    for k in capture_version date hostname uname_a kernel_release machine page_size uid kernel_log_source; do
        sed -n '/^@@@ section meta$/,/^@@@ section /p' "$f" | grep -q "^$k=" || bad "$label: meta has no $k"
    done
    sed -n '/^@@@ section meta$/,/^@@@ section /p' "$f" | grep -Eq '^date=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' \
        || bad "$label: date is not UTC ISO 8601"
    [ "$(sed -n 's/^page_size=//p' "$f")" -gt 0 ] 2>/dev/null || bad "$label: no page size"
    [ "$(sed -n 's/^kernel_release=//p' "$f")" = "$(uname -r)" ] || bad "$label: wrong kernel_release"
    # base64 sections decode
    for s in $(sed -n 's/^@@@ section \([^ ]*\) encoding=base64$/\1/p' "$f"); do
        awk -v s="$s" '/^@@@ /{on = ($0 == "@@@ section " s " encoding=base64"); next} on' "$f" | base64 -d >/dev/null 2>&1 \
            || bad "$label: section $s is not valid base64"
    done
    if [ "$2" = 0 ]; then
        n=$(sed -n '/^@@@ section notes$/,/^@@@ end$/p' "$f")
        echo "$n" | grep -q '^dmesg: .*' || { [ "$(sed -n 's/^kernel_log_source=//p' "$f")" != none ] || bad "$label: no note for the unreadable kernel log"; }
        echo "$n" | grep -q 'not root, uid\|needs root' || bad "$label: notes do not say that root was needed"
        if grep -q '^[0-9a-f]*-[0-9a-f]* : ' /proc/iomem 2>/dev/null; then
            echo "$n" | grep -q '^iomem: addresses hidden' || bad "$label: no note about the hidden /proc/iomem addresses"
        fi
        echo "$n" | grep -q '^memblock/memory: ' || bad "$label: no note for memblock/memory"
    fi
}

run_as() { # USER SHELL LABEL
    out="$T/out/$3.txt"
    if [ "$1" = root ]; then
        $2 "$T/carveout-capture" -o "$out" 2>"$T/out/$3.err"
    else
        setpriv --reuid="$1" --regid="$(id -g "$1")" --clear-groups $2 "$T/carveout-capture" -o "$out" 2>"$T/out/$3.err"
    fi
    rc=$?
    [ $rc = 0 ] || bad "$3: exit status $rc: $(cat "$T/out/$3.err")"
    [ -s "$out" ] || { bad "$3: no bundle written"; return; }
    ran=1
    check_bundle "$out" "$( [ "$1" = root ] && echo 1 || echo 0)" "$3"
    # what could not be read is said on stderr too
    while IFS= read -r line; do
        grep -qF "carveout-capture: $line" "$T/out/$3.err" || bad "$3: note not on stderr: $line"
    done <<NOTES
$(sed -n '/^@@@ section notes$/,/^@@@ end$/p' "$out" | sed '1d;$d')
NOTES
    echo "ok: $3 ($(grep -c '^@@@ section' "$out") sections, $(sed -n '/^@@@ section notes$/,/^@@@ end$/p' "$out" | sed '1d;$d' | grep -c .) notes)"
}

shells="dash"
command -v dash >/dev/null || shells=""
command -v busybox >/dev/null && shells="$shells busybox"
[ -n "$shells" ] || { echo "SKIP: neither dash nor busybox installed"; exit 77; }
command -v busybox >/dev/null || echo "note: busybox not installed (apt-get install busybox): tested with dash only"

for sh in $shells; do
    shcmd=$sh; [ "$sh" = busybox ] && shcmd="busybox sh"
    if [ "$(id -u)" = 0 ]; then
        run_as root "$shcmd" "$sh-root"
        if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
            run_as nobody "$shcmd" "$sh-nobody"
        else
            echo "note: no user nobody or no setpriv: non-root run skipped"
        fi
    else
        run_as "$(id -un)" "$shcmd" "$sh-user"
    fi
done

# stdout mode, --help and --version
dash "$T/carveout-capture" -q -o - 2>/dev/null | head -n 1 | grep -qx 'carveout-capture-bundle 1' || bad "-o - does not write the bundle to stdout"
dash "$T/carveout-capture" --help | grep -q '^Usage: carveout-capture' || bad "--help"
dash "$T/carveout-capture" --version | grep -q '^carveout-capture [0-9.]* (bundle format 1)$' || bad "--version"
dash "$T/carveout-capture" --bogus >/dev/null 2>&1; [ $? = 2 ] || bad "an unknown argument must exit 2"
# escaping: a content line starting with '@@@ ' gets one more '@'
printf '@@@ section x\n@@@@ y\nz\n' > "$T/esc.in"
(cd "$T" && sed -n '/^escape() {/,/^}/p' carveout-capture > esc.sh && printf '. ./esc.sh\nescape < esc.in\n' > run.sh && dash run.sh) > "$T/esc.out"
[ "$(cat "$T/esc.out")" = "$(printf '@@@@ section x\n@@@@@ y\nz')" ] || bad "escaping: got $(cat "$T/esc.out")"
# the POSIX-only check, when devscripts is there
if command -v checkbashisms >/dev/null; then
    checkbashisms -p -x "$SCRIPT" || bad "checkbashisms"
fi
[ $ran = 1 ] || { echo "SKIP: nothing ran"; exit 77; }
[ $fail = 0 ] && echo "PASS" || echo "FAILED"
exit $fail
