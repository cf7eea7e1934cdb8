#!/usr/bin/env bash
# Every test of the project, one step after another; a failed step does not
# stop the steps that do not depend on it. Ends with a summary and the line
# "check: N passed, N failed" (steps). Exit status: 0 only if all passed.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/}   (deps, prepare, checkpatch, kernel-doc, UML suites, KASAN, Valgrind host and UML, tools/testing/vma, programs on UML, make bench's pipeline, mm selftests and random syscalls against the baseline kernel, GDB)"; }
case "${1:-}" in -h|--help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac
S=$PROJECT/scripts
results=()
passed=0 failed=0

step() { # NAME CMD...: run a step, record its result and time
	local name=$1 t0 rc=0
	shift
	t0=$(date +%s)
	printf '\n==== %s\n' "$name"
	"$@" || rc=$?
	local dt=$(($(date +%s) - t0))
	if [ "$rc" = 0 ]; then
		results+=("PASS  $name (${dt}s)"); passed=$((passed + 1))
	else
		results+=("FAIL  $name (${dt}s, exit $rc)"); failed=$((failed + 1))
	fi
	return "$rc"
}
skip() { results+=("SKIP  $1 ($2)"); failed=$((failed + 1)); }

summary() {
	printf '\n==== summary\n'
	printf '%s\n' "${results[@]}"
	[ -z "${totals:-}" ] || echo "$totals"
	echo "check: $passed passed, $failed failed"
	[ "$failed" = 0 ]
}

step "install missing packages" "$S/deps.sh" || { summary; exit 1; }
step "prepare the tree (patches/ applied)" "$S/prepare.sh" || { summary; exit 1; }
step "checkpatch --strict" "$S/checkpatch.sh" || true
step "kernel-doc of the files the series adds" "$S/kernel-doc.sh" || true

uml_json=$BUILD/uml.json host_json=$BUILD/host.json
rm -f "$uml_json" "$host_json"
uml_ok=0
step "UML suites (kunit.py run, uml-config)" "$S/kunit.sh" --json "$uml_json" && uml_ok=1
# The reverse-map verifier's totals after the suites (printed by anon_mremap).
totals=$(grep -ho 'anon_space verifier totals: .*' "$TREE/.kunit/test.log" 2>/dev/null | tail -1 || true)
[ -n "$totals" ] && echo "$totals"
step "UML suites with KASAN" "$S/kunit.sh" --kasan || true
step "host anon_index suite under Valgrind" "$S/valgrind-host.sh" --json "$host_json" || true
step "UML suites under Valgrind memcheck (anon_*)" "$S/valgrind-uml.sh" || true
step "memcheck reports the uml_valgrind suite's errors" "$S/valgrind-uml.sh" --proof || true
# make bench-instr's pipeline on make valgrind-uml's kernel, counted
# against itself: the case runs under cachegrind, one parameter a run
# (bench_param), the report reads it, and a kernel's count per call does
# not depend on the run: the report gives a ratio only where two runs
# alike differ by less than --max-noise a call, and this one must read
# 1.00 within 5%. bench_brk: on this debug kernel (lockdep, slab stack
# traces) its noise was 0.2-1.05% (0.983, 0.994 and 1.015 against
# itself), where bench_mmap_munmap's is 1-4% a parameter; hence 3%, not
# the bench kernels' 1%. A run whose boot calibrates its delay loop (no
# lpj=) read 0.648 with a noise of 42%: no ratio. Then bench_rmap_cow's
# first parameter, whose call is one of each of two operations.
instr_self() {
	local out k=$VALGRIND_BUILD/linux
	out=$("$S/bench-instr.sh" --kernels "$k" "$k" --glob mremap_bench.bench_brk \
		--rounds 2,42 --functions 3 --max-noise 3) || return 1
	tail -6 <<<"$out"
	awk '$1 == "instr" && $2 == "brk:pages=1" && $3 >= 0.95 && $3 <= 1.05 { ok = 1 }
	     END { exit !ok }' <<<"$out" || return 1
	# A case that times two operations (a folio_referenced() and an
	# rmap_walk() a call), its first parameter alone (one child).
	out=$("$S/bench-instr.sh" --kernels "$k" "$k" --glob mremap_bench.bench_rmap_cow \
		--bench-param 1 --rounds 2,42 --functions 3 --max-noise 3) || return 1
	tail -3 <<<"$out"
	awk '$1 == "instr" && $2 == "referenced_cow+walk_cow:pages=256:children=1" &&
	     $3 >= 0.95 && $3 <= 1.05 { ok = 1 } END { exit !ok }' <<<"$out"
}
step "make bench-instr counts a case per call: the Valgrind kernel against itself" instr_self || true

same_count() {
	local u h
	u=$(python3 "$S/ktap-count.py" "$uml_json" anon_index)
	h=$(python3 "$S/ktap-count.py" "$host_json" anon_index)
	echo "anon_index cases (passed failed skipped): UML $u, host $h"
	[ "$u" = "$h" ] && [ "${u%% *}" -gt 0 ]
}
if [ -s "$uml_json" ] && [ -s "$host_json" ]; then
	step "UML and host run the same anon_index cases" same_count || true
else
	skip "UML and host run the same anon_index cases" "a run produced no results"
fi
# make kunit's build: after one that configured, an unchanged tree is a
# plain make, also when uml-config was touched without a change (a
# checkout, a reverted edit): kunit.py's config step costs 5-7 s of the
# edit loop.
fast_path_plain() {
	local t0 how='plain make'
	touch "$UML_CONFIG"
	"$S/build.sh"
	t0=$(date +%s.%N)
	"$S/build.sh"
	grep -q 'Configuring KUnit Kernel' "$BUILD/last-build.log" && how='kunit.py build'
	printf 'rebuild of an unchanged tree: %.1f s, %s\n' "$(echo "$(date +%s.%N) - $t0" | bc)" "$how"
	[ "$how" = 'plain make' ]
}
# make kunit's module path: each suite asked for alone runs as a module of
# the built kernel, no relink, and runs the cases its built-in copy runs
# (a case a module left out, or skipped, would change the counts); a
# kernel that is not the tree's (here: a .vmlinux-input of some other
# tree) takes the built-in path.
module_path() {
	local out json=$BUILD/kunit-module.json suite u m
	"$S/build.sh"
	for suite in $KUNIT_MODULE_SUITES; do
		rm -f "$json"
		out=$("$S/kunit-fast.sh" --json "$json" "$suite" 2>&1) || { printf '%s\n' "$out" | tail -20; return 1; }
		grep '^\[module path' <<<"$out" || { echo "the module path was not taken for $suite"; return 1; }
		u=$(python3 "$S/ktap-count.py" "$uml_json" "$suite")
		m=$(python3 "$S/ktap-count.py" "$json" "$suite")
		echo "$suite cases (passed failed skipped): built in $u, module $m"
		[ "$u" = "$m" ] && [ "${m%% *}" -gt 0 ] || return 1
	done
	echo "another tree's kernel" >"$UML_BUILD/.vmlinux-input"
	out=$("$S/kunit-fast.sh" anon_index 2>&1) || { printf '%s\n' "$out" | tail -20; return 1; }
	if grep -q '^\[module path' <<<"$out"; then
		echo "the module path was taken for a kernel that is not the tree's"
		return 1
	fi
	echo "with a kernel that is not the tree's: the built-in path"
}
step "tools/testing/vma harness" "$S/vma-test.sh" || true
if [ "$uml_ok" = 1 ]; then
	step "a program checks its reverse map on the patched kernel (hostfs)" \
		"$S/uml-selfcheck.sh" || true
	step "swap under memory pressure, rmap walks through the space (hostfs, ubd)" \
		"$S/uml-pressure.sh" || true
	step "stress-ng's vm, mmap, mremap, brk and fork stressors, every walk checked" \
		"$S/uml-pressure.sh" --stress || true
	step "a KSM page mapped back from swap after KSM is found by the reverse map (patched and baseline)" \
		"$S/uml-ksm.sh" || true
	step "make bench's suite and reports on the debug kernel (a few rounds)" \
		"$S/bench-check.sh" || true
	step "random mm system calls give the same results as on the baseline kernel" \
		"$S/uml-sysdiff.sh" --seeds 4 --calls 800 || true
	# Seed 105 maps over a neighbour's last page next to indexes that
	# VMAs moved by mremap() hold: the mapping merges as mainline's
	# (patch "mmap() merges with a neighbour whose next indexes are used").
	# Seed 118 maps below a neighbour of its flags, above one of others:
	# it merges with the upper one as mainline's, and every snapshot
	# splits its mappings as mainline's (patch "mmap() meets the range of
	# the neighbour it can merge with").
	step "sysdiff seed 105: a new mapping merges where mainline's does" \
		"$S/uml-sysdiff.sh" --first 105 --seeds 1 --calls 3000 || true
	step "sysdiff seed 118: VMAs split as mainline's" \
		"$S/uml-sysdiff.sh" --first 118 --seeds 1 --calls 3000 --same-splits || true
	step "the kernel's mm selftests: no regression against the kernel without the series" \
		"$S/selftests.sh" || true
	step "scripted GDB session" "$S/gdb-check.sh" || true
	step "make kunit's rebuild of an unchanged tree is a plain make" fast_path_plain || true
	step "make kunit runs each suite as a module, the same cases as built in" module_path || true
else
	skip "a program checks its reverse map on the patched kernel (hostfs)" \
		"the UML build or run failed"
	skip "swap under memory pressure, rmap walks through the space (hostfs, ubd)" \
		"the UML build or run failed"
	skip "stress-ng's vm, mmap, mremap, brk and fork stressors, every walk checked" \
		"the UML build or run failed"
	skip "make bench's suite and reports on the debug kernel (a few rounds)" \
		"the UML build or run failed"
	skip "random mm system calls give the same results as on the baseline kernel" \
		"the UML build or run failed"
	skip "sysdiff seed 105: a new mapping merges where mainline's does" \
		"the UML build or run failed"
	skip "sysdiff seed 118: VMAs split as mainline's" "the UML build or run failed"
	skip "the kernel's mm selftests: no regression against the kernel without the series" \
		"the UML build or run failed"
	skip "scripted GDB session" "the UML build or run failed"
	skip "make kunit's rebuild of an unchanged tree is a plain make" "the UML build or run failed"
	skip "make kunit runs each suite as a module, the same cases as built in" "the UML build or run failed"
fi
summary
