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
cmd=(python3 tools/testing/kunit/kunit.py build --build_dir "$UML_BUILD"
     --kunitconfig "$UML_CONFIG" --jobs "$(nproc)")
if [ "$verbose" = 1 ]; then
	"${cmd[@]}" 2>&1 | tee "$blog"
	exit "${PIPESTATUS[0]}"
fi
"${cmd[@]}" >"$blog" 2>&1 || {
	grep -E 'error|Error|ERROR|not in the generated' "$blog" | head -30 >&2 || tail -30 "$blog" >&2
	die "build failed (full log: $blog)"
}
