#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs the Debian packages Carveout needs, only when something is missing.
# Idempotent: when everything is present it only runs dpkg-query (well under a second).
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libxkbcommon-dev
    libfdt-dev zlib1g-dev device-tree-compiler xvfb xauth fonts-dejavu-core python3
    clang libclang-rt-14-dev busybox chromium
    git man-db appstream desktop-file-utils shared-mime-info libglib2.0-bin libxml2-utils
    bash-completion zsh jq python3-yaml pre-commit
)

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: run as root (or install sudo) to install: ${missing[*]}" >&2; exit 1; }
    SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# libqt6opengl6-dev must be named: Qt Charts' CMake config needs Qt6OpenGL, only a recommended package.
# clang is for the fuzz targets (fuzz/run.sh, CI's fuzz smoke); libclang-rt-14-dev, only recommended,
# holds libFuzzer and clang's sanitizer runtimes. busybox: tst_capture_script runs carveout-capture
# under busybox sh as the targets do. zlib1g-dev: core inflates the config.gz of a capture bundle.
# Issue 20's tests (label package): git (the revision in --version), man-db (renders the man
# pages), appstream, desktop-file-utils, shared-mime-info, libglib2.0-bin (gio) and libxml2-utils
# (the desktop metadata), bash-completion and zsh (the completions), jq, python3-yaml and
# pre-commit (the CI recipes).
# qt6-svg-dev: SVG export of the map and the diagram (window and carveout-cli render).
# chromium: tst_matrix_html renders the HTML matrix report headless, as a browser shows it.
$SUDO apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}"
