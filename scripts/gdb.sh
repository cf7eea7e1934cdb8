#!/usr/bin/env bash
# Interactive GDB on the UML kernel, running the suites that match SUITE.
# A failing KUnit expectation or assertion stops in
# __kunit_do_failed_assertion; 'up' shows the test's own frame.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	echo "usage: ${0##*/} [SUITE_GLOB [BREAK_FUNCTION]]   (default: all suites, no extra breakpoint)"
}
case "${1:-}" in -h|--help) usage; exit 0 ;; esac
glob=${1:-*}
brk=${2:-}
need_tree
command -v gdb >/dev/null || die "gdb is missing; run 'make deps'"
# Built first: make kunit's module path leaves vmlinux's copy of a suite
# older than kunit/.
"$PROJECT/scripts/build.sh"
cmds=(-x "$PROJECT/scripts/uml.gdb"
      -ex "add-auto-load-safe-path $UML_BUILD"
      -ex "directory $UML_BUILD"
      -ex "source $UML_BUILD/vmlinux-gdb.py"
      -ex "break __kunit_do_failed_assertion")
[ -n "$brk" ] && cmds+=(-ex "break $brk")
echo "UML kernel under GDB: 'run' starts the suites matching '$glob'." >&2
echo "A failed expectation stops in __kunit_do_failed_assertion: 'up' is the test." >&2
kunit_boot_args "$glob" 1G
exec gdb -q "${cmds[@]}" --args "$UML_BUILD/linux" "${KUNIT_BOOT_ARGS[@]}"
