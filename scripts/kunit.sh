#!/usr/bin/env bash
# Configure, build and run the UML kernel's suites through kunit.py, with
# uml-config. Exit status: kunit.py's (0 only when every test passed), or
# 1 if the kernel warned (WARNING, BUG, oops, lockdep) once the suites ran.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() {
	cat <<USAGE
usage: ${0##*/} [--kasan] [--json FILE] [-- KUNIT_PY_RUN_ARGS...]
  --kasan      build and run in a second build dir with KASAN on top of uml-config
  --json FILE  also write kunit.py's JSON results to FILE
  KERNEL_ARGS  environment: extra kernel parameters (e.g. anon_index_kunit.churn_iterations=100000)
USAGE
}
build_dir=$UML_BUILD
extra=()
json=
while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--kasan)
		build_dir=$KASAN_BUILD
		extra+=(--kconfig_add CONFIG_KASAN=y --kconfig_add CONFIG_KASAN_GENERIC=y
			--kconfig_add CONFIG_KASAN_INLINE=y)
		# slub_test's test_clobber_zone writes into a redzone on purpose;
		# under KASAN the slab free that follows (init_object()) is
		# reported and fails the test. Seen here on 6.12.117 with the
		# series; it does not touch slub. slub_test runs in the plain build.
		extra+=(--kconfig_add CONFIG_SLUB_KUNIT_TEST=n)
		shift ;;
	--json) json=${2:?--json needs a file}; shift 2 ;;
	--) shift; extra+=("$@"); break ;;
	*) usage >&2; exit 2 ;;
	esac
done
need_tree
# kunit.py takes --json=FILE (a bare --json prints to stdout).
[ -n "$json" ] && extra+=("--json=$(realpath -m "$json")")
for a in ${KERNEL_ARGS:-}; do extra+=(--kernel_args "$a"); done

cd "$TREE"
# kunit.py run builds too: hold the machine's build lock for the whole run.
kbuild_lock
# kunit.py's build is not uml_kbuild's: the kernel it leaves is no longer
# the one .vmlinux-input describes (make kunit's module path).
rm -f "$build_dir/.vmlinux-input"
rc=0
python3 tools/testing/kunit/kunit.py run --build_dir "$build_dir" \
	--kunitconfig "$UML_CONFIG" --jobs "$(nproc)" "${extra[@]}" || rc=$?
# Passing tests are not enough: the kernel must not have warned meanwhile.
[ ! -e "$build_dir/test.log" ] || die_on_kernel_trouble "$build_dir/test.log" 'KTAP version'
exit "$rc"
