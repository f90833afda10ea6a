#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The man pages say what --help says (issue 20): each page the build made from a program's --help
# (scripts/help-to-man) is rendered with man(1) and its words compared with the program's --help
# now; a page that is stale, or a help text the converter would mangle, fails. For carveout-cli,
# every option the parser knows (the literals in app/cli/cli.cpp) is in --help, and every option
# --help lists is one the parser knows.
# usage: tst_manpages.sh SOURCE_DIR MAN_DIR CARVEOUT_CLI [CARVEOUT]
set -u
SRC=$1 MAN=$2 CLI=$3 GUI=${4:-}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

check_page() { # NAME HELP-COMMAND...
    name=$1; shift
    page=$MAN/$name.1
    [ -f "$page" ] || { bad "$page is missing (build the carveout_man target)"; return; }
    "$@" --help >"$T/$name.help" || { bad "$name --help failed"; return; }
    MANWIDTH=80 man -l "$page" 2>"$T/$name.manerr" | col -bx >"$T/$name.rendered"
    [ -s "$T/$name.manerr" ] && bad "man warns about $page: $(cat "$T/$name.manerr")"
    python3 "$SRC/tests/package/manwords.py" help "$T/$name.help" >"$T/$name.hw"
    python3 "$SRC/tests/package/manwords.py" man "$T/$name.rendered" >"$T/$name.mw"
    if ! diff -u "$T/$name.hw" "$T/$name.mw" >"$T/$name.diff"; then
        bad "$name(1) does not say what '$name --help' says (words of --help -, of the page +):"
        head -40 "$T/$name.diff"
        return
    fi
    for section in NAME SYNOPSIS DESCRIPTION OPTIONS 'EXIT STATUS' EXAMPLES 'SEE ALSO'; do
        grep -q "^$section\$" "$T/$name.rendered" || grep -q "^COMMON $section\$" "$T/$name.rendered" \
            || bad "$name(1) has no $section section"
    done
    [ "$(wc -w <"$T/$name.hw")" -gt 100 ] || bad "$name --help is suspiciously short"
    echo "ok: $name(1) says what $name --help says ($(wc -l <"$T/$name.hw") words)"
}

check_page carveout-cli "$CLI"
check_page carveout-capture sh "$SRC/scripts/carveout-capture"
if [ -n "$GUI" ]; then
    check_page carveout "$GUI"
fi

# The page of carveout-cli(1) lists every command and option once more than the synopsis.
grep -o 'take("-[-a-zA-Z]*"\|QLatin1String("-[-a-zA-Z]*")' "$SRC/app/cli/cli.cpp" | sed 's/^[^"]*"\([^"]*\)".*/\1/' \
    | grep -vx -- -- | sort -u >"$T/parser-options"
[ "$(wc -l <"$T/parser-options")" -gt 20 ] || bad "found only $(wc -l <"$T/parser-options") options in cli.cpp"
while read -r opt; do
    grep -q -- "^ *$opt[ ,=]" "$T/carveout-cli.help" || grep -q -- "^ *[^ ].*, $opt[ ,]" "$T/carveout-cli.help" \
        || bad "carveout-cli accepts $opt but its --help (and so its man page) has no line for it"
done <"$T/parser-options"
# Options as --help lists them (the terms of its option sections), each tried on the real parser.
awk '/^[A-Z][A-Za-z ]*options:$/ { on = 1; next } /^[A-Z]/ { on = 0 } on && /^  -/' "$T/carveout-cli.help" \
    | sed 's/^  //; s/  .*//' | tr ',' '\n' | awk '{ print $1 }' | sort -u >"$T/help-options"
[ "$(wc -l <"$T/help-options")" -gt 20 ] || bad "found only $(wc -l <"$T/help-options") options in --help"
while read -r opt; do
    "$CLI" rules "$opt" value >/dev/null 2>"$T/err"
    grep -q "unknown option" "$T/err" && bad "carveout-cli --help lists $opt, but the parser does not know it"
done <"$T/help-options"
for c in layout check edit export render simulate compare profiles rules; do
    grep -q "^  $c " "$T/carveout-cli.help" || bad "carveout-cli --help does not describe the command $c"
done

[ $fail -eq 0 ] && echo "tst_manpages: all pages agree with --help"
exit $fail
