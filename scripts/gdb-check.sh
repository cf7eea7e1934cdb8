#!/usr/bin/env bash
# Scripted GDB run: break in an anon_index function while the anon_index
# suite runs and check that the backtrace reaches the KUnit test case, and
# that the kernel's lx-* GDB scripts load. Proves the debug loop works.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/} [FUNCTION]   (default: anon_index_alloc)"; }
case "${1:-}" in -h|--help) usage; exit 0 ;; esac
fn=${1:-anon_index_alloc}
need_tree
# Built first, as make gdb: make kunit's module path leaves vmlinux's copy
# of a suite older than kunit/.
"$PROJECT/scripts/build.sh"
out=$BUILD/gdb-check.log
kunit_boot_args anon_index 1G
timeout 300 gdb -q -batch -nx -x "$PROJECT/scripts/uml.gdb" \
	-ex "directory $UML_BUILD" -ex "source $UML_BUILD/vmlinux-gdb.py" \
	-ex "break $fn" -ex run -ex bt -ex "lx-version" -ex kill \
	--args "$UML_BUILD/linux" "${KUNIT_BOOT_ARGS[@]}" </dev/null >"$out" 2>&1 || true
fail() { sed -n '1,60p' "$out" >&2; die "$1 (full log: $out)"; }
# GDB names the thread once the kernel has more than one host thread (ubd's I/O thread).
grep -qE "^(Thread [0-9]+ \"[^\"]*\" hit )?Breakpoint 1, $fn " "$out" ||
	fail "GDB did not stop in $fn"
# The test cases of the suite, as KUNIT_CASE() lists them.
cases=$(grep -oE 'KUNIT_CASE[A-Z_]*\([a-z0-9_]+' "$KUNIT_SRC/anon_index_kunit.c" | sed 's/.*(//' | paste -sd'|')
[ -n "$cases" ] || die "no KUNIT_CASE() found in kunit/anon_index_kunit.c"
frame=$(grep -E "^#[0-9]+ +(0x[0-9a-f]+ in )?($cases) \(.* at [^ ]*anon_index_kunit\.c:[0-9]+" "$out" | head -1)
[ -n "$frame" ] || fail "the backtrace from $fn does not reach a test case of anon_index_kunit.c"
grep -q "kunit_try_run_case" "$out" || fail "the backtrace does not show KUnit's kunit_try_run_case"
grep -q "^Linux version 6\.12" "$out" || fail "lx-version (the kernel's GDB scripts) did not work"
echo "gdb-check: ok: stopped in $fn; test case frame: $(printf '%s' "$frame" | sed -E 's/\(.*\)/(...)/')"
