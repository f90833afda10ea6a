#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# matrix of one board under 20 profiles against one check of it (issue 16: the board is compiled
# once, so 19 more profiles must cost far less than compiling again; goal under 1.5x). Prints the
# medians of RUNS interleaved runs and their ratio.
# usage: benchmarks/matrix-bench.sh [BOARD] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cli="$here/build/app/carveout-cli"
board="${1:-$here/../shared/corpus/linux-dts/src/arm64/qcom/hamoa-iot-evk.dts}"
runs="${2:-11}"
[ -x "$cli" ] || { echo "build first: $cli is missing" >&2; exit 2; }
[ -f "$board" ] || { echo "no board $board" >&2; exit 2; }
profiles=$("$cli" profiles --format json | python3 -c 'import json,sys; print(",".join(p["name"] for p in json.load(sys.stdin)["profiles"][:20]))')
t() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000 )); }
checks=(); matrices=()
for _ in $(seq "$runs"); do
    checks+=("$(t "$cli" check "$board" --format json)")
    matrices+=("$(t "$cli" matrix "$board" --profile "$profiles" --format json)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
c=$(median "${checks[@]}"); m=$(median "${matrices[@]}")
awk -v c="$c" -v m="$m" -v b="$board" 'BEGIN { printf "board: %s\ncheck: %.1f ms\nmatrix, 20 profiles: %.1f ms\nratio (goal < 1.5): %.2f\n", b, c / 1000, m / 1000, m / c }'
