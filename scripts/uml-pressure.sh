#!/usr/bin/env bash
# Memory pressure on the patched kernel: boot the UML kernel on hostfs with
# uml/pressure as init and a swap file on the ubd0 block device; the
# program's forked family fills more anonymous memory than the guest has,
# and parent and child each page part of it out (MADV_PAGEOUT), move a
# partly swapped-out range (mremap MREMAP_FIXED), grow it in place, grow
# another range that has to move, and move a whole VMA with
# MREMAP_DONTUNMAP, on pages they share copy on write and pages the child
# copied; every word is checked when read back, while reclaim swaps and
# compaction migrates (every rmap walk through the family's space), and
# each step verifies the reverse map. Exit status: 0 only if it printed
# "pressure: PASS".
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	echo "usage: ${0##*/} [MB]       the built-in family, MB of anonymous memory (default 96) in a 128 MB guest"
	echo "       ${0##*/} --stress   stress-ng's vm, mmap, mremap, brk and fork stressors instead, 30 s"
	echo "       (needs CONFIG_BLK_DEV_UBD, CONFIG_SWAP, CONFIG_ANON_SPACE_RMAP, CONFIG_DEBUG_ANON_SPACE)"
}
workload=()
case "${1:-}" in
-h|--help) usage; exit 0 ;;
"") ;;
--stress)
	command -v stress-ng >/dev/null || die "no stress-ng; run 'make deps'"
	mkdir -p "$BUILD/stress-tmp"
	# More vm bytes than the guest has, so reclaim swaps; every stressor
	# forks its workers, so each is a family of its own.
	workload=(run stress-ng --temp-path "$BUILD/stress-tmp" --timeout 30s
		--vm 2 --vm-bytes 64M --mmap 1 --mmap-bytes 16M --mremap 1
		--mremap-bytes 16M --brk 1 --fork 2 --metrics-brief) ;;
*[!0-9]*) usage >&2; exit 2 ;;
*) workload=("$1") ;;
esac
need_tree
prog=$(pressure_program)
log=$BUILD/uml-pressure.log
pressure_boot "$UML_BUILD/linux" "$log" "$prog" "${workload[@]}"
tr -d '\r' <"$log" |
	grep -E '^(parent|child|pressure)[,:]|^stress-ng: (metrc|fail|error)|successful run' || true
grep -q '^pressure: PASS' "$log" ||
	die "pressure did not pass (full console log: $log)"
