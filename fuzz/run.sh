#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# run.sh [SECONDS] [TARGET...]
#
# Builds the fuzz targets (CMake preset "fuzz": clang, libFuzzer, ASan + UBSan, in build-fuzz),
# makes the seed corpora (make-seeds.sh) and runs each target for SECONDS (default 60), one at
# a time in one process (-jobs=1 equivalent). New inputs the fuzzer keeps go to
# build-fuzz/corpus/TARGET (kept between runs), findings to build-fuzz/findings/TARGET.
# Prints, per target, the executions, the time and the corpus size; exits 1 if any target found
# a crash, a timeout or an out-of-memory input (copy it to tests/data/hostile/fuzz/<target>/
# as a regression test), 2 if it could not run at all.
#
# Long runs on a shared machine: nice -n 10 fuzz/run.sh 600
# Environment: FUZZ_BUILD_DIR (default build-fuzz), FUZZ_CORPUS_DIR (where the kept inputs grow,
# default build-fuzz/corpus; CI gives a fresh one so its smoke time stays fixed), FUZZ_SEED_BOARDS
# (corpus boards in the seeds, default 40), FUZZ_EXTRA (more libFuzzer flags).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$(cd "$here/.." && pwd)"
seconds="${1:-60}"
shift || true
all_targets=(fuzz_dtb fuzz_annotateddts fuzz_editscript fuzz_workload fuzz_capture fuzz_trace fuzz_bootchain fuzz_overlay fuzz_directcpp)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
build="${FUZZ_BUILD_DIR:-$src/build-fuzz}"

if ! command -v clang++ >/dev/null; then
    echo "fuzz/run.sh: clang++ is not installed (Debian: apt-get install --no-install-recommends clang)" >&2
    exit 2
fi
cd "$src" || exit 2
if [ ! -f "$build/CMakeCache.txt" ]; then
    mkdir -p "$build"
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
        -DCARVEOUT_FUZZ=ON -DCARVEOUT_BUILD_GUI=OFF -DBUILD_TESTING=OFF >"$build/configure.log" 2>&1 \
        || { cat "$build/configure.log" >&2; exit 2; }
fi
cmake --build "$build" -j2 --target "${targets[@]}" >/dev/null || { echo "fuzz/run.sh: build failed" >&2; exit 2; }

seeds="$build/seeds"
# Made again when a kind is missing (a build-fuzz from before a target was added).
for kind in dtb annotateddts editscript workload capture trace bootchain overlay directcpp; do
    if [ ! -d "$seeds/$kind" ]; then
        "$here/make-seeds.sh" "$seeds" "${FUZZ_SEED_BOARDS:-40}" || exit 2
        break
    fi
done

status=0
summary=()
for t in "${targets[@]}"; do
    case "$t" in
        fuzz_dtb) seed="$seeds/dtb" dict="$here/dict/dtb.dict" ;;
        fuzz_annotateddts) seed="$seeds/annotateddts" dict="$here/dict/dts.dict" ;;
        fuzz_editscript) seed="$seeds/editscript" dict="$here/dict/editscript.dict" ;;
        fuzz_workload) seed="$seeds/workload" dict="$here/dict/workload.dict" ;;
        fuzz_capture) seed="$seeds/capture" dict="$here/dict/capture.dict" ;;
        fuzz_trace) seed="$seeds/trace" dict="$here/dict/trace.dict" ;;
        fuzz_bootchain) seed="$seeds/bootchain" dict="$here/dict/bootchain.dict" ;;
        fuzz_overlay) seed="$seeds/overlay" dict="$here/dict/dtb.dict" ;; # overlay blobs: DTB tokens
        fuzz_directcpp) seed="$seeds/directcpp" dict="$here/dict/directcpp.dict" ;;
        *) echo "fuzz/run.sh: unknown target $t" >&2; exit 2 ;;
    esac
    corpus="${FUZZ_CORPUS_DIR:-$build/corpus}/$t" findings="$build/findings/$t" log="$build/logs/$t.log"
    mkdir -p "$corpus" "$findings" "$(dirname "$log")"
    echo "== $t: $seconds s (log: $log)"
    start=$(date +%s)
    # -timeout: one input taking 10 s is a finding (a hang); -rss_limit_mb: so is 2 GiB.
    # shellcheck disable=SC2086
    "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -dict="$dict" -artifact_prefix="$findings/" ${FUZZ_EXTRA:-} "$corpus" "$seed" >"$log" 2>&1
    rc=$?
    elapsed=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
    found=$(find "$findings" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
    line="$t: ${execs:-?} executions in ${elapsed} s (${rate:-?}/s), $cov, corpus $(ls "$corpus" | wc -l) files, findings $found"
    summary+=("$line")
    echo "$line"
    if [ "$rc" -ne 0 ] || [ "$found" -gt 0 ]; then
        status=1
        echo "   FOUND something (exit $rc): see $findings and the end of $log:" >&2
        grep -E 'ERROR|runtime error|SUMMARY|broken promise' "$log" | head -5 >&2
    fi
done
echo "== summary"
printf '%s\n' "${summary[@]}"
exit $status
