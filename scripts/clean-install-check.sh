#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs a Carveout .deb with `apt install ./carveout_*.deb` on a clean Debian 12 root and runs
# both programs from it: the check issue 20 asks for, on a system that has none of the build's
# packages. The clean system is a fresh `debootstrap --variant=minbase bookworm` root (made once
# and kept as a pristine copy; each run installs into a throw-away copy of it), entered with
# chroot. Needs root, debootstrap and the Debian mirror; takes a few minutes, so CI does not run
# it (tests/package/tst_package.sh checks the installed files with dpkg -x on every CI run).
#
#   scripts/clean-install-check.sh build/carveout_*.deb [ROOT_CACHE_DIR]
set -euo pipefail

deb=$(readlink -f "${1:?usage: clean-install-check.sh PACKAGE.deb [ROOT_CACHE_DIR]}")
cache=${2:-/var/tmp/carveout-clean-bookworm}
here=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "clean-install-check: run as root (chroot and apt need it)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "clean-install-check: apt-get install debootstrap" >&2; exit 2; }

if [ ! -x "$cache/bin/sh" ]; then
    echo "== debootstrap bookworm (minbase) into $cache"
    debootstrap --variant=minbase bookworm "$cache" http://deb.debian.org/debian
fi

root=$(mktemp -d /var/tmp/carveout-clean.XXXXXX)
cleanup() {
    for m in dev/pts dev proc; do umount "$root/$m" 2>/dev/null || true; done
    rm -rf --one-file-system "$root"
}
trap cleanup EXIT
cp -a "$cache/." "$root/"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp "$deb" "$root/root/"

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    DEBIAN_FRONTEND=noninteractive "$@"; }

echo "== the clean root: $(in_root cat /etc/debian_version), $(in_root dpkg-query -f '.' -W | wc -c) packages"
for p in carveout-cli carveout dtc cpp; do
    if in_root sh -c "command -v $p" >/dev/null; then echo "clean-install-check: $p is already there" >&2; exit 1; fi
done
in_root apt-get update -qq
echo "== apt install ./$(basename "$deb")"
in_root sh -c "cd /root && apt-get install -y --no-install-recommends ./$(basename "$deb")" | tail -n 4
echo "== carveout-cli --version"
in_root carveout-cli --version
# The samples the package installs, so nothing of the checkout is used.
S=/usr/share/doc/carveout/samples
echo "== carveout-cli check $S/imx/imx9x-evk.dts"
in_root carveout-cli check $S/imx/imx9x-evk.dts
echo "== carveout-cli check $S/broken/brk1-board.dts (its errors: exit status 1)"
set +e
in_root carveout-cli check $S/broken/brk1-board.dts | tail -n 3
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 1 ] || { echo "clean-install-check: check of the broken sample: status $status (want 1)" >&2; exit 1; }
echo "== carveout --version"
in_root carveout --version
echo "== carveout --screenshot (offscreen)"
in_root sh -c "QT_QPA_PLATFORM=offscreen carveout --screenshot /root/window.png $S/imx/imx9x-evk.dts >/dev/null"
in_root sh -c 'test -s /root/window.png' && echo "window.png: $(stat -c %s "$root/root/window.png") bytes"
echo "== man pages"
in_root sh -c 'test -f /usr/share/man/man1/carveout-cli.1.gz' && echo "man page installed"
echo "clean-install-check: installed and ran on a clean Debian $(in_root cat /etc/debian_version)"
