#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Desktop metadata (issue 20): the AppStream metainfo passes `appstreamcli validate --strict`
# (Debian's appstream), the desktop file `desktop-file-validate` (desktop-file-utils), and the two
# agree with each other and with the MIME types; the shared-mime-info XML compiles without a
# complaint (update-mime-database) and, in a scratch MIME database, GLib (`gio info`, as a file
# manager asks) names real files with Carveout's types: sample boards and includes, a DTB and a
# DTBO that carveout-cli export wrote, a DTB under another name (by its magic), the recorded
# capture bundles (by their first line), while DTS audio keeps its own type.
# usage: tst_desktop.sh SOURCE_DIR METAINFO(as configured) CARVEOUT_CLI VERSION
set -u
SRC=$1 METAINFO=$2 CLI=$3 VERSION=$4
R=$SRC/resources
DESKTOP=$R/org.example.carveout.desktop
MIME=$R/carveout-mime.xml
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
need() { command -v "$1" >/dev/null || { echo "FAIL: $1 is missing (Debian package $2; scripts/install-deps.sh installs it)"; exit 1; }; }
need appstreamcli appstream
need desktop-file-validate desktop-file-utils
need update-mime-database shared-mime-info
need xmllint libxml2-utils
need gio libglib2.0-bin

if appstreamcli validate --no-net --strict --pedantic "$METAINFO" >"$T/as" 2>&1; then
    echo "ok: appstreamcli validate --strict: $(tail -1 "$T/as")"
else
    cat "$T/as"
    bad "appstreamcli does not accept $METAINFO"
fi
desktop-file-validate "$DESKTOP" >"$T/dfv" 2>&1 || bad "desktop-file-validate: $(cat "$T/dfv")"
[ -s "$T/dfv" ] && bad "desktop-file-validate warns: $(cat "$T/dfv")"
[ $fail -eq 0 ] && echo "ok: desktop-file-validate $(basename "$DESKTOP")"
xmllint --noout "$METAINFO" "$MIME" || bad "not well-formed XML"

# The metainfo, the desktop file and the MIME XML name each other rightly.
x() { xmllint --xpath "$1" "$2" 2>/dev/null; }
[ "$(x 'string(/component/launchable)' "$METAINFO")" = "$(basename "$DESKTOP")" ] || bad "launchable is not $(basename "$DESKTOP")"
[ "$(x 'string(/component/id)' "$METAINFO").desktop" = "$(basename "$DESKTOP")" ] || bad "the desktop file is not named after the component id"
[ "$(x 'string(/component/releases/release[1]/@version)' "$METAINFO")" = "$VERSION" ] || bad "the newest release is not $VERSION"
icon=$(sed -n 's/^Icon=//p' "$DESKTOP")
[ -f "$R/$icon.svg" ] || bad "Icon=$icon but resources/$icon.svg is missing"
mimetypes=$(grep -o 'mime-type type="[^"]*"' "$MIME" | sed 's/.*="\(.*\)"/\1/')
for m in $(sed -n 's/^MimeType=//p' "$DESKTOP" | tr ';' ' ') $(x '//provides/mediatype/text()' "$METAINFO" | tr '<>' '  '); do
    echo "$mimetypes" | grep -qx "$m" || bad "$m is claimed but not defined in $(basename "$MIME")"
done
n=0
for url in $(x '//screenshot/image/text()' "$METAINFO"); do
    n=$((n + 1))
    case $url in https://*/docs/screenshots/*.png) ;; *) bad "screenshot URL $url does not end in docs/screenshots/NAME.png" ;; esac
    [ -f "$SRC/docs/screenshots/${url##*/}" ] || bad "screenshot ${url##*/} is not in docs/screenshots/"
done
[ $n -ge 3 ] || bad "only $n screenshots in the metainfo"
[ "$(x 'count(//screenshot[@type="default"])' "$METAINFO")" = 1 ] || bad "not exactly one default screenshot"
for b in $(x '//provides/binary/text()' "$METAINFO" | tr '<>' '  '); do
    case $b in carveout | carveout-cli | carveout-capture) ;; *) bad "the metainfo provides a binary $b that is not installed" ;; esac
done

# The MIME types in a scratch database of freedesktop.org.xml and ours, as GLib reads it.
mkdir -p "$T/share/mime/packages" "$T/files"
cp /usr/share/mime/packages/freedesktop.org.xml "$T/share/mime/packages/"
cp "$MIME" "$T/share/mime/packages/carveout.xml"
XDG_DATA_DIRS=$T/share XDG_DATA_HOME=$T/none update-mime-database "$T/share/mime" >"$T/umd" 2>&1 \
    || bad "update-mime-database failed"
grep -i 'error\|warning\|unknown' "$T/umd" && bad "update-mime-database complains about carveout.xml"
cp "$SRC/samples/imx/imx9x-evk.dts" "$SRC/samples/imx/imx9x.dtsi" "$T/files/"
"$CLI" export "$SRC/samples/imx/imx9x-evk.dts" -o "$T/files/board.dtb" 2>/dev/null || bad "carveout-cli export failed"
cp "$T/files/board.dtb" "$T/files/overlay.dtbo"
cp "$T/files/board.dtb" "$T/files/firmware-tree"
ls "$SRC"/tests/data/captures/*.bundle | head -3 | while read -r b; do cp "$b" "$T/files/"; done
cp "$(ls "$SRC"/tests/data/captures/*.bundle | head -1)" "$T/files/bundle-without-suffix"
printf '\177\376\200\001\000\000\000\000' >"$T/files/soundtrack.dts" # the DTS audio sync word
expect() { # FILE TYPE
    got=$(cd "$T/files" && XDG_DATA_DIRS=$T/share XDG_DATA_HOME=$T/none gio info -a standard::content-type "$1" \
        | sed -n 's/.*standard::content-type: //p')
    [ "$got" = "$2" ] && echo "ok: $1 is $2" || bad "$1 is '$got', not $2"
}
expect imx9x-evk.dts text/x-devicetree-source
expect imx9x.dtsi text/x-devicetree-source
expect board.dtb application/x-devicetree-blob
expect overlay.dtbo application/x-devicetree-blob
expect firmware-tree application/x-devicetree-blob
for b in $(cd "$T/files" && ls *.bundle); do
    expect "$b" text/x-carveout-capture-bundle
done
expect bundle-without-suffix text/x-carveout-capture-bundle
expect soundtrack.dts audio/vnd.dts
[ $fail -eq 0 ] && echo "tst_desktop: metainfo, desktop file and MIME types valid"
exit $fail
