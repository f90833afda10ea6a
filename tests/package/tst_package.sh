#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The Debian package (issue 20): cpack makes it from the build (into a scratch folder, so the
# build's own `package` target output is left alone), dpkg-deb's view of it is checked (name,
# version, the dependencies dpkg-shlibdeps computed plus device-tree-compiler and cpp, the files),
# apt resolves its dependencies on this Debian, and it is unpacked with `dpkg -x` into a scratch
# root whose programs then run with the source and build folders hidden (a private mount
# namespace with empty tmpfs over them; where that is not allowed, only env -i and a scan of the
# programs for those paths): --version, check of the packaged samples, the window rendered
# offscreen, the man pages and the bash completion, all from the unpacked files.
# usage: tst_package.sh SOURCE_DIR BUILD_DIR VERSION
set -u
SRC=$(realpath "$1") BUILD=$(realpath "$2") VERSION=$3
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

for f in app/carveout-cli app/carveout app/man/carveout-cli.1.gz CPackConfig.cmake; do
    [ -e "$BUILD/$f" ] || { echo "FAIL: $BUILD/$f is missing: build first (cmake --build $BUILD)"; exit 1; }
done
start=$(date +%s)
if ! cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$T/cpack" >"$T/cpack.log" 2>&1; then
    cat "$T/cpack.log"
    echo "FAIL: cpack could not make the package"
    exit 1
fi
deb=$(ls "$T"/cpack/carveout_*.deb)
echo "ok: $(basename "$deb") made in $(($(date +%s) - start)) s ($(du -k "$deb" | cut -f1) KiB)"

# What dpkg says of it.
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = carveout ] || bad "Package: $(field Package)"
[ "$(field Version)" = "$VERSION" ] || bad "Version: $(field Version), the project's is $VERSION"
depends=$(field Depends)
for d in device-tree-compiler cpp libc6 libqt6core6 libqt6widgets6 libqt6charts6 libfdt1; do
    echo "$depends" | tr ',' '\n' | grep -q "^ *$d\( \|$\)" || bad "Depends lacks $d: $depends"
done
dpkg-deb -c "$deb" | awk '{ print $6 }' >"$T/files"
for f in bin/carveout bin/carveout-cli bin/carveout-capture share/applications/org.example.carveout.desktop \
    share/icons/hicolor/scalable/apps/carveout.svg share/metainfo/org.example.carveout.metainfo.xml \
    share/mime/packages/carveout.xml share/man/man1/carveout.1.gz share/man/man1/carveout-cli.1.gz \
    share/man/man1/carveout-capture.1.gz share/bash-completion/completions/carveout-cli \
    share/bash-completion/completions/carveout share/bash-completion/completions/carveout-capture \
    share/zsh/vendor-completions/_carveout-cli share/doc/carveout/README.md share/doc/carveout/copyright \
    share/doc/carveout/docs/ci.md share/doc/carveout/samples/broken/brk1-board.dts; do
    grep -qx "./usr/$f" "$T/files" || bad "the package lacks /usr/$f"
done
grep -v '^\./usr/' "$T/files" | grep -v '^\./$' | sed 's/^/FAIL: outside \/usr: /' | grep . && fail=1

# apt would install it on this machine (dependencies known to apt; needs apt-get update's lists).
if apt-get install --simulate -qq "$deb" >"$T/apt" 2>&1; then
    echo "ok: apt-get install --simulate $(basename "$deb") resolves its dependencies"
else
    cat "$T/apt"
    bad "apt-get cannot install the package's dependencies"
fi

dpkg -x "$deb" "$T/root" || { echo "FAIL: dpkg -x"; exit 1; }
U=$T/root/usr
# Nothing in the unpacked files may name the source or build folder (a path that the programs
# would find only on this machine).
if grep -rlF -e "$SRC" -e "$BUILD" "$T/root" >"$T/paths"; then
    bad "these unpacked files name the source or build folder: $(cat "$T/paths")"
fi

# The programs from the unpacked files only: a clean environment, a scratch home, cwd outside.
cat >"$T/run.sh" <<RUN
set -u
fail=0
bad() { echo "FAIL: \$*"; fail=1; }
cd "$T"
export PATH=$U/bin:/usr/bin:/bin HOME=$T/home LANG=C.UTF-8
mkdir -p "\$HOME"
for p in carveout-cli carveout; do
    out=\$(\$p --version) || bad "\$p --version failed"
    case \$out in "\$p $VERSION"*) echo "ok: \$out" | head -1 ;; *) bad "\$p --version says: \$out" ;; esac
done
sh $U/bin/carveout-capture --version | grep -q '^carveout-capture ' || bad "carveout-capture --version"
S=$U/share/doc/carveout/samples
carveout-cli check \$S/broken/brk1-board.dts >check.out 2>check.err
[ \$? -eq 1 ] || bad "check of the broken sample: exit \$? (want 1): \$(cat check.err)"
grep -q 'brk1-board.dts:44: error \[rm_overlap\]' check.out || bad "check of the broken sample: \$(cat check.out)"
carveout-cli check \$S/imx/imx9x-evk.dts --format sarif >imx.sarif || bad "check of the i.MX sample failed"
grep -q '"version": "2.1.0"' imx.sarif || bad "no SARIF from the installed carveout-cli"
carveout-cli check \$S/imx/imx9x-evk.dts --format codequality >imx.json || bad "codequality failed"
# The window, offscreen (no display in this environment), on a packaged sample.
carveout --screenshot shot.png \$S/imx/imx9x-evk.dts >gui.out 2>gui.err || bad "carveout --screenshot: \$(cat gui.err)"
[ -s shot.png ] && head -c 8 shot.png | od -An -c | grep -q 'P   N   G' || bad "carveout drew no PNG"
grep -q 'reserved' gui.out || bad "carveout printed no layout report: \$(cat gui.out)"
# The man pages and the bash completion as installed.
MANWIDTH=80 man -l $U/share/man/man1/carveout-cli.1.gz 2>&1 | grep -q 'EXIT STATUS' || bad "man carveout-cli"
bash -c '. $U/share/bash-completion/completions/carveout-cli && COMP_WORDS=(carveout-cli check x.dts --profile debian-6.1) \
    && COMP_CWORD=4 && _carveout_cli && printf "%s\n" "\${COMPREPLY[@]}"' >compl.out
grep -qx debian-6.1-arm64 compl.out || bad "the installed bash completion offers no profiles: \$(cat compl.out)"
exit \$fail
RUN
mounts="mount -t tmpfs carveout-hidden '$SRC'"
case $BUILD in "$SRC"/*) ;; *) mounts="$mounts && mount -t tmpfs carveout-hidden '$BUILD'" ;; esac
if unshare -m sh -c "$mounts && [ ! -e '$SRC/CMakeLists.txt' ]" 2>/dev/null; then
    echo "ok: running from the unpacked files with $SRC and $BUILD hidden (private mount namespace)"
    env -i unshare -m sh -c "$mounts && exec sh '$T/run.sh'" || fail=1
elif unshare -rm sh -c "$mounts && [ ! -e '$SRC/CMakeLists.txt' ]" 2>/dev/null; then
    echo "ok: running from the unpacked files with $SRC and $BUILD hidden (user and mount namespace)"
    env -i unshare -rm sh -c "$mounts && exec sh '$T/run.sh'" || fail=1
else
    echo "note: no mount namespace here; the source and build folders stay visible (the path scan above still holds)"
    env -i sh "$T/run.sh" || fail=1
fi
[ $fail -eq 0 ] && echo "tst_package: the package installs and runs from its own files"
exit $fail
