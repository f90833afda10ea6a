#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks the CI reports of carveout-cli against what their consumers require.

    reports.py sarif FILE ROOT          SARIF 2.1.0 for GitHub code scanning
    reports.py codequality FILE ROOT    GitLab Code Quality

ROOT is the folder the report's paths are relative to (the repository root); every path must
name a file there. Prints each problem and exits 1 when there is one.

No Debian package ships the SARIF 2.1.0 JSON schema (nor a validator for it), so the checks of
the schema that matter for these reports are written out here from the OASIS SARIF 2.1.0
specification (sections 3.11-3.33): the required properties, types, enumerations and value
ranges, the properties each object may have (the schema closes every object with
additionalProperties: false), ruleIndex/ruleId agreement (3.27.6, 3.27.7), plus what GitHub's
code scanning needs of an upload (one run per tool and category, a message text, a rule id and a
physical location with a relative URI and a start line on every result). The Code Quality checks
are GitLab's documented fields of an issue: description, check_name, fingerprint (unique within the
report), severity (info, minor, major, critical, blocker), location.path (relative, not starting
with ./) and location.lines.begin or location.positions.begin.line.
"""
import json
import os
import re
import sys

LEVELS = {"none", "note", "warning", "error"}
KINDS = {"notApplicable", "pass", "fail", "review", "open", "informational"}
# The properties the 2.1.0 schema allows on the objects carveout-cli writes.
ALLOWED = {
    "sarifLog": {"$schema", "version", "runs", "inlineExternalProperties", "properties"},
    "run": {"tool", "invocations", "conversion", "language", "versionControlProvenance", "originalUriBaseIds",
            "artifacts", "logicalLocations", "graphs", "results", "automationDetails", "runAggregates",
            "baselineGuid", "redactionTokens", "defaultEncoding", "defaultSourceLanguage", "newlineSequences",
            "columnKind", "externalPropertyFileReferences", "threadFlowLocations", "taxonomies", "addresses",
            "translations", "policies", "webRequests", "webResponses", "specialLocations", "properties"},
    "tool": {"driver", "extensions", "properties"},
    "toolComponent": {"guid", "name", "organization", "product", "productSuite", "shortDescription",
                      "fullDescription", "fullName", "version", "semanticVersion", "dottedQuadFileVersion",
                      "releaseDateUtc", "downloadUri", "informationUri", "globalMessageStrings", "notifications",
                      "rules", "taxa", "locations", "language", "contents", "isComprehensive",
                      "localizedDataSemanticVersion", "minimumRequiredLocalizedDataSemanticVersion",
                      "associatedComponent", "translationMetadata", "supportedTaxonomies", "properties"},
    "reportingDescriptor": {"id", "deprecatedIds", "guid", "deprecatedGuids", "name", "deprecatedNames",
                            "shortDescription", "fullDescription", "messageStrings", "defaultConfiguration",
                            "helpUri", "help", "relationships", "properties"},
    "reportingConfiguration": {"enabled", "level", "rank", "parameters", "properties"},
    "multiformatMessageString": {"text", "markdown", "properties"},
    "result": {"ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget", "locations", "guid",
               "correlationGuid", "occurrenceCount", "partialFingerprints", "fingerprints", "stacks", "codeFlows",
               "graphs", "graphTraversals", "relatedLocations", "suppressions", "baselineState", "rank",
               "attachments", "hostedViewerUri", "workItemUris", "provenance", "fixes", "taxa", "webRequest",
               "webResponse", "properties"},
    "message": {"text", "markdown", "id", "arguments", "properties"},
    "location": {"id", "physicalLocation", "logicalLocations", "message", "annotations", "relationships",
                 "properties"},
    "physicalLocation": {"address", "artifactLocation", "region", "contextRegion", "properties"},
    "artifactLocation": {"uri", "uriBaseId", "index", "description", "properties"},
    "region": {"startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength", "byteOffset",
               "byteLength", "snippet", "message", "sourceLanguage", "properties"},
    "logicalLocation": {"name", "index", "fullyQualifiedName", "decoratedName", "parentIndex", "kind",
                        "properties"},
    "runAutomationDetails": {"description", "id", "guid", "correlationGuid", "properties"},
}
# RFC 3986 URI reference: unreserved, reserved and percent-encoded characters only.
URI_REFERENCE = re.compile(r"^([A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")


class Checker:
    def __init__(self, root):
        self.root = root
        self.problems = []

    def bad(self, where, what):
        self.problems.append("%s: %s" % (where, what))

    def obj(self, value, kind, where, required=()):
        if not isinstance(value, dict):
            self.bad(where, "a %s must be an object" % kind)
            return False
        for key in required:
            if key not in value:
                self.bad(where, "a %s needs '%s'" % (kind, key))
        for key in value:
            if key not in ALLOWED[kind]:
                self.bad(where, "a %s may not have '%s' (SARIF 2.1.0)" % (kind, key))
        if "properties" in value and not isinstance(value["properties"], dict):
            self.bad(where + ".properties", "a property bag must be an object")
        return True

    def string(self, value, where, nonempty=False):
        if not isinstance(value, str) or (nonempty and not value):
            self.bad(where, "must be a%s string" % (" non-empty" if nonempty else ""))
            return False
        return True

    def integer(self, value, where, minimum):
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.bad(where, "must be an integer of at least %d, not %r" % (minimum, value))

    def message_string(self, value, where):
        if self.obj(value, "multiformatMessageString", where, ["text"]):
            self.string(value.get("text"), where + ".text")

    def file(self, path, where):
        if path.startswith("/") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path):
            self.bad(where, "'%s' is not relative to the repository" % path)
        elif not os.path.isfile(os.path.join(self.root, path)):
            self.bad(where, "'%s' is not a file under %s" % (path, self.root))

    def sarif(self, log):
        if not self.obj(log, "sarifLog", "$", ["version", "runs"]):
            return
        if log.get("version") != "2.1.0":
            self.bad("$.version", "must be \"2.1.0\"")
        if "$schema" in log and not URI_REFERENCE.match(str(log["$schema"])):
            self.bad("$.$schema", "not a URI")
        runs = log.get("runs")
        if not isinstance(runs, list):
            self.bad("$.runs", "must be an array")
            return
        categories = set()
        for r, run in enumerate(runs):
            where = "runs[%d]" % r
            if not self.obj(run, "run", where, ["tool"]):
                continue
            tool = run.get("tool")
            if not self.obj(tool, "tool", where + ".tool", ["driver"]):
                continue
            driver = tool.get("driver")
            rules = []
            if self.obj(driver, "toolComponent", where + ".tool.driver", ["name"]):
                self.string(driver.get("name"), where + ".tool.driver.name", nonempty=True)
                for key in ("version", "informationUri"):
                    if key in driver:
                        self.string(driver[key], "%s.tool.driver.%s" % (where, key))
                rules = driver.get("rules", [])
                if not isinstance(rules, list):
                    self.bad(where + ".tool.driver.rules", "must be an array")
                    rules = []
                ids = set()
                for i, rule in enumerate(rules):
                    rw = "%s.tool.driver.rules[%d]" % (where, i)
                    if not self.obj(rule, "reportingDescriptor", rw, ["id"]):
                        continue
                    if self.string(rule.get("id"), rw + ".id", nonempty=True):
                        if rule["id"] in ids:
                            self.bad(rw + ".id", "'%s' twice" % rule["id"])
                        ids.add(rule["id"])
                    for key in ("shortDescription", "fullDescription", "help"):
                        if key in rule:
                            self.message_string(rule[key], "%s.%s" % (rw, key))
                    config = rule.get("defaultConfiguration")
                    if config is not None and self.obj(config, "reportingConfiguration", rw + ".defaultConfiguration"):
                        if "level" in config and config["level"] not in LEVELS:
                            self.bad(rw + ".defaultConfiguration.level", "not one of %s" % sorted(LEVELS))
            category = (driver.get("name") if isinstance(driver, dict) else None,
                        (run.get("automationDetails") or {}).get("id"))
            if category in categories:
                self.bad(where, "a second run of tool %s in category %s: code scanning takes one" % category)
            categories.add(category)
            results = run.get("results", [])
            if not isinstance(results, list):
                self.bad(where + ".results", "must be an array")
                continue
            for n, result in enumerate(results):
                self.result(result, "%s.results[%d]" % (where, n), rules)

    def result(self, result, where, rules):
        if not self.obj(result, "result", where, ["message"]):
            return
        message = result.get("message")
        if self.obj(message, "message", where + ".message"):
            if "text" not in message and "id" not in message:
                self.bad(where + ".message", "needs 'text' or 'id'")
            # GitHub shows the text; an id alone is not enough for it.
            self.string(message.get("text"), where + ".message.text", nonempty=True)
        if not self.string(result.get("ruleId"), where + ".ruleId", nonempty=True):
            return
        if "ruleIndex" in result:
            self.integer(result["ruleIndex"], where + ".ruleIndex", -1)
            index = result["ruleIndex"]
            if isinstance(index, int) and index >= 0:
                if index >= len(rules) or not isinstance(rules[index], dict):
                    self.bad(where + ".ruleIndex", "%d is past the %d rules" % (index, len(rules)))
                elif rules[index].get("id") != result["ruleId"]:
                    self.bad(where, "ruleIndex %d is rule '%s', not ruleId '%s'"
                             % (index, rules[index].get("id"), result["ruleId"]))
        if "level" in result and result["level"] not in LEVELS:
            self.bad(where + ".level", "not one of %s" % sorted(LEVELS))
        if "kind" in result and result["kind"] not in KINDS:
            self.bad(where + ".kind", "not one of %s" % sorted(KINDS))
        locations = result.get("locations")
        if not isinstance(locations, list) or not locations:
            self.bad(where + ".locations", "code scanning needs at least one location")
            return
        for l, location in enumerate(locations):
            lw = "%s.locations[%d]" % (where, l)
            if not self.obj(location, "location", lw):
                continue
            for g, logical in enumerate(location.get("logicalLocations", [])):
                if self.obj(logical, "logicalLocation", "%s.logicalLocations[%d]" % (lw, g)):
                    for key in ("name", "fullyQualifiedName", "kind"):
                        if key in logical:
                            self.string(logical[key], "%s.logicalLocations[%d].%s" % (lw, g, key))
            physical = location.get("physicalLocation")
            if physical is None:
                if l == 0:
                    self.bad(lw, "code scanning needs a physicalLocation on the first location")
                continue
            if not self.obj(physical, "physicalLocation", lw + ".physicalLocation"):
                continue
            if "artifactLocation" not in physical and "address" not in physical:
                self.bad(lw + ".physicalLocation", "needs 'artifactLocation' or 'address'")
            artifact = physical.get("artifactLocation")
            if artifact is not None and self.obj(artifact, "artifactLocation", lw + ".physicalLocation.artifactLocation"):
                uri = artifact.get("uri")
                if self.string(uri, lw + ".physicalLocation.artifactLocation.uri", nonempty=True):
                    if not URI_REFERENCE.match(uri):
                        self.bad(lw + ".physicalLocation.artifactLocation.uri", "'%s' is not a URI reference" % uri)
                    self.file(uri, lw + ".physicalLocation.artifactLocation.uri")
            region = physical.get("region")
            if region is None:
                self.bad(lw + ".physicalLocation", "code scanning needs a region with a startLine")
            elif self.obj(region, "region", lw + ".physicalLocation.region", ["startLine"]):
                for key in ("startLine", "startColumn", "endLine", "endColumn"):
                    if key in region:
                        self.integer(region[key], "%s.physicalLocation.region.%s" % (lw, key), 1)

    def codequality(self, issues):
        if not isinstance(issues, list):
            self.bad("$", "a Code Quality report is a JSON array of issues")
            return
        fingerprints = set()
        for n, issue in enumerate(issues):
            where = "[%d]" % n
            if not isinstance(issue, dict):
                self.bad(where, "an issue must be an object")
                continue
            for key in ("description", "check_name", "fingerprint", "severity", "location"):
                if key not in issue:
                    self.bad(where, "an issue needs '%s'" % key)
            for key in ("description", "check_name", "fingerprint"):
                if key in issue:
                    self.string(issue[key], "%s.%s" % (where, key), nonempty=True)
            fingerprint = issue.get("fingerprint")
            if fingerprint in fingerprints:
                self.bad(where + ".fingerprint", "'%s' twice: GitLab shows only the first" % fingerprint)
            fingerprints.add(fingerprint)
            if "severity" in issue and issue["severity"] not in ("info", "minor", "major", "critical", "blocker"):
                self.bad(where + ".severity", "'%s' is not info, minor, major, critical or blocker" % issue["severity"])
            location = issue.get("location")
            if not isinstance(location, dict):
                continue
            path = location.get("path")
            if self.string(path, where + ".location.path", nonempty=True):
                if path.startswith("./"):
                    self.bad(where + ".location.path", "must not start with ./")
                self.file(path, where + ".location.path")
            lines = location.get("lines")
            positions = location.get("positions")
            if isinstance(lines, dict):
                self.integer(lines.get("begin"), where + ".location.lines.begin", 1)
            elif isinstance(positions, dict) and isinstance(positions.get("begin"), dict):
                self.integer(positions["begin"].get("line"), where + ".location.positions.begin.line", 1)
            else:
                self.bad(where + ".location", "needs lines.begin or positions.begin.line")


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("sarif", "codequality"):
        sys.exit(__doc__)
    kind, path, root = sys.argv[1:]
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        print("%s: not JSON: %s" % (path, e))
        sys.exit(1)
    checker = Checker(root)
    getattr(checker, kind)(report)
    for p in checker.problems:
        print("%s: %s" % (path, p))
    if checker.problems:
        sys.exit(1)
    count = len(report["runs"][0].get("results", [])) if kind == "sarif" else len(report)
    print("ok: %s is a valid %s report (%d %s)" % (path, "SARIF 2.1.0" if kind == "sarif" else "GitLab Code Quality",
                                                 count, "results" if kind == "sarif" else "issues"))


if __name__ == "__main__":
    main()
