#!/usr/bin/env bash
# The fast path: rebuild incrementally, start the UML binary directly on the
# suites matching a glob, and parse its KTAP with kunit.py parse.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/} SUITE_GLOB [KERNEL_ARG...]   e.g. ${0##*/} 'anon_index*'"; }
case "${1:-}" in -h|--help) usage; exit 0 ;; "") usage >&2; exit 2 ;; esac
glob=$1; shift
need_tree
cd "$TREE"
"$PROJECT/scripts/build.sh"
log="$BUILD/last-run.log"
start=$(date +%s.%N)
kunit_boot_args "$glob" 1G "$@"
"$UML_BUILD/linux" "${KUNIT_BOOT_ARGS[@]}" </dev/null >"$log" 2>&1 || true
end=$(date +%s.%N)
printf '[direct run: %.2f s, raw output: %s]\n' "$(echo "$end - $start" | bc)" "$log"
rc=0
python3 tools/testing/kunit/kunit.py parse "$log" || rc=$?
die_on_kernel_trouble "$log" 'KTAP version'
exit "$rc"
