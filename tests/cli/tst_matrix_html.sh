#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The HTML matrix report as a browser shows it: headless Chromium renders it to a PNG, which must
# have the requested size and not be blank. CARVEOUT_SCREENSHOT_DIR keeps the picture.
# Usage: tst_matrix_html.sh CARVEOUT_CLI SAMPLES_DIR
set -eu
cli=$1
samples=$2
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "SKIP: no chromium (scripts/install-deps.sh installs it)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$samples"
status=0
"$cli" matrix broken/brk1-board.dts imx/imx9x-evk.dts --kernel 6.1,6.12 --page-size 4K,64K --format html \
    > "$tmp/matrix.html" || status=$?
[ "$status" = 1 ] || { echo "FAIL: matrix exited $status, expected 1 (the broken board has errors)"; exit 1; }
HOME=$tmp timeout 120 "$browser" --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$tmp/profile" --window-size=1300,420 --screenshot="$tmp/matrix.png" "file://$tmp/matrix.html" \
    > "$tmp/browser.log" 2>&1 || { cat "$tmp/browser.log"; echo "FAIL: chromium failed"; exit 1; }
python3 - "$tmp/matrix.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat, width, height, colour = 8, b'', 0, 0, 2
while pos < len(data):
    length, kind = struct.unpack('>I4s', data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + length]
    if kind == b'IHDR':
        width, height, depth, colour = struct.unpack('>IIBB', chunk[:10])
    elif kind == b'IDAT':
        idat += chunk
    pos += 12 + length
assert (width, height) == (1300, 420), f'size {width}x{height}'
raw = zlib.decompress(idat)
channels = {2: 3, 6: 4}[colour]
stride = width * channels
rows, prev, i = [], bytearray(stride), 0
for _ in range(height):  # undo the PNG scanline filters (8-bit samples)
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - channels] if x >= channels else 0
        b, c = prev[x], prev[x - channels] if x >= channels else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line)
    prev = line
ink = sum(1 for r in rows for x in range(0, stride, channels) if min(r[x:x + 3]) < 200) / (width * height)
green = sum(1 for r in rows for x in range(0, stride, channels) if r[x + 1] > 150 and r[x] < 110 and r[x + 2] < 110)
assert ink > 0.02, f'blank page ({ink:.1%} of the pixels drawn)'
assert green > 200, f'no CMA block drawn ({green} green pixels)'
print(f'PASS: {width}x{height}, {ink:.1%} of the pixels drawn, {green} green (CMA) pixels')
PY
if [ -n "${CARVEOUT_SCREENSHOT_DIR:-}" ]; then
    cp "$tmp/matrix.png" "$CARVEOUT_SCREENSHOT_DIR/matrix.png"
fi
