#!/usr/bin/env bash
# Configure (uml-config) and build the UML kernel incrementally with
# kunit.py build. Quiet on success; the log's tail on failure.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/} [--verbose]"; }
verbose=0
case "${1:-}" in -h|--help) usage; exit 0 ;; --verbose) verbose=1 ;; "") ;; *) usage >&2; exit 2 ;; esac
need_tree
cd "$TREE"
blog=$BUILD/last-build.log
# kunit.py build regenerates .config from uml-config and compile_commands.json
# on every call (about 7 s on 2 cores). When .config is newer than
# uml-config there is nothing for it to apply, and a plain make is the same
# build (Kbuild itself re-syncs .config when a Kconfig file changes).
if [ -f "$UML_BUILD/.config" ] && [ "$UML_BUILD/.config" -nt "$UML_CONFIG" ] &&
   [ -z "${FULL:-}" ]; then
	cmd=(make -s ARCH=um O="$UML_BUILD" -j"$(nproc)")
else
	cmd=(python3 tools/testing/kunit/kunit.py build --build_dir "$UML_BUILD"
	     --kunitconfig "$UML_CONFIG" --jobs "$(nproc)")
fi
if [ "$verbose" = 1 ]; then
	"${cmd[@]}" 2>&1 | tee "$blog"
	exit "${PIPESTATUS[0]}"
fi
"${cmd[@]}" >"$blog" 2>&1 || {
	grep -E 'error|Error|ERROR|not in the generated' "$blog" | head -30 >&2 || tail -30 "$blog" >&2
	die "build failed (full log: $blog)"
}
