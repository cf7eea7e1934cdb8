#!/usr/bin/env bash
# The fast path: rebuild incrementally, start the UML binary directly on the
# suites matching a glob, and parse its KTAP with kunit.py parse.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	echo "usage: ${0##*/} [--timeout SECONDS] SUITE_GLOB [KERNEL_ARG...]   e.g. ${0##*/} 'anon_index*'"
	echo "  --timeout S  kill the kernel after S seconds (default 300, as kunit.py's): a hang fails the run"
}
secs=300
case "${1:-}" in -h|--help) usage; exit 0 ;; "") usage >&2; exit 2 ;; esac
if [ "$1" = --timeout ]; then
	positive_arg --timeout "${2:-}"
	secs=$2
	shift 2
fi
[ -n "${1:-}" ] || { usage >&2; exit 2; }
glob=$1; shift
need_tree
cd "$TREE"
"$PROJECT/scripts/build.sh"
log="$BUILD/last-run.log"
start=$(date +%s.%N)
kunit_boot_args "$glob" 1G "$@"
boot=0
timeout -k 10 "$secs" "$UML_BUILD/linux" "${KUNIT_BOOT_ARGS[@]}" </dev/null >"$log" 2>&1 || boot=$?
end=$(date +%s.%N)
printf '[direct run: %.2f s, raw output: %s]\n' "$(echo "$end - $start" | bc)" "$log"
rc=0
python3 tools/testing/kunit/kunit.py parse "$log" || rc=$?
# timeout(1) exits 124, or 137 when the kernel needed its KILL.
[ "$boot" != 124 ] && [ "$boot" != 137 ] ||
	die "the kernel did not halt within $secs s and was killed (a hang? the last lines of $log say where; 'make gdb SUITE=...' to look, or --timeout)"
die_on_kernel_trouble "$log" 'KTAP version'
exit "$rc"
