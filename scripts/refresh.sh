#!/usr/bin/env bash
# Export the prepared tree's commits (base..HEAD) to patches/, rewriting only
# the files whose content changed and removing those whose commit is gone.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/}   (tree commits -> patches/; commit or stash tree changes first)"; }
case "${1:-}" in -h|--help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac
need_tree

if [ -n "$(tree_dirty)" ]; then
	tree_dirty | head -20 >&2
	die "$TREE has uncommitted changes (above); commit them in the tree (git commit, or git commit --amend / git rebase -i to fold them into a patch), then run 'make refresh' again"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export_series "$tmp"
mkdir -p "$PATCHES"
changed=0
for f in "$tmp"/*.patch; do
	[ -e "$f" ] || continue
	name=${f##*/}
	if ! same_patch "$f" "$PATCHES/$name"; then
		cp "$f" "$PATCHES/$name"
		echo "updated  patches/$name"
		changed=1
	fi
done
for f in "$PATCHES"/*.patch; do
	[ -e "$f" ] || continue
	if [ ! -e "$tmp/${f##*/}" ]; then
		rm "$f"
		echo "removed  patches/${f##*/}"
		changed=1
	fi
done
[ "$changed" = 1 ] || echo "patches/ already matches the tree"
