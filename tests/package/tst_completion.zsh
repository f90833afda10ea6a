#!/usr/bin/env zsh
# SPDX-License-Identifier: GPL-2.0-only
# Runs zsh completion as a user's TAB does, for tst_completion.sh: an interactive zsh on a pseudo
# terminal (zsh/zpty) with compinit and resources/completions/_carveout-cli on its fpath, where
# compadd hands what matches the typed word to a file before adding it as usual.
# usage: zsh -f tst_completion.zsh SOURCE_DIR CARVEOUT_CLI QUERIES OUT_DIR
#   QUERIES: lines "NAME<TAB>WORKING_DIR<TAB>COMMAND LINE"; the matches for the last word of each
#   go to OUT_DIR/NAME, one a line.
emulate -L zsh
SRC=$1 CLI=$2 QUERIES=$3 OUT=$4
zmodload zsh/zpty || { print "FAIL: zsh has no zsh/zpty module"; exit 1 }
mkdir -p $OUT/fpath $OUT/bin || exit 1
cp $SRC/resources/completions/_carveout-cli $OUT/fpath/ || exit 1
ln -sf $CLI $OUT/bin/carveout-cli

zpty -b z 'TERM=dumb PS1="" zsh -f -i'
send() { zpty -w -n z "$1"; }
drain() { local chunk; while zpty -rt z chunk 2>/dev/null; do :; done }
wait_for() { # FILE: until the shell in the pty has written it (10 s at most)
  local i
  for i in {1..200}; do [[ -e $1 ]] && return 0; drain; sleep 0.05; done
  print "FAIL: zsh gave no answer (waiting for $1)"; return 1
}
send "path=($OUT/bin \$path); fpath=($OUT/fpath \$fpath); autoload -Uz compinit; compinit -u -D
zstyle ':completion:*' menu no; unsetopt auto_list list_ambiguous; setopt no_beep
compadd() {
  if (( \${@[(I)-[OAD]]} )); then builtin compadd \"\$@\"; return; fi
  local -a __m; builtin compadd -O __m \"\$@\"
  (( \$#__m )) && print -rl -- \${(Q)__m} >>\$__out
  builtin compadd \"\$@\"
}
_t_done() { : >\$__out.done }; zle -N _t_done; bindkey '^X^D' _t_done
# zle drops what was typed before it set the terminal up: lines are typed only once it says so.
zle-line-init() { [[ -n \$__out ]] && : >\$__out.zle }; zle -N zle-line-init; __out=
: >$OUT/ready
"
wait_for $OUT/ready || exit 1
local name dir line
while IFS=$'\t' read -r name dir line; do
  send "cd ${(q)dir}; __out=${(q)OUT}/$name; : >\$__out
"
  wait_for $OUT/$name.zle || exit 1
  # The line, TAB (complete), ^X^D (we are done), ^U (clear the line for the next one).
  send "$line"$'\t\C-x\C-d\C-u'
  wait_for $OUT/$name.done || exit 1
done <$QUERIES
zpty -d z
exit 0
