#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The CI recipes of docs/ci.md (issue 20), run here as far as they can be: the "Check the boards"
# step of docs/ci/github-carveout.yml and the script of docs/ci/gitlab-carveout.yml run with the
# built carveout-cli on a BSP-like tree of the sample boards (their install steps and the uploads
# cannot run here: their shape is checked); the SARIF they write is checked against SARIF 2.1.0
# and GitHub's needs, the Code Quality report against GitLab's documented fields (reports.py says
# how); every finding of every board is in the report, exit statuses follow errors and
# boards that do not compile. The pre-commit hooks of .pre-commit-hooks.yaml run through
# `pre-commit try-repo` (skipped when pre-commit is missing), and the committed goldens of
# `check --format sarif|codequality` pass the same checks.
# usage: tst_ci_recipes.sh SOURCE_DIR CARVEOUT_CLI
set -u
SRC=$(realpath "$1") CLI=$(realpath "$2")
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
REPORTS="python3 $SRC/tests/package/reports.py"
mkdir -p "$T/bin" && ln -s "$CLI" "$T/bin/carveout-cli"
export PATH="$T/bin:$PATH"
command -v jq >/dev/null || { echo "FAIL: jq is missing (scripts/install-deps.sh installs it)"; exit 1; }

# The goldens of tst_cli, from the sample folder each was made in.
for g in "$SRC"/tests/golden/check_*.sarif.expected "$SRC"/tests/golden/check_*.codequality.expected; do
    sample=$(basename "$g" | sed 's/^check_\([^_]*\)_.*/\1/')
    kind=sarif
    case $g in *.codequality.expected) kind=codequality ;; esac
    (cd "$SRC/samples/$sample" && $REPORTS $kind "$g" .) >"$T/golden.out" || { cat "$T/golden.out"; bad "golden $g"; }
done
echo "ok: the committed SARIF and Code Quality goldens pass"

# The recipes' shell, taken from the YAML files (python3-yaml), with their shape checked.
python3 - "$SRC/docs/ci" "$T" <<'PY' || fail=1
import sys, yaml
ci, out = sys.argv[1], sys.argv[2]
problems = []
gh = yaml.safe_load(open(ci + "/github-carveout.yml"))
on = gh.get(True, gh.get("on"))  # YAML 1.1 reads the key on as true
if not {"push", "pull_request"} <= set(on or {}):
    problems.append("github: runs on push and pull_request")
if gh.get("permissions", {}).get("security-events") != "write":
    problems.append("github: upload-sarif needs permissions: security-events: write")
(job,) = gh["jobs"].values()
steps = {s.get("name", s.get("uses")): s for s in job["steps"]}
check = steps.get("Check the boards")
upload = [s for s in job["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
if not check or not upload:
    problems.append("github: needs a 'Check the boards' step and a github/codeql-action/upload-sarif step")
else:
    if upload[0].get("if") != "${{ !cancelled() }}":
        problems.append("github: the upload must run when the check step fails (if: ${{ !cancelled() }})")
    sarif = upload[0]["with"]["sarif_file"]
    if sarif not in check["run"]:
        problems.append("github: the check step does not write " + sarif)
    open(out + "/github.sh", "w").write("export BOARDS='%s'\n%s" % (job["env"]["BOARDS"], check["run"]))
    open(out + "/github.report", "w").write(sarif)
gl = yaml.safe_load(open(ci + "/gitlab-carveout.yml"))
(name, job), = gl.items()
report = job.get("artifacts", {}).get("reports", {}).get("codequality")
if not report or job["artifacts"].get("when") != "always":
    problems.append("gitlab: artifacts: when: always and reports: codequality: FILE")
else:
    if not any(report in line for line in job["script"]):
        problems.append("gitlab: the script does not write " + report)
    open(out + "/gitlab.sh", "w").write("export BOARDS='%s'\n%s\n" % (job["variables"]["BOARDS"], "\n".join(job["script"])))
    open(out + "/gitlab.report", "w").write(report)
for p in problems:
    print("FAIL: " + p)
sys.exit(1 if problems else 0)
PY
[ -f "$T/github.sh" ] && [ -f "$T/gitlab.sh" ] || { echo "FAIL: no recipe to run"; exit 1; }

# A BSP tree as the recipes expect it: the boards under $BOARDS, ci/check-boards.sh beside them.
make_tree() { # FOLDER SAMPLE...
    tree=$1; shift
    mkdir -p "$tree/ci" "$tree/arch/arm64/boot/dts"
    cp "$SRC/docs/ci/check-boards.sh" "$tree/ci/"
    for s in "$@"; do cp -r "$SRC/samples/$s" "$tree/arch/arm64/boot/dts/"; done
}
# Every finding of every board (as `check --format json` lists them) is in the report.
all_findings_in() { # TREE KIND REPORT
    (cd "$1" && for b in $(find arch -name '*.dts' | sort); do
        carveout-cli check "$b" --format json | jq -c --arg b "$b" '.findings[] | [$b, .rule, .file, .line]'
    done) >"$T/expected-findings"
    if [ "$2" = sarif ]; then
        jq -c '.runs[0].results[] | . as $r | .properties.boards[] | [., $r.ruleId,
            $r.locations[0].physicalLocation.artifactLocation.uri, $r.locations[0].physicalLocation.region.startLine]' "$3"
    else
        jq -c '.[] | [(.description | capture("\\((?<b>[^ ]*) on [^)]*\\)$").b), .check_name, .location.path, .location.lines.begin]' "$3"
    fi | sort >"$T/reported-findings"
    sort "$T/expected-findings" | diff -u - "$T/reported-findings" >"$T/findings.diff" \
        || { bad "$2 report and the boards' findings differ (boards -, report +):"; cat "$T/findings.diff"; }
    echo "ok: all $(wc -l <"$T/expected-findings") findings of the boards are in $(basename "$3")"
}
run_recipe() { # NAME TREE WANTED-STATUS
    (cd "$2" && bash -e "$T/$1.sh") >"$T/$1.out" 2>"$T/$1.err"
    status=$?
    [ $status -eq "$3" ] || bad "$1 recipe on $(basename "$2"): exit $status, want $3: $(cat "$T/$1.err")"
    report=$2/$(cat "$T/$1.report")
    kind=sarif
    [ "$1" = gitlab ] && kind=codequality
    $REPORTS $kind "$report" "$2" || bad "$1 recipe on $(basename "$2"): invalid report"
}
for recipe in github gitlab; do
    kind=sarif
    [ $recipe = gitlab ] && kind=codequality
    make_tree "$T/$recipe-all" broken imx phone sim
    # Two boards that include the same broken .dtsi: SARIF has its findings once, with both boards.
    cp "$T/$recipe-all/arch/arm64/boot/dts/broken/brk1-board.dts" "$T/$recipe-all/arch/arm64/boot/dts/broken/brk2-board.dts"
    run_recipe $recipe "$T/$recipe-all" 1
    all_findings_in "$T/$recipe-all" $kind "$T/$recipe-all/$(cat "$T/$recipe.report")"
    if [ $recipe = github ]; then
        shared=$(jq '[.runs[0].results[] | select(.properties.boards | length == 2)] | length' "$T/$recipe-all/carveout.sarif")
        [ "$shared" = 2 ] || bad "github: $shared findings of the shared brk1.dtsi listed with both boards, want 2"
    fi
    make_tree "$T/$recipe-clean" imx
    run_recipe $recipe "$T/$recipe-clean" 0
    # A board that does not compile: exit 2, named on stderr, the others still reported.
    make_tree "$T/$recipe-broken" imx broken
    cp "$SRC/tests/data/bad-syntax.dts" "$T/$recipe-broken/arch/arm64/boot/dts/"
    run_recipe $recipe "$T/$recipe-broken" 2
    grep -q 'bad-syntax.dts could not be checked' "$T/$recipe.err" || bad "$recipe: the board that does not compile is not named"
    grep -q 'bad-syntax.dts:9' "$T/$recipe.err" || bad "$recipe: dtc's message about bad-syntax.dts is not shown"
done

# pre-commit: the hook definitions as a hook repository, tried on a BSP repository.
if command -v pre-commit >/dev/null; then
    export PRE_COMMIT_HOME=$T/pre-commit-home GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t \
        GIT_COMMITTER_EMAIL=t@t
    pre-commit validate-manifest "$SRC/.pre-commit-hooks.yaml" >"$T/pc" 2>&1 || bad "pre-commit validate-manifest: $(cat "$T/pc")"
    pre-commit validate-config "$SRC/docs/ci/pre-commit-config.yaml" >"$T/pc" 2>&1 || bad "pre-commit validate-config: $(cat "$T/pc")"
    for id in $(sed -n 's/^ *- id: //p' "$SRC/docs/ci/pre-commit-config.yaml"); do
        grep -q "^- id: $id\$" "$SRC/.pre-commit-hooks.yaml" || bad "the example uses hook $id that .pre-commit-hooks.yaml lacks"
    done
    mkdir -p "$T/hooks/docs/ci"
    cp "$SRC/.pre-commit-hooks.yaml" "$T/hooks/" && cp "$SRC/docs/ci/check-boards.sh" "$T/hooks/docs/ci/"
    (cd "$T/hooks" && git init -q && git add -A && git commit -qm hooks) || bad "hook repository"
    make_tree "$T/bsp" broken imx
    (cd "$T/bsp" && git init -q && git add -A && git commit -qm boards) || bad "BSP repository"
    try() { # WANTED-STATUS HOOK ARGS...
        want=$1; shift
        (cd "$T/bsp" && pre-commit try-repo "$T/hooks" "$@") >"$T/try.out" 2>&1
        status=$?
        [ $status -eq "$want" ] || { cat "$T/try.out"; bad "pre-commit try-repo $*: exit $status, want $want"; }
    }
    try 1 carveout-check --files arch/arm64/boot/dts/broken/brk1-board.dts
    grep -q 'brk1-board.dts:44: error \[rm_overlap\]' "$T/try.out" || bad "carveout-check does not show the finding"
    try 0 carveout-check --files arch/arm64/boot/dts/imx/imx9x-evk.dts
    try 0 carveout-check --files arch/arm64/boot/dts/imx/imx9x.dtsi # not a board: the hook does not run
    try 1 carveout-check-tree --files arch/arm64/boot/dts/broken/brk1.dtsi
    grep -q 'brk1.dtsi:113: error \[cma_align\]' "$T/try.out" || bad "carveout-check-tree does not show the finding"
    echo "ok: pre-commit try-repo ran both hooks"
else
    echo "note: pre-commit is not installed (Debian package pre-commit): the hooks were not run"
fi
[ $fail -eq 0 ] && echo "tst_ci_recipes: the recipes run and their reports are valid"
exit $fail
