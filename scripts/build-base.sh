#!/usr/bin/env bash
# The baseline kernel of the differential tests: the prepared tree's base
# commit (pristine 6.12, no series) checked out as a git worktree at
# $BASE_TREE, built for UML from base-config into $BASE_BUILD, incrementally.
# Never touches the patched tree's working files.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/}   (builds $BASE_BUILD/linux from the tree's $BASE_TAG commit and base-config)"; }
case "${1:-}" in -h|--help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac
need_tree
[ -f "$BASE_CONFIG" ] || die "missing $BASE_CONFIG"
base=$(git -C "$TREE" rev-parse --verify -q "$BASE_TAG^{commit}") ||
	die "$TREE has no $BASE_TAG tag; run 'make prepare FORCE=1'"

# Every option of base-config must be in uml-config: the two kernels must
# offer programs the same features, or a difference is no finding.
while read -r line; do
	case "$line" in CONFIG_*) grep -qxF "$line" "$UML_CONFIG" ||
		die "base-config has '$line' but uml-config does not; add it there too" ;; esac
done <"$BASE_CONFIG"

# The worktree. One made from an earlier tree (make prepare recreates the
# tree, and with it the worktree's git metadata) is made anew; one at
# another commit is moved to the base, unless it holds changes.
worktree_at "$BASE_TREE" "$base"
if [ "$(git -C "$BASE_TREE" rev-parse HEAD)" != "$base" ]; then
	[ -z "$(git -C "$BASE_TREE" status --porcelain --untracked-files=normal)" ] ||
		die "$BASE_TREE holds changes (git -C $BASE_TREE status); save them, or delete it to have it made anew"
	git -C "$BASE_TREE" checkout -q --detach "$base"
fi
[ ! -e "$BASE_TREE/mm/anon_space.c" ] || die "$BASE_TREE has the series' files; delete it to have it made anew"

log "building the baseline kernel $BASE_BUILD/linux"
uml_kbuild "$BASE_TREE" "$BASE_BUILD" "$BASE_CONFIG" "$BUILD/base-build.log"
