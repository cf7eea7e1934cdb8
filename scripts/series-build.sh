#!/usr/bin/env bash
# Bisectability: build the UML kernel at every commit of the series, in a
# git worktree of the prepared tree (build/series-tree; the tree itself is
# not touched), incrementally from one commit to the next. The configuration
# is uml-config's (the tree's .kunit/.config) without the KUnit suites,
# whose sources (kunit/) follow the end of the series, not each prefix.
# Exit status: non-zero at the first commit that does not build.
set -euo pipefail
. "$(dirname "$0")/common.sh"
usage() { echo "usage: ${0##*/} [FIRST_PATCH_NUMBER]   (default 1: every commit after $BASE_TAG)"; }
first=1
case "${1:-}" in
-h|--help) usage; exit 0 ;;
"") ;;
*[!0-9]*) usage >&2; die "'$1' is not a patch number" ;;
*) first=$((10#$1)) ;;
esac
need_tree
git -C "$TREE" rev-parse -q --verify "$BASE_TAG^{commit}" >/dev/null ||
	die "$TREE has no $BASE_TAG tag; run 'make prepare'"
[ -f "$UML_BUILD/.config" ] || "$PROJECT/scripts/build.sh"

wt=$BUILD/series-tree
out=$wt/.kunit
if [ ! -d "$wt/.git" ] && [ ! -f "$wt/.git" ]; then
	log "creating the worktree $wt"
	git -C "$TREE" worktree add -q --detach "$wt" HEAD
fi
mapfile -t commits < <(git -C "$TREE" rev-list --reverse "$BASE_TAG..HEAD")
[ "${#commits[@]}" -gt 0 ] || die "no commits after $BASE_TAG in $TREE"
[ "$first" -ge 1 ] && [ "$first" -le "${#commits[@]}" ] ||
	die "patch number $first out of range 1..${#commits[@]}"

mkdir -p "$out"
blog=$BUILD/series-build.log
: >"$blog"
n=0
for c in "${commits[@]}"; do
	n=$((n + 1))
	[ "$n" -lt "$first" ] && continue
	git -C "$wt" checkout -q --detach "$c"
	cp "$UML_BUILD/.config" "$out/.config"
	"$wt/scripts/config" --file "$out/.config" -d ANON_SPACE_KUNIT_TEST \
		-d MREMAP_KUNIT_BENCH
	start=$SECONDS
	if make -s -C "$wt" ARCH=um O="$out" olddefconfig >>"$blog" 2>&1 &&
	   make -s -C "$wt" ARCH=um O="$out" -j"$(nproc)" >>"$blog" 2>&1; then
		printf '%04d  builds  (%3d s)  %s\n' "$n" $((SECONDS - start)) \
			"$(git -C "$wt" log -1 --format=%s)"
	else
		printf '%04d  FAILS           %s\n' "$n" "$(git -C "$wt" log -1 --format=%s)"
		grep -E 'error|Error' "$blog" | tail -10 >&2
		die "patch $n does not build (log: $blog; worktree: $wt)"
	fi
done
echo "series-build: patches $first..$n build"
