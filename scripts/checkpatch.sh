#!/usr/bin/env bash
# scripts/checkpatch.pl --strict on every patch of the series and on the
# kunit/ suite sources (which are linked into the tree, not in patches/).
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/}   (checkpatch --strict on patches/*.patch and kunit/*.c)"; }
case "${1:-}" in -h|--help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac
need_tree
# UNKNOWN_COMMIT_ID is ignored: the prepared tree has no upstream history,
# so checkpatch cannot look up any commit a Fixes: tag names (it would warn
# on every correct one). The ids in our changelogs were checked by hand.
cp=("$TREE/scripts/checkpatch.pl" --strict --quiet --no-summary --show-types
    --ignore UNKNOWN_COMMIT_ID)
# checkpatch runs scripts/spdxcheck.py with "env python3"; its modules (ply,
# git) come from Debian's python3-ply and python3-git, so use Debian's python3
# even where another python3 comes first in PATH.
[ -x /usr/bin/python3 ] && PATH=/usr/bin:$PATH
bad=0 n=0
for p in "$PATCHES"/*.patch; do
	[ -e "$p" ] || continue
	n=$((n + 1))
	out=$(cd "$TREE" && "${cp[@]}" "$p" 2>&1) || true
	if [ -n "$out" ]; then
		echo "patches/${p##*/}:"; printf '%s\n' "$out" | sed 's/^/  /'
		bad=$((bad + 1))
	fi
done
for f in "$KUNIT_SRC"/*.[ch]; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	out=$(cd "$TREE" && "${cp[@]}" --file "$f" 2>&1) || true
	if [ -n "$out" ]; then
		echo "kunit/${f##*/}:"; printf '%s\n' "$out" | sed 's/^/  /'
		bad=$((bad + 1))
	fi
done
echo "checkpatch: $((n - bad)) of $n files clean"
[ "$bad" = 0 ]
