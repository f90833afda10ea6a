#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Plants the wrong changes listed in scripts/mutants.txt one at a time and reports whether the
# suite catches each: a test that passes on a wrong answer is a test to fix.
#
# Usage: scripts/mutants.sh [--list FILE] [ID...]      (no ID: every mutant of the list)
#
# The checkout itself is never edited: its files (tracked and untracked, as git lists them) are
# mirrored into build-mutants/src, the mutant is planted there and built in build-mutants/build
# (only the targets its tests need), and the mirrored file is put back before the next mutant.
# Prints one line per mutant, CAUGHT (with the tests that failed), MISSED or NOT APPLICABLE (the
# text to replace is no longer in the candidate files, is there more than once, or the mutant no
# longer compiles: update the list), then a summary.
# Exit status: 0 every mutant caught; 1 any missed or not applicable; 2 the script could not run
# (the unmutated tree does not build, or its tests fail).
set -u -o pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
list="$here/scripts/mutants.txt"
if [ "${1:-}" = "--list" ]; then
    list=$(realpath "$2")
    shift 2
fi
only=("$@")
work="$here/build-mutants"
src="$work/src"
bld="$work/build"
logs="$work/logs"
shared=$(realpath "$here/../shared" 2>/dev/null || echo "$here/../shared")
mkdir -p "$src" "$bld" "$logs"

# --- the list: blocks of "key: value" lines, separated by blank lines ---------------------------
# id, files (globs relative to the checkout, space separated), tests (ctest regex), targets
# (optional; default: the test names of the regex), env (optional, NAME=VALUE ...), about,
# find / replace (one line each; find+ / replace+ continue the text on a new line).
python3 - "$list" >"$work/mutants.tsv" <<'EOF' || { echo "cannot read $list" >&2; exit 2; }
import sys, json
blocks, cur = [], {}
for raw in open(sys.argv[1], encoding="utf-8"):
    line = raw.rstrip("\n")
    if line.startswith("#"):
        continue
    if not line.strip():
        if cur: blocks.append(cur); cur = {}
        continue
    key, sep, value = line.partition(":")
    if not sep:
        sys.exit(f"{sys.argv[1]}: not 'key: value': {line}")
    value = value[1:] if value.startswith(" ") else value
    if key == "find":  # a new find/replace pair (several: the code as it was and as it became)
        cur.setdefault("pairs", []).append(["", ""])
        cur["pairs"][-1][0] = value
    elif key == "replace" and cur.get("pairs"):
        cur["pairs"][-1][1] = value
    elif key in ("find+", "replace+") and cur.get("pairs"):
        cur["pairs"][-1][0 if key == "find+" else 1] += "\n" + value
    else:
        cur[key] = value
if cur: blocks.append(cur)
for b in blocks:
    for k in ("id", "files", "tests", "pairs", "about"):
        if k not in b:
            sys.exit(f"{sys.argv[1]}: mutant {b.get('id', '?')} has no '{k if k != 'pairs' else 'find'}'")
    print(json.dumps(b))
EOF

# --- mirror the checkout (unchanged files keep their time stamps, so nothing rebuilds) ----------
mirror() {
    (cd "$here" && git ls-files -co --exclude-standard -z) | while IFS= read -r -d '' f; do
        [ -f "$here/$f" ] || continue
        if ! cmp -s "$here/$f" "$src/$f"; then
            mkdir -p "$(dirname "$src/$f")"
            cp -p "$here/$f" "$src/$f"
        fi
    done
}
mirror
if [ ! -f "$bld/build.ninja" ]; then
    cmake -S "$src" -B "$bld" -G Ninja -DCARVEOUT_SHARED_DIR="$shared" >"$logs/configure.log" 2>&1 \
        || { echo "configure failed: $logs/configure.log" >&2; exit 2; }
fi

targets_of() { # a ctest regex "tst_a|tst_b" -> "tst_a tst_b" (plus what they need to run)
    local t out=""
    for t in $(echo "$1" | tr '|' ' ' | tr -d '^$()'); do
        case "$t" in
        crosscheck_corpus) out="$out dtbref carveout-cli" ;;
        *) out="$out $t" ;;
        esac
    done
    echo "$out"
}

build_and_test() { # targets, ctest regex, env, log -> 0 pass, 1 tests fail, 3 build fails
    local targets=$1 regex=$2 envs=$3 log=$4
    # shellcheck disable=SC2086
    nice -n 5 cmake --build "$bld" -j2 --target $targets >"$log" 2>&1 || return 3
    # shellcheck disable=SC2086
    env $envs nice ctest --test-dir "$bld" -R "$regex" --output-on-failure >>"$log" 2>&1 || return 1
    return 0
}

# --- plant one mutant in the mirror: prints the file it changed, or why it cannot --------------
plant() { # json -> status line on stdout; 0 planted
    python3 - "$src" "$1" <<'EOF'
import sys, json, glob, os
src, m = sys.argv[1], json.loads(sys.argv[2])
hits = []
for find, replace in m["pairs"]:
    for pattern in m["files"].split():
        for path in sorted(set(glob.glob(os.path.join(src, pattern), recursive=True))):
            text = open(path, encoding="utf-8").read()
            hits += [(path, find, replace)] * text.count(find)
if len(hits) != 1:
    print("text found %d times in %s" % (len(hits), m["files"]))
    sys.exit(1)
path, find, replace = hits[0]
text = open(path, encoding="utf-8").read()
open(path, "w", encoding="utf-8").write(text.replace(find, replace, 1))
print(os.path.relpath(path, src))
EOF
}

declare -a ids=()
caught=0 missed=0 na=0 total=0
planted=""
restore() {
    if [ -n "$planted" ]; then
        cp "$here/$planted" "$src/$planted" # a fresh time stamp: the next build recompiles it
        planted=""
    fi
}
trap 'restore; exit 130' INT TERM
trap restore EXIT

# --- baseline: every test any mutant names must pass on the unmutated tree ---------------------
all_regex=$(python3 -c '
import sys, json
print("|".join(sorted({json.loads(l)["tests"] for l in open(sys.argv[1])})))' "$work/mutants.tsv")
all_targets=""
while IFS= read -r line; do
    t=$(python3 -c 'import sys, json; m = json.loads(sys.argv[1]); print(m.get("targets", ""))' "$line")
    [ -n "$t" ] || t=$(targets_of "$(python3 -c 'import sys, json; print(json.loads(sys.argv[1])["tests"])' "$line")")
    all_targets="$all_targets $t"
done <"$work/mutants.tsv"
all_targets=$(echo "$all_targets" | tr ' ' '\n' | sort -u | tr '\n' ' ')
echo "baseline: building$all_targets and running the tests the mutants name"
build_and_test "$all_targets" "$all_regex" "" "$logs/baseline.log"
rc=$?
if [ $rc -ne 0 ]; then
    echo "the unmutated tree does not $([ $rc -eq 3 ] && echo build || echo pass its tests): $logs/baseline.log" >&2
    exit 2
fi

while IFS= read -r line; do
    id=$(python3 -c 'import sys, json; print(json.loads(sys.argv[1])["id"])' "$line")
    if [ ${#only[@]} -gt 0 ] && ! printf '%s\n' "${only[@]}" | grep -qx "$id"; then
        continue
    fi
    total=$((total + 1))
    read -r regex envs targets about < <(python3 -c '
import sys, json
m = json.loads(sys.argv[1])
print(m["tests"], (m.get("env") or "-").replace(" ", ","), (m.get("targets") or "-").replace(" ", ","), m["about"])' "$line")
    [ "$envs" = "-" ] && envs="" || envs=${envs//,/ }
    [ "$targets" = "-" ] && targets=$(targets_of "$regex") || targets=${targets//,/ }
    log="$logs/$id.log"
    if ! where=$(plant "$line"); then
        printf '%-16s %-28s %s (%s)\n' "NOT APPLICABLE" "$id" "$about" "$where"
        na=$((na + 1))
        continue
    fi
    planted=$where
    build_and_test "$targets" "$regex" "$envs" "$log"
    rc=$?
    restore
    case $rc in
    0)
        printf '%-16s %-28s %s (%s; %s)\n' "MISSED" "$id" "$about" "$where" "$regex"
        missed=$((missed + 1))
        ;;
    3)
        printf '%-16s %-28s %s (the mutant does not compile: %s)\n' "NOT APPLICABLE" "$id" "$about" "$log"
        na=$((na + 1))
        ;;
    *)
        failed=$(sed -n '/The following tests FAILED/,$p' "$log" | grep -oE '[0-9]+ - [A-Za-z0-9_]+' | sed 's/^[0-9]* - //' | tr '\n' ' ')
        printf '%-16s %-28s %s (by %s)\n' "CAUGHT" "$id" "$about" "${failed% }"
        caught=$((caught + 1))
        ;;
    esac
done <"$work/mutants.tsv"

echo "mutants: $total, caught $caught, missed $missed, not applicable $na (logs in $logs)"
[ $missed -eq 0 ] && [ $na -eq 0 ]
