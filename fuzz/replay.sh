#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# replay.sh REPLAY_BINARY KIND SEED_DIR [INPUT...]
# The ctest side of a fuzz target: makes the project's own seeds once (make-seeds.sh without
# corpus boards: the samples and the rule fixtures compiled with dtc) into SEED_DIR, then runs
# the target without libFuzzer on SEED_DIR/KIND and on every INPUT (the committed regressions).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
binary="$1" kind="$2" seeds="$3"
shift 3
if [ ! -d "$seeds/$kind" ]; then
    # Replay tests run in parallel: each makes its own copy and moves its kind in place (a seed
    # folder made before a target was added lacks only that kind).
    mkdir -p "$seeds"
    tmp="$(mktemp -d "$seeds.XXXXXX")"
    "$here/make-seeds.sh" "$tmp" 0 >/dev/null
    mv -T "$tmp/$kind" "$seeds/$kind" 2>/dev/null || true
    rm -rf "$tmp"
fi
exec "$binary" "$seeds/$kind" "$@"
