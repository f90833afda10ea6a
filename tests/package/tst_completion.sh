#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Shell completion (issue 20). bash: resources/completions/carveout.bash is sourced (with Debian's
# bash-completion loaded, and again without it) and its functions are called with COMP_WORDS as
# bash does on TAB. What they offer must be what the programs' --help says: the commands, each
# command's options, the --format values, profile names and rule ids as `carveout-cli profiles
# --format json` and `rules --format json` give them, and files of the right type. zsh: the same
# questions through a real interactive zsh (tst_completion.zsh), skipped (77) without zsh.
# usage: tst_completion.sh SOURCE_DIR CARVEOUT_CLI [CARVEOUT]
set -u
SRC=$1 CLI=$(realpath "$2") GUI=${3:-}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
"$CLI" --help >"$T/help" || { echo "FAIL: carveout-cli --help"; exit 1; }
"$CLI" profiles --format json | python3 -c 'import json,sys; print("\n".join(p["name"] for p in json.load(sys.stdin)["profiles"]))' \
    | sort >"$T/profiles"
"$CLI" rules --format json | python3 -c 'import json,sys; print("\n".join(r["id"] for r in json.load(sys.stdin)["rules"]))' \
    | sort >"$T/rules"
[ -s "$T/profiles" ] && [ -s "$T/rules" ] || { echo "FAIL: no profiles or rules from $CLI"; exit 1; }

# What --help says, per command: the options of the "Common options" section for commands whose
# synopsis has [common], the "Command options" lines marked "COMMAND:", and -h --help --version.
help_commands() { awk '/^Commands:$/ { on = 1; next } /^[A-Z]/ { on = 0 } on && /^  [a-z]/ { print $1 }' "$T/help"; }
section_options() { # SECTION [COMMAND]
    # A term is followed by its description on the same line, or alone with it on the next one.
    awk -v s="$1:" -v c="${2:-}:" 'function item(term, text) { if (s != "Command options:" || index(text, c) == 1) print term }
        $0 == s { on = 1; next } /^[A-Z]/ { on = 0 }
        on && pending != "" { sub(/^ +/, ""); item(pending, $0); pending = ""; next }
        on && /^  -/ { n = split($0, p, /   */); if (n < 3) pending = p[2]; else item(p[2], p[3]) }' "$T/help" \
        | tr ',' '\n' | awk '{ print $1 }'
}
# The synopsis of a command in the Commands section, with its continuation lines.
command_synopsis() { awk -v c="  $1 " 'index($0, c) == 1 { p = 1; print; next } p && /^      +[[]/ { print; next } { p = 0 }' "$T/help"; }
help_options() { # COMMAND
    {
        printf '%s\n' -h --help --version
        synopsis=$(command_synopsis "$1")
        case $synopsis in *'[common]'*) section_options 'Common options' | grep -vx -- '-h\|--help\|--version\|--format' ;; esac
        case $synopsis in *--format*) echo --format ;; esac
        section_options 'Command options' "$1"
    } | sort -u
}
help_formats() { command_synopsis "$1" | sed -n 's/.*--format \([a-z|]*\).*/\1/p' | tr '|' '\n' | sort; }

# The questions, each with its answer from --help and the catalogues: exp/NAME holds what must
# be offered, queries has "NAME<TAB>FOLDER<TAB>PROGRAM WORD... CURRENT-WORD" (empty: a space).
mkdir -p "$T/exp" "$T/tree/sub dir"
(cd "$T/tree" && touch a.dts a.dtsi b.dtb c.dtbo w.json cap.txt notes.md)
: >"$T/queries"
ask() { # NAME FOLDER PROGRAM WORDS... (the expected answer is on standard input)
    name=$1 dir=$2; shift 2
    sort -u >"$T/exp/$name"
    printf '%s\t%s\t%s\n' "$name" "$dir" "$*" >>"$T/queries"
}
help_commands | ask commands "$SRC" carveout-cli ''
echo check | ask ch "$SRC" carveout-cli ch
printf '%s\n' --help --version -h | ask options-first "$SRC" carveout-cli -
for c in $(help_commands); do
    board=a.dts
    case $c in profiles | rules) board= ;; esac
    help_options "$c" | ask "options-$c" "$T/tree" carveout-cli $c $board -
    if [ -n "$(help_formats "$c")" ]; then
        help_formats "$c" | ask "format-$c" "$T/tree" carveout-cli $c $board --format ''
    fi
done
ask profile "$T/tree" carveout-cli check a.dts --profile '' <"$T/profiles"
grep '^debian-6.1' "$T/profiles" | ask profile-prefix "$T/tree" carveout-cli layout a.dts --profile debian-6.1
{ cat "$T/rules"; sed 's/^/no-/' "$T/rules"; } | ask rules-W "$T/tree" carveout-cli check a.dts -W ''
ask rules-E "$T/tree" carveout-cli check a.dts -E '' <"$T/rules"
grep '^cma' "$T/rules" | ask rules-E-prefix "$T/tree" carveout-cli check a.dts -E cma
sed -n 's/^linux-\([0-9.]*\)-.*/\1/p' "$T/profiles" | ask kernel "$T/tree" carveout-cli layout a.dts --kernel ''
printf '%s\n' arm arm64 riscv | ask arch "$T/tree" carveout-cli layout a.dts --arch ''
printf '%s\n' all failures none | ask ops "$T/tree" carveout-cli simulate a.dts --ops ''
# Files of the right type, and folders to walk into.
printf '%s\n' a.dts b.dtb c.dtbo 'sub dir' | ask boards "$T/tree" carveout-cli check ''
printf '%s\n' b.dtb 'sub dir' | ask output-dtb "$T/tree" carveout-cli export a.dts -o ''
printf '%s\n' 'sub dir' w.json | ask workload "$T/tree" carveout-cli simulate a.dts --workload ''
printf '%s\n' 'sub dir' w.json | ask script "$T/tree" carveout-cli edit a.dts --script ''
printf 'sub dir\n' | ask include-dir "$T/tree" carveout-cli layout a.dts -I ''
printf '%s\n' a.dts a.dtsi b.dtb c.dtbo cap.txt notes.md 'sub dir' w.json \
    | ask capture-file "$T/tree" carveout-cli compare a.dts --capture ''
# carveout and carveout-capture: their options as their --help lists them.
program_options() { awk '/^Options:$/ { on = 1; next } /^[A-Z]/ { on = 0 } on && /^  -/' | sed 's/^  //; s/  .*//' \
    | tr ',' '\n' | awk '{ sub(/=.*/, "="); print $1 }'; }
sh "$SRC/scripts/carveout-capture" --help | program_options | ask capture-options "$SRC" carveout-capture -
if [ -n "$GUI" ]; then
    "$GUI" --help | program_options | ask gui-options "$SRC" carveout -
    printf '%s\n' a.dts b.dtb c.dtbo 'sub dir' | ask gui-boards "$T/tree" carveout ''
fi

compare_answers() { # LABEL FOLDER-OF-ANSWERS
    while IFS=$'\t' read -r name dir line; do
        if [ ! -f "$2/$name" ]; then
            bad "[$1] no answer for: $line"
            continue
        fi
        # Folders with or without their '/'; zsh offers --opt= as --opt.
        sed 's,/$,,' "$2/$name" | sed '/^$/d' | sort -u >"$T/actual"
        if [[ $name == *options* ]]; then
            sed -i 's/=$//' "$T/actual" && sed 's/=$//' "$T/exp/$name" | sort -u >"$T/expected"
        else
            cp "$T/exp/$name" "$T/expected"
        fi
        diff -u "$T/expected" "$T/actual" >"$T/diff" || { bad "[$1] '$line' (expected -, offered +):"; cat "$T/diff"; }
    done <"$T/queries"
}

bash_answers() { # OUT-DIR: asks the bash functions each question
    mkdir -p "$1"
    while IFS=$'\t' read -r name dir line; do
        read -r -a words <<<"$line"
        [[ $line == *' ' ]] && words+=('')
        case ${words[0]} in
        carveout-cli) fn=_carveout_cli words[0]=$CLI ;;
        carveout) fn=_carveout ;;
        carveout-capture) fn=_carveout_capture ;;
        esac
        (cd "$dir" && COMP_WORDS=("${words[@]}") && COMP_CWORD=$((${#words[@]} - 1)) && COMPREPLY=() \
            && { $fn; printf "%s\n" "${COMPREPLY[@]}"; }) >"$1/$name"
    done <"$T/queries"
}

# With bash-completion (as on a Debian desktop: _filedir and friends), then on a bare bash.
if [ -f /usr/share/bash-completion/bash_completion ]; then
    (source /usr/share/bash-completion/bash_completion && source "$SRC/resources/completions/carveout.bash" \
        && bash_answers "$T/bash-completion")
    compare_answers "bash with bash-completion" "$T/bash-completion"
else
    echo "note: /usr/share/bash-completion/bash_completion is missing (package bash-completion): only bare bash is tried"
fi
(source "$SRC/resources/completions/carveout.bash" && bash_answers "$T/bash")
compare_answers "bash" "$T/bash"
echo "bash: $(wc -l <"$T/queries") questions asked"

if command -v zsh >/dev/null; then
    zsh -f "$SRC/tests/package/tst_completion.zsh" "$SRC" "$CLI" "$T/queries" "$T/zsh" || fail=1
    compare_answers "zsh" "$T/zsh"
    echo "zsh: $(wc -l <"$T/queries") questions asked"
else
    echo "zsh is not installed (Debian package zsh): its completion was not tried"
    [ $fail -eq 0 ] && exit 77
fi
[ $fail -eq 0 ] && echo "tst_completion: bash and zsh offer what --help says"
exit $fail
