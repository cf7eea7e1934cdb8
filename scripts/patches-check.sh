#!/usr/bin/env bash
# Exit non-zero when the prepared tree holds work that patches/ lacks:
# uncommitted changes, or commits whose exported patch is not in patches/.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/}   (exit 1 if the tree holds work patches/ lacks)"; }
case "${1:-}" in -h|--help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac
# No tree, no unexported work.
[ -d "$TREE/.git" ] || exit 0

bad=0
dirty=$(tree_dirty)
if [ -n "$dirty" ]; then
	echo "uncommitted changes in $TREE:"
	printf '%s\n' "$dirty" | sed 's/^/  /' | head -20
	bad=1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export_series "$tmp"
for f in "$tmp"/*.patch; do
	[ -e "$f" ] || continue
	if ! same_patch "$f" "$PATCHES/${f##*/}"; then
		echo "commit not exported: ${f##*/}"
		bad=1
	fi
done
if [ "$bad" = 1 ]; then
	echo "commit tree changes in the tree, run 'make refresh' to export, then commit patches/ here"
	exit 1
fi
