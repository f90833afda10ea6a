#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# screenshots.sh [BUILD]: the README's pictures of three corpus boards (issue 15 item 10), each in
# the to-scale map and the diagram, with the default and a dark palette, by the real carveout
# program rendering its window offscreen (--screenshot). Writes docs/screenshots/window-*.png.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
gui=${1:-$here/build}/app/carveout
corpus=$here/../shared/corpus/linux-dts/src
out=$here/docs/screenshots
[ -x "$gui" ] || { echo "screenshots.sh: build first ($gui is missing)" >&2; exit 2; }
[ -d "$corpus" ] || { echo "screenshots.sh: no corpus at $corpus" >&2; exit 2; }
for board in arm64/qcom/hamoa-iot-evk arm64/freescale/imx8mp-evk arm64/ti/k3-am69-aquila-dev; do
    name=$(basename "$board")
    for view in map diagram; do
        for palette in system dark; do
            suffix=$([ "$palette" = dark ] && echo -dark || true)
            QT_QPA_PLATFORM=offscreen "$gui" --screenshot "$out/window-$name-$view$suffix.png" --view "$view" \
                --palette "$palette" "$corpus/$board.dts" >/dev/null
            echo "$out/window-$name-$view$suffix.png"
        done
    done
done
