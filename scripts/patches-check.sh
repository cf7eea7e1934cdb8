#!/usr/bin/env bash
# Exit non-zero when the prepared tree holds work that patches/ lacks:
# uncommitted changes, commits whose exported patch is not in patches/,
# or a suite of kunit/ that is a copy in the tree instead of a link.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/}   (exit 1 if the tree holds work patches/ lacks)"; }
case "${1:-}" in -h|--help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac
# No tree, no unexported work.
[ -d "$TREE/.git" ] || exit 0

bad=0 copies=0
dirty=$(tree_dirty)
if [ -n "$dirty" ]; then
	echo "uncommitted changes in $TREE:"
	printf '%s\n' "$dirty" | sed 's/^/  /' | head -20
	bad=1
fi
# The suites appear in the tree as links to kunit/ (prepare.sh): a copy
# there (an editor or 'sed -i' replaces a link by a file) is edited in
# vain, and the next 'make prepare' would put the link back over it.
for f in "$TREE/$KUNIT_LINK_DIR"/*_kunit.[ch]; do
	[ -e "$f" ] && [ ! -L "$f" ] || continue
	echo "$KUNIT_LINK_DIR/${f##*/} is a file, not the link to kunit/${f##*/}:"
	echo "  move its changes into kunit/${f##*/} (diff -u kunit/${f##*/} $f), then"
	echo "  ln -sfn $KUNIT_SRC/${f##*/} $f"
	copies=1
done
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
[ "$copies" = 0 ]
