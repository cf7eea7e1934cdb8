#!/usr/bin/env bash
# The fast path: rebuild incrementally, start the UML binary directly on the
# suites matching a glob, and parse its KTAP with kunit.py parse.
#
# The module path: a suite that runs as a module just as built in (each of
# common.sh's KUNIT_MODULE_SUITES), asked for alone ("suite" or
# "suite.case"), while the kernel is current for everything but kunit/
# (the tree's vmlinux_input is the one of its last build,
# $UML_BUILD/.vmlinux-input), is built as an
# external module of that kernel (make M=, no relink of vmlinux) and loaded
# by uml/insmod as init; kunit.filter=module=... keeps the suite's stale
# built-in copy from running. Anything else, or a module build that fails,
# takes the built-in path.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	echo "usage: ${0##*/} [--timeout SECONDS] [--json FILE] SUITE_GLOB [KERNEL_ARG...]   e.g. ${0##*/} 'anon_index*'"
	echo "  --timeout S  kill the kernel after S seconds (default 300, as kunit.py's): a hang fails the run"
	echo "  --json FILE  also write kunit.py parse's JSON results to FILE"
	echo "  BUILTIN=1    never the module path (environment)"
}
secs=300
parse_args=()
case "${1:-}" in -h|--help) usage; exit 0 ;; "") usage >&2; exit 2 ;; esac
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) positive_arg --timeout "${2:-}"; secs=$2; shift 2 ;;
	--json) [ -n "${2:-}" ] || { usage >&2; die "--json needs a file"; }
		parse_args+=("--json=$(realpath -m "$2")"); shift 2 ;;
	*) break ;;
	esac
done
[ -n "${1:-}" ] || { usage >&2; exit 2; }
glob=$1; shift
need_tree
cd "$TREE"
log="$BUILD/last-run.log"
suite=${glob%%.*}

# module_path_ok: may this run take the module path?
module_path_ok() {
	[ -z "${BUILTIN:-}" ] && [[ " $KUNIT_MODULE_SUITES " == *" $suite "* ]] &&
		[ -x "$UML_BUILD/linux" ] && grep -sqx 'CONFIG_MODULES=y' "$UML_BUILD/.config" &&
		[ -f "$UML_BUILD/.vmlinux-input" ] &&
		[ "$(vmlinux_input "$TREE" "$UML_CONFIG")" = "$(cat "$UML_BUILD/.vmlinux-input")" ]
}

# build_module: build kunit/${suite}_kunit.c as the external module $mod.ko of the
# kernel in $UML_BUILD, in $mdir. Fails quietly (log: $BUILD/last-build.log).
build_module() {
	local f rc=0
	mkdir -p "$mdir"
	for f in "$KUNIT_SRC/$suite"_kunit.c "$KUNIT_SRC"/*_kunit.h; do
		if [ -e "$f" ]; then ln -sfn "$f" "$mdir/${f##*/}"; fi
	done
	# -I the suites' place in the tree: anon_mm_kunit.h includes
	# "../internal.h" (mm/internal.h).
	printf 'obj-m := %s.o\n%s-y := %s_kunit.o\nccflags-y := -I$(srctree)/%s\n' \
		"$mod" "$mod" "$suite" "$KUNIT_LINK_DIR" >"$mdir/Kbuild.new"
	replace_if_changed "$mdir/Kbuild.new" "$mdir/Kbuild"
	kbuild_lock
	make -s -C "$TREE" ARCH=um O="$UML_BUILD" M="$mdir" -j"$(nproc)" modules \
		>"$BUILD/last-build.log" 2>&1 || rc=$?
	kbuild_unlock
	return "$rc"
}

boot=0
how=built-in
if module_path_ok; then
	mod=${suite}_kunit_fast
	mdir=$BUILD/kunit-module/$suite
	t0=$(date +%s.%N)
	if build_module; then
		printf '[module path: %s.ko built in %.2f s, vmlinux is current for everything but kunit/]\n' \
			"$mod" "$(echo "$(date +%s.%N) - $t0" | bc)"
		how=module
	else
		log "building kunit/${suite}_kunit.c as a module failed (log: $BUILD/last-build.log); building the kernel"
	fi
fi
if [ "$how" = module ]; then
	insmod=$(guest_program insmod)
	# The suite's module parameters (SUITE_kunit.NAME=VALUE) go to the
	# module's load; the rest are the kernel's.
	kargs=() margs=()
	for a in "$@"; do
		case $a in "${suite}_kunit."*) margs+=("${a#"${suite}"_kunit.}") ;; *) kargs+=("$a") ;; esac
	done
	kunit_boot_args "$glob" 1G "kunit.filter=module=$mod" "${kargs[@]}"
	# Without kunit_shutdown: the kernel would halt after the (empty)
	# built-in run, before init; insmod powers it off after the load.
	bargs=()
	for a in "${KUNIT_BOOT_ARGS[@]}"; do [[ $a == kunit_shutdown=* ]] || bargs+=("$a"); done
	start=$(date +%s.%N)
	timeout -k 10 "$secs" "$UML_BUILD/linux" "${UML_HOSTFS_ROOT[@]}" init="$insmod" \
		"${bargs[@]}" -- "$mdir/$mod.ko" "${margs[@]}" </dev/null >"$log" 2>&1 || boot=$?
else
	"$PROJECT/scripts/build.sh"
	kunit_boot_args "$glob" 1G "$@"
	start=$(date +%s.%N)
	timeout -k 10 "$secs" "$UML_BUILD/linux" "${KUNIT_BOOT_ARGS[@]}" </dev/null >"$log" 2>&1 || boot=$?
fi
end=$(date +%s.%N)
printf '[direct run: %.2f s, raw output: %s]\n' "$(echo "$end - $start" | bc)" "$log"
rc=0
if [ "$how" = module ]; then
	# The boot prints an empty KTAP run (no built-in suite passes the
	# filter) before the module's: parse from the last top-level header.
	# KUnit names the module of each suite it runs ("# module: NAME").
	grep -qFw "# module: $mod" "$log" ||
		die "no suite of $mod ran (log: $log): $(grep -m1 'insmod:' "$log" || echo "no line of uml/insmod's")"
	awk 'FNR == NR { if (/^KTAP version/) n = FNR; next } FNR >= n' "$log" "$log" >"$log.ktap"
	python3 tools/testing/kunit/kunit.py parse "${parse_args[@]}" "$log.ktap" || rc=$?
else
	python3 tools/testing/kunit/kunit.py parse "${parse_args[@]}" "$log" || rc=$?
fi
# timeout(1) exits 124, or 137 when the kernel needed its KILL.
[ "$boot" != 124 ] && [ "$boot" != 137 ] ||
	die "the kernel did not halt within $secs s and was killed (a hang? the last lines of $log say where; 'make gdb SUITE=...' to look, or --timeout)"
die_on_kernel_trouble "$log" 'KTAP version'
exit "$rc"
