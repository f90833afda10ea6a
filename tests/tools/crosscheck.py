#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""crosscheck.py BOARD_LIST_FILE OUT_DIR

Compares, for every board of the list, what crosscheck.sh left in OUT_DIR:
  <key>.ref.json  dtbref's independent reading of the compiled DTB (the expectation)
  <key>.dts.json  carveout-cli layout --format json on the board's source
  <key>.dtb.json  carveout-cli layout --format json on the compiled DTB
  <key>.err       what failed while producing them
(<key> is the board path with "/" replaced by "__").

Fields compared: the profile's arch (against src/<arch>/ of the board path), memory total
and bank count, the /memreserve/ list, the set of /reserved-memory children (paths), per
region placement, base (static regions only), size, compatible, no_map, reusable,
cma_default, status, the first reg tuple as the tree holds it, and the memory-region
consumers (device, index, region, name). base and size are compared as the kernel stores them
in phys_addr_t for the profile carveout-cli reports (32 bits on ARM without LPAE).
Prints one line per mismatch, `board: field: expected X got Y`, then
`crosscheck: N boards, M mismatches`. Exit status 1 on any mismatch. Standard library only.
"""

import json
import os
import sys

REGION_FIELDS = ("placement", "base", "size", "compatible", "no_map", "reusable",
                 "cma_default", "status")


def show(v):
    """A value for a mismatch line: plain strings as they are, anything else (and strings
    that would not read back: empty, with spaces) as JSON."""
    if isinstance(v, str) and v and not any(c.isspace() for c in v) and v != "null":
        return v
    return json.dumps(v, sort_keys=True)


def board_arch(board):
    """src/<arch>/... -> arch, when it is one carveout knows."""
    parts = board.split("/")
    if len(parts) > 2 and parts[0] == "src" and parts[1] in ("arm", "arm64", "riscv"):
        return parts[1]
    return None


def phys_bits(profile):
    """Width of the kernel's phys_addr_t for a profile: 32 on ARM without LPAE, else 64.
    The kernel stores reserved-memory base and size in phys_addr_t (dt_mem_next_cell() into
    phys_addr_t in __reserved_mem_reserve_reg/__reserved_mem_alloc_size), silently dropping
    the upper bits on 32-bit configurations (kernel-rules.md RM-PHYS-WIDTH)."""
    profile = profile or {}
    if profile.get("arch") == "arm" and not (profile.get("config") or {}).get("ARM_LPAE"):
        return 32
    return 64


def as_phys(v, bits):
    if v is None or bits >= 64:
        return v
    return "0x%x" % (int(v, 16) & ((1 << bits) - 1))


def compare(ref, got, tag, arch):
    """Yields (field, expected, got) for every difference between dtbref and carveout-cli."""
    profile = got.get("profile") or {}
    if arch and profile.get("arch") != arch:
        yield f"[{tag}] profile.arch", arch, profile.get("arch")
    bits = phys_bits(profile)

    if ref.get("memory_total") != got.get("memory_total"):
        yield f"[{tag}] memory_total", ref.get("memory_total"), got.get("memory_total")
    got_banks = len(got.get("memory") or [])
    if ref.get("banks") != got_banks:
        yield f"[{tag}] memory.banks", ref.get("banks"), got_banks

    def rsv(lst):
        return [(m.get("base"), m.get("size")) for m in (lst or [])]
    if rsv(ref.get("memreserve")) != rsv(got.get("memreserve")):
        yield f"[{tag}] memreserve", rsv(ref.get("memreserve")), rsv(got.get("memreserve"))

    ref_regions = {r["path"]: r for r in ref.get("regions") or []}
    got_regions = {}
    for r in got.get("regions") or []:
        if r.get("path") in got_regions:
            yield f"[{tag}] regions[{r.get('path')}]", "one entry", "a duplicate"
        got_regions[r.get("path")] = r
    for path in sorted(set(ref_regions) - set(got_regions)):
        yield f"[{tag}] regions[{path}]", "present", "missing"
    for path in sorted(set(got_regions) - set(ref_regions)):
        yield f"[{tag}] regions[{path}]", "absent", "present"
    for path in sorted(set(ref_regions) & set(got_regions)):
        e, g = ref_regions[path], got_regions[path]
        where = f"[{tag}] regions[{path}]"
        for f in REGION_FIELDS:
            expected = e.get(f)
            if f == "base":
                # The base of a dynamic region is where carveout's boot model placed it, not
                # a property of the tree: only static bases are compared.
                if e.get("placement") != "static":
                    continue
                expected = as_phys(expected, bits)
            elif f == "size":
                expected = as_phys(expected, bits)
            if expected != g.get(f, "<no field>"):
                yield f"{where}.{f}", expected, g.get(f, "<no field>")
        if e.get("placement") == "static" and "reg" in g:
            # reg[] holds the tree's own tuples, before any phys_addr_t truncation.
            first = (g.get("reg") or [None])[0]
            got_first = (first.get("base"), first.get("size")) if first else (None, None)
            if (e.get("base"), e.get("size")) != got_first:
                yield f"{where}.reg[0]", [e.get("base"), e.get("size")], list(got_first)

    def consumers(lst):
        out = {}
        for c in lst or []:
            out.setdefault((c.get("device"), c.get("index")), []).append(c)
        return out
    ref_c, got_c = consumers(ref.get("consumers")), consumers(got.get("consumers"))
    for key in sorted(set(ref_c) | set(got_c), key=lambda k: (str(k[0]), k[1] if isinstance(k[1], int) else -1)):
        where = f"[{tag}] consumers[{key[0]}#{key[1]}]"
        e, g = ref_c.get(key, []), got_c.get(key, [])
        if not g:
            yield where, {"region": e[0].get("region"), "name": e[0].get("name")}, "missing"
            continue
        if not e:
            yield where, "absent", {"region": g[0].get("region"), "name": g[0].get("name")}
            continue
        if len(g) != len(e):
            yield where + ".count", len(e), len(g)
        for f in ("region", "name"):
            if e[0].get(f) != g[0].get(f, "<no field>"):
                yield f"{where}.{f}", e[0].get(f), g[0].get(f, "<no field>")
    # Order: carveout-cli lists consumers in tree order then index, as dtbref does.
    ref_order = [(c.get("device"), c.get("index")) for c in ref.get("consumers") or []]
    got_order = [(c.get("device"), c.get("index")) for c in got.get("consumers") or []]
    if sorted(ref_order, key=str) == sorted(got_order, key=str) and ref_order != got_order:
        yield f"[{tag}] consumers.order", "tree order", "another order"


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f), None
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError) as e:
        return None, str(e)


def main(argv):
    if len(argv) != 3:
        print("usage: crosscheck.py BOARD_LIST_FILE OUT_DIR", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        boards = [ln.strip() for ln in f if ln.strip() and not ln.strip().startswith("#")]
    out = argv[2]
    mismatches = 0

    def report(board, field, expected, got):
        nonlocal mismatches
        mismatches += 1
        print(f"{board}: {field}: expected {show(expected)} got {show(got)}")

    for board in boards:
        key = board.replace("/", "__")
        err = os.path.join(out, key + ".err")
        if os.path.exists(err):
            with open(err, encoding="utf-8", errors="replace") as f:
                lines = [ln.rstrip() for ln in f if ln.strip()]
            report(board, "run", "success", " | ".join(lines[:3]) or "a failure")
        ref, ref_err = load(os.path.join(out, key + ".ref.json"))
        if ref is None:
            if ref_err:
                report(board, "dtbref", "valid JSON", ref_err)
            elif not os.path.exists(err):
                report(board, "dtbref", "an output", "none")
            continue
        for tag in ("dts", "dtb"):
            got, got_err = load(os.path.join(out, f"{key}.{tag}.json"))
            if got is None:
                if got_err:
                    report(board, f"[{tag}] json", "valid JSON", got_err)
                elif not os.path.exists(err):
                    report(board, f"[{tag}] json", "an output", "none")
                continue
            for field, expected, value in compare(ref, got, tag, board_arch(board)):
                report(board, field, expected, value)

    print(f"crosscheck: {len(boards)} boards, {mismatches} mismatches")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
