#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Checks every board (*.dts) under the folders given (default: .; a board file stands for itself)
# with carveout-cli and writes one report for all of them. The CI recipes of docs/ci.md call it
# (copy it into the BSP repository, next to the CI file), the pre-commit hooks of
# .pre-commit-hooks.yaml too. Run it from the repository root, so the report's paths are
# repository paths.
#   check-boards.sh sarif carveout.sarif arch/arm64/boot/dts
#   check-boards.sh codequality gl-code-quality-report.json arch/arm64/boot/dts
#   check-boards.sh text - arch/arm64/boot/dts/vendor/board.dts     (- : standard output)
# Needs carveout-cli, and jq for sarif and codequality. Extra carveout-cli options (such as --profile debian-6.12-arm64 or
# -W no-RULE) go in CARVEOUT_OPTIONS. Exit status: 0 no error-level finding, 1 error-level
# findings, 2 a board that could not be read or compiled (named on standard error; the report
# holds the others).
set -u
format=$1 report=$2
shift 2
[ "$report" = - ] && report=/dev/stdout
[ $# -gt 0 ] || set -- .
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
status=0 n=0
find "$@" -name '*.dts' -type f | sort >"$work/boards"
while read -r board; do
    board=${board#./}
    n=$((n + 1))
    # shellcheck disable=SC2086 # CARVEOUT_OPTIONS is a list of options
    carveout-cli check "$board" --format "$format" ${CARVEOUT_OPTIONS:-} >"$work/$n.out" 2>"$work/$n.err"
    rc=$?
    case $rc in
    0) ;;
    1) [ $status -eq 0 ] && status=1 ;;
    *) echo "error: $board could not be checked (carveout-cli exit $rc):" >&2
       cat "$work/$n.err" >&2
       status=2
       rm -f "$work/$n.out"
       continue ;;
    esac
    if [ "$format" = text ]; then
        cat "$work/$n.out"
        continue
    elif [ "$format" = sarif ]; then
        # Which board each run is, for the merged report below.
        jq --arg board "$board" '.runs[0].properties.board = $board' "$work/$n.out" >"$work/$n.report"
    else
        mv "$work/$n.out" "$work/$n.report"
    fi
done <"$work/boards"
set -- "$work"/*.report
if [ "$format" = text ]; then
    :
elif [ ! -e "$1" ]; then
    # No board checked: an empty report, so the upload step still has a file.
    if [ "$format" = sarif ]; then
        echo '{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [{"tool": {"driver": {"name": "carveout"}}, "results": []}]}' >"$report"
    else
        echo '[]' >"$report"
    fi
elif [ "$format" = sarif ]; then
    # One run for all boards (code scanning takes one run per tool and category): the results of
    # every board, a finding in a shared .dtsi once with the boards it was found on.
    jq -s '.[0] + { runs: [ .[0].runs[0] + {
            properties: { boards: [ .[].runs[0].properties ] },
            results: ( [ .[] | .runs[0] as $run | $run.results[] | .properties.boards = [ $run.properties.board ] ]
                | group_by([ .ruleId, .message.text, (.locations[0].physicalLocation // {} | tostring) ])
                | map(.[0] + { properties: (.[0].properties + { boards: map(.properties.boards[0]) }) }) ) } ] }' \
        "$@" >"$report" || status=2
else
    # GitLab: one array; each issue's fingerprint names its board, so they stay unique.
    jq -s 'add' "$@" >"$report" || status=2
fi
[ "$format" = text ] || echo "carveout: $n board(s) checked, report in $report (exit $status)" >&2
exit $status
