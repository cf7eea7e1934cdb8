#!/usr/bin/env bash
# Build the tree for x86_64 from smp-config (kunit.py build --arch=x86_64,
# its own build dir build/linux/.kunit-x86_64, under the machine's build
# lock) and run the suites matching a glob (default 'anon_*') on QEMU (TCG)
# with several CPUs: kunit.py exec, its parsed result. Then check the
# kernel log: any lockdep report, WARNING, BUG or oops fails the run even
# when every test passed. Prints a line per suite and the verifier's totals.
# Not a make check step (see README.md: the cold build's cost).
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	cat <<USAGE
usage: ${0##*/} [--smp N] [--rmap] [--timeout SECONDS] [--json FILE] [SUITE_GLOB [KERNEL_ARG...]]
       ${0##*/} --parse LOG [--json FILE]
  SUITE_GLOB         kunit.filter_glob (default: 'anon_*')
  --smp N            QEMU CPUs (-smp N; default 2)
  --rmap             the space as the reverse map: smp-config without THP,
                     with CONFIG_ANON_SPACE_RMAP (which THP excludes), built
                     in its own dir (build/linux/.kunit-x86_64-rmap)
  --timeout SECONDS  kill QEMU after that long (default 1800)
  --json FILE        kunit.py's JSON results (default: build/check-smp.json)
  KERNEL_ARG         more kernel parameters (e.g. anon_space_rmap_kunit.family_seed=7)
  --parse LOG        no build, no run: judge a kernel log of an earlier run
                     (build/check-smp.log) as a run is judged (kunit.py parse)
USAGE
}
# judge LOG JSON RC: print a line per suite (passed, failed, skipped, from
# kunit.py's JSON), the skip reasons and the verifier's totals (from the
# kernel log LOG); then fail on any lockdep report, warning, BUG or oops in
# LOG (even when every test passed), or when RC (kunit.py's parsed result)
# is not 0.
judge() {
	local klog=$1 json=$2 rc=$3 trouble
	python3 - "$json" "$klog" <<'PY' || true
import json, re, sys
def leaves(g):
    for c in g.get("test_cases", []):
        yield c.get("status", "FAIL")
    for s in g.get("sub_groups", []):
        yield from leaves(s)
for g in json.load(open(sys.argv[1])).get("sub_groups", []):
    n = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    for s in leaves(g):
        n[s if s in n else "FAIL"] += 1
    print(f"suite {g.get('name')}: {n['PASS']} passed, {n['FAIL']} failed, {n['SKIP']} skipped")
# Skip reasons from the KTAP output: "ok N case # SKIP reason", under the
# suite's "# Subtest: suite" (4 spaces in) and a parameterised case's.
suite, param, reasons = None, None, {}
for line in open(sys.argv[2], errors="replace"):
    m = re.match(r"^(    |        )# Subtest: (\S+)", line)
    if m:
        if len(m.group(1)) == 4:
            suite = m.group(2)
        else:
            param = m.group(2)
    m = re.match(r"^(    |        )ok \d+ (.*?) # SKIP (.+)$", line)
    if m and suite:
        case = m.group(2) if len(m.group(1)) == 4 else f"{param}[{m.group(2)}]"
        reasons.setdefault(m.group(3).strip(), []).append(f"{suite}.{case}")
for why, cases in reasons.items():
    print(f"skipped ({len(cases)}, '{why}'): {', '.join(cases)}")
PY
	grep -E 'anon_space verifier totals' "$klog" | sed -E 's/^.*# /verifier: /' || true
	grep -E 'smp: Brought up' "$klog" | sed -E 's/^(\[[^]]*\] )?/kernel: /' || true
	trouble='WARNING:|BUG:|Oops|Kernel panic|Call Trace|general protection|possible circular|possible recursive|inconsistent lock state|suspicious RCU usage|lockdep is turned off|INFO: '
	if grep -Eq "$trouble" "$klog"; then
		log "the kernel printed a warning, BUG, oops or lockdep report:"
		grep -En -B2 -A12 "$trouble" "$klog" | head -80 >&2
		die "kernel trouble in $klog"
	fi
	[ "$rc" = 0 ] || die "kunit.py's parsed result: failed (exit $rc; kernel log: $klog)"
}

smp=2
rmap=
timeout=1800
json=$BUILD/check-smp.json
parse=
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--smp) positive_arg --smp "${2:-}"; smp=$2; shift 2 ;;
	--rmap) rmap=1; shift ;;
	--timeout) positive_arg --timeout "${2:-}"; timeout=$2; shift 2 ;;
	--parse) [ -n "${2:-}" ] || { usage >&2; die "--parse needs a log file"; }; parse=$2; shift 2 ;;
	--json) [ -n "${2:-}" ] || { usage >&2; die "--json needs a file"; }; json=$2; shift 2 ;;
	-*) usage >&2; echo "${0##*/}: error: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
glob=${1:-anon_*}
[ $# -gt 0 ] && shift
json=$(realpath -m "$json")

if [ -n "$parse" ]; then
	[ $# -eq 0 ] && [ -z "$rmap" ] ||
		{ usage >&2; die "--parse takes no --rmap, suite glob or kernel arguments"; }
	[ -f "$parse" ] || die "no kernel log at $parse"
	parse=$(realpath "$parse")
	need_tree
	rc=0
	python3 "$TREE/tools/testing/kunit/kunit.py" parse --json="$json" "$parse" || rc=$?
	judge "$parse" "$json" "$rc"
	echo "check-smp: PASS (log $parse)"
	exit 0
fi

SMP_CONFIG=$PROJECT/smp-config
SMP_BUILD=$TREE/.kunit-x86_64
need_tree
[ -f "$SMP_CONFIG" ] || die "missing $SMP_CONFIG"
mkdir -p "$BUILD"
blog=$BUILD/check-smp-build.log
klog=$BUILD/check-smp.log
if [ -n "$rmap" ]; then
	# THP off, the reverse map through the space on: the walks that the
	# concurrency suite races against fork, exit and unmap are the
	# space's own, which smp-config's THP excludes.
	sed -e '/^CONFIG_TRANSPARENT_HUGEPAGE/d' "$SMP_CONFIG" >"$BUILD/smp-rmap-config.new"
	printf '%s\n' '# CONFIG_TRANSPARENT_HUGEPAGE is not set' 'CONFIG_ANON_SPACE_RMAP=y' \
		>>"$BUILD/smp-rmap-config.new"
	replace_if_changed "$BUILD/smp-rmap-config.new" "$BUILD/smp-rmap-config"
	SMP_CONFIG=$BUILD/smp-rmap-config
	SMP_BUILD=$TREE/.kunit-x86_64-rmap
	blog=$BUILD/check-smp-rmap-build.log
	klog=$BUILD/check-smp-rmap.log
	[ "$json" = "$BUILD/check-smp.json" ] && json=$BUILD/check-smp-rmap.json
fi
# QEMU is needed here alone, so make deps does not install it.
"$(dirname "$0")/deps.sh" qemu-system-x86 ||
	die "could not install qemu-system-x86 (scripts/deps.sh qemu-system-x86 as root)"
command -v qemu-system-x86_64 >/dev/null ||
	die "qemu-system-x86_64 is missing (Debian package qemu-system-x86)"
[ -f /usr/share/qemu/qboot.rom ] ||
	die "/usr/share/qemu/qboot.rom is missing (kunit.py's x86_64 QEMU boots with -bios qboot.rom; Debian package qemu-system-data)"
grep -q '^config ANON_SPACE$' "$TREE/mm/Kconfig" ||
	die "the tree at $TREE has no CONFIG_ANON_SPACE (is the series applied? make prepare)"

cd "$TREE"
kunit=(python3 tools/testing/kunit/kunit.py)
common=(--arch=x86_64 --build_dir="$SMP_BUILD" --kunitconfig="$SMP_CONFIG")

# kunit.py build: writes .config from smp-config (and its x86_64 defaults),
# checks that every option took, and builds bzImage. One kernel build at a
# time on the machine.
log "building $SMP_BUILD (x86_64, ${SMP_CONFIG##*/}; log: $blog)"
kbuild_lock
start=$(date +%s)
rc=0
"${kunit[@]}" build "${common[@]}" --jobs "$(nproc)" >"$blog" 2>&1 || rc=$?
end=$(date +%s)
kbuild_unlock
if [ "$rc" != 0 ]; then
	grep -E 'error|Error|ERROR|not in the generated|were not set' "$blog" | head -30 >&2 ||
		tail -30 "$blog" >&2
	die "building $SMP_BUILD failed (full log: $blog)"
fi
printf '[build: %d s]\n' "$((end - start))"

# What the run is for: check the .config has it (kunit.py checked the
# options of smp-config; ANON_SPACE_RMAP must be off with THP).
want=(CONFIG_SMP CONFIG_PER_VMA_LOCK CONFIG_PROVE_LOCKING CONFIG_DEBUG_VM CONFIG_ANON_SPACE
      CONFIG_DEBUG_ANON_SPACE CONFIG_ANON_SPACE_KUNIT_TEST)
if [ -n "$rmap" ]; then
	want+=(CONFIG_ANON_SPACE_RMAP)
else
	want+=(CONFIG_TRANSPARENT_HUGEPAGE)
	grep -qx 'CONFIG_ANON_SPACE_RMAP=y' "$SMP_BUILD/.config" &&
		die "$SMP_BUILD/.config has CONFIG_ANON_SPACE_RMAP=y, which the tree's Kconfig forbids with THP"
fi
for opt in "${want[@]}"; do
	grep -qx "$opt=y" "$SMP_BUILD/.config" || die "$SMP_BUILD/.config lacks $opt=y (see $blog)"
done
for opt in CONFIG_FAULT_INJECTION CONFIG_FAIL_ANON_SPACE; do
	grep -qx "$opt=y" "$SMP_BUILD/.config" || log "note: $opt is not set"
done

# kunit.py exec: boots bzImage on qemu-system-x86_64 (no -accel: TCG) and
# parses the output; its exit status is the parsed result (non-zero on any
# failed or crashed test, or none found), never --raw_output's.
args=()
for a in "$@"; do args+=(--kernel_args "$a"); done
log "running '$glob' on QEMU x86_64, -smp $smp (TCG), timeout ${timeout} s"
rm -f "$SMP_BUILD/test.log"
start=$(date +%s)
rc=0
"${kunit[@]}" exec "${common[@]}" --qemu_args="-smp $smp" --timeout "$timeout" \
	--json="$json" "${args[@]}" "$glob" || rc=$?
end=$(date +%s)
[ -f "$SMP_BUILD/test.log" ] || die "kunit.py exec left no $SMP_BUILD/test.log (exit $rc)"
cp "$SMP_BUILD/test.log" "$klog"
printf '[run: %d s; kernel log: %s; JSON: %s]\n' "$((end - start))" "$klog" "$json"

judge "$klog" "$json" "$rc"
echo "check-smp: PASS ('$glob', -smp $smp, x86_64 under QEMU TCG${rmap:+, ANON_SPACE_RMAP without THP})"
