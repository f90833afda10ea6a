#!/usr/bin/env bash
# record-captures.sh: record real carveout-capture bundles by booting the kernel oracle's stock
# Debian kernels (../shared/oracle: arm64 6.1, arm64 6.12, armhf 6.1) under QEMU with an
# initramfs that runs scripts/carveout-capture and prints the bundle on the serial console.
#
# Usage: scripts/record-captures.sh [--out DIR] [--logs DIR] [--list] [NAME...]
#   NAME      a capture name from the table below (CASE.KERNEL[.memblock]); default: all
#   --out     where the bundles go (default: tests/data/captures)
#   --logs    keep the raw serial logs there (default: $CACHE/logs)
#   --list    print the capture table and exit
#   --variants-only   only (re)write the .dmesg.log / .console.log / .iomem variants from the bundles
# Environment:
#   CARVEOUT_CAPTURE_CACHE  cache (default: ~/.cache/carveout-captures): private apt state,
#                           busybox-static .debs, initramfs images, logs
#   KERNEL_ORACLE_CACHE     the oracle's cache (default: ~/.cache/kernel-oracle; run
#                           ../shared/oracle/setup-kernel first)
#   SHARED_ORACLE           the oracle folder (default: ../shared/oracle beside the checkout)
#   CAPTURE_TIMEOUT         seconds per boot (default: 240)
#
# busybox-static for arm64 and armhf is fetched with a private apt state (APT::Architecture,
# Dir::State::Lists, Dir::Cache under the cache), exactly as the oracle's setup-kernel fetches
# the kernels: no foreign architecture is added to dpkg. QEMU boots run one at a time, niced.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
CACHE="${CARVEOUT_CAPTURE_CACHE:-$HOME/.cache/carveout-captures}"
KCACHE="${KERNEL_ORACLE_CACHE:-$HOME/.cache/kernel-oracle}"
ORACLE="${SHARED_ORACLE:-$REPO/../shared/oracle}"
TIMEOUT="${CAPTURE_TIMEOUT:-240}"
OUT="$REPO/tests/data/captures"
LOGS="$CACHE/logs"
LIST=0
VARIANTS_ONLY=0
NAMES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --logs) LOGS="$2"; shift 2 ;;
    --list) LIST=1; shift ;;
    --variants-only) VARIANTS_ONLY=1; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    -*) echo "record-captures: unknown option $1" >&2; exit 2 ;;
    *) NAMES+=("$1"); shift ;;
  esac
done

# ---------------------------------------------------------------------------------------------
# The captures: NAME CASE KERNEL MEMBLOCK(1|0) SPECIAL
#   CASE is a file name in ../shared/oracle/cases, or tests/oracle/cases (project cases);
#   SPECIAL: "-" (boot the case as it is), "extra-region" (the booted tree has a no-map region
#   the source lacks: a modified case JSON is written next to the bundle), "ram:MB" (QEMU is
#   given MB of RAM while the source's /memory node says the case's memory_mb), "trace" (the
#   kernel records its cma trace events from early boot, trace_event=cma:*, and the bundle
#   carries them: carveout-capture --trace 0; what allocates there is the DMA atomic pools),
#   "hugetlb:MB:CMA" (a trace, with MB of RAM and hugetlb_cma=CMA: before the capture the
#   initramfs allocates and frees gigantic pages, 1 GiB and 32 MiB, through nr_hugepages in the
#   order of carveout-hugetlb below, so the trace has allocations, releases and failures).
# ---------------------------------------------------------------------------------------------
CAPTURES="
01-static-cma-default.arm64-6.1                 01-static-cma-default.json   arm64-6.1  0 -
02-cma-misaligned.arm64-6.12                    02-cma-misaligned.json       arm64-6.12 0 -
02-cma-misaligned.armhf-6.1                     02-cma-misaligned.json       armhf-6.1  0 -
03-cma-no-map.arm64-6.1                         03-cma-no-map.json           arm64-6.1  0 -
05-dynamic-align.arm64-6.1                      05-dynamic-align.json        arm64-6.1  0 -
05-dynamic-align.arm64-6.1.memblock             05-dynamic-align.json        arm64-6.1  1 -
05-dynamic-align.arm64-6.12                     05-dynamic-align.json        arm64-6.12 0 -
05-dynamic-align.armhf-6.1.memblock             05-dynamic-align.json        armhf-6.1  1 -
06-alloc-ranges.arm64-6.12                      06-alloc-ranges.json         arm64-6.12 0 -
10-cmdline-cma-override.arm64-6.1               10-cmdline-cma-override.json arm64-6.1  0 -
11-multi-dynamic-order.arm64-6.1                11-multi-dynamic-order.json  arm64-6.1  0 -
11-multi-dynamic-order.armhf-6.1.memblock       11-multi-dynamic-order.json  armhf-6.1  1 -
12-memreserve.arm64-6.12                        12-memreserve.json           arm64-6.12 0 -
14-cmdline-cma-fixed.arm64-6.12                 14-cmdline-cma-fixed.json    arm64-6.12 0 -
17-alloc-fail.arm64-6.1                         17-alloc-fail.json           arm64-6.1  0 -
20-adjacent-dynamic.arm64-6.12                  20-adjacent-dynamic.json     arm64-6.12 0 -
27-cma-slots-full-6.12.arm64-6.12               27-cma-slots-full-6.12.json  arm64-6.12 0 -
28-sample-imx9x-evk.arm64-6.12                  28-sample-imx9x-evk.json     arm64-6.12 0 -
28-sample-imx9x-evk.arm64-6.1.memblock          28-sample-imx9x-evk.json     arm64-6.1  1 -
planted-extra-region.arm64-6.12                 05-dynamic-align.json        arm64-6.12 0 extra-region
planted-extra-region.arm64-6.1.memblock         05-dynamic-align.json        arm64-6.1  1 extra-region
planted-ram-differs.arm64-6.12                  05-dynamic-align.json        arm64-6.12 0 ram:1536
01-static-cma-default.arm64-6.1.trace           01-static-cma-default.json   arm64-6.1  0 trace
01-static-cma-default.arm64-6.12.trace          01-static-cma-default.json   arm64-6.12 0 trace
10-cmdline-cma-override.arm64-6.12.trace        10-cmdline-cma-override.json arm64-6.12 0 trace
10-cmdline-cma-override.armhf-6.1.trace         10-cmdline-cma-override.json armhf-6.1  0 trace
01-static-cma-default.arm64-6.1.hugetlb.trace   01-static-cma-default.json   arm64-6.1  0 hugetlb:6144:2G
01-static-cma-default.arm64-6.12.hugetlb.trace  01-static-cma-default.json   arm64-6.12 0 hugetlb:6144:2G
"

if [ $LIST -eq 1 ]; then echo "$CAPTURES" | sed '/^$/d'; exit 0; fi

log() { echo "record-captures: $*" >&2; }
die() { log "$*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# variants: the kernel log alone, the serial console log, /proc/iomem alone
# ---------------------------------------------------------------------------------------------
# section_of BUNDLE NAME: the content of one text section (escaping removed)
section_of() {
  awk -v want="$2" '
    /^@@@ section / { cur = $3; next }
    /^@@@ end$/ { cur = ""; next }
    cur == want { if ($0 ~ /^@@@@+ /) print substr($0, 2); else print }' "$1"
}

write_variants() { # NAME
  local n="$1" b="$OUT/$1.bundle"
  [ -f "$b" ] || return 0
  case "$n" in
    05-dynamic-align.arm64-6.1|05-dynamic-align.arm64-6.12|11-multi-dynamic-order.armhf-6.1.memblock|17-alloc-fail.arm64-6.1|planted-extra-region.arm64-6.12|planted-ram-differs.arm64-6.12)
      section_of "$b" dmesg > "$OUT/$n.dmesg.log"
      section_of "$b" iomem > "$OUT/$n.iomem" ;;
  esac
}

if [ $VARIANTS_ONLY -eq 1 ]; then
  echo "$CAPTURES" | while read -r name _; do [ -n "$name" ] && write_variants "$name"; done
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# host tools, busybox-static, initramfs
# ---------------------------------------------------------------------------------------------
[ -d "$ORACLE" ] || die "no oracle at $ORACLE (set SHARED_ORACLE)"
[ -f "$KCACHE/kernels/arm64-6.1/vmlinuz" ] || die "no kernels in $KCACHE: run $ORACLE/setup-kernel first"
for t in qemu-system-aarch64 qemu-system-arm dtc python3 dpkg-deb gzip; do
  command -v "$t" >/dev/null || die "$t missing (run $ORACLE/setup-kernel, which installs QEMU and dtc)"
done

apt_opts() { # $1 = debian arch: a private package-list state, as setup-kernel does
  local d="$CACHE/apt-$1"
  mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
  echo "-oAPT::Architecture=$1 -oAPT::Architectures=$1 -oDir::State::Lists=$d/lists -oDir::Cache=$d/cache -oAcquire::Retries=3"
}

fetch_busybox() { # $1 = arch -> $CACHE/busybox-$1/bin/busybox
  local arch="$1" dest="$CACHE/busybox-$arch"
  [ -x "$dest/bin/busybox" ] && return 0
  local stamp="$CACHE/apt-$arch/updated"
  if [ ! -f "$stamp" ]; then
    # shellcheck disable=SC2046
    apt-get $(apt_opts "$arch") update >&2 || log "apt-get update for $arch reported errors; continuing"
    touch "$stamp"
  fi
  local tmp; tmp="$(mktemp -d "$CACHE/tmp.XXXXXX")"
  chmod 777 "$tmp"   # apt-get download drops privileges to _apt
  # shellcheck disable=SC2046
  ( cd "$tmp" && apt-get $(apt_opts "$arch") download busybox-static >&2 )
  local deb; deb="$(ls "$tmp"/*.deb)"
  rm -rf "$dest"; mkdir -p "$dest"
  dpkg-deb -x "$deb" "$dest"
  cp "$deb" "$CACHE/"
  rm -rf "$tmp"
  [ -x "$dest/bin/busybox" ] || die "no bin/busybox in $(basename "$deb")"
  log "busybox-static for $arch: $(basename "$deb")"
}

MARK_BEGIN="=== carveout-capture bundle begin ==="
MARK_END="=== carveout-capture bundle end ==="

build_initramfs() { # $1 = arch -> $CACHE/initramfs-$1.cpio.gz
  local arch="$1" root="$CACHE/initramfs-$arch.d" img="$CACHE/initramfs-$arch.cpio.gz"
  rm -rf "$root"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,root,etc}
  cp "$CACHE/busybox-$arch/bin/busybox" "$root/bin/busybox"
  ln -s busybox "$root/bin/sh"
  install -m 755 "$REPO/scripts/carveout-capture" "$root/usr/bin/carveout-capture"
  cat > "$root/init" <<EOF
#!/bin/sh
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
hostname carveout-guest
# keep the kernel quiet on the console while the bundle is printed (dmesg keeps everything)
echo 1 > /proc/sys/kernel/printk
cd /tmp
# carveout.hugetlb=1 (the "hugetlb" captures): gigantic pages are allocated and freed first
grep -q 'carveout[.]hugetlb=1' /proc/cmdline && /usr/bin/carveout-hugetlb > /tmp/hugetlb.log 2>&1
# carveout.trace=N on the command line (the "trace" captures): the trace too, N seconds more
T=\$(sed -n 's/.*carveout[.]trace=\([0-9]*\).*/\1/p' /proc/cmdline)
carveout-capture \${T:+--trace \$T} -o /tmp/bundle.txt 2>/tmp/capture.err
echo "$MARK_BEGIN"
cat /tmp/bundle.txt
echo "$MARK_END"
echo "--- carveout-capture stderr:"
cat /tmp/capture.err
[ -f /tmp/hugetlb.log ] && { echo "--- carveout-hugetlb:"; cat /tmp/hugetlb.log; }
sync
poweroff -f
EOF
  chmod 755 "$root/init"
  # Gigantic pages come from hugetlb_cma's area first (alloc_gigantic_folio: cma_alloc, then
  # alloc_contig_pages elsewhere): 1 GiB (PUD) and 32 MiB (CONT_PMD) pages on 4K arm64, set in an
  # order that interleaves allocations and releases and asks for more than the area holds.
  cat > "$root/usr/bin/carveout-hugetlb" <<'EOF'
#!/bin/sh
H=/sys/kernel/mm/hugepages
set_nr() { # SIZE_KB N
  f=$H/hugepages-$1kB/nr_hugepages
  [ -w "$f" ] || { echo "carveout-hugetlb: no $f"; return; }
  echo "$2" > "$f" 2>/dev/null
  echo "carveout-hugetlb: hugepages-$1kB nr_hugepages=$2 -> $(cat "$f")"
}
grep -i huge /proc/meminfo
set_nr 1048576 1
set_nr 32768 4
set_nr 1048576 2
set_nr 32768 2
set_nr 1048576 0
set_nr 32768 8
set_nr 1048576 1
set_nr 32768 3
set_nr 1048576 0
set_nr 32768 0
set_nr 1048576 3
set_nr 32768 5
set_nr 1048576 1
set_nr 32768 1
grep -i -e huge -e cma /proc/meminfo
EOF
  chmod 755 "$root/usr/bin/carveout-hugetlb"
  ( cd "$root" && find . | LC_ALL=C sort | busybox_cpio ) | gzip -9n > "$img"
}

busybox_cpio() {
  if command -v cpio >/dev/null; then cpio -o -H newc -R 0:0 --quiet
  else "$CACHE/busybox-host" cpio -o -H newc -R 0:0; fi
}

# ---------------------------------------------------------------------------------------------
# one capture
# ---------------------------------------------------------------------------------------------
case_path() { # file name -> path
  if [ -f "$ORACLE/cases/$1" ]; then echo "$ORACLE/cases/$1"
  elif [ -f "$REPO/tests/oracle/cases/$1" ]; then echo "$REPO/tests/oracle/cases/$1"
  else die "case $1 not found"; fi
}
case_dts_ref() { # case file, kernel -> the oracle's recorded dts of it
  local base="${1%.json}"
  if [ -f "$ORACLE/cases/dts/$base.$2.dts" ]; then echo "$ORACLE/cases/dts/$base.$2.dts"
  elif [ -f "$REPO/tests/oracle/cases/dts/$base.$2.dts" ]; then echo "$REPO/tests/oracle/cases/dts/$base.$2.dts"; fi
}

record() { # NAME CASE KERNEL MEMBLOCK SPECIAL
  local name="$1" casef="$2" kernel="$3" mb="$4" special="$5"
  local arch="${kernel%%-*}" src work casejson mem
  src="$(case_path "$casef")"
  work="$CACHE/work/$name"; rm -rf "$work"; mkdir -p "$work" "$LOGS"
  casejson="$src"
  mem="$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1])).get("memory_mb", 2048)))' "$src")"
  case "$special" in
    extra-region)
      # the booted tree has a region the sources lack (as if the bootloader added it)
      casejson="$OUT/${name%%.*}.case.json"
      python3 - "$src" "$casejson" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["name"] = "planted-extra-region"
c["description"] = ("05-dynamic-align plus a static no-map region 'bootloader-fw@50000000' "
                    "(2 MiB) that the source (05-dynamic-align) lacks: as if the bootloader "
                    "had added it. compare against 05-dynamic-align must report it.")
c["reserved_memory"]["nodes"].append(
    {"name": "bootloader-fw@50000000", "reg": [["0x50000000", "0x200000"]], "no_map": True})
json.dump(c, open(sys.argv[2], "w"), indent=1)
open(sys.argv[2], "a").write("\n")
PY
      cp "$src" "$OUT/${name%%.*}.source.json" ;;
    ram:*)
      mem="${special#ram:}"
      cp "$src" "$OUT/${name%%.*}.source.json" ;;
    trace)
      casejson="$work/trace.case.json"
      python3 - "$src" "$casejson" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["bootargs"] = (c.get("bootargs", "") + " trace_event=cma:* carveout.trace=0").strip()
json.dump(c, open(sys.argv[2], "w"), indent=1)
PY
      ;;
    hugetlb:*)
      mem="$(echo "$special" | cut -d: -f2)"
      casejson="$work/trace.case.json"
      python3 - "$src" "$casejson" "$mem" "$(echo "$special" | cut -d: -f3)" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["memory_mb"] = int(sys.argv[3])
c["bootargs"] = (c.get("bootargs", "") + " hugetlb_cma=%s trace_event=cma:* carveout.trace=0 carveout.hugetlb=1"
                 % sys.argv[4]).strip()
json.dump(c, open(sys.argv[2], "w"), indent=1)
PY
      ;;
    -) ;;
    *) die "unknown special $special" ;;
  esac
  local nomb=(); [ "$mb" = 1 ] || nomb=(--no-memblock-debug)
  "$ORACLE/kernel-oracle" "$casejson" --kernel "$kernel" --dts-only "${nomb[@]}" > "$work/booted.dts"
  dtc -q -I dts -O dtb -o "$work/booted.dtb" "$work/booted.dts"

  local q cpu
  case "$arch" in
    arm64) q=qemu-system-aarch64; cpu=cortex-a57 ;;
    armhf) q=qemu-system-arm; cpu=cortex-a15 ;;
  esac
  local logf="$LOGS/$name.log" t0=$SECONDS
  log "$name: booting $kernel ($mem MiB, memblock=debug: $mb)"
  # timeout kills only its own child (QEMU) when the guest does not power off
  timeout --foreground -k 5 "$TIMEOUT" nice -n 5 "$q" -M virt -cpu "$cpu" -m "$mem" -nographic -no-reboot \
    -kernel "$KCACHE/kernels/$kernel/vmlinuz" -dtb "$work/booted.dtb" \
    -initrd "$CACHE/initramfs-$arch.cpio.gz" </dev/null > "$logf" 2>&1 || log "$name: qemu exited with $? (see $logf)"
  tr -d '\r' < "$logf" | awk -v b="$MARK_BEGIN" -v e="$MARK_END" '$0 == e { on = 0 } on { print } $0 == b { on = 1 }' > "$work/bundle"
  if [ "$(head -n 1 "$work/bundle")" != "carveout-capture-bundle 1" ] || [ "$(tail -n 1 "$work/bundle")" != "@@@ end" ]; then
    log "$name: no complete bundle in $logf"; return 1
  fi
  case "$special" in
    hugetlb:*)
      # small test data: the dma events' format files are not read (tst_trace needs the cma
      # events, the boot sections and the tree); what the initramfs did goes beside the bundle
      awk '/^@@@ section trace-format\/dma\// { skip = 1; next } /^@@@ / { skip = 0 } !skip' "$work/bundle" > "$OUT/$name.bundle"
      tr -d '\r' < "$logf" | sed -n '/^--- carveout-hugetlb:$/,$p' | grep -a '^carveout-hugetlb: ' > "$OUT/$name.hugetlb.txt" ;;
    *) cp "$work/bundle" "$OUT/$name.bundle" ;;
  esac
  # the console log: what the serial port showed before the bundle (a "serial console log")
  tr -d '\r' < "$logf" | awk -v b="$MARK_BEGIN" '$0 == b { exit } { print }' > "$work/console.log"
  # keep the exact tree unless it is the oracle's recorded one
  local ref; ref="$(case_dts_ref "$casef" "$kernel")"
  if [ "$special" = - ] && [ -n "$ref" ] && cmp -s "$ref" "$work/booted.dts"; then
    rm -f "$OUT/$name.dts"
  else
    cp "$work/booted.dts" "$OUT/$name.dts"
  fi
  write_variants "$name"
  case "$name" in
    05-dynamic-align.arm64-6.1.memblock|10-cmdline-cma-override.arm64-6.1) cp "$work/console.log" "$OUT/$name.console.log" ;;
  esac
  log "$name: $(wc -c < "$OUT/$name.bundle") bytes, $(grep -c '^@@@ section' "$OUT/$name.bundle") sections, $((SECONDS - t0)) s"
}

mkdir -p "$CACHE" "$OUT"
if ! command -v cpio >/dev/null; then
  # the host's own busybox (Debian package busybox or busybox-static) has cpio -o -H newc
  if command -v busybox >/dev/null; then ln -sf "$(command -v busybox)" "$CACHE/busybox-host"
  else die "neither cpio nor busybox on this machine: apt-get install cpio"; fi
fi
for arch in arm64 armhf; do fetch_busybox "$arch"; build_initramfs "$arch"; done

fail=0
while read -r name casef kernel mb special; do
  [ -n "$name" ] || continue
  if [ ${#NAMES[@]} -gt 0 ]; then
    keep=0; for n in "${NAMES[@]}"; do [ "$n" = "$name" ] && keep=1; done
    [ $keep -eq 1 ] || continue
  fi
  record "$name" "$casef" "$kernel" "$mb" "$special" || fail=1
done <<< "$CAPTURES"
exit $fail
