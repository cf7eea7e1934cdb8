#!/usr/bin/env bash
# Build the anon_index suite and allocator as a host program (host/, through
# the KUnit shim) from the prepared tree, and run it under Valgrind memcheck
# with a full leak check. Exit status: non-zero on a failed test or any
# Valgrind error.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/} [--json FILE] [--no-valgrind] [TEST_ARG...]   e.g. churn_iterations=100000"; }
json=
vg=1
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--json) json=${2:?--json needs a file}; shift 2 ;;
	--no-valgrind) vg=0; shift ;;
	*) break ;;
	esac
done
need_tree
command -v valgrind >/dev/null || die "valgrind is missing; run 'make deps'"
out=$BUILD/host
make -s -C "$PROJECT/host" KDIR="$TREE" O="$out" >/dev/null ||
	die "the host build failed (make -C host KDIR=$TREE O=$out)"
log=$BUILD/valgrind-host.log
run=()
[ "$vg" = 1 ] && run=(valgrind -q --leak-check=full --show-leak-kinds=definite,indirect
	--errors-for-leak-kinds=definite,indirect --error-exitcode=99 --track-origins=yes)
rc=0
"${run[@]}" "$out/anon_index_host" "$@" >"$log" 2>&1 || rc=$?
parse=(python3 "$TREE/tools/testing/kunit/kunit.py" parse)
[ -n "$json" ] && parse+=("--json=$(realpath -m "$json")")
prc=0
"${parse[@]}" "$log" || prc=$?
if [ "$rc" = 99 ]; then
	grep '^==[0-9]*==' "$log" | head -60 >&2
	die "Valgrind reported errors (above; full log: $log)"
fi
[ "$rc" = 0 ] && [ "$prc" = 0 ] || die "host run failed (exit $rc; log: $log)"
[ "$vg" = 1 ] && echo "valgrind: no errors, no leaks (log: $log)"
exit 0
