#!/usr/bin/env bash
# Build the UML kernel for Valgrind (uml-config + uml-valgrind-config, in its
# own build directory, incrementally) and run the suites matching a glob on
# it under Valgrind memcheck. The kernel's output goes to one log and is
# parsed with kunit.py parse, Valgrind's to another. Exit status: non-zero
# on a failed test or on any Valgrind error.
#
# --proof runs the uml_valgrind suite instead, booted so that it makes a
# use-after-free, an uninitialised read and an out-of-bounds read, and
# checks that memcheck reported exactly those three, at lines of the
# suite's source.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	echo "usage: ${0##*/} [--proof] [--json FILE] [SUITE_GLOB [KERNEL_ARG...]]   (default glob: 'anon_*')"
}
proof=0
json=
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--proof) proof=1; shift ;;
	--json) json=${2:?--json needs a file}; shift 2 ;;
	-*) usage >&2; exit 2 ;;
	*) break ;;
	esac
done
glob=${1:-anon_*}
[ $# -gt 0 ] && shift
if [ "$proof" = 1 ]; then
	glob=uml_valgrind
	set -- uml_valgrind_kunit.provoke=1 "$@"
fi

need_uml_valgrind
SUPP=$PROJECT/valgrind/uml.supp

cd "$TREE"
mkdir -p "$BUILD"
kconfig=$BUILD/uml-valgrind.kunitconfig
cat "$UML_CONFIG" "$UML_VALGRIND_CONFIG" >"$kconfig.new"
replace_if_changed "$kconfig.new" "$kconfig"

log "building $VALGRIND_BUILD"
uml_kbuild "$TREE" "$VALGRIND_BUILD" "$kconfig" "$BUILD/valgrind-uml-build.log"
grep -q '^CONFIG_UML_VALGRIND=y' "$VALGRIND_BUILD/.config" ||
	die "$VALGRIND_BUILD/.config lacks CONFIG_UML_VALGRIND=y (see $BUILD/valgrind-uml-build.log)"

klog=$BUILD/valgrind-uml.log
vlog=$BUILD/valgrind-uml.vg.log
# --redzone-size=1: memcheck describes an address by the block it finds
# within that many bytes; slab objects lie back to back, and with the
# default 16 it names the neighbour of a kmalloc() read one past its end.
# --leak-check=no: every kernel object alive at the halt would be a leak.
vg=(valgrind --error-exitcode=99 --leak-check=no --num-callers=40 --redzone-size=1
    --log-file="$vlog")
[ -f "$SUPP" ] && vg+=(--suppressions="$SUPP")
log "running '$glob' under Valgrind memcheck"
start=$(date +%s.%N)
rc=0
kunit_boot_args "$glob" 256M "$@"
"${vg[@]}" "$VALGRIND_BUILD/linux" "${KUNIT_BOOT_ARGS[@]}" </dev/null >"$klog" 2>&1 || rc=$?
end=$(date +%s.%N)
printf '[valgrind run: %.1f s; kernel output: %s; Valgrind log: %s]\n' \
	"$(echo "$end - $start" | bc)" "$klog" "$vlog"

parse=(python3 tools/testing/kunit/kunit.py parse)
[ -n "$json" ] && parse+=("--json=$(realpath -m "$json")")
prc=0
"${parse[@]}" "$klog" || prc=$?

summary=$(grep -E '== ERROR SUMMARY: ' "$vlog" | tail -1 | sed 's/^==[0-9]*== //')
[ -n "$summary" ] || die "no ERROR SUMMARY in $vlog: Valgrind or the kernel died (exit $rc); see $klog"
echo "valgrind: $summary"
errors=$(echo "$summary" | sed -E 's/^ERROR SUMMARY: ([0-9]+) errors.*/\1/')

if [ "$proof" = 1 ]; then
	# Each of the three errors must be reported at a line of the suite.
	at=$(grep -cE '^==[0-9]+==    at 0x[0-9A-F]+: test_[a-z_]+ \(uml_valgrind_kunit\.c:[0-9]+\)' "$vlog" || true)
	grep -E -A1 '^==[0-9]+== (Invalid read|Conditional jump|Use of uninit)' "$vlog" |
		grep -E 'Invalid|Conditional|Use of|at 0x' | sed 's/^==[0-9]*== //' >&2
	[ "$prc" = 0 ] || die "the uml_valgrind suite failed: memcheck did not count the errors it expects (log: $klog)"
	[ "$errors" = 3 ] && [ "$at" = 3 ] ||
		die "expected 3 errors at lines of uml_valgrind_kunit.c, got $errors errors, $at there (log: $vlog)"
	echo "proof: memcheck reported the use-after-free, the uninitialised read and the out-of-bounds read"
	exit 0
fi

if [ "$rc" = 99 ] || [ "$errors" != 0 ]; then
	grep -E '^==[0-9]+==' "$vlog" | sed -n '/ERROR SUMMARY/q;p' | grep -vE '^==[0-9]+== (Memcheck|Copyright|Using Valgrind|Command|$)' |
		head -60 >&2
	die "Valgrind reported $errors errors (above; full log: $vlog)"
fi
[ "$rc" = 0 ] && [ "$prc" = 0 ] || die "the run failed (exit $rc; kernel output: $klog)"
exit 0
